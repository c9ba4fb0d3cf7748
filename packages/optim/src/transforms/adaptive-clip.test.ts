import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  expectNoLeaksOverSteps,
} from '../test-support/optimizer-harness';
import { adaptiveClip } from './adaptive-clip';
import { scaleByLearningRate } from './scale-by-learning-rate';

/**
 * optax's adaptive_grad_clip in float64 for a flat row-major tensor: `groups[i]` is the unit of
 * element i (all elements of one unit share a norm).
 */
function agc(
  g: Float64Array,
  p: Float64Array,
  unitOf: (i: number) => number,
  lambda: number,
  eps: number,
): Float64Array {
  const gSq = new Map<number, number>();
  const pSq = new Map<number, number>();
  for (let i = 0; i < g.length; i++) {
    const u = unitOf(i);
    gSq.set(u, (gSq.get(u) ?? 0) + (g[i] as number) ** 2);
    pSq.set(u, (pSq.get(u) ?? 0) + (p[i] as number) ** 2);
  }
  return Float64Array.from(g, (x, i) => {
    const u = unitOf(i);
    const gn = Math.sqrt(gSq.get(u) as number);
    const max = lambda * Math.max(Math.sqrt(pSq.get(u) as number), eps);
    return gn < max ? x : x * (max / Math.max(gn, 1e-6));
  });
}

/** SGD on AGC-clipped gradients over the harness' [3, 5] kernel, [5] bias and scalar. */
function agcSgdReference(lr: number, lambda: number, eps: number): ReferenceStep {
  const units = [(i: number) => i % 5, () => 0, () => 0]; // dense: column i % 5; vector, scalar: whole
  return (values, grads) => {
    values.forEach((theta, k) => {
      const clipped = agc(
        grads[k] as Float64Array,
        theta,
        units[k] as (i: number) => number,
        lambda,
        eps,
      );
      for (let i = 0; i < theta.length; i++) {
        theta[i] = (theta[i] as number) - lr * (clipped[i] as number);
      }
    });
  };
}

forEachBackend('adaptiveClip', () => {
  it('clips unit-wise: dense per output column, conv per filter, vectors whole (closed form)', async () => {
    await expectNoLeaks(async () => {
      const p = {
        dense: tf.tensor([
          [3, 0.001],
          [4, 0],
        ]), // column norms 5 and 0.001 (→ ε = 0.01)
        conv: tf.fill([1, 1, 2, 2], 1), // filter norms √2
        bias: tf.tensor([0.6, 0.8]), // norm 1
      };
      const g = {
        dense: tf.tensor([
          [1, 1],
          [1, 0],
        ]), // column norms √2 (< 0.5·5 = 2.5: kept) and 1 (> 0.5·0.01: clipped)
        conv: tf.tensor([3, 0.1, 4, 0.1], [1, 1, 2, 2]), // filter norms 5 (clipped to 0.5·√2) and 0.1414 (kept)
        bias: tf.tensor([3, 4]), // norm 5 → 0.5
      };
      const t = adaptiveClip(0.5, 0.01);
      const { updates } = runUpdate(t, g, t.init({}), p);
      await expectClose(updates.dense as tf.Tensor, [1, 0.005, 1, 0], { rtol: 1e-5 });
      const c = (0.5 * Math.SQRT2) / 5;
      await expectClose(updates.conv as tf.Tensor, [3 * c, 0.1, 4 * c, 0.1], { rtol: 1e-5 });
      await expectClose(updates.bias as tf.Tensor, [0.3, 0.4], { rtol: 1e-5 });
      tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(updates)]);
    });
  });

  it('matches optax adaptive_grad_clip + SGD in float64 over 6 steps (λ 0.4, ε 1e-2; rtol 1e-5)', async () => {
    await expectMatchesReference(
      () => fromTransform(chain(adaptiveClip(0.4, 1e-2), scaleByLearningRate(0.1))),
      agcSgdReference(0.1, 0.4, 1e-2),
    );
  });

  it('leaks nothing over 100 steps', async () => {
    await expectNoLeaksOverSteps(
      () => fromTransform(chain(adaptiveClip(0.1), scaleByLearningRate(0.01))),
      {
        steps: 100,
        initial: [
          [2, 4],
          [1, 3],
        ],
        name: 'agc',
        steadyState: false,
      },
    );
  });
});

it('adaptiveClip follows optax for shapes without ParamInfo, and ParamInfo layouts when given (cpu)', async () => {
  await tf.setBackend('cpu');
  // A [1, 2] kernel squeezes to rank 1: optax clips it as a whole (‖g‖ 5 → 0.5·‖p‖ = 0.5·√64.36).
  const p = { k: tf.tensor([[0.6, 8]]) };
  const g = { k: tf.tensor([[3, 4]]) };
  const whole = adaptiveClip(0.5);
  const a = runUpdate(whole, g, whole.init({}), p).updates;
  const s = (0.5 * Math.sqrt(64.36)) / 5;
  await expectClose(a.k as tf.Tensor, [3 * s, 4 * s], { rtol: 1e-5 });
  // As a dense layer, each column is a unit: 3 → 0.5·0.6 (clipped), 4 < 0.5·8 (kept).
  const dense = adaptiveClip(0.5, 1e-3, {
    info: { k: { role: 'weight', layer: '', layout: 'dense', fanIn: 1, fanOut: 2 } },
  });
  const b = runUpdate(dense, g, dense.init({}), p).updates;
  await expectClose(b.k as tf.Tensor, [0.3, 4], { rtol: 1e-5 });
  // Rank 3 reduces axis 0 only (optax's multi-head dense [in, heads, out]).
  const p3 = { h: tf.ones([2, 2, 1]) };
  const g3 = { h: tf.tensor([3, 0, 4, 0.1], [2, 2, 1]) }; // units (h, o): [3, 4] and [0, 0.1]
  const r3 = runUpdate(whole, g3, whole.init({}), p3).updates;
  const c = (0.5 * Math.SQRT2) / 5;
  await expectClose(r3.h as tf.Tensor, [3 * c, 0, 4 * c, 0.1], { rtol: 1e-5 });
  tf.dispose([...Object.values(p), ...Object.values(g), ...Object.values(a), ...Object.values(b)]);
  tf.dispose([...Object.values(p3), ...Object.values(g3), ...Object.values(r3)]);
});

it('adaptiveClip rejects bad hyperparameters, missing params and layouts that do not fit', async () => {
  await tf.setBackend('cpu');
  expect(() => adaptiveClip(0)).toThrow(expect.objectContaining({ code: 'BAD_HYPERPARAM' }));
  expect(() => adaptiveClip(0.1, -1)).toThrow(/eps/);
  expect(() => adaptiveClip(0.1, 1e-3, { info: { k: { role: 'weight' } as never } })).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
  const g = { k: tf.ones([2, 3]) };
  const t = adaptiveClip(0.1);
  expect(() => t.update(g, t.init({}))).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  const wrong = { k: tf.ones([3, 2]) };
  expect(() => t.update(g, t.init({}), wrong)).toThrow(
    expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
  );
  const conv = adaptiveClip(0.1, 1e-3, {
    info: { k: { role: 'weight', layer: '', layout: 'conv2d', fanIn: 2, fanOut: 3 } },
  });
  expect(() => conv.update(g, conv.init({}), g)).toThrow(/does not fit its layout 'conv2d'/);
  tf.dispose([...Object.values(g), ...Object.values(wrong)]);
});
