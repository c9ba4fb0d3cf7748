import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../../errors/descent-error';
import type { KernelPath } from '../../kernel/define-kernel';
import { gradientOfGradient } from '../../gradients/second-order';
import { livesOnActiveBackend, wasmInternals, webGpuInternals } from '../../kernel/tfjs-internals';
import { formatShape } from '../../validate/format-shape';
import { checkOptions } from '../../validate/check-options';
import { describeValue } from '../../validate/describe-value';
import { checkNumber } from '../../validate/number-checks';
import { checkDtype, sameShape } from '../../validate/tensor-checks';
import { checkSegmentLayout, type SegmentNormLayout } from './segment-norm-layout';
import {
  segmentNormBackwardOps,
  segmentNormForwardOps,
  segmentNormReference,
} from './segment-norm-reference';
import { segmentNormBackwardWasm, segmentNormForwardWasm } from './segment-norm-wasm';
import { segmentNormBackwardWebGpu, segmentNormForwardWebGpu } from './segment-norm-webgpu';

/** Options of {@link segmentNorm}. */
export interface SegmentNormOptions {
  /** `'reference'` forces the tfjs-ops version (parity tests, debugging). Default `'auto'`. */
  path?: 'auto' | 'reference';
}

/**
 * The path {@link segmentNorm} takes on the active backend: `'wasm-simd'` (the generated module;
 * its `f32x4` loops run when `groupSize % 4 = 0`, scalar loops otherwise), `'webgpu'`, or
 * `'reference'` (tfjs ops: cpu and every other backend, and on every backend whenever a gradient
 * of a gradient may be taken — inside `withSecondOrder` or a nested gradient tape, see
 * `gradientOfGradient` — since the fused backward is first-order only).
 *
 * @example
 * ```ts
 * if (segmentNormPath() === 'reference') console.log('no fused normalization on', tf.getBackend());
 * ```
 */
export function segmentNormPath(): KernelPath {
  if (gradientOfGradient()) return 'reference';
  if (wasmInternals()) return 'wasm-simd';
  if (webGpuInternals()) return 'webgpu';
  return 'reference';
}

type Stats = { y: tf.Tensor; mean: tf.Tensor; rstd: tf.Tensor };

/**
 * Which implementation the latest fused-path forward and backward actually ran (for tests: the
 * fused hosts fall back to tfjs ops, silently, when a tensor does not live on the backend).
 * Internal, not exported from the package.
 */
export const segmentNormLastRun: { forward: KernelPath | null; backward: KernelPath | null } = {
  forward: null,
  backward: null,
};
type Grads = { dx: tf.Tensor; dGamma: tf.Tensor; dBeta: tf.Tensor };

function fusedForward(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  layout: SegmentNormLayout,
  epsilon: number,
): Stats {
  const wasm = wasmInternals();
  if (wasm) {
    const out = segmentNormForwardWasm(wasm, x, gamma, beta, layout, epsilon);
    segmentNormLastRun.forward = out ? 'wasm-simd' : 'reference';
    if (out) return out;
  }
  const gpu = webGpuInternals();
  if (gpu && [x, gamma, beta].every(livesOnActiveBackend)) {
    segmentNormLastRun.forward = 'webgpu';
    return segmentNormForwardWebGpu(gpu, x, gamma, beta, layout, epsilon);
  }
  segmentNormLastRun.forward = 'reference';
  return segmentNormForwardOps(x, gamma, beta, layout, epsilon);
}

function fusedBackward(
  x: tf.Tensor,
  gamma: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
  dy: tf.Tensor,
  layout: SegmentNormLayout,
): Grads {
  const wasm = wasmInternals();
  if (wasm) {
    const out = segmentNormBackwardWasm(wasm, x, gamma, mean, rstd, dy, layout);
    segmentNormLastRun.backward = out ? 'wasm-simd' : 'reference';
    if (out) return out;
  }
  const gpu = webGpuInternals();
  if (gpu && [x, gamma, mean, rstd, dy].every(livesOnActiveBackend)) {
    segmentNormLastRun.backward = 'webgpu';
    return segmentNormBackwardWebGpu(gpu, x, gamma, mean, rstd, dy, layout);
  }
  segmentNormLastRun.backward = 'reference';
  return segmentNormBackwardOps(x, gamma, mean, rstd, dy, layout);
}

