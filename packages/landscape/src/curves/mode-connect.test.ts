import * as tf from '@tensorflow/tfjs-core';
import {
  type Model,
  type Params,
  Rng,
  disposeParams,
  inferParamInfo,
  softmaxCrossEntropy,
} from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { batches as dataBatches } from '@descent/data';
import { mlp } from '@descent/nets';
import { sgd } from '@descent/optim';
import { expect, it } from 'vitest';
import type { CurveBatch } from './batch-source';
import type { Curve } from './curve';
import { curveWeights } from './curve-weights';
import { type ModeConnectOptions, modeConnect } from './mode-connect';

/**
 * Two minima of the ring valley `L(θ) = (‖θ‖² − 1)²` in 2-D, 126.87° apart. The segment between
 * them dips to its midpoint `(0.2, 0.4)`, `‖θ‖² = 0.2`, loss `0.8² = 0.64`; a quadratic Bezier
 * curve can follow the ring closely once its bend moves outwards.
 */
const A = [1, 0];
const B = [-0.6, 0.8];
const LINEAR_BARRIER = 0.64;

function ringModel(): Model {
  return {
    params: { theta: tf.zeros([2]) },
    info: { theta: inferParamInfo('theta', [2]) },
    apply: (p) => tf.reshape(tf.sub(tf.sum(tf.square(p.theta as tf.Tensor)), 1), [1]),
  };
}

const ringLoss = (prediction: tf.Tensor) => tf.mean(tf.square(prediction));

function ring(theta: readonly number[]): number {
  return ((theta[0] as number) ** 2 + (theta[1] as number) ** 2 - 1) ** 2;
}

/** `(1 − t)²·a + 2t(1 − t)·p + t²·b`, float64. */
function bezier(p: readonly number[], t: number): number[] {
  return [0, 1].map(
    (k) =>
      (1 - t) ** 2 * (A[k] as number) +
      2 * t * (1 - t) * (p[k] as number) +
      t ** 2 * (B[k] as number),
  );
}

function maxRingLoss(p: readonly number[]): number {
  let max = 0;
  for (let k = 0; k <= 200; k++) max = Math.max(max, ring(bezier(p, k / 200)));
  return max;
}

/**
 * The training of {@link modeConnect} on the ring in float64: the same `t` sequence from
 * `new Rng(seed)`, `∂L/∂p = 2t(1 − t)·4(‖φ‖² − 1)·φ`, `v ← μv + g`, `p ← p − ηv`.
 */
function referenceBend(steps: number, seed: number, lr: number, momentum: number): number[] {
  const rng = new Rng(seed);
  let p = [(A[0]! + B[0]!) / 2, (A[1]! + B[1]!) / 2];
  let v = [0, 0];
  for (let s = 0; s < steps; s++) {
    const t = rng.float();
    const phi = bezier(p, t);
    const scale = 2 * t * (1 - t) * 4 * ((phi[0] as number) ** 2 + (phi[1] as number) ** 2 - 1);
    v = v.map((vk, k) => momentum * vk + scale * (phi[k] as number));
    p = p.map((pk, k) => pk - lr * (v[k] as number));
  }
  return p;
}

interface RingProblem {
  model: Model;
  a: { theta: tf.Tensor };
  b: { theta: tf.Tensor };
  batches: (n: number) => () => CurveBatch[];
  dispose(): void;
}

function ringProblem(): RingProblem {
  const model = ringModel();
  const a = { theta: tf.tensor1d(A) };
  const b = { theta: tf.tensor1d(B) };
  const x = tf.zeros([1, 1]);
  const y = tf.zeros([1]);
  return {
    model,
    a,
    b,
    batches: (n) => () => Array.from({ length: n }, () => ({ x, y })),
    dispose: () => tf.dispose([model.params.theta as tf.Tensor, a.theta, b.theta, x, y]),
  };
}

function entry(curve: Curve, point: number, key: string): tf.Tensor {
  return (curve.points[point] as Params)[key] as tf.Tensor;
}

async function bend(curve: Curve): Promise<number[]> {
  return Array.from(await entry(curve, 1, 'theta').data());
}

