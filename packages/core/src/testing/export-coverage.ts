import { expect } from 'vitest';

/**
 * Asserts a bad-input suite covers every callable export of a package: each function or class
 * in `namespace` (the package's `index.ts`, imported with `import * as`) is a key of `covered`
 * or of `exempt` (with the reason it takes no input worth testing). Constants are skipped. A new
 * export without bad-input cases fails this, naming it; a stale entry (no longer exported) fails too.
 *
 * @example
 * ```ts
 * import * as pkg from './index';
 * it('covers every export', () => expectExportsCovered(pkg, CASES, { hasGradients: 'takes no input' }));
 * ```
 */
export function expectExportsCovered(
  namespace: Record<string, unknown>,
  covered: Iterable<string> | Record<string, unknown>,
  exempt: Record<string, string> = {},
): void {
  const coveredNames = new Set(
    Symbol.iterator in (covered as object)
      ? (covered as Iterable<string>)
      : Object.keys(covered as Record<string, unknown>),
  );
  const callables = Object.keys(namespace).filter((k) => typeof namespace[k] === 'function');
  const missing = callables.filter((k) => !coveredNames.has(k) && !(k in exempt));
  expect(missing, 'exports without bad-input cases').toEqual([]);
  const stale = [...coveredNames, ...Object.keys(exempt)].filter((k) => !(k in namespace));
  expect(stale, 'bad-input entries for names the package no longer exports').toEqual([]);
  for (const [name, reason] of Object.entries(exempt)) {
    expect(reason.length, `exempt "${name}" needs a reason`).toBeGreaterThan(0);
  }
}
