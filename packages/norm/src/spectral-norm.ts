import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Rng, checkKnownKeys, describeValue, formatShape } from '@descent/core';
import {
  MAX_CHANNELS,
  checkInput,
  checkParamShape,
  checkRecord,
  epsilonOption,
  readOptions,
  trainingOption,
} from './checks';
import { emptyOutput } from './empty-input';
import { stopGradient } from './stop-gradient';

/** The persistent state of {@link spectralNorm}: the power-iteration vector. */
export type SpectralNormState = {
  /** Unit vector over the output units, shape `[out]` (the last axis of `W`). */
  u: tf.Tensor;
};

/** Options of {@link spectralNorm}. */
export interface SpectralNormOptions {
  /**
   * Required. `true`: run `iterations` power-iteration steps on `u` and return the new `u`;
   * `false`: use `u` as it is (and return a clone of it).
   */
  training: boolean;
  /** Power-iteration steps per training call. Default `1` (Miyato et al.). `0` is allowed. */
  iterations?: number;
  /** Floor of the norms when normalizing vectors, as torch's `eps`. Default `1e-12`. */
  epsilon?: number;
}

/** The result of {@link spectralNorm}. */
export interface SpectralNormResult {
  /** `W/σ(W)`, same shape as `W`. */
  w: tf.Tensor;
  /** The next state (new tensors; dispose the old one yourself). */
  state: SpectralNormState;
}

/**
 * Spectral normalization (Miyato, Kataoka, Koyama & Yoshida, 2018): `W_SN = W/σ(W)`, with the
 * largest singular value `σ` estimated by power iteration on a persistent vector `u`.
 *
 * **Matrix view.** `W` of any rank ≥ 2 is read as `M = reshape(W, [prod(other axes), out])`, the
 * output units on the last axis (tfjs dense `[in, out]`, conv `[kh·kw·in, out]`), i.e. the
 * transpose of the paper's `W`. `u` lives in the output space (`[out]`, like torch's `u`).
 *
 * **Training step.** `iterations` times: `v ← Mu/‖Mu‖`, `u ← Mᵀv/‖Mᵀv‖`; then
 * `σ = ‖Mu‖ = vᵀMu` with `v = Mu/‖Mu‖`. `u` (and hence `v`) is a **constant in the backward
 * pass**, so `∂σ/∂M = v uᵀ` exactly as in the paper (Appendix A). In inference, `u` is not updated
 * and the same `σ = ‖Mu‖` is used — so, for a fixed `W`, inference reproduces the last training
 * value exactly. `σ` is a lower estimate of the true spectral norm that tightens with every step
 * (see {@link spectralNormValue} for a converged value).
 *
 * Start from {@link spectralNormState} (a random unit `u`).
 *
 * **A degenerate `u`.** A `u` whose norm is zero (or NaN, or ±∞) would make the power iteration
 * 0/0; it is replaced on the device (no value is read) by the uniform unit vector `1/√out`, so an
 * all-zero `u` gives the same result as that vector. `σ` is floored at `epsilon`, so an all-zero
 * `W` gives an all-zero `w` rather than NaN. A `W` without elements gives an empty `w` and `u`
 * unchanged.
 *
 * @throws DescentError `SHAPE_MISMATCH` (rank < 2, `u` not `[out]`), `BAD_HYPERPARAM`
 * (iterations not an integer ≥ 0, ε ≤ 0, `training` missing or not a boolean), `NON_FINITE` (a
 * NaN or ±∞ option), `BAD_ARGUMENT` (a non-tensor; state or options not a plain object),
 * `DTYPE_MISMATCH`, `DISPOSED`, `UNKNOWN_PARAM` (an unknown option or state key).
 *
 * @example
 * ```ts
 * let sn = spectralNormState(kernel.shape, new Rng(0));
 * const { w, state } = spectralNorm(kernel, sn, { training: true });
 * disposeState(sn);
 * sn = state;
 * ```
 */