async function bytes(t: tf.Tensor): Promise<number[]> {
  const data = (await t.data()) as Float32Array;
  return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function ringOptions(problem: RingProblem, extra: Partial<ModeConnectOptions>): ModeConnectOptions {
  return {
    model: problem.model,
    a: problem.a,
    b: problem.b,
    batches: problem.batches(25),
    loss: ringLoss,
    ...extra,
  };
}

forEachBackend('modeConnect', () => {
  it('bends a quadratic Bezier curve around the ring: max loss 0.64 → below 0.64/20', async () => {
    const problem = ringProblem();
    const aBefore = await bytes(problem.a.theta);
    const bBefore = await bytes(problem.b.theta);
    const means: number[] = [];
    const variablesBefore = Object.keys(tf.engine().registeredVariables).length;
    const p = await expectNoLeaks(async () => {
      const optimizer = sgd({ learningRate: 0.03, momentum: 0.9 });
      const curve = await modeConnect(
        ringOptions(problem, {
          epochs: 4,
          optimizer,
          onEpoch: ({ meanLoss, steps }) => {
            expect(steps).toBe(25);
            means.push(meanLoss);
          },
        }),
      );
      expect(curve.bends).toBe(3);
      expect(curve.curve).toBe('bezier');
      const out = await bend(curve);
      curve.dispose();
      optimizer.dispose();
      return out;
    });
    // The segment's own maximum, then the trained curve's (float64, 201 points).
    expect(maxRingLoss([0.2, 0.4])).toBeCloseTo(LINEAR_BARRIER, 12);
    expect(maxRingLoss(p)).toBeLessThan(LINEAR_BARRIER / 20);
    expect(Math.hypot(p[0] as number, p[1] as number)).toBeGreaterThan(1.2);
    expect(means).toHaveLength(4);
    expect(means[3] as number).toBeLessThan((means[0] as number) / 3);
    expect(await bytes(problem.a.theta)).toEqual(aBefore);
    expect(await bytes(problem.b.theta)).toEqual(bBefore);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(variablesBefore);
    problem.dispose();
  });

  it('the default optimizer is momentum SGD (0.01, 0.9): equals the float64 training (1e-3) and tf.train.momentum', async () => {
    const problem = ringProblem();
    const steps = 50;
    const expected = referenceBend(steps, 0, 0.01, 0.9);
    const byDefault = await expectNoLeaks(async () => {
      const curve = await modeConnect(ringOptions(problem, { batches: problem.batches(steps) }));
      const out = await bend(curve);
      curve.dispose();
      return out;
    });
    await expectClose(byDefault, expected, { rtol: 1e-3, atol: 1e-5 });
    const momentum = tf.train.momentum(0.01, 0.9);
    const curve = await modeConnect(
      ringOptions(problem, { batches: problem.batches(steps), optimizer: momentum }),
    );
    await expectClose(await bend(curve), byDefault, { rtol: 1e-5, atol: 1e-7 });
    curve.dispose();
    momentum.dispose();
    problem.dispose();
  });

  it('the same rng gives the same curve, bit for bit; the endpoints are copies of a and b', async () => {
    const problem = ringProblem();
    const run = async () => {
      const curve = await modeConnect(
        ringOptions(problem, { batches: problem.batches(10), rng: new Rng(7) }),
      );
      const out = [
        await bytes(entry(curve, 0, 'theta')),
        await bytes(entry(curve, 1, 'theta')),
        await bytes(entry(curve, 2, 'theta')),
      ];
      curve.dispose();
      return out;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first[0]).toEqual(await bytes(problem.a.theta));
    expect(first[2]).toEqual(await bytes(problem.b.theta));
    problem.dispose();
  });

  it('a polychain with two interior points trains both towards the ring', async () => {
    const problem = ringProblem();
    const optimizer = sgd({ learningRate: 0.03, momentum: 0.9 });
    const trained = await modeConnect(
      ringOptions(problem, {
        curve: 'polychain',
        bends: 4,
        optimizer,
        batches: problem.batches(60),
      }),
    );
    expect(trained.points).toHaveLength(4);
    const p1 = Array.from(await entry(trained, 1, 'theta').data());
    const p2 = Array.from(await entry(trained, 2, 'theta').data());
    // Both bends leave the chord (whose points have ‖θ‖ < 1) towards the ring.
    expect(Math.hypot(p1[0] as number, p1[1] as number)).toBeGreaterThan(0.85);
    expect(Math.hypot(p2[0] as number, p2[1] as number)).toBeGreaterThan(0.85);
    trained.dispose();
    optimizer.dispose();
    problem.dispose();
  });

  it('trains a batch-norm MLP: statistics stay interpolated, endpoints untouched, nothing leaks', async () => {
    const netA = mlp({ sizes: [3, 4, 2], norm: 'batch', seed: 1 });
    const netB = mlp({ sizes: [3, 4, 2], norm: 'batch', seed: 2 });
    // Endpoints with distinct running statistics.
    const a: Params = { ...netA.params, 'dense1_bn/moving_mean': tf.fill([4], 0.5) };
    const b: Params = { ...netB.params, 'dense1_bn/moving_variance': tf.fill([4], 3) };
    const x = tf.tensor2d(
      Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7)),
      [8, 3],
    );
    const y = tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], 'int32');
    const aBytes = await Promise.all(Object.values(a).map((t) => bytes(t)));
    const firstStep: { t: number; loss: number }[] = [];
    const { bend: trained, kernel } = await expectNoLeaks(async () => {
      const optimizer = sgd({ learningRate: 0.5 });
      const curve = await modeConnect({
        model: netA,
        a,
        b,
        batches: () => [
          { x, y },
          { x, y },
        ],
        epochs: 2,
        optimizer,
        onStep: ({ t, loss, step, epoch }) => {
          if (step === 0 && epoch === 0) firstStep.push({ t, loss });
        },
      });
      const out = {
        bend: await Promise.all(
          ['dense1_bn/moving_mean', 'dense1_bn/moving_variance'].map(async (k) =>
            Array.from(await entry(curve, 1, k).data()),
          ),
        ),
        kernel: Array.from(await entry(curve, 1, 'dense1/kernel').data()),
      };
      curve.dispose();
      optimizer.dispose();
      return out;
    });
    expect(trained[0]).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(trained[1]).toEqual([2, 2, 2, 2]);
    const midpoint = tf.tidy(() =>
      tf.div(tf.add(a['dense1/kernel'] as tf.Tensor, b['dense1/kernel'] as tf.Tensor), 2),
    );
    const mid = Array.from(await midpoint.data());
    midpoint.dispose();
    expect(kernel.some((v, i) => Math.abs(v - (mid[i] as number)) > 1e-4)).toBe(true);
    expect(await Promise.all(Object.values(a).map((t) => bytes(t)))).toEqual(aBytes);
    // The first step's loss: the default mean softmax cross-entropy of θ(t) in training mode,
    // θ(t) = w₀·a + w₁·(a + b)/2 + w₂·b with t the first draw of new Rng(0).
    const { t, loss } = firstStep[0] as { t: number; loss: number };
    expect(t).toBe(new Rng(0).float());
    const w = curveWeights('bezier', t, 3);
    const expected = tf.tidy(() => {
      const theta: Params = {};
      for (const key of Object.keys(a)) {
        const ak = a[key] as tf.Tensor;
        const bk = b[key] as tf.Tensor;
        const mid = tf.div(tf.add(ak, bk), 2);
        theta[key] = tf.addN([tf.mul(ak, w[0]!), tf.mul(mid, w[1]!), tf.mul(bk, w[2]!)]);
      }
      return softmaxCrossEntropy(netA.apply(theta, x, { training: true }), y);
    });
    await expectClose(expected, [loss], { rtol: 1e-5 });
    expected.dispose();
    disposeParams(netA.params);
    disposeParams(netB.params);
    tf.dispose([
      a['dense1_bn/moving_mean'] as tf.Tensor,
      b['dense1_bn/moving_variance'] as tf.Tensor,
    ]);
    tf.dispose([x, y]);
  });

  it("reads @descent/data's batches, which own and free their tensors, epoch after epoch", async () => {
    const netA = mlp({ sizes: [2, 6, 3], seed: 1 });
    const netB = mlp({ sizes: [2, 6, 3], seed: 2 });
    const n = 10;
    const dataset = {
      x: Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 0.7)),
      xShape: [2],
      y: Int32Array.from({ length: n }, (_, i) => i % 3),
      yShape: [],
      n,
      numClasses: 3,
    };
    const loader = dataBatches(dataset, { batchSize: 4, shuffle: true, seed: 1 });
    const epochs: number[] = [];
    await expectNoLeaks(async () => {
      const curve = await modeConnect({
        model: netA,
        a: netA.params,
        b: netB.params,
        batches: () => loader,
        epochs: 3,
        onEpoch: ({ steps, meanLoss }) => {
          expect(Number.isFinite(meanLoss)).toBe(true);
          epochs.push(steps);
        },
      });
      curve.dispose();
    });
    expect(epochs).toEqual([3, 3, 3]);
    disposeParams(netA.params);
    disposeParams(netB.params);
  });
});
