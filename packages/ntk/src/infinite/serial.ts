import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  describeValue,
  formatShape,
  isPlainObject,
} from '@descent/core';
import { abReluMoments, readAbRelu } from './ab-relu';
import { readDense } from './dense';
import { erfMoments } from './erf';
import { float32Kernels } from './float32-kernel';
import { float64Kernels } from './float64-kernel';
import {
  type KernelInput,
  type KernelInputValue,
  canReadSync,
  inputValues,
  readKernelInput,
} from './kernel-inputs';
import type { Layer } from './layer';
import type { Step } from './recursion';
import { reluMoments } from './relu';

/** Options of a {@link KernelFn}. */
export interface KernelOptions {
  /**
   * `'float64'`: the recursions in float64 JS (needs inputs readable synchronously); `'float32'`:
   * tfjs ops on the active backend. Default: `'float64'` when `N1·N2 ≤ 65 536` and a synchronous
   * read is possible, `'float32'` otherwise.
   */
  precision?: 'float64' | 'float32';
}

/** The infinite-width kernels of two sets of points: float32 tensors `[N1, N2]` the caller disposes. */
export interface Kernels {
  nngp: tf.Tensor2D;
  ntk: tf.Tensor2D;
}

/** The kernel function of a {@link serial} net. */
export type KernelFn = (
  x1: KernelInputValue,
  x2?: KernelInputValue | null,
  options?: KernelOptions,
) => Kernels;

/** The largest `N1·N2` computed in float64 JS by default (beyond it, tfjs ops are faster). */
export const FLOAT64_MAX_PAIRS = 65_536;

const LAYER_NAMES = 'dense(), relu(), erf() or abRelu(a, b)';

/**
 * Composes layers into an infinite-width fully connected net and returns its analytic kernel
 * function (neural-tangents' `stax.serial(...)[2]`). The net is dense layers with one
 * nonlinearity (`relu`, `erf`, `abRelu`) or none between them, ending in the readout dense.
 *
 * `kernelFn(x1, x2?, options?)` returns the NNGP `K(x, x′) = E[f(x) f(x′)]` over random
 * initializations and the NTK `Θ(x, x′) = Σ_θ ∂f(x)/∂θ · ∂f(x′)/∂θ` of the infinitely wide net
 * (of one output unit; all units are independent and alike), for every pair of rows of `x1`
 * (`[N1, d]`) and `x2` (`[N2, d]`). The recursions (Jacot et al. 2018, Lee et al. 2019, Arora
 * et al. 2019) start from `q = x·x′/d` and `Θ̃ = 0`; each dense maps
 * `K = σ_w² q + σ_b²` and `Θ = K + σ_w² Θ̃` (`'ntk'`; `Θ = n q + 1 + σ_w² Θ̃` for `'standard'`,
 * `n` the fan-in); each nonlinearity `φ` maps `q = E[φ(u)φ(v)]` and `Θ̃ = Σ̇ Θ` with
 * `Σ̇ = E[φ′(u)φ′(v)]`, `(u, v) ~ N(0, K)`, tracking the variances `K(x, x)` and `K(x′, x′)`
 * alongside. For one ReLU hidden layer with `σ_w = 1`, `σ_b = 0`:
 * `K₂ = √(K₁K₁′)(sin θ + (π − θ) cos θ)/(2π)` and `Θ₂ = K₂ + K₁ (π − θ)/(2π)`,
 * `θ = arccos(K₁/√(K₁K₁′))`.
 *
 * `x2` omitted (or `null`) gives the symmetric kernel of `x1`, computed once and exactly
 * symmetric. Two paths run the same recursions: float64 JS (when `N1·N2 ≤ 65 536` and the inputs
 * can be read synchronously: arrays, or tensors on cpu, wasm or tensorflow) and float32 tfjs ops
 * otherwise; `options.precision` forces one. The call is synchronous and never reads a tensor on
 * webgpu, so NaN or infinite values in a tensor there are not reported (they come out as NaN).
 *
 * @param layers - Layer descriptions from {@link dense}, {@link relu}, {@link erf},
 *   {@link abRelu} (plain objects; they are checked again here).
 * @returns `{ kernelFn }`.
 * @throws DescentError `BAD_ARGUMENT` naming `serial: layers[i]` for an unknown layer, a
 *   nonlinearity that does not follow a dense, a `'standard'` dense after a dense without
 *   `width`; `BAD_ARGUMENT` for an empty net or one not ending in dense; the layer's own errors.
 *   `kernelFn` throws `BAD_ARGUMENT` (bad inputs or options, `'float64'` asked on a backend that
 *   cannot read synchronously), `SHAPE_MISMATCH` (not 2-D, `x1` and `x2` with different `d`),
 *   `DTYPE_MISMATCH`, `NON_FINITE` (a non-finite input value that can be read), `DISPOSED`,
 *   `UNKNOWN_PARAM`, `BAD_HYPERPARAM`; nothing is allocated before.
 * @example
 * ```ts
 * const { kernelFn } = serial(dense({ biasStd: 0.1 }), relu(), dense({ biasStd: 0.1 }));
 * const { nngp, ntk } = kernelFn([[1, 0], [0.6, 0.8]]); // [2, 2] each
 * ```
 * @see A. Jacot, F. Gabriel, C. Hongler, Neural Tangent Kernel, NeurIPS 2018; J. Lee et al., Wide
 *   Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent, NeurIPS 2019;
 *   S. Arora et al., On Exact Computation with an Infinitely Wide Neural Net, NeurIPS 2019;
 *   R. Novak et al., Neural Tangents, ICLR 2020.
 */
