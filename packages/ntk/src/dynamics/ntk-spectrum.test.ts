import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { ntkSpectrum } from './ntk-spectrum';

forEachBackend('ntkSpectrum', () => {
  it('gives [3, 1] and condition number 3 for [[2, 1], [1, 2]]', async () => {
    const k = tf.tensor2d([
      [2, 1],
      [1, 2],
    ]);
    const spectrum = await expectNoLeaks(() => ntkSpectrum(k));
    expect(spectrum.eigenvalues.length).toBe(2);
    expect(Math.abs(spectrum.eigenvalues[0]! - 3)).toBeLessThan(1e-12);
    expect(Math.abs(spectrum.eigenvalues[1]! - 1)).toBeLessThan(1e-12);
    expect(Math.abs(spectrum.conditionNumber - 3)).toBeLessThan(1e-12);
    k.dispose();
  });

  it('sorts descending (a + 2b cos(kπ/(n+1)) of a tridiagonal Toeplitz kernel)', async () => {
    const n = 6;
    const rows = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? 0.5 : 0)),
    );
    const k = tf.tensor2d(rows);
    const { eigenvalues, conditionNumber } = await ntkSpectrum(k);
    const expected = Array.from({ length: n }, (_, i) => 2 + Math.cos(((i + 1) * Math.PI) / 7));
    for (const [i, v] of expected.entries())
      expect(Math.abs(eigenvalues[i]! - v)).toBeLessThan(1e-6);
    expect(Math.abs(conditionNumber - expected[0]! / expected[n - 1]!)).toBeLessThan(1e-5);
    k.dispose();
  });

  it('has condition number Infinity when λ_min ≤ 0 (indefinite or zero kernel)', async () => {
    const k = tf.tensor2d([
      [1, 2],
      [2, 4],
    ]);
    const { eigenvalues } = await ntkSpectrum(k);
    expect(Math.abs(eigenvalues[0]! - 5)).toBeLessThan(1e-12);
    expect(Math.abs(eigenvalues[1]!)).toBeLessThan(1e-12);
    const indefinite = tf.tensor2d([
      [1, 2],
      [2, 1],
    ]);
    const spectrum = await ntkSpectrum(indefinite);
    expect(spectrum.eigenvalues.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([3, -1]);
    expect(spectrum.conditionNumber).toBe(Number.POSITIVE_INFINITY);
    indefinite.dispose();
    const zero = tf.zeros([2, 2]);
    expect((await ntkSpectrum(zero)).conditionNumber).toBe(Number.POSITIVE_INFINITY);
    tf.dispose([k, zero]);
  });
});
