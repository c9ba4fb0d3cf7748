#!/usr/bin/env node
// `prepack` of every published package (run by `pnpm pack` and `pnpm publish` in the package's
// folder): builds dist/ unless it is newer than every source file, then refuses to pack if a file
// the export map names is missing — a tarball with src/ only would fail to load.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

/** Every file path the package's `exports`, `main`, `module` and `types` point at. */
export function exportedFiles(manifest) {
  const files = new Set([manifest.main, manifest.module, manifest.types].filter(Boolean));
  const walk = (node) => {
    if (typeof node === 'string') {
      if (node.startsWith('./dist/')) files.add(node);
    } else if (node && typeof node === 'object') {
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(manifest.exports);
  return [...files].filter((f) => !f.endsWith('.json') && !f.startsWith('./src/'));
}

function newestInput() {
  const inputs = [
    join(pkgDir, 'package.json'),
    join(pkgDir, 'tsup.config.ts'),
    join(root, 'tooling', 'tsup.ts'),
  ].filter(existsSync);
  for (const file of readdirSync(join(pkgDir, 'src'), { recursive: true })) {
    inputs.push(join(pkgDir, 'src', String(file)));
  }
  return Math.max(...inputs.map((f) => statSync(f).mtimeMs));
}

function oldestOutput(outputs) {
  const paths = outputs.map((f) => join(pkgDir, f));
  if (paths.some((p) => !existsSync(p))) return -Infinity;
  return Math.min(...paths.map((p) => statSync(p).mtimeMs));
}

const outputs = exportedFiles(pkg);
if (oldestOutput(outputs) > newestInput()) {
  console.log(`prepack: ${pkg.name}: dist/ is newer than its sources, not rebuilt`);
} else {
  console.log(`prepack: ${pkg.name}: building dist/`);
  execFileSync(join(root, 'node_modules', '.bin', 'tsup'), [], { cwd: pkgDir, stdio: 'inherit' });
}
const missing = outputs.filter((f) => !existsSync(join(pkgDir, f)));
if (missing.length > 0) {
  console.error(
    `prepack: ${pkg.name}: refusing to pack — the export map names ${missing.join(', ')}, ` +
      'which the build did not produce.',
  );
  process.exit(1);
}
