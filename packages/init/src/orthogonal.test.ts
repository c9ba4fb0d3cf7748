import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { deltaOrthogonal } from './delta-orthogonal';
import { orthogonal } from './orthogonal';
import { orthogonalityError } from './test-support/stats';

/** ‖QᵀQ − I‖ (max entry, float64 from the float32 values) of a tensor viewed as [rows, cols]. */
async function error(t: tf.Tensor, gain = 1): Promise<number> {
  const cols = t.shape[t.shape.length - 1]!;
  const rows = t.size / cols;
  const data = await t.data();
  return orthogonalityError(data, rows, cols, rows >= cols ? 'columns' : 'rows', gain * gain);
}

forEachBackend('orthogonal', () => {
  const shapes: [string, number[]][] = [
    ['square [48, 48]', [48, 48]],
    ['tall [96, 24]', [96, 24]],
    ['wide [16, 80]', [16, 80]],
    ['conv [3, 3, 8, 16] → [72, 16]', [3, 3, 8, 16]],
    ['wide conv [1, 1, 8, 32] → [8, 32]', [1, 1, 8, 32]],
  ];
  for (const [name, shape] of shapes) {
    it(`${name}: ‖QᵀQ − I‖ (or ‖QQᵀ − I‖ when wide) < 1e-5 in float32`, async () => {
      await expectNoLeaks(async () => {
        const q = orthogonal(shape, { seed: 7 });
        expect(q.shape).toEqual(shape);
        expect(await error(q)).toBeLessThan(1e-5);
        q.dispose();
      });
    });
  }

  it('gain √2 gives WᵀW = 2I', async () => {
    const q = orthogonal([32, 32], { gain: Math.SQRT2, seed: 1 });
    expect(await error(q, Math.SQRT2)).toBeLessThan(1e-5);
    q.dispose();
  });
});

forEachBackend(
  'orthogonal on large shapes',
  () => {
    it('[256, 256], [512, 128] and [3, 3, 64, 128]: max |QᵀQ − I| < 1e-5', async () => {
      for (const shape of [
        [256, 256],
        [512, 128],
        [3, 3, 64, 128],
      ]) {
        const q = orthogonal(shape, { seed: 3 });
        expect(await error(q)).toBeLessThan(1e-5);
        q.dispose();
      }
    });

    it('is Haar-like: the entries of a 200×200 orthogonal matrix have mean 0 and variance 1/200', async () => {
      const q = orthogonal([200, 200], { seed: 5 });
      const d = await q.data();
      q.dispose();
      let s = 0;
      let s2 = 0;
      for (const v of d) {
        s += v;
        s2 += v * v;
      }
      expect(Math.abs(s / d.length)).toBeLessThan(5 * Math.sqrt(1 / 200 / d.length));
      expect(s2 / d.length).toBeCloseTo(1 / 200, 7); // exact: each column has unit norm
    });

    it('rejects rank < 2, bad gain, layout mismatch', () => {
      expectDescentError(() => orthogonal([5], { seed: 0 }), 'SHAPE_MISMATCH', 'rank ≥ 2', '[5]');
      expectDescentError(() => orthogonal([5, 5], { seed: 0, gain: 0 }), 'BAD_HYPERPARAM', 'gain');
      expectDescentError(
        () => orthogonal([5, 5], { seed: 0, layout: 'conv2d' }),
        'SHAPE_MISMATCH',
        "'conv2d'",
      );
      expectDescentError(() => orthogonal([5, 5]), 'BAD_ARGUMENT', 'orthogonal.rng');
    });
  },
  { backends: ['cpu'] },
);

forEachBackend('deltaOrthogonal', () => {
  it('[3, 3, 8, 16]: zero off-centre, centre [8, 16] with HHᵀ = I (< 1e-5)', async () => {
    await expectNoLeaks(async () => {
      const k = deltaOrthogonal([3, 3, 8, 16], { seed: 2 });
      const d = await k.data();
      k.dispose();
      const block = 8 * 16;
      const centre = (1 * 3 + 1) * block;
      for (let i = 0; i < d.length; i++) {
        if (i < centre || i >= centre + block) expect(d[i]).toBe(0);
      }
      expect(orthogonalityError(d.subarray(centre, centre + block), 8, 16, 'rows')).toBeLessThan(
        1e-5,
      );
    });
  });

  it('is an isometry per pixel: conv2d(x, k) preserves ‖x‖ (same padding, 5×5 kernel, gain 1)', async () => {
    await expectNoLeaks(async () => {
      const k = deltaOrthogonal([5, 5, 4, 6], { seed: 3 });
      const x = tf.randomNormal([2, 7, 7, 4], 0, 1, 'float32', 1);
      const y = tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same');
      const norms = tf.tidy(() => tf.stack([tf.norm(x), tf.norm(y)]));
      const [nx, ny] = Array.from(await norms.data()) as [number, number];
      expect(Math.abs(ny / nx - 1)).toBeLessThan(1e-5);
      tf.dispose([k, x, y, norms]);
    });
  });
});

describe('deltaOrthogonal errors', () => {
  it('rejects non-conv shapes and in > out', () => {
    expectDescentError(
      () => deltaOrthogonal([8, 8], { seed: 0 }),
      'SHAPE_MISMATCH',
      '[kh, kw, in, out]',
    );
    expectDescentError(
      () => deltaOrthogonal([3, 3, 16, 8], { seed: 0 }),
      'SHAPE_MISMATCH',
      'in = 16 > out = 8',
    );
    expectDescentError(
      () => deltaOrthogonal([3, 3, 8, 8], { seed: 0, layout: 'dense' }),
      'SHAPE_MISMATCH',
    );
  });
});
