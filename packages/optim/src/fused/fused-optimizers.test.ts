import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectDescentError, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { adagrad } from '../optimizers/adagrad';
import { adam } from '../optimizers/adam';
import { adamax } from '../optimizers/adamax';
import { lamb } from '../optimizers/lamb';
import { lars } from '../optimizers/lars';
import { lion } from '../optimizers/lion';
import { nadam } from '../optimizers/nadam';
import { radam } from '../optimizers/radam';
import { rmsprop } from '../optimizers/rmsprop';
import { sgd } from '../optimizers/sgd';
import {
  composable,
  expectFusedParity,
  FUSED_PATH,
  halving,
  parityMasks,
  parityVariables,
} from '../test-support/fused-parity';

type Make = (vars: tf.Variable[]) => tf.Optimizer;

/** Every fused rule, with non-default hyperparameters, each held to its own chain. */
const CASES: [string, Make][] = [
  [
    'adagrad (lr decay, initial accumulator, L2, schedule)',
    () =>
      adagrad({
        learningRate: halving,
        lrDecay: 0.01,
        initialAccumulatorValue: 0.1,
        weightDecay: 0.01,
      }),
  ],
  ['rmsprop', () => rmsprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-6 })],
  [
    'rmsprop (centered, momentum schedule, L2)',
    () =>
      rmsprop({
        learningRate: 0.005,
        centered: true,
        momentum: Object.assign((t: number) => Math.min(0.9, 0.1 * t), {
          config: { type: 'test.ramp' },
        }),
        weightDecay: 0.02,
      }),
  ],
  ['rmsprop (momentum)', () => rmsprop({ learningRate: 0.005, momentum: 0.8 })],
  ['adamax (L2)', () => adamax({ learningRate: 0.01, beta1: 0.8, beta2: 0.99, weightDecay: 0.05 })],
  ['nadam (L2)', () => nadam({ learningRate: 0.01, momentumDecay: 0.01, weightDecay: 0.05 })],
  [
    'nadam (decoupled decay)',
    () => nadam({ learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true }),
  ],
  ['radam (both regimes of ρₜ)', () => radam({ learningRate: 0.01, beta2: 0.99 })],
  [
    'radam (decoupled decay)',
    () => radam({ learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true }),
  ],
  ['lion (decoupled decay)', () => lion({ learningRate: 1e-3, beta1: 0.85, weightDecay: 0.5 })],
  [
    'lamb (decay mask)',
    () =>
      lamb({
        learningRate: 0.01,
        weightDecay: 0.1,
        weightDecayMask: (_name, p) => p.rank > 1,
      }),
  ],
  [
    'lars (nesterov, decay and trust-ratio masks)',
    () =>
      lars({
        learningRate: 0.1,
        momentum: 0.9,
        nesterov: true,
        weightDecay: 0.01,
        weightDecayMask: (_name, p) => p.rank > 1,
        trustRatioMask: (_name, p) => p.rank !== 0,
        eps: 1e-8,
      }),
  ],
  ['lars (no momentum)', () => lars({ learningRate: 0.1, momentum: 0 })],
  [
    'adam with global-norm clipping and pruning masks',
    (vars) => adam({ learningRate: 0.01, globalClipNorm: 5, masks: maskFor(vars) }),
  ],
  [
    'sgd (momentum) with pruning masks',
    (vars) => sgd({ learningRate: 0.01, momentum: 0.9, masks: maskFor(vars) }),
  ],
  ['rmsprop with global-norm clipping', () => rmsprop({ learningRate: 0.01, globalClipNorm: 2 })],
  [
    'lamb with global-norm clipping and pruning masks',
    (vars) => lamb({ learningRate: 0.01, globalClipNorm: 3, masks: maskFor(vars) }),
  ],
  [
    'lars with pruning masks',
    (vars) => lars({ learningRate: 0.1, masks: maskFor(vars), globalClipNorm: 4 }),
  ],
];

