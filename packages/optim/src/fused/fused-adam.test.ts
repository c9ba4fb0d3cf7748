import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '@descent/core';
import { expect, it } from 'vitest';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { adam } from '../optimizers/adam';
import { adamw } from '../optimizers/adamw';
import { fromTransform } from '../optimizers/transform-optimizer';
import { chain } from '../transform/chain';
import { addL2Gradient } from '../transforms/add-l2-gradient';
import { addDecayedWeights } from '../transforms/add-decayed-weights';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { adamKernel } from './adam-kernels';

/** Shapes around the SIMD and vec4 widths, a scalar, and one larger tensor. */
const SHAPES = [[3, 5], [7], [], [2, 65], [1000]];
const FUSED = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;

const values = (n: number, phase: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 1.5);

/** Variables named uniquely; `shared` ones alias a tensor that stays alive (tf.variable(x)). */
function makeVariables(tag: string, shared: boolean) {
  const sources: tf.Tensor[] = [];
  const vars = SHAPES.map((shape, k) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const source = tf.tensor(values(size, k), shape);
    const v = tf.variable(source, true, `${tag}${k}${uniqueSuffix()}`);
    if (shared) sources.push(source);
    else source.dispose();
    return v;
  });
  return { vars, sources };
}

const halving: Schedule = Object.assign((step: number) => 0.02 * 0.5 ** Math.floor(step / 7), {
  config: { type: 'test.halving' },
});

/** Runs both optimizers for 20 steps on equal variables and equal gradients. */
async function expectParity(
  makeFused: () => tf.Optimizer,
  makeChain: () => tf.Optimizer,
  growHeapAt = -1,
) {
  const a = makeVariables('fused', true);
  const b = makeVariables('chain', false);
  const fused = makeFused();
  const composable = makeChain();
  const sourceValues = await Promise.all(a.sources.map((s) => s.data()));
  const keep: tf.Tensor[] = [];
  for (let step = 0; step < 20; step++) {
    if (step === growHeapAt) keep.push(tf.zeros([8 << 20])); // 32 MiB: the wasm heap grows mid-run
    const grads = SHAPES.map((shape, k) =>
      tf.tensor(
        values(
          shape.reduce((x, y) => x * y, 1),
          k + step * 0.3,
        ),
        shape,
      ),
    );
    fused.applyGradients(a.vars.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })));
    composable.applyGradients(
      b.vars.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })),
    );
    tf.dispose(grads);
  }
  for (let k = 0; k < SHAPES.length; k++) {
    await expectClose(a.vars[k] as tf.Tensor, b.vars[k] as tf.Tensor, { rtol: 1e-6, atol: 1e-7 });
    // The aliased source tensors were never written: the kernel copied before its first in-place step.
    await expectClose(a.sources[k] as tf.Tensor, sourceValues[k] as Float32Array, {
      rtol: 0,
      atol: 0,
    });
  }
  fused.dispose();
  composable.dispose();
  tf.dispose([...a.vars, ...a.sources, ...b.vars, ...keep]);
}

forEachBackend('fused Adam / AdamW', (backend) => {
  it(`takes the ${FUSED[backend]} path`, () => {
    expect(adamKernel.pathOnActiveBackend()).toBe(FUSED[backend]);
  });

  it('equals the composable chain over 20 steps: Adam with L2 and a learning-rate schedule (rtol 1e-6)', async () => {
    const o = { beta1: 0.8, beta2: 0.95, epsilon: 1e-6 };
    await expectParity(
      () => adam({ learningRate: halving, weightDecay: 0.05, ...o }),
      () => fromTransform(chain(addL2Gradient(0.05), scaleByAdam(o), scaleByLearningRate(halving))),
      backend === 'wasm' ? 10 : -1,
    );
  });

  it('equals the composable chain over 20 steps: AMSGrad', async () => {
    const o = { beta1: 0.7, beta2: 0.9, epsilon: 1e-8, amsgrad: true };
    await expectParity(
      () => adam({ learningRate: 0.01, ...o }),
      () => fromTransform(chain(scaleByAdam(o), scaleByLearningRate(0.01))),
    );
  });

  it('equals the composable chain over 20 steps: AdamW with a mask', async () => {
    const o = { beta1: 0.9, beta2: 0.99, epsilon: 1e-7 };
    const mask = (name: string, p: tf.Tensor) => p.rank > 1 && name.length > 0;
    await expectParity(
      () => adamw({ learningRate: 0.01, weightDecay: 0.1, weightDecayMask: mask, ...o }),
      () =>
        fromTransform(
          chain(scaleByAdam(o), addDecayedWeights(0.1, { mask }), scaleByLearningRate(0.01)),
        ),
    );
  });

  it('allocates nothing and runs no tfjs kernel per step once its state exists', async () => {
    const { vars } = makeVariables('alloc', false);
    const opt = adam({ learningRate: 0.01 });
    const step = () => {
      const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
      opt.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // The fused path runs no tfjs kernel at all (one descent kernel per variable); cpu runs the chain.
    const grads = vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) }));
    const profile = await tf.profile(() => opt.applyGradients(grads));
    tf.dispose(grads.map((g) => g.tensor));
    if (backend === 'cpu') expect(profile.kernels.length).toBeGreaterThan(10);
    else expect(profile.kernels).toEqual([]);
    opt.dispose();
    tf.dispose(vars);
  });
});
