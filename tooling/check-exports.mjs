#!/usr/bin/env node
// Run in a package folder after `build`: publint, @arethetypeswrong/cli, and a check that no
// TensorFlow.js code was bundled into dist/ (tfjs is a peer and must stay external).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
let failed = false;

const { messages } = await publint({ pkgDir, strict: true, level: 'warning' });
for (const message of messages) {
  console.log(`publint ${message.type}: ${formatMessage(message, pkg)}`);
  if (message.type === 'error') failed = true;
}

try {
  execFileSync(
    bin('attw'),
    ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped', '--no-emoji'],
    { stdio: 'inherit', cwd: pkgDir },
  );
} catch {
  failed = true;
}

const TFJS_MARKERS = [
  /_tfengine/,
  /Copyright \d{4} Google LLC/,
  /function registerKernel\(/,
  /class Engine\b/,
];
const built = existsSync(join(pkgDir, 'dist'))
  ? readdirSync(join(pkgDir, 'dist'), { recursive: true })
  : [];
for (const file of built) {
  if (!/\.(c|m)?js$/.test(file)) continue;
  const text = readFileSync(join(pkgDir, 'dist', file), 'utf8');
  const marker = TFJS_MARKERS.find((m) => m.test(text));
  if (marker) {
    console.error(
      `dist/${file} contains TensorFlow.js code (${marker}); tfjs must stay an external peer.`,
    );
    failed = true;
  }
}

console.log(failed ? `check-exports: ${pkg.name} FAILED` : `check-exports: ${pkg.name} ok`);
process.exit(failed ? 1 : 0);
