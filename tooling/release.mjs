#!/usr/bin/env node
// `pnpm release`: build every package, run the export checks and the install smoke test, then
// publish the versions `pnpm version-packages` wrote with `changeset publish` (which tags them).
// `pnpm release --dry-run`: the same checks, then `pnpm publish -r --dry-run`, which packs every
// public package (running its prepack) and shows what would be published, publishing nothing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dryRun = process.argv.includes('--dry-run');
const unknown = process.argv.slice(2).filter((a) => a !== '--dry-run');
if (unknown.length > 0) {
  console.error(
    `release: unknown argument(s) ${unknown.join(' ')}; usage: pnpm release [--dry-run]`,
  );
  process.exit(2);
}

const step = (command, args) => {
  console.log(`release: ${command} ${args.join(' ')}`);
  execFileSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
};

step('pnpm', ['exec', 'turbo', 'run', 'build', 'check-exports']);
step('node', ['tooling/pack-smoke.mjs']);
if (dryRun) {
  step('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks']);
  console.log('release: dry run done, nothing published');
} else {
  step('pnpm', ['exec', 'changeset', 'publish']);
}
