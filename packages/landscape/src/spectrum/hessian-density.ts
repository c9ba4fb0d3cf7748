import { DescentError, OptionReader, type Params, Rng } from '@descent/core';
import type { LossFn } from '../loss/loss-fn';
import { type FlatHvpOperator, flatHvpOperator } from './flat-operator';
import { randomUnitVector } from './flat-vectors';
import { lanczos, tridiagonalEigen } from './lanczos';

/** Options of {@link hessianDensity}. */
export interface HessianDensityOptions {
  /** Independent Lanczos runs (start vectors), an integer `≥ 1` (default 1). */
  runs?: number;
  /** Lanczos steps per run, an integer in `[1, P]` (default `min(30, P)`). */
  steps?: number;
  /** The generator of the start vectors (default `new Rng(0)`). */
  rng?: Rng;
}

/**
 * A discrete spectral density: nodes `θ_i` with weights `w_i ≥ 0` summing to 1, standing for
 * `φ(t) = Σ_i w_i δ(t − θ_i)`.
 */
export interface SpectralDensity {
  /** The nodes `θ_i`: Ritz values, run after run, each run's in descending order. */
  eigenvalues: number[];
  /** The weights `w_i`, in the order of `eigenvalues`. */
  weights: number[];
}

const KNOWN_KEYS = ['runs', 'steps', 'rng'];

/**
 * The eigenvalue density of the Hessian `H = ∇²L(θ)` by stochastic Lanczos quadrature (SLQ):
 * the spectral measure `φ(t) = (1/P) Σ_j δ(t − λ_j)` is approximated, for each run, by the
 * Gauss quadrature that `m` Lanczos steps from a random unit vector `v₀` give for
 * `v₀ᵀ f(H) v₀ = Σ_j (v₀ᵀu_j)² f(λ_j)`: with `T_m = S Θ Sᵀ`, the nodes are the Ritz values
 * `θ_i` and the weights `s_{1,i}²` (the first components squared, summing to 1). Runs are
 * concatenated and each run's weights divided by `runs`, so all weights sum to 1; the mean
 * `Σ w_i θ_i` is the average of `v₀ᵀHv₀` over the runs, an unbiased estimate of `tr H / P`.
 *
 * `v₀` is a Rademacher vector normalized to unit length (signs of `rng.bernoulliArray(P, 0.5)`,
 * 1 ↦ +1, 0 ↦ −1, in `flattenParams` order, divided by `√P`; one draw per run in turn). Lanczos
 * runs with full reorthogonalization (classical Gram–Schmidt against all previous vectors,
 * twice), so no spurious copies of converged Ritz values appear. A run stops early where the
 * Krylov space is exhausted (`β ≈ 0`): its quadrature is then exact with fewer nodes. One
 * device read per step; `steps·P` floats of Lanczos vectors live on the device during a run.
 * Smooth the result with {@link densityOnGrid}.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` (see `hvp`).
 * @param params - `θ`, a non-empty map of float32 tensors (not modified).
 * @param options - `runs` (1), `steps` (`min(30, P)`), `rng` (`new Rng(0)`; the same seed gives
 *   the same numbers).
 * @returns `{ eigenvalues, weights }`: `runs · steps` nodes at most.
 * @throws DescentError `BAD_HYPERPARAM` (`runs` or `steps` not an integer in range; `steps > P`
 *   names `P`), `NON_FINITE` (a non-finite option, a NaN or infinite Hessian-vector product),
 *   `BAD_ARGUMENT` (`rng` not an `Rng`, options not an object, loss not a function or
 *   returning no tensor, params not a non-empty map of tensors), `UNKNOWN_PARAM` (an unknown
 *   option), `SHAPE_MISMATCH` (the loss is not a float32 scalar), `DTYPE_MISMATCH`
 *   (non-float32 params), `DISPOSED`. An exception the loss itself throws passes through
 *   unchanged, with every tensor freed.
 * @example
 * ```ts
 * const density = await hessianDensity(loss, params, { runs: 3, steps: 50 });
 * const { grid, density: rho } = densityOnGrid(density);
 * ```
 * @see B. Ghorbani, S. Krishnan and Y. Xiao, An Investigation into Neural Net Optimization via
 *   Hessian Eigenvalue Density, ICML 2019, §2; L. Lin, Y. Saad and C. Yang, Approximating
 *   spectral densities of large matrices, SIAM Review 58 (2016); Z. Yao et al., PyHessian
 *   (IEEE BigData 2020), `density`.
 */
export async function hessianDensity(
  loss: LossFn,
  params: Params,
  options: HessianDensityOptions = {},
): Promise<SpectralDensity> {
  const fn = 'hessianDensity';
  const read = new OptionReader(fn, options, KNOWN_KEYS);
  const runs = read.integer('runs', 1, { min: 1 });
  const stepsRequested = read.optionalNumber('steps', { min: 1, integer: true });
  const rng = read.generator('rng', new Rng(0));
  const op = flatHvpOperator(fn, loss, params);
  try {
    const steps = checkSteps(fn, stepsRequested, op.size);
    const eigenvalues: number[] = [];
    const weights: number[] = [];
    for (let run = 0; run < runs; run++) {
      const { values, vectors } = await quadratureRun(fn, op, steps, rng);
      const m = values.length;
      for (let i = 0; i < m; i++) {
        eigenvalues.push(values[i]!);
        weights.push(vectors[i * m]! ** 2 / runs);
      }
    }
    return { eigenvalues, weights };
  } finally {
    op.dispose();
  }
}

/** The eigenpairs of one run's `T_m`, from a normalized Rademacher start. */
async function quadratureRun(fn: string, op: FlatHvpOperator, steps: number, rng: Rng) {
  const t = await lanczos(op, randomUnitVector(rng, op.size, 'rademacher'), { fn, steps });
  t.basis.dispose();
  return tridiagonalEigen(t);
}

function checkSteps(fn: string, steps: number | undefined, size: number): number {
  if (steps === undefined) return Math.min(30, size);
  if (steps > size) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${fn}.steps must be an integer in [1, P] where P = ${size} is the number of parameters, got ${steps}.`,
    );
  }
  return steps;
}
