#!/usr/bin/env node
// `pnpm changeset:check [--base=<rev>]`: fails when a change under packages/<name>/ has no
// changeset. The range is <base>..HEAD: --base (or CHANGESET_BASE) if given; on a branch, where it
// left origin/main (or main); on main itself, the last commit. A package counts as covered when a
// changeset added or edited in the range names it, or when the range adds an empty changeset
// (`pnpm changeset --empty`: a change that needs no release, such as tests only).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const cwd = process.cwd();
const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const tryGit = (...args) => {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
};

function defaultBase() {
  const branch = tryGit('rev-parse', '--abbrev-ref', 'HEAD');
  for (const main of ['origin/main', 'main']) {
    if (branch === 'main' || !tryGit('rev-parse', '--verify', '--quiet', main)) continue;
    const base = tryGit('merge-base', 'HEAD', main);
    if (base && base !== git('rev-parse', 'HEAD')) return base;
  }
  return tryGit('rev-parse', '--verify', '--quiet', 'HEAD~1');
}

/** `{ packages: [...names], empty }` from a changeset's front matter. */
export function parseChangeset(text) {
  const match = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!match) return { packages: [], empty: false, malformed: true };
  const packages = [
    ...(match[1] ?? '').matchAll(/^\s*['"]?([^'":\s]+)['"]?\s*:\s*(major|minor|patch)\s*$/gm),
  ].map((m) => m[1]);
  return { packages, empty: packages.length === 0, malformed: false };
}

const arg = process.argv.find((a) => a.startsWith('--base='))?.slice('--base='.length);
const base = arg ?? process.env.CHANGESET_BASE ?? defaultBase();
if (!base) {
  console.log('changeset:check: no earlier commit to compare with, nothing to check');
  process.exit(0);
}
const changed = git('diff', '--name-only', '--diff-filter=ACDMR', `${base}..HEAD`)
  .split('\n')
  .filter(Boolean);

const nameOf = new Map();
for (const file of changed) {
  const dir = /^packages\/([^/]+)\//.exec(file)?.[1];
  if (!dir || nameOf.has(dir)) continue;
  const manifest = join(cwd, 'packages', dir, 'package.json');
  const name = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).name : undefined;
  nameOf.set(dir, name ?? `packages/${dir}`);
}
const changesets = changed.filter(
  (f) =>
    /^\.changeset\/[^/]+\.md$/.test(f) && f !== '.changeset/README.md' && existsSync(join(cwd, f)),
);
const parsed = changesets.map((f) => ({
  file: f,
  ...parseChangeset(readFileSync(join(cwd, f), 'utf8')),
}));
const malformed = parsed.filter((c) => c.malformed);
const named = new Set(parsed.flatMap((c) => c.packages));
const empty = parsed.filter((c) => c.empty && !c.malformed);
const uncovered = [...nameOf.values()].filter((name) => !named.has(name) && empty.length === 0);

const range = `${base.slice(0, 7)}..HEAD`;
for (const c of malformed)
  console.error(`changeset:check: ${c.file} has no front matter (--- … ---)`);
if (uncovered.length > 0 || malformed.length > 0) {
  if (uncovered.length > 0) {
    console.error(
      `changeset:check: ${range} changes ${uncovered.join(', ')} without a changeset naming ` +
        `${uncovered.length > 1 ? 'them' : 'it'}. Run \`pnpm changeset\` (or \`pnpm changeset --empty\` ` +
        'for a change that needs no release) and commit the file it writes.',
    );
  }
  process.exit(1);
}
const packages = [...nameOf.values()];
console.log(
  packages.length === 0
    ? `changeset:check: ${range} changes no package`
    : `changeset:check: ${range} changes ${packages.join(', ')}; covered by ${changesets.join(', ')}`,
);
