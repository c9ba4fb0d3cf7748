import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Rng, checkNumber, formatShape } from '@descent/core';
import { checkInput, readOptions, checkParamShape, checkTraining } from './checks';
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
 * @throws DescentError `SHAPE_MISMATCH` (rank < 2, `u` not `[out]`), `BAD_HYPERPARAM`
 * (iterations not an integer ≥ 0, ε ≤ 0, `training` missing), `DTYPE_MISMATCH`, `DISPOSED`,
 * `UNKNOWN_PARAM`.
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
  const opts = readOptions('spectralNorm', options, ['training', 'iterations', 'epsilon']);
  checkInput('spectralNorm: W', W, 2, 'a kernel such as [in, out] or [kh, kw, in, out]');
  checkTraining('spectralNorm: options.training', opts.training);
  const iterations = opts.iterations ?? 1;
  checkNumber('spectralNorm: options.iterations', iterations, { integer: true, min: 0 });
  const epsilon = opts.epsilon ?? 1e-12;
  checkNumber('spectralNorm: options.epsilon', epsilon, { min: 0, minExclusive: true });
  const out = W.shape[W.rank - 1] as number;
  if (typeof state !== 'object' || state === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `spectralNorm: state must be an object { u } (see spectralNormState), got ${String(state)}.`,
    );
  }
  checkParamShape(
    'spectralNorm: state.u',
    state.u,
    [out],
    `one entry per output unit of W ${formatShape(W.shape)}`,
  );
  return tf.tidy(() => {
    const M = tf.reshape(W, [-1, out]);
    let u = tf.reshape(state.u, [out, 1]);
    if (opts.training) {
      // The iteration itself is no part of the gradient: it only moves u.
      const Mc = stopGradient(M);
      for (let i = 0; i < iterations; i++) {
        const v = normalize(tf.matMul(Mc, u), epsilon);
        u = normalize(tf.matMul(Mc, v, true, false), epsilon);
      }
    }
    const uConst = stopGradient(u);
    const sigma = l2(tf.matMul(M, uConst));
    const w = tf.div(W, sigma);
    const next = tf.reshape(opts.training ? uConst : tf.clone(state.u), [out]);
    return { w, state: { u: next } };
  });
}

/**
 * A random unit vector `u` (shape `[out]`, `out` the last axis of `kernelShape`) to start
 * {@link spectralNorm}'s power iteration, drawn from `rng` (the same on every backend).
 *
 * @throws DescentError `SHAPE_MISMATCH` for a kernel shape of rank < 2; `BAD_ARGUMENT` for a bad shape or rng.
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
      `spectralNormState: kernelShape must be an array of positive integers, got ${JSON.stringify(kernelShape)}.`,
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
  const values = rng.normalArray(out);
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return { u: tf.tensor1d(values.map((v) => v / norm)) };
}

function normalize(t: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.div(t, tf.maximum(l2(t), epsilon));
}

function l2(t: tf.Tensor): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(t)));
}
