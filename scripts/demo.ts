/**
 * `pnpm demo`: picks the best backend, prints what it got, and runs one fused kernel
 * (`p ← p − α·g`, in place) next to the same update written with tfjs ops.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { scaledSubtract, useBackend } from '@descent/core';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// WebGPU without a GPU: Dawn on SwiftShader's Vulkan driver, when Debian's chromium package is there.
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const requested = process.argv.slice(2).filter((a) => a !== '--') as ('webgpu' | 'wasm' | 'cpu')[];
const info = await useBackend(
  requested.length === 1 ? requested[0] : requested.length > 0 ? requested : undefined,
);
console.log(`backend: ${info.name} (${info.reason})`);
console.log('BackendInfo', JSON.stringify(info, null, 2));

const size = 1 << 20;
const source = tf.randomNormal([size]);
const p = tf.variable(source);
source.dispose();
const g = tf.randomNormal([size]);
const alpha = 0.01;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
/** Median over 5 runs of the time per step of 10 steps followed by one read-back. */
async function time(step: () => void): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    for (let i = 0; i < 10; i++) step();
    await p.data(); // waits for the GPU on webgpu
    samples.push((performance.now() - start) / 10);
  }
  return median(samples);
}

const before = Float32Array.from(await p.data());
const path = scaledSubtract(p, g, alpha);
const after = await p.data();
const gv = await g.data();
let maxError = 0;
for (let i = 0; i < size; i++)
  maxError = Math.max(maxError, Math.abs(after[i]! - (before[i]! - Math.fround(alpha) * gv[i]!)));

const fused = await time(() => scaledSubtract(p, g, alpha));
const ops = await time(() => p.assign(tf.tidy(() => tf.sub(p, tf.mul(tf.scalar(alpha), g)))));
console.log(
  `scaledSubtract on ${size.toLocaleString()} floats: path ${path}, max |error| vs float64 ${maxError.toExponential(2)}`,
);
console.log(
  `time per step (10 steps, then one read-back): fused ${fused.toFixed(2)} ms, tfjs ops ${ops.toFixed(2)} ms (${(ops / fused).toFixed(2)}×)`,
);
tf.dispose([p, g]);
