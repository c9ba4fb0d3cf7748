import type * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { deltaOrthogonal } from './delta-orthogonal';
import { geometricMean } from './geometric-mean';
import { glorotUniform } from './glorot';
import { heNormal } from './he';
import { lecunNormal } from './lecun';
import { normal } from './normal';
import { orthogonal } from './orthogonal';
import { fingerprint } from './test-support/stats';
import { truncatedNormal } from './truncated-normal';
import { uniform } from './uniform';

/**
 * FNV-1a fingerprints of the exact float32 bits each scheme gives for seed 2024. The same values
 * are expected on cpu, wasm and webgpu (the numbers are computed in JS and uploaded), and pin
 * the streams across releases: a change here changes every user's initialization.
 */
const GOLDEN: [string, () => tf.Tensor, string][] = [
  ['normal', () => normal([17, 9], { stddev: 0.3, seed: 2024 }), '5cff6454'],
  ['uniform', () => uniform([17, 9], { seed: 2024 }), 'abd2e4ea'],
  ['truncatedNormal', () => truncatedNormal([17, 9], { seed: 2024 }), 'a5f090c6'],
  ['lecunNormal', () => lecunNormal([17, 9], { seed: 2024 }), '98db145f'],
  ['heNormal', () => heNormal([3, 3, 4, 5], { distribution: 'normal', seed: 2024 }), 'c21eaa45'],
  ['glorotUniform', () => glorotUniform([17, 9], { seed: 2024 }), '19f7596f'],
  ['geometricMean', () => geometricMean([17, 9], { seed: 2024 }), '17a0339c'],
  ['orthogonal', () => orthogonal([17, 9], { seed: 2024 }), '8f4acc35'],
  ['orthogonal wide', () => orthogonal([9, 17], { seed: 2024 }), 'cf467d55'],
  ['deltaOrthogonal', () => deltaOrthogonal([3, 3, 4, 5], { seed: 2024 }), 'b4e12c5c'],
];

forEachBackend('the same seed gives bit-identical tensors', () => {
  for (const [name, make, expected] of GOLDEN) {
    it(`${name}: fingerprint ${expected}`, async () => {
      await expectNoLeaks(async () => {
        const t = make();
        const fp = await fingerprint(t);
        t.dispose();
        expect(fp).toBe(expected);
      });
    });
  }

  it('normal values are exactly Rng.normalArray(size, mean, std) of the seed', async () => {
    const t = normal([50], { mean: 1, stddev: 0.5, seed: 'layer' });
    const expected = new Rng('layer').normalArray(50, 1, 0.5);
    expect(Array.from(await t.data())).toEqual(Array.from(expected));
    t.dispose();
  });
});
