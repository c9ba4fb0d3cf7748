import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { evaluateCurve } from './evaluate-curve';
import { linearPath } from './linear-path';
import { type Matrix, averagedMoments, matrix } from './test-support/batch-norm-reference';

const A = [1, 0];
const B = [-0.6, 0.8];

function endpoints() {
  return { a: { theta: tf.tensor1d(A) }, b: { theta: tf.tensor1d(B) } };
}

function segment(t: number): number[] {
  return [0, 1].map((k) => (1 - t) * (A[k] as number) + t * (B[k] as number));
}

const ringLoss = (p: Params) =>
  tf.square(tf.sub(tf.sum(tf.square(p.theta as tf.Tensor)), 1)) as tf.Scalar;

forEachBackend('evaluateCurve', () => {
  it('evaluates a LossFn at evenly spaced t: the ring loss along the segment, barrier 0.64', async () => {
    const { a, b } = endpoints();
    const line = linearPath(a, b);
    const result = await expectNoLeaks(() =>
      evaluateCurve(line, { loss: ringLoss }, { points: 5 }),
    );
    expect(result.ts).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const expected = result.ts.map((t) => {
      const [x, y] = segment(t) as [number, number];
      return (x * x + y * y - 1) ** 2;
    });
    await expectClose(result.values.loss as number[], expected, { rtol: 1e-5, atol: 1e-6 });
    // (1 − ‖(0.2, 0.4)‖²)² = 0.8², above endpoints of loss 0.
    expect(result.barrier).toBeCloseTo(0.64, 5);
    line.dispose();
    tf.dispose([a.theta, b.theta]);
  });

  it("the barrier is the maximum minus the endpoints' mean (Frankle et al.), on the loss metric", async () => {
    const { a, b } = endpoints();
    const line = linearPath(a, b);
    // loss = (θ₀ − 2)²: 1 at t = 0, 6.76 at t = 1, increasing in t; a second metric rides along.
    const metrics = async (p: Params) => {
      const theta = await (p.theta as tf.Tensor).data();
      return { loss: ((theta[0] as number) - 2) ** 2, second: theta[1] as number };
    };
    const result = await expectNoLeaks(() => evaluateCurve(line, metrics));
    expect(result.ts).toHaveLength(21);
    expect(result.ts[20]).toBe(1);
    expect(result.values.loss).toHaveLength(21);
    await expectClose(
      result.values.second as number[],
      result.ts.map((t) => segment(t)[1] as number),
      { rtol: 1e-6, atol: 1e-7 },
    );
    expect(result.barrier).toBeCloseTo(6.76 - (1 + 6.76) / 2, 5);
    const noLoss = await evaluateCurve(line, async (p) => ({ norm: (await p.theta!.data())[0]! }), {
      points: 2,
    });
    expect(noLoss.barrier).toBeUndefined();
    expect(noLoss.values.norm).toEqual([1, Math.fround(-0.6)]);
    line.dispose();
    tf.dispose([a.theta, b.theta]);
  });

  it('recomputes batch-norm statistics of θ(t) at every t before evaluating (float64, 1e-4)', async () => {
    const sizes = [3, 4, 2];
    const netA = mlp({ sizes, norm: 'batch', seed: 1 });
    const netB = mlp({ sizes, norm: 'batch', seed: 2 });
    const inputs: Matrix[] = [0, 1].map((batch) =>
      matrix(
        4,
        3,
        Array.from({ length: 12 }, (_, i) => Math.fround(Math.cos(i * 0.9 + batch * 5) * 1.5)),
      ),
    );
    const batches = inputs.map((m) => ({
      x: tf.tensor2d(Array.from(m.data), [4, 3]),
      y: tf.zeros([4], 'int32'),
    }));
    const line = linearPath(netA.params, netB.params);
    const seen: { kernel: Matrix; mean: Float32Array; variance: Float32Array }[] = [];
    await expectNoLeaks(async () => {
      await evaluateCurve(
        line,
        async (p) => {
          seen.push({
            kernel: matrix(3, 4, await p['dense1/kernel']!.data()),
            mean: (await p['dense1_bn/moving_mean']!.data()) as Float32Array,
            variance: (await p['dense1_bn/moving_variance']!.data()) as Float32Array,
          });
          return { loss: 0 };
        },
        { points: 3, recomputeStats: { model: netA, batches: () => batches } },
      );
    });
    expect(seen).toHaveLength(3);
    for (const { kernel, mean, variance } of seen) {
      const [moments] = averagedMoments(inputs, [kernel, matrix(4, 2, new Float64Array(8))]);
      await expectClose(mean, moments?.mean as number[], { rtol: 1e-4, atol: 1e-5 });
      await expectClose(variance, moments?.variance as number[], { rtol: 1e-4, atol: 1e-5 });
    }
    line.dispose();
    for (const b of batches) tf.dispose([b.x, b.y]);
    disposeParams(netA.params);
    disposeParams(netB.params);
  });
});
