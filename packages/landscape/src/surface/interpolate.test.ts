import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lossValue } from '../loss/loss-fn';
import { interpolate } from './interpolate';
import { halfSquaredDistance } from './test-support/tiny-problem';

const A = [0.5, -1, 2, 0.25, 0, 3];
const B = [-1.5, 0.5, 1, 2, -0.75, 1];
const C = [0.2, 0.1, -0.3, 0.4, 0.5, -0.6];

/** The same 6 numbers as { w: [2, 2], b: [2] }. */
function split(values: readonly number[]): Params {
  return { w: tf.tensor2d(values.slice(0, 4), [2, 2]), b: tf.tensor1d(values.slice(4)) };
}

/** ½‖(1 − α)a + αb − c‖² in float64. */
function pathLoss(alpha: number): number {
  return (
    0.5 *
    A.reduce(
      (s, a, i) => s + ((1 - alpha) * a + alpha * (B[i] as number) - (C[i] as number)) ** 2,
      0,
    )
  );
}

function dispose(...maps: Params[]): void {
  for (const m of maps) tf.dispose(Object.values(m));
}

forEachBackend('interpolate', () => {
  it('matches ½‖θ(α) − c‖² along the path, beyond both ends too (rtol 1e-5)', async () => {
    const [a, b, c] = [split(A), split(B), split(C)];
    const loss = halfSquaredDistance(c);
    const result = await expectNoLeaks(() =>
      interpolate(loss, a, b, { range: [-0.5, 1.5], points: 9 }),
    );
    expect(result.alphas).toEqual([-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    await expectClose(result.values, result.alphas.map(pathLoss), { rtol: 1e-5, atol: 0 });
    const [la, lb] = [await lossValue('test', loss, a), await lossValue('test', loss, b)];
    expect(result.endpoints).toEqual([la, lb]);
    expect(result.values[2]).toBe(la);
    expect(result.values[6]).toBe(lb);
    // a convex path peaks at an end: the barrier is |L(a) − L(b)| / 2
    expect(result.barrier).toBeCloseTo(Math.abs(la - lb) / 2, 6);
    dispose(a, b, c);
  });

  it('measures the barrier max_α L(α) − mean(L(a), L(b)) of a path over a ridge', async () => {
    // L = ½(‖θ‖² − 1)²: zero at a = (1, 0) and b = (−1, 0), ½ at the midpoint (0, 0)
    const a = { w: tf.tensor1d([1, 0]) };
    const b = { w: tf.tensor1d([-1, 0]) };
    const ring = (p: Params) =>
      tf.mul(0.5, tf.square(tf.sub(tf.sum(tf.square(p.w as tf.Tensor)), 1)));
    const result = await interpolate(ring, a, b, { points: 5 });
    await expectClose(result.values, [0, 0.28125, 0.5, 0.28125, 0], { rtol: 1e-6, atol: 1e-7 });
    expect(result.barrier).toBeCloseTo(0.5, 6);
    dispose(a, b);
  });

  it('evaluates both endpoints when the grid misses them', async () => {
    const [a, b, c] = [split(A), split(B), split(C)];
    const calls: [number, number][] = [];
    const result = await expectNoLeaks(() =>
      interpolate(halfSquaredDistance(c), a, b, {
        range: [0.2, 0.8],
        points: 4,
        onPoint: (done, total) => calls.push([done, total]),
      }),
    );
    expect(result.values).toHaveLength(4);
    await expectClose(result.endpoints, [pathLoss(0), pathLoss(1)], { rtol: 1e-5, atol: 0 });
    const peak = Math.max(pathLoss(0), pathLoss(1), ...result.alphas.map(pathLoss));
    expect(result.barrier).toBeCloseTo(peak - (pathLoss(0) + pathLoss(1)) / 2, 5);
    expect(calls).toEqual([
      [1, 6],
      [6, 6],
    ]);
    dispose(a, b, c);
  });

  it('returns every metric of an async evaluation, and the barrier of its loss', async () => {
    const [a, b, c] = [split(A), split(B), split(C)];
    const loss = halfSquaredDistance(c);
    const evaluate = async (p: Params) => {
      const l = tf.tidy(() => loss(p));
      const n = tf.sum(p.b as tf.Tensor);
      const [lv, nv] = [(await l.data())[0] as number, (await n.data())[0] as number];
      tf.dispose([l, n]);
      return { loss: lv, sumB: nv };
    };
    const result = await expectNoLeaks(() => interpolate(evaluate, a, b, { points: 5 }));
    expect(Object.keys(result.values)).toEqual(['loss', 'sumB']);
    await expectClose(result.values.loss as number[], result.alphas.map(pathLoss), {
      rtol: 1e-5,
      atol: 0,
    });
    await expectClose(
      result.values.sumB as number[],
      result.alphas.map((t) => (1 - t) * (A[4]! + A[5]!) + t * (B[4]! + B[5]!)),
      { rtol: 1e-6, atol: 1e-6 },
    );
    expect(result.endpoints[0].loss).toBe(await lossValue('test', loss, a));
    expect(result.endpoints[1].loss).toBe(await lossValue('test', loss, b));
    expect(result.barrier).toBeCloseTo(Math.abs(pathLoss(0) - pathLoss(1)) / 2, 5);
    dispose(a, b, c);
  });

  it('takes a synchronous evaluation too; no loss metric, no barrier', async () => {
    const [a, b] = [split(A), split(B)];
    const result = await expectNoLeaks(() =>
      interpolate((p: Params) => ({ first: (p.w as tf.Tensor).dataSync()[0] as number }), a, b, {
        points: 3,
      }),
    );
    expect(result.values.first).toEqual([0.5, -0.5, -1.5]);
    expect(result.barrier).toBeUndefined();
    dispose(a, b);
  });

  it('leaves what an async evaluation made before its first await alive for it', async () => {
    const [a, b] = [split(A), split(B)];
    const evaluate = async (p: Params) => {
      const total = tf.sum(p.w as tf.Tensor);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const value = (await total.data())[0] as number;
      total.dispose();
      return { total: value };
    };
    const result = await expectNoLeaks(() => interpolate(evaluate, a, b, { points: 2 }));
    await expectClose(result.values.total as number[], [1.75, 2], { rtol: 1e-6, atol: 0 });
    dispose(a, b);
  });
});
