import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The command line in its --quick mode: a line per step, the table, and the pruning and
// save/load/resume findings, with the saved files where --out says.
it('`start --quick` prints every step, the table and the findings, and writes model.json and weights.bin', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'tfjs-interop-cli-')), 'saved');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@descent/source', 'src/main.ts', '--quick', '--out', out],
    { cwd: root, maxBuffer: 1 << 22 },
  );
  expect(stdout).toContain('2000 training / 500 test digits');
  expect(stdout).toMatch(/\nstep 6 saved, loaded, resumed 1 epoch: test accuracy \d\d\.\d\d %/);
  expect(stdout).toMatch(
    /\n1\. tfjs baseline +\| +\d\d\.\d\d % \| +\d+\.\d \| +1\.000 \| +235 146\n/,
  );
  expect(stdout).toMatch(
    /\n4\. \+ layerNormalization +\| +\d\d\.\d\d % \| +\d+\.\d \| +1\.000 \| +235 530\n/,
  );
  expect(stdout).toMatch(
    /\n5\. \+ pruned to 20 %, fine-tuned +\| +\d\d\.\d\d % \| +\d+\.\d \| +0\.200 \| +47 729\n/,
  );
  expect(stdout).toContain(
    'pruned weights not exactly 0: 0 of 187801 after fine-tuning, 0 of 187801',
  );
  expect(stdout).toMatch(/predictions identical\n/);
  expect(stdout).toMatch(/equal in all 32 batches; weights after it identical\n/);
  expect(existsSync(join(out, 'model.json')) && existsSync(join(out, 'weights.bin'))).toBe(true);
}, 120_000);
