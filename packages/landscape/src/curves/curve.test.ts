import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams } from '@descent/core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { expect, it } from 'vitest';
import { ownedCurve } from './curve';
import { curveWeights } from './curve-weights';
import { linearPath } from './linear-path';

const A = { w: [1, -0, 2.5, -3], b: [0.125] };
const B = { w: [-1, 4, 0.5, 7], b: [-2] };
const P = { w: [3, 3, -1, 0], b: [1] };

function point(values: { w: number[]; b: number[] }): Params {
  return { w: tf.tensor2d(values.w, [2, 2]), b: tf.tensor1d(values.b) };
}

async function bytes(t: tf.Tensor): Promise<number[]> {
  const data = (await t.data()) as Float32Array;
  return Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

forEachBackend('curves: Curve and linearPath', () => {
  it('linearPath gives the endpoints bit for bit (−0 included) and (1 − t)·a + t·b between', async () => {
    const a = point(A);
    const b = point(B);
    await expectNoLeaks(async () => {
      const line = linearPath(a, b);
      expect(line.bends).toBe(2);
      expect(line.curve).toBe('polychain');
      const start = line.at(0);
      const end = line.at(1);
      expect(await bytes(start.w as tf.Tensor)).toEqual(await bytes(a.w as tf.Tensor));
      expect(await bytes(start.b as tf.Tensor)).toEqual(await bytes(a.b as tf.Tensor));
      expect(await bytes(end.w as tf.Tensor)).toEqual(await bytes(b.w as tf.Tensor));
      expect(await bytes(end.b as tf.Tensor)).toEqual(await bytes(b.b as tf.Tensor));
      const mid = line.at(0.3);
      await expectClose(
        mid.w as tf.Tensor,
        A.w.map((x, i) => 0.7 * x + 0.3 * (B.w[i] as number)),
        { rtol: 1e-6, atol: 1e-6 },
      );
      await expectClose(mid.b as tf.Tensor, [0.7 * 0.125 + 0.3 * -2], { rtol: 1e-6 });
      for (const p of [start, end, mid]) disposeParams(p);
      line.dispose();
    });
    disposeParams(a);
    disposeParams(b);
  });

  it('linearPath holds copies: disposing a and b leaves the curve intact', async () => {
    const a = point(A);
    const b = point(B);
    const line = linearPath(a, b);
    disposeParams(a);
    disposeParams(b);
    const half = line.at(0.5);
    await expectClose(half.b as tf.Tensor, [(0.125 - 2) / 2], { rtol: 1e-6 });
    disposeParams(half);
    line.dispose();
  });

  it('a three-point Bezier curve is Σ wᵢ(t)·pᵢ (float64 reference, relative 1e-6)', async () => {
    const points = [point(A), point(P), point(B)];
    const curve = ownedCurve('bezier', points);
    for (const t of [0, 0.2, 0.5, 0.9, 1]) {
      const w = curveWeights('bezier', t, 3);
      const expected = A.w.map(
        (x, i) =>
          (w[0] as number) * x +
          (w[1] as number) * (P.w[i] as number) +
          (w[2] as number) * (B.w[i] as number),
      );
      const at = curve.at(t);
      await expectClose(at.w as tf.Tensor, expected, { rtol: 1e-6, atol: 1e-6 });
      disposeParams(at);
    }
    curve.dispose();
  });

  it('dispose frees every point, is idempotent, and at() then refuses', async () => {
    const a = point(A);
    const b = point(B);
    const before = tf.memory().numTensors;
    const line = linearPath(a, b);
    expect(tf.memory().numTensors - before).toBe(4);
    line.dispose();
    line.dispose();
    expect(line.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expectDescentError(() => line.at(0.5), 'DISPOSED', 'curve.at');
    disposeParams(a);
    disposeParams(b);
  });
});
