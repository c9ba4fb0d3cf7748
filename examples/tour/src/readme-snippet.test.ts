import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const tourDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(tourDir, '..', '..', 'README.md'), 'utf8');

/** The first TypeScript block of the README's "Using it" section, exactly as a reader copies it. */
function usingItSnippet(): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Using it'));
  const block = section?.match(/```ts\n([\s\S]*?)```/);
  if (!block?.[1]) throw new Error('README.md has no ```ts block under "## Using it"');
  return block[1];
}

it("the README's 'Using it' snippet runs as written and trains to a held-out accuracy above 90 %", () => {
  const dir = mkdtempSync(join(tourDir, '.readme-snippet-'));
  try {
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, usingItSnippet());
    const run = spawnSync(
      process.execPath,
      ['--conditions=@descent/source', '--import', 'tsx', file],
      { cwd: tourDir, encoding: 'utf8', timeout: 240_000 },
    );
    expect(run.stderr.split('\n').filter((l) => /Error|at /.test(l))).toEqual([]);
    expect(run.status).toBe(0);
    const accuracies = run.stdout.match(/held-out accuracy per epoch: (.*)/)?.[1]?.split(', ');
    expect(accuracies?.length).toBe(3);
    const last = Number.parseFloat(accuracies?.at(-1) ?? 'NaN');
    expect(last).toBeGreaterThan(90);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