/**
 * Segment normalization, the one kernel behind layer norm over the last axis and group norm
 * (channels-last): `x` is viewed as `[A, S, B, L]` (see {@link SegmentNormLayout}), and every
 * segment (a, b) — the `n = S·L` elements `x[a, s, b, j]` — is normalized with its own mean and
 * biased variance, then scaled and shifted per channel `c = b·L + j`:
 *
 * `μ = Σx/n`, `σ² = Σ(x − μ)²/n` (two passes), `y = (x − μ)/√(σ² + ε)·γ_c + β_c`.
 *
 * On **wasm** one generated WebAssembly module (`f32x4` SIMD over `j` when `L % 4 = 0`) reads and
 * writes the tfjs heap in place; on **webgpu** one dispatch (a workgroup per segment, shared-memory
 * tree reductions). Its gradient (`tf.customGrad`) is fused the same way, from the saved μ and
 * `rstd = 1/√(σ² + ε)`: with `x̂ = (x − μ)·rstd` and `g = dy·γ_c`,
 * `dx = rstd·(g − Σg/n − x̂·Σ(g·x̂)/n)`, `dγ_c = Σ_{a,s} dy·x̂`, `dβ_c = Σ_{a,s} dy` (wasm: one
 * module call; webgpu: a dispatch for dx and one, a workgroup per channel, for dγ, dβ). Sums are
 * float32 (two-level on wasm, tree reductions on webgpu). Elsewhere (cpu, other backends, or
 * `path: 'reference'`) it runs the tfjs-ops reference.
 *
 * The fused gradient is **first order only**: the backward kernels are not themselves
 * differentiable. Inside `withSecondOrder` (Hessian-vector products) the reference path runs
 * instead, automatically; elsewhere `path: 'reference'` forces it.
 *
 * @param x - float32, any shape with `A·S·B·L` elements
 * @param gamma - scale, shape `[C]` (`C = B·L`); omitted = 1
 * @param beta - shift, shape `[C]`; omitted = 0
 * @param layout - the `[A, S, B, L]` view of x
 * @param epsilon - added to σ² inside the square root (> 0)
 * @returns y, x's shape (a new tensor)
 * @throws DescentError `SHAPE_MISMATCH` (layout does not cover x, γ/β not `[C]`), `DTYPE_MISMATCH`,
 * `DISPOSED`, `BAD_ARGUMENT` (layout, options that are no plain object), `BAD_HYPERPARAM` / `NON_FINITE`
 * (ε ≤ 0 or not finite), `UNKNOWN_PARAM` (options, layout fields).
 *
 * @example
 * ```ts
 * // group norm of NHWC [8, 16, 16, 64] with 8 groups
 * const y = segmentNorm(x, gamma, beta, { outer: 8, spatial: 256, groups: 8, groupSize: 8 }, 1e-5);
 * ```
 * @see Ba, Kiros & Hinton (2016), "Layer Normalization"; Wu & He (2018), "Group Normalization".
 */
export function segmentNorm(
  x: tf.Tensor,
  gamma: tf.Tensor | undefined,
  beta: tf.Tensor | undefined,
  layout: SegmentNormLayout,
  epsilon: number,
  options: SegmentNormOptions = {},
): tf.Tensor {
  checkOptions('segmentNorm', options, ['path']);
  const opts: SegmentNormOptions = options;
  checkDtype('segmentNorm: x', x, 'float32');
  const channels = checkSegmentLayout('segmentNorm: layout', layout, x.size, x.shape);
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t === undefined) continue;
    checkDtype(`segmentNorm: ${name}`, t, 'float32');
    if (!sameShape(t.shape, [channels])) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `segmentNorm: ${name} has shape ${formatShape(t.shape)}, expected [${channels}] (C = groups·groupSize).`,
      );
    }
  }
  checkNumber('segmentNorm: epsilon', epsilon, { min: 0, minExclusive: true });
  const path = opts.path ?? 'auto';
  if (path !== 'auto' && path !== 'reference') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `segmentNorm: options.path must be 'auto' or 'reference', got ${describeValue(path)}.`,
    );
  }
  if (path === 'reference' || segmentNormPath() === 'reference') {
    segmentNormLastRun.forward = 'reference';
    segmentNormLastRun.backward = null;
    return segmentNormReference(x, gamma, beta, layout, epsilon);
  }
  return fusedSegmentNorm(x, gamma, beta, { ...layout }, epsilon);
}

function fusedSegmentNorm(
  x: tf.Tensor,
  gamma: tf.Tensor | undefined,
  beta: tf.Tensor | undefined,
  layout: SegmentNormLayout,
  epsilon: number,
): tf.Tensor {
  const channels = [layout.groups * layout.groupSize];
  const inputs = [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[inputs.length] as tf.GradSaveFunc;
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    const gammaT = gamma ? (xs[1] as tf.Tensor) : tf.ones(channels);
    const betaT = beta ? (xs[gamma ? 2 : 1] as tf.Tensor) : tf.zeros(channels);
    const { y, mean, rstd } = fusedForward(xs[0] as tf.Tensor, gammaT, betaT, layout, epsilon);
    save([xs[0] as tf.Tensor, gammaT, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs0, g, m, r] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const grads = fusedBackward(xs0, g, m, r, dy, layout);
        const out = [grads.dx];
        if (gamma) out.push(grads.dGamma);
        else grads.dGamma.dispose();
        if (beta) out.push(grads.dBeta);
        else grads.dBeta.dispose();
        return out;
      },
    };
  });
  return op(...inputs);
}
