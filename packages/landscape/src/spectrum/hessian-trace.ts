import * as tf from '@tensorflow/tfjs-core';
import { DescentError, OptionReader, type Params, Rng } from '@descent/core';
import type { LossFn } from '../loss/loss-fn';
import { type FlatHvpOperator, flatHvpOperator } from './flat-operator';
import { dot, rademacherArray, readScalars } from './flat-vectors';

/** Options of {@link hessianTrace}. */
export interface HessianTraceOptions {
  /** The number of probes, an integer `≥ 2` (default 100). */
  samples?: number;
  /** The generator of the probes (default `new Rng(0)`). */
  rng?: Rng;
}

/** What {@link hessianTrace} returns. */
export interface HessianTrace {
  /** The estimate `(1/n) Σ zᵀHz`. */
  trace: number;
  /** The standard error of the estimate: the probes' sample standard deviation over `√n`. */
  standardError: number;
  /** `n`, the number of probes. */
  samples: number;
}

const KNOWN_KEYS = ['samples', 'rng'];

/**
 * Hutchinson's estimator of the trace of the Hessian `H = ∇²L(θ)`:
 * `tr H ≈ (1/n) Σ_s z_sᵀ H z_s` with Rademacher probes `z_s ∈ {−1, +1}^P` (each entry ±1 with
 * probability ½; `E[zzᵀ] = I`, so every term is unbiased, with variance `2 Σ_{i≠j} H_ij²`,
 * the smallest of any probe distribution). `standardError = s/√n` with `s` the sample standard
 * deviation (`n − 1` in the denominator) of the `n` terms: the estimate is within about two
 * standard errors of `tr H` 95 % of the time.
 *
 * One Hessian-vector product per probe and a single device read at the end. The probes are the
 * signs of `rng.bernoulliArray(P, 0.5)` (1 ↦ +1, 0 ↦ −1) in `flattenParams` order, one draw per
 * probe in turn.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params` (see `hvp`).
 * @param params - `θ`, a non-empty map of float32 tensors (not modified).
 * @param options - `samples` (100, at least 2 so that a standard error exists), `rng`
 *   (`new Rng(0)`; the same seed gives the same numbers).
 * @returns `{ trace, standardError, samples }`.
 * @throws DescentError `BAD_HYPERPARAM` (`samples` not an integer `≥ 2`), `NON_FINITE` (a
 *   non-finite option, a NaN or infinite `zᵀHz`), `BAD_ARGUMENT` (`rng` not an `Rng`, options
 *   not an object, loss not a function or returning no tensor, params not a non-empty map of
 *   tensors), `UNKNOWN_PARAM` (an unknown option), `SHAPE_MISMATCH` (the loss is not a float32
 *   scalar), `DTYPE_MISMATCH` (non-float32 params), `DISPOSED`. An exception the loss itself
 *   throws passes through unchanged, with every tensor freed.
 * @example
 * ```ts
 * const { trace, standardError } = await hessianTrace(loss, params, { samples: 200 });
 * ```
 * @see M. F. Hutchinson, A stochastic estimator of the trace of the influence matrix for
 *   Laplacian smoothing splines, Comm. Statist. Simulation Comput. 19 (1990); H. Avron and
 *   S. Toledo, Randomized algorithms for estimating the trace of an implicit symmetric positive
 *   semi-definite matrix, J. ACM 58 (2011); Z. Yao et al., PyHessian (IEEE BigData 2020), §3.
 */
export async function hessianTrace(
  loss: LossFn,
  params: Params,
  options: HessianTraceOptions = {},
): Promise<HessianTrace> {
  const fn = 'hessianTrace';
  const read = new OptionReader(fn, options, KNOWN_KEYS);
  const samples = read.integer('samples', 100, { min: 2 });
  const rng = read.generator('rng', new Rng(0));
  const op = flatHvpOperator(fn, loss, params);
  const terms: tf.Scalar[] = [];
  try {
    for (let s = 0; s < samples; s++) terms.push(probe(op, rademacherArray(rng, op.size)));
  } catch (error) {
    tf.dispose(terms);
    throw error;
  } finally {
    op.dispose();
  }
  return summarize(fn, await readScalars(terms));
}

/** `zᵀHz` as a scalar tensor. */
function probe(op: FlatHvpOperator, signs: Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.tensor1d(signs, 'float32');
    return dot(z, op.apply(z));
  });
}

/** Mean and standard error of the probes' `zᵀHz`, in float64. */
function summarize(fn: string, values: readonly number[]): HessianTrace {
  const n = values.length;
  if (!values.every(Number.isFinite)) {
    throw new DescentError(
      'NON_FINITE',
      `${fn}: zᵀHz is NaN or infinite for a probe; the loss or its curvature is not finite at params.`,
    );
  }
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { trace: mean, standardError: Math.sqrt(variance / n), samples: n };
}
