import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendName } from '@descent/core';
import { SECTION_IDS, type SectionId } from './section';

/** What `pnpm tour` was asked to do. */
export interface TourOptions {
  /** Smaller settings (CI). */
  quick: boolean;
  /** The sections to run, in the tour's order. */
  only: SectionId[];
  /** A non-negative integer; default 1. */
  seed: number;
  /** Where report.html and report.json go: an absolute path. */
  out: string;
  /** A backend to use strictly, or `null` for `useBackend()`'s automatic order. */
  backend: BackendName | null;
  /** Open report.html in the default browser when the tour ends on a desktop; `--no-open` turns it off. */
  open: boolean;
  /** Print the usage and stop. */
  help: boolean;
}

/** The outcome of {@link parseTourArgs}: the options, or a one-line error. */
export type ParsedTourArgs = { ok: true; options: TourOptions } | { ok: false; error: string };

const BACKENDS: readonly BackendName[] = ['wasm', 'webgpu', 'cpu'];

/** The default output folder, relative to where the tour was started. */
export const DEFAULT_OUT = 'tour-report';

/** `pnpm tour --help`. */
export const USAGE = [
  'Usage: pnpm tour [--quick] [--only <ids>] [--seed <n>] [--out <dir>] [--backend <name>]',
  '',
  '  --quick            smaller nets and fewer steps, the same claims (under 90 s on wasm)',
  `  --only <ids>       run only these sections, comma-separated: ${SECTION_IDS.join(', ')}`,
  '  --seed <n>         seed of every random stream, a non-negative integer (default 1)',
  `  --out <dir>        where report.html and report.json go (default ${DEFAULT_OUT}/)`,
  `  --backend <name>   ${BACKENDS.join(', ')}; strict when given (default: the best available)`,
  '  --no-open          do not open report.html in the browser at the end (it opens only on a',
  '                     desktop terminal: never in CI or when the output is not a terminal)',
  '  --help             this text',
].join('\n');

/**
 * Parses the tour's command line (node:util `parseArgs`, strict: unknown flags are errors).
 * `--out` is resolved against `baseDir` (where the user ran `pnpm tour`: pnpm's `INIT_CWD`,
 * else the working directory). Pure: reads no environment, prints nothing.
 *
 * @param argv - The arguments after the script, e.g. `process.argv.slice(2)`.
 * @param baseDir - The folder a relative `--out` is relative to.
 * @returns `{ ok: true, options }`, or `{ ok: false, error }` with one line saying what is wrong.
 * @example
 * ```ts
 * parseTourArgs(['--quick', '--only', 'ntk,lottery'], '/home/me');
 * // { ok: true, options: { quick: true, only: ['lottery', 'ntk'], seed: 1,
 * //   out: '/home/me/tour-report', backend: null, open: true, help: false } }
 * ```
 */
export function parseTourArgs(argv: readonly string[], baseDir: string): ParsedTourArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        seed: { type: 'string', default: '1' },
        out: { type: 'string', default: DEFAULT_OUT },
        backend: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return { ok: false, error: `${firstLine(error)} (see --help)` };
  }
  const only = readOnly(values.only as string | undefined);
  if (typeof only === 'string') return { ok: false, error: only };
  const seed = readSeed(values.seed as string);
  if (typeof seed === 'string') return { ok: false, error: seed };
  const backend = readBackend(values.backend as string | undefined);
  if (backend === undefined) {
    return {
      ok: false,
      error: `unknown backend ${JSON.stringify(values.backend)}; the backends are: ${BACKENDS.join(', ')}`,
    };
  }
  return {
    ok: true,
    options: {
      quick: values.quick === true,
      only,
      seed,
      out: resolve(baseDir, values.out as string),
      backend,
      open: values['no-open'] !== true,
      help: values.help === true,
    },
  };
}

/** The sections named by `--only` in the tour's order, or an error line. */
function readOnly(value: string | undefined): SectionId[] | string {
  if (value === undefined) return [...SECTION_IDS];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(SECTION_IDS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    const what =
      unknown.length > 0
        ? `unknown section ${unknown.map((n) => `'${n}'`).join(', ')}`
        : 'no section named';
    return `--only: ${what}; the sections are: ${SECTION_IDS.join(', ')}`;
  }
  return SECTION_IDS.filter((id) => names.includes(id));
}

function readSeed(value: string): number | string {
  const seed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seed)) {
    return `--seed must be a non-negative integer, got ${JSON.stringify(value)}`;
  }
  return seed;
}

/** `null` for none given, `undefined` for an unknown name. */
function readBackend(value: string | undefined): BackendName | null | undefined {
  if (value === undefined) return null;
  return (BACKENDS as readonly string[]).includes(value) ? (value as BackendName) : undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim();
}
