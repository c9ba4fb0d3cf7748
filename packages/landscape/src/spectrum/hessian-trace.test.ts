import { Rng } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import {
  linearRegressionProblem,
  quadraticForm,
  quadraticProblem,
  spectrumProblem,
} from '../test-support/quadratic';
import { rademacherArray } from './flat-vectors';
import { hessianTrace } from './hessian-trace';

const SPECTRUM = [4, -1.5, 2.5, 0.3, 1, -0.7, 3, 0.1, 1.8, -2.2];
const TRACE = SPECTRUM.reduce((a, b) => a + b, 0);

/** The estimator in float64 from the same probes: mean and standard error of `zᵀAz`. */
function reference(a: Float64Array, size: number, samples: number, seed: number) {
  const rng = new Rng(seed);
  const terms = Array.from({ length: samples }, () => quadraticForm(a, rademacherArray(rng, size)));
  const mean = terms.reduce((s, v) => s + v, 0) / samples;
  const variance = terms.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples - 1);
  return { mean, standardError: Math.sqrt(variance / samples) };
}

forEachBackend('hessianTrace', () => {
  it('is within 3 standard errors of the trace of a 10 × 10 quadratic', async () => {
    const problem = spectrumProblem(SPECTRUM, 5);
    const result = await expectNoLeaks(() => hessianTrace(problem.loss, problem.params));
    expect(result.samples).toBe(100);
    expect(result.standardError).toBeGreaterThan(0);
    expect(Math.abs(result.trace - TRACE)).toBeLessThanOrEqual(3 * result.standardError);
    problem.dispose();
  });

  it('equals the float64 estimator over the same Rademacher probes', async () => {
    const problem = spectrumProblem(SPECTRUM, 5);
    const result = await hessianTrace(problem.loss, problem.params, {
      samples: 40,
      rng: new Rng(3),
    });
    const expected = reference(problem.hessian, problem.size, 40, 3);
    expect(result.trace).toBeCloseTo(expected.mean, 4);
    expect(result.standardError).toBeCloseTo(expected.standardError, 4);
    problem.dispose();
  });

  it('estimates the linear-regression trace 91/3 within 3 standard errors', async () => {
    const problem = linearRegressionProblem();
    const result = await hessianTrace(problem.loss, problem.params, { samples: 200 });
    expect(Math.abs(result.trace - 91 / 3)).toBeLessThanOrEqual(3 * result.standardError);
    // Rademacher probes: zᵀHz = tr H + 2·z₁z₂·H₁₂, so every term is 91/3 ± 88/3
    expect(result.standardError).toBeGreaterThan(0);
    problem.dispose();
  });

  it('is exact, with zero standard error, for a diagonal Hessian (zᵀHz = tr H for z ∈ {±1}ᴾ)', async () => {
    const a = Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]);
    const problem = quadraticProblem(a, 3);
    const result = await hessianTrace(problem.loss, problem.params, { samples: 5 });
    expect(result.trace).toBeCloseTo(4, 5);
    expect(result.standardError).toBeLessThan(1e-6);
    problem.dispose();
  });

  it('gives identical numbers for the same seed', async () => {
    const problem = spectrumProblem(SPECTRUM, 5);
    const run = () => hessianTrace(problem.loss, problem.params, { samples: 10, rng: new Rng(8) });
    expect(await run()).toEqual(await run());
    problem.dispose();
  });
});
