import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { expect, it } from 'vitest';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { disposeState } from './norm-state';
import { spectralNorm, spectralNormState } from './spectral-norm';
import { spectralNormValue } from './spectral-norm-value';
import { expectMatchesReference, sample } from './test-support/grad-check';
import { refPowerIteration, refSpectralNormalize, unit } from './test-support/reference';

const SHAPE = [3, 2, 3, 4]; // conv kernel, matrix view [18, 4]
const W = sample(72, 51);
const U0 = Float32Array.from(unit(Float64Array.from(sample(4, 52))));

forEachBackend('spectralNorm', () => {
  it('training: u follows the power iteration, w = W/‖Mu‖, and ∂/∂W holds u constant', async () => {
    const iterations = 3;
    const uRef = refPowerIteration(Float64Array.from(W), 18, 4, U0, iterations);
    const u0 = tf.tensor(U0);
    await expectMatchesReference({
      inputs: [{ shape: SHAPE, values: W }],
      op: (w) => {
        const out = spectralNorm(w as tf.Tensor, { u: u0 }, { training: true, iterations });
        disposeState(out.state);
        return out.w;
      },
      reference: (w) => refSpectralNormalize(w, 18, 4, uRef),
      forward: { rtol: 1e-5, atol: 1e-6 },
    });
    const w = tf.tensor(W, SHAPE);
    await expectNoLeaks(async () => {
      const out = spectralNorm(w, { u: u0 }, { training: true, iterations });
      await expectClose(out.state.u, uRef, { rtol: 1e-4, atol: 1e-5 });
      out.w.dispose();
      disposeState(out.state);
    });
    tf.dispose([u0, w]);
  });

  it('inference leaves u alone and reproduces the last training output for the same W', async () => {
    const w = tf.tensor(W, SHAPE);
    const u0 = tf.tensor(U0);
    const train = spectralNorm(w, { u: u0 }, { training: true });
    const evalOut = spectralNorm(w, train.state, { training: false, iterations: 5 });
    await expectClose(evalOut.state.u, train.state.u, { rtol: 0, atol: 0 });
    expect(evalOut.state.u).not.toBe(train.state.u);
    await expectClose(evalOut.w, train.w, { rtol: 1e-6, atol: 1e-7 });
    const evalRef = refSpectralNormalize(Float64Array.from(W), 18, 4, U0);
    const fromU0 = spectralNorm(w, { u: u0 }, { training: false });
    await expectClose(fromU0.w, evalRef, { rtol: 1e-5, atol: 1e-6 });
    for (const r of [train, evalOut, fromU0]) {
      r.w.dispose();
      disposeState(r.state);
    }
    tf.dispose([w, u0]);
  });

  it('converges: after enough steps σ(W_SN) = 1 and σ = spectralNormValue(W)', async () => {
    const w = tf.tensor(W, [18, 4]);
    let state = spectralNormState([18, 4], new Rng(3));
    for (let i = 0; i < 10; i++) {
      const out = spectralNorm(w, state, { training: true, iterations: 10 });
      out.w.dispose();
      disposeState(state);
      state = out.state;
    }
    const out = spectralNorm(w, state, { training: false });
    expect(await spectralNormValue(out.w)).toBeCloseTo(1, 5);
    const sigma = await spectralNormValue(w);
    const ratio = tf.div(w, out.w);
    await expectClose(ratio, new Array(72).fill(sigma), { rtol: 1e-5 });
    tf.dispose([w, ratio, out.w]);
    disposeState(out.state);
    disposeState(state);
  });
});

it('spectralNormState draws a seeded unit vector over the output units', async () => {
  const a = spectralNormState([3, 3, 8, 5], new Rng(9));
  const b = spectralNormState([3, 3, 8, 5], new Rng(9));
  expect(a.u.shape).toEqual([5]);
  const values = Array.from(await a.u.data());
  expect(Math.hypot(...values)).toBeCloseTo(1, 6);
  await expectClose(b.u, values, { rtol: 0, atol: 0 });
  disposeState(a);
  disposeState(b);
  expectDescentError(() => spectralNormState([4], new Rng(1)), 'SHAPE_MISMATCH', '[4]');
  expectDescentError(() => spectralNormState([4, 0], new Rng(1)), 'BAD_ARGUMENT', 'kernelShape');
});

it('spectralNorm rejects a u of the wrong size and bad options', () => {
  const w = tf.zeros([4, 3]);
  const u = tf.ones([4]);
  const before = tf.memory().numTensors;
  expectDescentError(
    () => spectralNorm(w, { u }, { training: true }),
    'SHAPE_MISMATCH',
    'state.u',
    '[4]',
    '[3]',
  );
  expectDescentError(() => spectralNorm(u, { u }, { training: true }), 'SHAPE_MISMATCH', 'rank 1');
  expectDescentError(
    () => spectralNorm(w, { u }, { training: true, iterations: -1 }),
    'BAD_HYPERPARAM',
    'iterations',
  );
  expectDescentError(() => spectralNorm(w, { u }, {} as never), 'BAD_HYPERPARAM', 'training');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([w, u]);
});