/** Masks made for a case are disposed after it (the optimizers hold their own copies). */
const madeMasks: tf.Tensor[] = [];
function maskFor(vars: tf.Variable[]) {
  const masks = parityMasks(vars);
  madeMasks.push(...Object.values(masks));
  return masks;
}

/** tfjs kernels a fused step may still run: the norms of LAMB/LARS and of global-norm clipping. */
const NORM_KERNELS = new Set([
  'Square',
  'Sum',
  'Sqrt',
  'Pack',
  'Less',
  'Select',
  'RealDiv',
  'Identity',
]);

forEachBackend('fused optimizers', (backend) => {
  for (const [name, make] of CASES) {
    it(`${name}: equals its composable chain over 20 steps (rtol 1e-6)`, async () => {
      await expectFusedParity(make, (vars) => composable(make(vars)), {
        growHeapAt: backend === 'wasm' ? 9 : -1,
        gradScale: name.includes('clipping') ? 3 : 1,
      });
      tf.dispose(madeMasks.splice(0));
    });
  }

  it(`runs ${FUSED_PATH[backend]} kernels only (plus norms), allocating nothing per step`, async () => {
    for (const [name, make] of CASES) {
      const { vars } = parityVariables('profile', false);
      const opt = make(vars);
      const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      opt.applyGradients(grads);
      const before = tf.memory().numTensors;
      const profile = await tf.profile(() => opt.applyGradients(grads));
      expect(tf.memory().numTensors).toBe(before);
      const names = profile.kernels.map((k) => k.name);
      if (backend === 'cpu') expect(names.length).toBeGreaterThan(10);
      else expect([name, names.filter((n) => !NORM_KERNELS.has(n))]).toEqual([name, []]);
      tf.dispose(grads.map((g) => g.tensor));
      opt.dispose();
      tf.dispose([...vars, ...madeMasks.splice(0)]);
    }
  });

  it('keeps pruned weights exactly where they are, on the fused path', async () => {
    const { vars } = parityVariables('pruned', false);
    const masks = parityMasks(vars);
    const before = await Promise.all(vars.map((v) => v.data()));
    const opt = adam({ learningRate: 0.05, weightDecay: 0.1, masks });
    for (let step = 0; step < 3; step++) {
      const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    }
    for (const [k, v] of vars.entries()) {
      const mask = await (masks[v.name] as tf.Tensor).data();
      const now = await v.data();
      const kept = Array.from(now).filter((_, i) => mask[i] === 0);
      const was = Array.from(before[k] as Float32Array).filter((_, i) => mask[i] === 0);
      expect(kept).toEqual(was);
      expect(
        Array.from(now).some((x, i) => mask[i] === 1 && x !== (before[k] as Float32Array)[i]),
      ).toBe(true);
    }
    expect(opt.getConfig()).not.toHaveProperty('masks');
    opt.dispose();
    tf.dispose([...vars, ...Object.values(masks)]);
  });

  it('rejects a mask of the wrong shape before changing anything (SHAPE_MISMATCH)', async () => {
    const { vars } = parityVariables('badMask', false);
    const masks = { [vars[0]!.name]: tf.ones([2, 2]) };
    const opt = lamb({ learningRate: 0.01, masks });
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    const before = await Promise.all(vars.map((v) => v.data()));
    expectDescentError(() => opt.applyGradients(grads), 'SHAPE_MISMATCH', 'masks[', '[2, 2]');
    for (const [k, v] of vars.entries())
      await expectClose(v, before[k] as Float32Array, { rtol: 0, atol: 0 });
    tf.dispose(grads.map((g) => g.tensor));
    opt.dispose();
    tf.dispose([...vars, ...Object.values(masks)]);
  });

  it('rejects bad preprocessing options at construction', () => {
    expectDescentError(() => adam({ globalClipNorm: 0 }), 'BAD_HYPERPARAM', 'globalClipNorm');
    expectDescentError(() => sgd({ globalClipNorm: Number.NaN }), 'NON_FINITE', 'globalClipNorm');
    expectDescentError(() => adam({ masks: { w: 3 as never } }), 'BAD_ARGUMENT', 'masks["w"]');
  });
});
