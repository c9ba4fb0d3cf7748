/**
 * `tooling/changeset-check.mjs` on a scratch repository: a branch that changes a package without a
 * changeset fails; one naming the package, or an empty changeset, passes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'changeset-check.mjs');
let repo: string;

function git(...args: string[]): void {
  execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
}

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function commit(message: string): void {
  git('add', '-A');
  git('-c', 'user.name=fixture', '-c', 'user.email=fixture@example.com', 'commit', '-qm', message);
}

function check(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('node', [script, ...args], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'changeset-check-'));
  git('init', '-q', '-b', 'main');
  write('package.json', '{ "private": true }\n');
  write('packages/alpha/package.json', '{ "name": "@fixture/alpha", "version": "1.0.0" }\n');
  write('packages/alpha/src/index.ts', 'export const a = 1;\n');
  write('packages/beta/package.json', '{ "name": "@fixture/beta", "version": "1.0.0" }\n');
  write('packages/beta/src/index.ts', 'export const b = 1;\n');
  write('.changeset/README.md', 'changesets\n');
  commit('initial');
  git('checkout', '-q', '-b', 'feature');
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

it('fails when a package changed on a branch and no changeset names it', () => {
  write('packages/alpha/src/index.ts', 'export const a = 2;\n');
  commit('change alpha');
  const { status, output } = check();
  expect(output).toContain('changes @fixture/alpha without a changeset');
  expect(status).toBe(1);
});

it('fails when the changeset names another package', () => {
  write('packages/alpha/src/index.ts', 'export const a = 2;\n');
  write('.changeset/beta-only.md', "---\n'@fixture/beta': patch\n---\n\nBeta.\n");
  commit('change alpha, describe beta');
  expect(check().status).toBe(1);
});

it('passes when a changeset added on the branch names every changed package', () => {
  write('packages/alpha/src/index.ts', 'export const a = 2;\n');
  write('packages/beta/src/index.ts', 'export const b = 2;\n');
  write(
    '.changeset/both.md',
    '---\n\'@fixture/alpha\': minor\n"@fixture/beta": patch\n---\n\nBoth.\n',
  );
  commit('change both');
  const { status, output } = check();
  expect(output).toContain('covered by .changeset/both.md');
  expect(status).toBe(0);
});

it('passes with an empty changeset (a change that needs no release)', () => {
  write('packages/alpha/src/index.test.ts', 'it.todo("more");\n');
  write('.changeset/tests-only.md', '---\n---\n');
  commit('tests only');
  expect(check().status).toBe(0);
});

it('passes a change outside packages/ without a changeset, and checks the last commit on main', () => {
  write('README.md', 'docs\n');
  commit('docs');
  expect(check().status).toBe(0);
  git('checkout', '-q', 'main');
  write('packages/beta/src/index.ts', 'export const b = 3;\n');
  commit('beta on main');
  expect(check().status).toBe(1);
  expect(check('--base=HEAD').status).toBe(0);
});