export function serial(...layers: Layer[]): { kernelFn: KernelFn } {
  const steps = compile(layers);
  return { kernelFn: (x1, x2, options) => kernels(steps, x1, x2, options) };
}

function compile(layers: readonly unknown[]): Step[] {
  if (layers.length === 0) {
    throw new DescentError('BAD_ARGUMENT', 'serial: needs at least one layer (a dense), got none.');
  }
  const steps: Step[] = [];
  let previousWidth: number | 'data' | undefined = 'data';
  layers.forEach((raw, i) => {
    const what = `serial: layers[${i}]`;
    const kind = isPlainObject(raw) ? raw.kind : undefined;
    if (kind === 'dense') {
      const layer = readDense(raw, what, [
        'kind',
        'weightStd',
        'biasStd',
        'parameterization',
        'width',
      ]);
      if (layer.parameterization === 'standard' && previousWidth === undefined) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${what} is a 'standard' dense, whose NTK needs its fan-in, but the previous dense has no width; give it dense({ width }).`,
        );
      }
      steps.push({ type: 'dense', ...layer, fanIn: previousWidth });
      previousWidth = layer.width;
      return;
    }
    const moments = momentsOf(raw, kind, what);
    if (steps.at(-1)?.type !== 'dense') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${what} is a nonlinearity (${String(kind)}) that does not follow a dense layer; the recursions need Gaussian inputs, so put a dense before it.`,
      );
    }
    steps.push({ type: 'nonlinearity', moments });
  });
  if (steps.at(-1)?.type !== 'dense') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `serial: the last layer must be the readout dense, got layers[${layers.length - 1}] of kind ${String((layers.at(-1) as { kind?: unknown }).kind)}.`,
    );
  }
  return steps;
}

function momentsOf(raw: unknown, kind: unknown, what: string) {
  const layer = raw as Record<string, unknown>;
  if ((kind === 'relu' || kind === 'erf') && Object.keys(layer).length === 1) {
    return kind === 'relu' ? reluMoments : erfMoments;
  }
  if (kind === 'abRelu' && Object.keys(layer).every((k) => ['kind', 'a', 'b'].includes(k))) {
    const { a, b } = readAbRelu(layer.a, layer.b, `${what}.`);
    return abReluMoments(a, b);
  }
  throw new DescentError(
    'BAD_ARGUMENT',
    `${what} must be a layer from ${LAYER_NAMES}, got ${describeValue(raw)}.`,
  );
}

function kernels(steps: readonly Step[], x1: unknown, x2: unknown, options: unknown): Kernels {
  const first = readKernelInput('x1', x1);
  const second = x2 === undefined || x2 === null ? null : readKernelInput('x2', x2);
  if (second !== null && second.dim !== first.dim) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `kernelFn: x1 has shape ${formatShape([first.rows, first.dim])} but x2 has shape ${formatShape([second.rows, second.dim])}; their feature sizes (d) must match.`,
    );
  }
  const read = new OptionReader('kernelFn', options ?? {}, ['precision']);
  const forced =
    read.raw('precision') === undefined
      ? undefined
      : read.oneOf('precision', ['float64', 'float32']);
  const inputs = second === null ? [first] : [first, second];
  const readable = inputs.every((x) => x.values !== undefined) || canReadSync();
  if (forced === 'float64' && !readable) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `kernelFn.precision 'float64' reads the inputs synchronously, which backend ${tf.getBackend()} cannot; pass number[][] or use 'float32'.`,
    );
  }
  const pairs = first.rows * (second ?? first).rows;
  const precision = forced ?? (readable && pairs <= FLOAT64_MAX_PAIRS ? 'float64' : 'float32');
  const values = readable ? inputs.map(inputValues) : [];
  if (precision === 'float64') {
    const k = float64Kernels(steps, values[0] as Float64Array, values[1] ?? null, first.dim);
    const shape: [number, number] = [first.rows, (second ?? first).rows];
    return {
      nngp: tf.tensor2d(Float32Array.from(k.nngp), shape, 'float32'),
      ntk: tf.tensor2d(Float32Array.from(k.ntk), shape, 'float32'),
    };
  }
  return tf.tidy(() => {
    const t1 = asTensor(first);
    return float32Kernels(steps, t1, second === null ? null : asTensor(second));
  });
}

function asTensor(input: KernelInput): tf.Tensor2D {
  if (input.tensor) return tf.cast(input.tensor, 'float32') as tf.Tensor2D;
  return tf.tensor2d(Float32Array.from(input.values as Float64Array), [input.rows, input.dim]);
}
