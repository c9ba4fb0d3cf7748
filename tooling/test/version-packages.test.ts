/**
 * `pnpm version-packages` (`changeset version`) on a scratch worktree of the repository at HEAD:
 * every pending changeset is consumed, each package it names gets at least the bump it asks for,
 * and the package's CHANGELOG.md carries the changeset's text.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const scratch = join(mkdtempSync(join(tmpdir(), 'descent-version-')), 'repo');
const BUMPS = ['patch', 'minor', 'major'] as const;
type Bump = (typeof BUMPS)[number];

interface Changeset {
  bumps: Record<string, Bump>;
  summary: string;
}

function pendingChangesets(dir: string): Changeset[] {
  return readdirSync(join(dir, '.changeset'))
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .map((f) => {
      const text = readFileSync(join(dir, '.changeset', f), 'utf8');
      const [, front = '', body = ''] = /^---\n([\s\S]*?)\n?---\n([\s\S]*)$/.exec(text) ?? [];
      const bumps: Record<string, Bump> = {};
      for (const m of front.matchAll(/^['"]?([^'":\s]+)['"]?\s*:\s*(patch|minor|major)\s*$/gm)) {
        bumps[m[1] as string] = m[2] as Bump;
      }
      return { bumps, summary: body.trim().split('\n')[0] ?? '' };
    });
}

function packageDirs(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, 'packages')).map((d) => [
      JSON.parse(readFileSync(join(dir, 'packages', d, 'package.json'), 'utf8')).name as string,
      join(dir, 'packages', d),
    ]),
  );
}

const versionOf = (pkgDir: string) =>
  JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version as string;

function bumped(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** -1, 0, 1 as semver a is below, equal to, above b. */
function compare(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  }
  return 0;
}

let before: { changesets: Changeset[]; versions: Record<string, string> };

beforeAll(() => {
  execFileSync('git', ['worktree', 'add', '--detach', '--quiet', scratch, 'HEAD'], { cwd: root });
  const dirs = packageDirs(scratch);
  before = {
    changesets: pendingChangesets(scratch),
    versions: Object.fromEntries(Object.entries(dirs).map(([n, d]) => [n, versionOf(d)])),
  };
  execFileSync(join(root, 'node_modules', '.bin', 'changeset'), ['version'], {
    cwd: scratch,
    stdio: 'pipe',
  });
}, 120_000);

afterAll(() => {
  execFileSync('git', ['worktree', 'remove', '--force', scratch], { cwd: root });
  rmSync(join(scratch, '..'), { recursive: true, force: true });
});

it('consumes every pending changeset', () => {
  expect(pendingChangesets(scratch)).toEqual([]);
});

it('gives every named package at least the bump its changesets ask for, with a changelog entry', () => {
  const dirs = packageDirs(scratch);
  const wanted: Record<string, Bump> = {};
  for (const { bumps } of before.changesets) {
    for (const [name, bump] of Object.entries(bumps)) {
      const current = wanted[name];
      if (!current || BUMPS.indexOf(bump) > BUMPS.indexOf(current)) {
        wanted[name] = bump;
      }
    }
  }
  for (const [name, bump] of Object.entries(wanted)) {
    const dir = dirs[name] as string;
    const floor = bumped(before.versions[name] as string, bump);
    const got = versionOf(dir);
    expect(compare(got, floor), `${name}: ${got}, expected ≥ ${floor}`).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(dir, 'CHANGELOG.md')), `${name} CHANGELOG.md`).toBe(true);
  }
  for (const { bumps, summary } of before.changesets) {
    for (const name of Object.keys(bumps)) {
      const changelog = readFileSync(join(dirs[name] as string, 'CHANGELOG.md'), 'utf8');
      expect(changelog, `${name}'s changelog`).toContain(summary);
    }
  }
});
