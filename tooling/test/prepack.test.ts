/**
 * `tooling/prepack.mjs`: builds dist/ when it is missing or older than the sources, leaves a fresh
 * build alone, and refuses to pack when the build does not produce what the export map names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const tooling = join(import.meta.dirname, '..');
const fixture = (name: string) => join(tooling, 'fixtures', name);

function prepack(name: string): { status: number | null; output: string } {
  const result = spawnSync('node', [join(tooling, 'prepack.mjs')], {
    cwd: fixture(name),
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(() => {
  for (const dir of ['prepack-builds/dist', 'prepack-wrong-output/out']) {
    rmSync(join(tooling, 'fixtures', dir), { recursive: true, force: true });
  }
});

it('builds a missing dist/, then leaves it until a source is newer', () => {
  rmSync(join(fixture('prepack-builds'), 'dist'), { recursive: true, force: true });
  const first = prepack('prepack-builds');
  expect(first.output).toContain('building dist/');
  expect(first.status).toBe(0);
  for (const file of ['index.js', 'index.cjs']) {
    expect(existsSync(join(fixture('prepack-builds'), 'dist', file)), file).toBe(true);
  }
  const second = prepack('prepack-builds');
  expect(second.output).toContain('not rebuilt');
  const source = join(fixture('prepack-builds'), 'src', 'index.ts');
  const later = new Date(Date.now() + 60_000);
  utimesSync(source, later, later);
  expect(prepack('prepack-builds').output).toContain('building dist/');
}, 120_000);

it('refuses to pack when the build leaves a file of the export map missing', () => {
  const { status, output } = prepack('prepack-wrong-output');
  expect(output).toContain('refusing to pack');
  expect(output).toContain('./dist/index.cjs');
  expect(status).toBe(1);
}, 120_000);
