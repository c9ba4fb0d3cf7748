#!/usr/bin/env node
// The install smoke test, for every published package, the way a library author meets it:
// `pnpm pack` each package (its prepack builds dist/), then for each one a fresh project that
// installs only that tarball, the descent tarballs it depends on, its declared (non-optional)
// peers and the wasm backend; there a consumer that makes one real call runs through `import`
// (ESM) and `require` (CJS), and `tsc --noEmit` type-checks it against both type entry points.
//
//   node tooling/pack-smoke.mjs              # every package
//   node tooling/pack-smoke.mjs core optim   # these only
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const consumers = join(root, 'tooling', 'pack-smoke');
const TFJS = '4.22.0';
const CONCURRENCY = 4;

const manifests = Object.fromEntries(
  readdirSync(join(root, 'packages')).map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    return [dir, manifest];
  }),
);
const dirOf = Object.fromEntries(Object.entries(manifests).map(([dir, m]) => [m.name, dir]));
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(manifests);

/** `@descent/*` packages `dir` needs at run time, itself included. */
function descentClosure(dir, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  for (const dep of Object.keys(manifests[dir].dependencies ?? {})) {
    if (dirOf[dep]) descentClosure(dirOf[dep], seen);
  }
  return seen;
}

/** Declared peers that are not optional (at the version the repository tests), plus the wasm backend. */
function peersOf(dirs) {
  const peers = new Set([`@tensorflow/tfjs-backend-wasm@${TFJS}`]);
  for (const dir of dirs) {
    const { peerDependencies = {}, peerDependenciesMeta = {} } = manifests[dir];
    for (const name of Object.keys(peerDependencies)) {
      if (peerDependenciesMeta[name]?.optional) continue;
      peers.add(name.startsWith('@tensorflow/') ? `${name}@${TFJS}` : name);
    }
  }
  return [...peers];
}

const PRELUDE = `
/** @type {(ok: boolean, message: string) => void} */
const check = (ok, message) => { if (!ok) throw new Error(message); };
/** @type {(what: string) => void} */
const report = (what) => console.log(\`\${KIND}: \${what}\`);
`;

/** Extra modules a consumer names in its header: `// uses: @tensorflow/tfjs-layers as tfl`. */
function usesOf(body) {
  return [...body.matchAll(/^\/\/ uses: (\S+) as (\w+)$/gm)].map((m) => ({ from: m[1], as: m[2] }));
}

function consumerFiles(dir) {
  const body = readFileSync(join(consumers, `${dir}.js`), 'utf8');
  const name = manifests[dir].name;
  const uses = usesOf(body);
  const esm = `// @ts-check
import * as tf from '@tensorflow/tfjs-core';
import * as core from '@descent/core';
import * as pkg from '${name}';
${uses.map((u) => `import * as ${u.as} from '${u.from}';`).join('\n')}
const KIND = 'import';
${PRELUDE}
void pkg;
${body}`;
  const cjs = `// @ts-check
const tf = require('@tensorflow/tfjs-core');
const core = require('@descent/core');
const pkg = require('${name}');
${uses.map((u) => `const ${u.as} = require('${u.from}');`).join('\n')}
const KIND = 'require';
${PRELUDE}
void pkg;
(async () => {
${body}
})().catch((e) => { console.error(e); process.exit(1); });
`;
  return { 'consumer.mjs': esm, 'consumer.cjs': cjs };
}

const TSCONFIG = {
  compilerOptions: {
    module: 'node16',
    moduleResolution: 'node16',
    target: 'es2022',
    lib: ['es2023', 'dom'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    allowJs: true,
    checkJs: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  },
  files: ['consumer.mjs', 'consumer.cjs'],
};

async function smoke(dir, tarballs, work) {
  const project = join(work, dir);
  mkdirSync(project);
  const closure = [...descentClosure(dir)];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: `smoke-${dir}`, private: true, type: 'commonjs' }),
  );
  const installs = [...closure.map((d) => tarballs[d]), ...peersOf(closure)];
  await exec('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...installs], {
    cwd: project,
  });
  for (const [file, text] of Object.entries(consumerFiles(dir))) {
    writeFileSync(join(project, file), text);
  }
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  const lines = [];
  for (const file of ['consumer.mjs', 'consumer.cjs']) {
    const { stdout } = await exec('node', [file], { cwd: project });
    lines.push(...stdout.split('\n').filter((l) => /^(import|require): /.test(l)));
  }
  // The repository's TypeScript, resolving every module from the project's own node_modules.
  await exec(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: project });
  return `${manifests[dir].name} (with ${installs.length - closure.length} peers${closure.length > 1 ? `, ${closure.length - 1} descent deps` : ''}): ${lines.join(' | ')}; tsc ok`;
}

async function packAll(dirs, destination) {
  const tarballs = {};
  for (const dir of dirs) {
    const before = new Set(readdirSync(destination));
    await exec('pnpm', ['pack', '--pack-destination', destination], {
      cwd: join(root, 'packages', dir),
    });
    const made = readdirSync(destination).find((f) => !before.has(f));
    tarballs[dir] = join(destination, made);
  }
  return tarballs;
}

const work = mkdtempSync(join(tmpdir(), 'descent-pack-'));
const started = Date.now();
let failed = 0;
try {
  const needed = new Set(wanted.flatMap((dir) => [...descentClosure(dir)]));
  const tarballs = await packAll([...needed], work);
  const queue = [...wanted];
  const worker = async () => {
    for (let dir = queue.shift(); dir; dir = queue.shift()) {
      try {
        console.log(`pack-smoke: ✓ ${await smoke(dir, tarballs, work)}`);
      } catch (error) {
        failed++;
        const detail = [error.stdout, error.stderr, error.message].filter(Boolean).join('\n');
        console.error(`pack-smoke: ✗ ${manifests[dir].name}\n${detail}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  failed
    ? `pack-smoke: ${failed} package(s) failed (${seconds} s)`
    : `pack-smoke: ok, ${wanted.length} packages (${seconds} s)`,
);
process.exit(failed ? 1 : 0);
