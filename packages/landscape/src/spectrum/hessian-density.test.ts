import { Rng } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import {
  LINEAR_REGRESSION_EIGENVALUES,
  linearRegressionProblem,
  quadraticForm,
  spectrumProblem,
} from '../test-support/quadratic';
import { rademacherArray } from './flat-vectors';
import { hessianDensity } from './hessian-density';

const SPECTRUM = [4, -1.5, 2.5, 0.3, 1, -0.7, 3, 0.1, 1.8, -2.2];

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The unit start vectors `hessianDensity` draws from `new Rng(seed)`, run after run. */
function startVectors(size: number, runs: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: runs }, () =>
    Array.from(rademacherArray(rng, size), (z) => z / Math.sqrt(size)),
  );
}

forEachBackend('hessianDensity', () => {
  it('has weights summing to 1 and mean Σwθ equal to the average v₀ᵀHv₀ over runs', async () => {
    const problem = spectrumProblem(SPECTRUM, 2);
    const density = await expectNoLeaks(() =>
      hessianDensity(problem.loss, problem.params, { runs: 3, steps: 5, rng: new Rng(4) }),
    );
    expect(density.eigenvalues).toHaveLength(15);
    expect(sum(density.weights)).toBeCloseTo(1, 6);
    expect(density.weights.every((w) => w >= 0)).toBe(true);
    const mean = sum(density.eigenvalues.map((theta, i) => theta * density.weights[i]!));
    const starts = startVectors(problem.size, 3, 4);
    const expected = sum(starts.map((v) => quadraticForm(problem.hessian, v))) / 3;
    expect(mean).toBeCloseTo(expected, 5);
    problem.dispose();
  });

  it('with steps = P has the eigenvalues as nodes and (v₀ᵀuᵢ)² as weights', async () => {
    const problem = spectrumProblem(SPECTRUM, 2);
    const density = await hessianDensity(problem.loss, problem.params, { steps: 10 });
    const sorted = [...SPECTRUM].sort((a, b) => b - a);
    await expectClose(density.eigenvalues, sorted, { rtol: 1e-4, atol: 1e-5 });
    const [v] = startVectors(problem.size, 1, 0) as [number[]];
    const n = problem.size;
    const projections = sorted.map((lambda) => {
      const i = SPECTRUM.indexOf(lambda);
      return sum(v.map((x, r) => x * problem.q[r * n + i]!)) ** 2;
    });
    await expectClose(density.weights, projections, { rtol: 0, atol: 1e-4 });
    problem.dispose();
  });

  it('gives the two eigenvalues of the linear-regression Hessian by default (steps = min(30, P))', async () => {
    const problem = linearRegressionProblem();
    const density = await hessianDensity(problem.loss, problem.params);
    await expectClose(density.eigenvalues, LINEAR_REGRESSION_EIGENVALUES, { rtol: 1e-4, atol: 0 });
    expect(sum(density.weights)).toBeCloseTo(1, 6);
    problem.dispose();
  });

  it('stops a run early where the Krylov space is exhausted (two distinct eigenvalues)', async () => {
    const spectrum = [2, 1, 2, 1, 2, 1];
    const problem = spectrumProblem(spectrum, 9);
    const density = await hessianDensity(problem.loss, problem.params, { steps: 6 });
    await expectClose(density.eigenvalues, [2, 1], { rtol: 1e-4, atol: 0 });
    // the weight of each node is ‖projection of v₀ onto its eigenspace‖²
    const [v] = startVectors(6, 1, 0) as [number[]];
    const weightOf = (lambda: number) =>
      sum(
        spectrum.map((l, i) =>
          l === lambda ? sum(v.map((x, r) => x * problem.q[r * 6 + i]!)) ** 2 : 0,
        ),
      );
    await expectClose(density.weights, [weightOf(2), weightOf(1)], { rtol: 0, atol: 1e-4 });
    problem.dispose();
  });

  it('gives identical numbers for the same seed', async () => {
    const problem = spectrumProblem(SPECTRUM, 2);
    const run = () =>
      hessianDensity(problem.loss, problem.params, { runs: 2, steps: 4, rng: new Rng(6) });
    expect(await run()).toEqual(await run());
    problem.dispose();
  });
});
