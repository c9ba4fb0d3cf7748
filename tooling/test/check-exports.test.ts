/**
 * `tooling/check-exports.mjs` (publint --strict, @arethetypeswrong/cli, no bundled tfjs) passes a
 * sound export map and fails a broken one.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const tooling = join(import.meta.dirname, '..');

function checkExports(fixture: string): { status: number | null; output: string } {
  const result = spawnSync('node', [join(tooling, 'check-exports.mjs')], {
    cwd: join(tooling, 'fixtures', fixture),
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

it('passes a dual package whose export map is right', () => {
  const { status, output } = checkExports('sound-export-map');
  expect(output).toContain('check-exports: sound-export-map ok');
  expect(status).toBe(0);
});

it('fails an export map whose require condition names a missing file and ESM types', () => {
  const { status, output } = checkExports('broken-export-map');
  expect(output).toContain('publint error');
  expect(output).toContain('missing.cjs');
  expect(output).toContain('check-exports: broken-export-map FAILED');
  expect(status).toBe(1);
});