export function spectralNorm(
  W: tf.Tensor,
  state: SpectralNormState,
  options: SpectralNormOptions,
): SpectralNormResult {
  const read = readOptions('spectralNorm', options, ['training', 'iterations', 'epsilon']);
  checkInput('spectralNorm: W', W, 2, 'a kernel such as [in, out] or [kh, kw, in, out]');
  const training = trainingOption(read);
  const iterations = read.integer('iterations', 1, { min: 0 });
  const epsilon = epsilonOption(read, 1e-12);
  const out = W.shape[W.rank - 1] as number;
  checkRecord('spectralNorm: state', state, '{ u } (see spectralNormState)');
  checkKnownKeys('spectralNorm: state', Object.keys(state), ['u']);
  checkParamShape(
    'spectralNorm: state.u',
    state.u,
    [out],
    `one entry per output unit of W ${formatShape(W.shape)}`,
  );
  if (W.size === 0) return { w: emptyOutput(W, []), state: { u: tf.clone(state.u) } };
  return tf.tidy(() => {
    const M = tf.reshape(W, [-1, out]);
    let u = usableStart(tf.reshape(state.u, [out, 1]), epsilon);
    if (training) {
      // The iteration itself is no part of the gradient: it only moves u.
      const Mc = stopGradient(M);
      for (let i = 0; i < iterations; i++) {
        const v = normalize(tf.matMul(Mc, u), epsilon);
        u = normalize(tf.matMul(Mc, v, true, false), epsilon);
      }
    }
    const uConst = stopGradient(u);
    const sigma = tf.maximum(l2(tf.matMul(M, uConst)), epsilon);
    const w = tf.div(W, sigma);
    const next = tf.reshape(training ? uConst : tf.clone(state.u), [out]);
    return { w, state: { u: next } };
  });
}

/**
 * `u` itself when its norm is finite and above `epsilon`, else (a zero, NaN or infinite `u`, whose
 * power iteration would give 0/0) the uniform unit vector `1/√out` — chosen on the device, so
 * no value is read.
 */
function usableStart(u: tf.Tensor, epsilon: number): tf.Tensor {
  const norm = l2(u);
  const usable = tf.logicalAnd(tf.isFinite(norm), tf.greater(norm, epsilon));
  const uniform = tf.fill(u.shape, 1 / Math.sqrt(u.shape[0] as number));
  return tf.where(usable, u, uniform);
}

/**
 * A random unit vector `u` (shape `[out]`, `out` the last axis of `kernelShape`) to start
 * {@link spectralNorm}'s power iteration, drawn from `rng` (the same on every backend).
 *
 * @throws DescentError `SHAPE_MISMATCH` for a kernel shape of rank < 2; `BAD_ARGUMENT` for a bad
 * shape (not an array of positive integers, or more than 2²⁴ output units) or rng.
 *
 * @example
 * ```ts
 * const state = spectralNormState([3, 3, 16, 32], new Rng(7));   // state.u: [32]
 * ```
 */
export function spectralNormState(kernelShape: readonly number[], rng: Rng): SpectralNormState {
  const ok =
    Array.isArray(kernelShape) &&
    kernelShape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1);
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `spectralNormState: kernelShape must be an array of positive integers, got ${describeShapeArg(kernelShape)}.`,
    );
  }
  if (kernelShape.length < 2) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `spectralNormState: kernelShape ${formatShape(kernelShape)} must have rank ≥ 2 (e.g. [in, out]).`,
    );
  }
  if (typeof (rng as Partial<Rng> | null)?.normalArray !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      'spectralNormState: rng must be an Rng from @descent/core.',
    );
  }
  const out = kernelShape[kernelShape.length - 1] as number;
  if (out > MAX_CHANNELS) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `spectralNormState: kernelShape ${formatShape(kernelShape)} has ${out} output units; at most ` +
        `${MAX_CHANNELS} are supported.`,
    );
  }
  const values = rng.normalArray(out);
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return { u: tf.tensor1d(values.map((v) => v / norm)) };
}

function describeShapeArg(value: unknown): string {
  return Array.isArray(value)
    ? `[${value.map((d) => describeValue(d)).join(', ')}]`
    : describeValue(value);
}

function normalize(t: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.div(t, tf.maximum(l2(t), epsilon));
}

function l2(t: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(t)));
}
