import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { describe, expect, it } from 'vitest';
import {
  LINEAR_REGRESSION_EIGENVALUES,
  flatValues,
  linearRegressionProblem,
  spectrumProblem,
  topByMagnitude,
} from '../test-support/quadratic';
import { hvp } from '../hessian/hvp';
import { type HessianEigs, type HessianEigsOptions, hessianEigs } from './hessian-eigs';

/** A saddle: −4 is the second largest in magnitude. */
const SADDLE = [5, -4, 2, 1, 0.5, -0.25, 0.1, 1.5];

/** Runs `hessianEigs`, reads the eigenvectors in `flattenParams` order and disposes them. */
async function eigs(
  loss: (p: Params) => tf.Tensor,
  params: Params,
  options: HessianEigsOptions,
): Promise<Omit<HessianEigs, 'eigenvectors'> & { vectors: Float64Array[]; keys: string[][] }> {
  return expectNoLeaks(async () => {
    const result = await hessianEigs(loss, params, options);
    const vectors = await Promise.all(result.eigenvectors.map(flatValues));
    const keys = result.eigenvectors.map((v) => Object.keys(v).sort());
    result.eigenvectors.forEach(disposeParams);
    const { eigenvectors: _, ...rest } = result;
    return { ...rest, vectors, keys };
  });
}

/** `|cos|` of the angle between `v` and column `i` of `q`. */
function cosineWithColumn(v: Float64Array, q: Float64Array, i: number): number {
  const n = v.length;
  let dotProduct = 0;
  let vv = 0;
  for (let r = 0; r < n; r++) {
    dotProduct += v[r]! * q[r * n + i]!;
    vv += v[r]! ** 2;
  }
  return Math.abs(dotProduct) / Math.sqrt(vv);
}

