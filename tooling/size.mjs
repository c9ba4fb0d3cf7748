#!/usr/bin/env node
// `pnpm size`: what each entry point of each package adds to an app's bundle — its built ESM
// entry bundled by esbuild with every dependency it brings (TensorFlow.js and other @descent
// packages left out: they are peers or counted on their own), minified, then gzip-compressed.
//
//   pnpm size            # build if needed, print the table
//   pnpm size --write    # also write it into README.md between the size markers
//   pnpm size --check    # fail when README.md's table differs from the measured one
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- size:start -->';
const END = '<!-- size:end -->';
// Node's built-ins too: a package's Node-only module (e.g. reading a file) is not bundled for a browser.
const EXTERNAL = [
  '@tensorflow/*',
  '@descent/*',
  'webgpu',
  'node:*',
  'vitest',
  'fast-check',
  ...builtinModules,
];

/** `[subpath, ./dist/… ESM file]` for every code entry of a package's export map. */
function entries(manifest) {
  return Object.entries(manifest.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, conditions]) => [subpath, conditions.import.default]);
}

function measure(pkgDir, file, out) {
  const metafile = join(out, 'meta.json');
  execFileSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      join(pkgDir, file),
      '--bundle',
      '--minify',
      '--format=esm',
      '--platform=neutral',
      '--log-level=error',
      ...EXTERNAL.map((e) => `--external:${e}`),
      `--metafile=${metafile}`,
      `--outfile=${join(out, 'bundle.js')}`,
    ],
    { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const bundle = readFileSync(join(out, 'bundle.js'));
  const meta = JSON.parse(readFileSync(metafile, 'utf8'));
  const inputs = Object.keys(meta.inputs).filter((i) => i.includes('node_modules'));
  const thirdParty = [
    ...new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1])),
  ];
  return { minified: bundle.length, gzip: gzipSync(bundle, { level: 9 }).length, thirdParty };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

function table() {
  const out = mkdtempSync(join(tmpdir(), 'descent-size-'));
  const rows = [
    '| entry point | minified | gzip | bundled dependencies |',
    '| --- | ---: | ---: | --- |',
  ];
  try {
    for (const dir of readdirSync(join(root, 'packages')).sort()) {
      const pkgDir = join(root, 'packages', dir);
      const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      for (const [subpath, file] of entries(manifest)) {
        const { minified, gzip, thirdParty } = measure(pkgDir, file, out);
        const name = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        rows.push(
          `| \`${name}\` | ${kb(minified)} | ${kb(gzip)} | ${thirdParty.join(', ') || '—'} |`,
        );
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return rows.join('\n');
}

const mode = process.argv[2];
if (mode && !['--write', '--check'].includes(mode)) {
  console.error(`size: unknown argument ${mode}; usage: pnpm size [--write | --check]`);
  process.exit(2);
}
execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
const measured = table();
console.log(measured);
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const [before, rest] = readme.split(START);
const after = rest?.split(END)[1];
if (mode && (before === undefined || after === undefined)) {
  console.error(`size: README.md has no ${START} … ${END} section`);
  process.exit(1);
}
const updated = `${before}${START}\n${measured}\n${END}${after}`;
if (mode === '--write') {
  writeFileSync(readmePath, updated);
  console.log('size: README.md updated');
} else if (mode === '--check' && updated !== readme) {
  console.error(
    'size: the table in README.md is out of date; run `pnpm size --write` and commit it',
  );
  process.exit(1);
}
