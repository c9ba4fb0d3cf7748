import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '@descent/core';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { sgd } from '../optimizers/sgd';
import { fromTransform } from '../optimizers/transform-optimizer';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { sgdKernel, sgdMomentumKernel } from './sgd-kernels';

const SHAPES = [[3, 5], [7], [], [2, 65], [1000]];
const FUSED = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;
const values = (n: number, phase: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 1.5);
const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function makeVariables(tag: string) {
  return SHAPES.map((shape, k) => {
    const source = tf.tensor(values(sizeOf(shape), k), shape);
    const v = tf.variable(source, true, `${tag}${k}${uniqueSuffix()}`);
    source.dispose();
    return v;
  });
}

/** Runs the named optimizer and its chain spelling for 20 steps on equal variables and gradients. */
async function expectParity(makeFused: () => tf.Optimizer, makeChain: () => tf.Optimizer) {
  const a = makeVariables('sgdFused');
  const b = makeVariables('sgdChain');
  const fused = makeFused();
  const composable = makeChain();
  for (let step = 0; step < 20; step++) {
    const grads = SHAPES.map((shape, k) => tf.tensor(values(sizeOf(shape), k + step * 0.3), shape));
    fused.applyGradients(a.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })));
    composable.applyGradients(b.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })));
    tf.dispose(grads);
  }
  for (let k = 0; k < SHAPES.length; k++) {
    await expectClose(a[k] as tf.Tensor, b[k] as tf.Tensor, { rtol: 1e-6, atol: 1e-7 });
  }
  fused.dispose();
  composable.dispose();
  tf.dispose([...a, ...b]);
}

const rising: Schedule = Object.assign((step: number) => Math.min(0.9, 0.5 + 0.05 * step), {
  config: { type: 'test.rising' },
});

forEachBackend('fused SGD', (backend) => {
  it(`takes the ${FUSED[backend]} path`, () => {
    expect(sgdKernel.pathOnActiveBackend()).toBe(FUSED[backend]);
    expect(sgdMomentumKernel.pathOnActiveBackend()).toBe(FUSED[backend]);
  });

  it('equals the chain over 20 steps: plain SGD with L2 (rtol 1e-6)', async () => {
    await expectParity(
      () => sgd({ learningRate: 0.05, weightDecay: 0.01 }),
      () =>
        fromTransform(
          chain(addL2Gradient(0.01), scaleByMomentum({ momentum: 0 }), scaleByLearningRate(0.05)),
        ),
    );
  });

  it('equals the chain over 20 steps: heavy ball with dampening', async () => {
    await expectParity(
      () => sgd({ learningRate: 0.02, momentum: 0.8, dampening: 0.3 }),
      () =>
        fromTransform(
          chain(scaleByMomentum({ momentum: 0.8, dampening: 0.3 }), scaleByLearningRate(0.02)),
        ),
    );
  });

  it('equals the chain over 20 steps: Nesterov with a momentum schedule and L2', async () => {
    await expectParity(
      () => sgd({ learningRate: 0.02, momentum: rising, nesterov: true, weightDecay: 0.05 }),
      () =>
        fromTransform(
          chain(
            addL2Gradient(0.05),
            scaleByMomentum({ momentum: rising, nesterov: true }),
            scaleByLearningRate(0.02),
          ),
        ),
    );
  });

  it('runs no tfjs kernel per step on the fused backends', async () => {
    const vars = makeVariables('sgdProfile');
    const opt = sgd({ learningRate: 0.01, momentum: 0.9, nesterov: true });
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    opt.applyGradients(grads);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => opt.applyGradients(grads));
    expect(tf.memory().numTensors).toBe(before);
    if (backend === 'cpu') expect(profile.kernels.length).toBeGreaterThan(10);
    else expect(profile.kernels).toEqual([]);
    tf.dispose(grads.map((g) => g.tensor));
    opt.dispose();
    tf.dispose(vars);
  });
});
