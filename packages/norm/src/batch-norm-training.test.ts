import * as tf from '@tensorflow/tfjs-core';
import { Rng, useBackend } from '@descent/core';
import { beforeAll, expect, it } from 'vitest';
import { batchNorm } from './batch-norm';
import { type BatchNormState, batchNormState, disposeState, keepState } from './norm-state';

/**
 * The claim of Sun (2019, §4.2, after Ioffe & Szegedy 2015): batch norm lets a network train at a
 * learning rate well above the largest one plain SGD tolerates. Seeded synthetic regression,
 * full-batch SGD, written out with tf.variableGrads; cpu only (it is about the optimization, not
 * the backend).
 */

const N = 256;
const D = 8;
const H = 32;

beforeAll(async () => {
  await useBackend('cpu');
});

function data(): { x: tf.Tensor; y: tf.Tensor } {
  const rng = new Rng(2019);
  // Features of very different scales (1 … 8), a smooth nonlinear target.
  const raw = rng.normalArray(N * D);
  const x = Float32Array.from(raw, (v, i) => v * (1 + (i % D)));
  const y = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let d = 0; d < D; d++)
      s += Math.sin((x[n * D + d] as number) / (1 + d)) * (d % 2 ? 1 : -1);
    y[n] = s;
  }
  return { x: tf.tensor2d(x, [N, D]), y: tf.tensor2d(y, [N, 1]) };
}

/** Losses of `steps` full-batch SGD steps on a 3-layer ReLU MLP, with or without batch norm. */
async function train(useBn: boolean, lr: number, steps: number): Promise<number[]> {
  const { x, y } = data();
  const rng = new Rng(7);
  const sizes = [D, H, H, 1];
  const vars: tf.Variable[] = [];
  const w: tf.Variable[] = [];
  const b: tf.Variable[] = [];
  const gamma: tf.Variable[] = [];
  const beta: tf.Variable[] = [];
  for (let l = 0; l < 3; l++) {
    const fanIn = sizes[l] as number;
    const fanOut = sizes[l + 1] as number;
    w.push(tf.variable(rng.normal([fanIn, fanOut], 0, Math.sqrt(2 / fanIn))));
    b.push(tf.variable(tf.zeros([fanOut])));
    if (l < 2) {
      gamma.push(tf.variable(tf.ones([fanOut])));
      beta.push(tf.variable(tf.zeros([fanOut])));
    }
  }
  vars.push(...w, ...b, ...(useBn ? [...gamma, ...beta] : []));
  let states: BatchNormState[] = [batchNormState(H), batchNormState(H)];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const next: BatchNormState[] = [];
    const { value, grads } = tf.variableGrads(() => {
      let h = x;
      for (let l = 0; l < 3; l++) {
        let z = tf.add(tf.matMul(h, w[l] as tf.Tensor), b[l] as tf.Tensor);
        if (l < 2) {
          if (useBn) {
            const out = batchNorm(
              z,
              { gamma: gamma[l], beta: beta[l] },
              states[l] as BatchNormState,
              {
                training: true,
              },
            );
            next.push(keepState(out.state));
            z = out.y;
          }
          h = tf.relu(z);
        } else {
          h = z;
        }
      }
      return tf.losses.meanSquaredError(y, h) as tf.Scalar;
    }, vars);
    losses.push((await value.data())[0] as number);
    tf.tidy(() => {
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name] as tf.Tensor, lr)));
    });
    tf.dispose([value, ...Object.values(grads)]);
    if (useBn) {
      for (const s of states) disposeState(s);
      states = next;
    }
  }
  for (const s of states) disposeState(s);
  tf.dispose([x, y, ...w, ...b, ...gamma, ...beta]);
  return losses;
}

const LR0 = 0.001;
const STEPS = 150;

it('a batch-norm MLP trains stably at 10× the learning rate that plain SGD tolerates (seeded)', async () => {
  const summary = (l: number[]) => ({
    first: l[0] as number,
    last: l[l.length - 1] as number,
    max: Math.max(...l),
    finite: l.every(Number.isFinite),
  });
  const plainLow = summary(await train(false, LR0, STEPS));
  const plainHigh = summary(await train(false, 10 * LR0, STEPS));
  const bnHigh = summary(await train(true, 10 * LR0, STEPS));
  // Plain SGD at lr0: never above its initial loss, and down by more than 10×.
  expect(plainLow.finite).toBe(true);
  expect(plainLow.max).toBeLessThanOrEqual(plainLow.first);
  expect(plainLow.last).toBeLessThan(0.1 * plainLow.first);
  // Plain SGD at 10·lr0: blows up (loss > 10× its initial value at some step) and ends worse than at lr0.
  expect(!plainHigh.finite || plainHigh.max > 10 * plainHigh.first).toBe(true);
  expect(!(plainHigh.last <= plainLow.last)).toBe(true);
  // Batch norm at 10·lr0: never above its initial loss, and ends below plain SGD at either rate.
  expect(bnHigh.finite).toBe(true);
  expect(bnHigh.max).toBeLessThanOrEqual(bnHigh.first);
  expect(bnHigh.last).toBeLessThan(0.15 * bnHigh.first);
  expect(bnHigh.last).toBeLessThan(0.5 * plainLow.last);
});
