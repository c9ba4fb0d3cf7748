#!/usr/bin/env node
// Packs @descent/core as it would be published, installs it into an empty project next to
// @tensorflow/tfjs-core and @tensorflow/tfjs-backend-wasm only, and checks that both `import`
// and `require` work there, that useBackend() announces its fallback and lands on wasm, that
// tf.grad works, and that the fused kernel runs in place.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'descent-pack-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  run('pnpm', ['--filter', '@descent/core', 'pack', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'empty-app', private: true }));
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `./${tarball}`,
      '@tensorflow/tfjs-core@4.22.0',
      '@tensorflow/tfjs-backend-wasm@4.22.0',
    ],
    work,
  );

  const body = `
    const fallbacks = [];
    const info = await core.useBackend(undefined, { onFallback: (f) => fallbacks.push(f.name) });
    if (info.name !== 'wasm') throw new Error('expected wasm, got ' + info.name);
    if (fallbacks.join() !== 'webgpu') throw new Error('expected the webgpu fallback to be announced, got ' + fallbacks);
    const x = tf.tensor([1, 2, 3]);
    const dx = await tf.grad((v) => tf.sum(tf.mul(v, v)))(x).data();
    if (Array.from(dx).join() !== '2,4,6') throw new Error('tf.grad gave ' + Array.from(dx));
    const p = tf.variable(tf.tensor([1, 2, 3, 4, 5]));
    const path = core.scaledSubtract(p, tf.ones([5]), 0.5);
    const values = Array.from(await p.data()).join();
    if (path !== 'wasm-simd' || values !== '0.5,1.5,2.5,3.5,4.5') throw new Error('scaledSubtract: ' + path + ' ' + values);
    console.log(KIND + ': useBackend → ' + info.name + ' (simd ' + info.simd + ', gradients ' + info.gradients + '), tf.grad and scaledSubtract ok');
  `;
  writeFileSync(
    join(work, 'esm.mjs'),
    `import * as tf from '@tensorflow/tfjs-core';\nimport * as core from '@descent/core';\nconst KIND = 'import';\n${body}`,
  );
  writeFileSync(
    join(work, 'cjs.cjs'),
    `const tf = require('@tensorflow/tfjs-core');\nconst core = require('@descent/core');\nconst KIND = 'require';\n(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });`,
  );
  for (const script of ['esm.mjs', 'cjs.cjs']) {
    const out = run('node', [script], work);
    console.log(
      out
        .split('\n')
        .filter((l) => /useBackend/.test(l))
        .join('\n'),
    );
  }
  console.log('pack-smoke: ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}
