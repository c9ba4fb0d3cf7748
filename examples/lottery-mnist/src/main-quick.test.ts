import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The command-line example end to end, in its --quick mode (1 seed, 2 rounds, 1 epoch): the
// progress lines, both tables, the comparison at the last round and the SVG plot.
it('`start --quick` prints the rounds, the tables and the comparison, and writes the SVG plot', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'lottery-mnist-')), 'plot.svg');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@descent/source', 'src/main.ts', '--quick', '--out', out],
    { cwd: root, maxBuffer: 1 << 22 },
  );
  expect(stdout).toMatch(/seed 0 round 2 random pruning +\[#{30}\] 100 % +\d+\/\d+ steps\n/);
  expect(stdout).toMatch(/ density 64\.1 %: winning ticket \d\d\.\d\d %, random reinit/);
  expect(stdout).toContain('Test accuracy at early stop');
  expect(stdout).toMatch(/\n +2 \| +64\.1 \| +\d\d\.\d\d % \| +\d\d\.\d\d % \| +\d\d\.\d\d %\n/);
  expect(stdout).toMatch(/winning ticket − random reinit: {2}[+-]\d+\.\d\d points/);
  expect(stdout).toMatch(/Training throughput \d+ samples\/s on wasm/);
  const svg = readFileSync(out, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.match(/<g aria-label="line"/g)).toHaveLength(3);
}, 300_000);