forEachBackend('hessianEigs', () => {
  for (const method of ['lanczos', 'power'] as const) {
    describe(method, () => {
      for (const k of [1, 2, 3]) {
        it(`finds the top ${k} by magnitude of a saddle's spectrum, signed and descending, with their eigenvectors`, async () => {
          const problem = spectrumProblem(SADDLE);
          const maxIter = method === 'power' ? 200 : undefined;
          const result = await eigs(problem.loss, problem.params, { k, method, maxIter });
          const expected = topByMagnitude(SADDLE, k);
          expect(result.converged).toBe(true);
          await expectClose(result.eigenvalues, expected, { rtol: 1e-4, atol: 0 });
          result.vectors.forEach((v, j) => {
            const column = SADDLE.indexOf(expected[j]!);
            expect(Math.hypot(...v)).toBeCloseTo(1, 5);
            expect(cosineWithColumn(v, problem.q, column)).toBeGreaterThanOrEqual(1 - 1e-4);
          });
          expect(result.keys).toEqual(Array.from({ length: k }, () => ['b', 'w']));
          problem.dispose();
        });
      }

      it('returns every eigenvalue when k = P', async () => {
        const spectrum = [3, -2.5, 1.2, 0.7, -0.4, 0.2];
        const problem = spectrumProblem(spectrum, 3);
        const result = await eigs(problem.loss, problem.params, {
          k: 6,
          method,
          maxIter: 300,
        });
        expect(result.converged).toBe(true);
        await expectClose(
          result.eigenvalues,
          [...spectrum].sort((a, b) => b - a),
          {
            rtol: 1e-4,
            atol: 1e-5,
          },
        );
        problem.dispose();
      });

      it('gives both eigenvalues of the linear-regression Hessian XᵀX/n', async () => {
        const problem = linearRegressionProblem();
        const result = await eigs(problem.loss, problem.params, { k: 2, method });
        expect(result.converged).toBe(true);
        await expectClose(result.eigenvalues, LINEAR_REGRESSION_EIGENVALUES, {
          rtol: 1e-4,
          atol: 0,
        });
        problem.dispose();
      });

      it('returns the estimate with converged: false when maxIter is reached', async () => {
        const problem = spectrumProblem(SADDLE);
        const result = await eigs(problem.loss, problem.params, { method, maxIter: 1 });
        expect(result.converged).toBe(false);
        expect(result.iterations).toBe(1);
        expect(result.eigenvalues).toHaveLength(1);
        expect(Math.abs(result.eigenvalues[0]!)).toBeLessThanOrEqual(5 + 1e-4);
        problem.dispose();
      });

      it('gives identical numbers for the same seed', async () => {
        const problem = spectrumProblem(SADDLE);
        const k = method === 'power' ? 1 : 2;
        const run = () => eigs(problem.loss, problem.params, { k, method, rng: new Rng(5) });
        const [a, b] = [await run(), await run()];
        expect(b.eigenvalues).toEqual(a.eigenvalues);
        expect(b.vectors).toEqual(a.vectors);
        expect(b.iterations).toBe(a.iterations);
        problem.dispose();
      });
    });
  }

  it('counts iterations as Hessian-vector products: Lanczos stops at P steps, exact', async () => {
    const problem = spectrumProblem(SADDLE);
    const result = await eigs(problem.loss, problem.params, { k: 8, maxIter: 1000 });
    expect(result.iterations).toBe(8);
    expect(result.converged).toBe(true);
    problem.dispose();
  });

  it('restarts Lanczos where the Krylov space is exhausted (a repeated eigenvalue)', async () => {
    // {4, 4, 1, 1, 1, 1}: one Krylov sequence spans only 2 dimensions
    const spectrum = [4, 1, 4, 1, 1, 1];
    const problem = spectrumProblem(spectrum, 11);
    const result = await eigs(problem.loss, problem.params, { k: 3 });
    await expectClose(result.eigenvalues, [4, 4, 1], { rtol: 1e-4, atol: 0 });
    const power = await eigs(problem.loss, problem.params, { k: 3, method: 'power' });
    await expectClose(power.eigenvalues, [4, 4, 1], { rtol: 1e-4, atol: 0 });
    problem.dispose();
  });

  it('gives a parameter the loss ignores a zero eigenvalue', async () => {
    const params: Params = { a: tf.tensor1d([0.3, -1]), unused: tf.tensor1d([2]) };
    const loss = (p: Params) =>
      tf.mul(0.5, tf.sum(tf.mul(tf.tensor1d([3, 1]), tf.square(p.a as tf.Tensor))));
    const lanczos = await eigs(loss, params, { k: 3 });
    await expectClose(lanczos.eigenvalues, [3, 1, 0], { rtol: 1e-5, atol: 1e-6 });
    expect(lanczos.converged).toBe(true);
    const power = await eigs(loss, params, { k: 2, method: 'power' });
    await expectClose(power.eigenvalues, [3, 1], { rtol: 1e-4, atol: 0 });
    expect(power.vectors.map((v) => Math.abs(v[2]!))).toEqual([0, 0]);
    tf.dispose(Object.values(params));
  });

  it('agrees between power and Lanczos on a tanh MLP, and bounds every Rayleigh quotient', async () => {
    const net = mlp({ sizes: [4, 6, 3], activation: 'tanh', seed: 3 });
    const rng = new Rng(9);
    const x = rng.normal([5, 4]);
    const y = tf.tensor1d([0, 2, 1, 1, 0], 'int32');
    const loss = (p: Params) => softmaxCrossEntropy(net.apply(p, x), y);
    const lanczos = await eigs(loss, net.params, {});
    const power = await eigs(loss, net.params, { method: 'power', maxIter: 500 });
    expect(lanczos.converged).toBe(true);
    expect(power.converged).toBe(true);
    await expectClose(power.eigenvalues, lanczos.eigenvalues, { rtol: 1e-3, atol: 0 });
    const top = lanczos.eigenvalues[0]!;
    for (let trial = 0; trial < 4; trial++) {
      const v = directionLike(net.params, rng);
      const hv = hvp(loss, net.params, v);
      const [vs, hvs] = [await flatValues(v), await flatValues(hv)];
      const quotient =
        vs.reduce((s, e, i) => s + e * hvs[i]!, 0) / vs.reduce((s, e) => s + e * e, 0);
      expect(quotient).toBeLessThanOrEqual(top * (1 + 1e-5));
      disposeParams(v);
      disposeParams(hv);
    }
    tf.dispose([x, y, ...Object.values(net.params)]);
  });
});

/** A random normal direction keyed and shaped like `params`. */
function directionLike(params: Params, rng: Rng): Params {
  const v: Params = {};
  for (const key of Object.keys(params)) v[key] = rng.normal((params[key] as tf.Tensor).shape);
  return v;
}
