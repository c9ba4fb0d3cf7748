import type { Arith } from './arith';

/** A dense (fully connected) layer of an infinite-width net; made by {@link dense}. */
export interface DenseLayer {
  readonly kind: 'dense';
  readonly weightStd: number;
  readonly biasStd: number;
  readonly parameterization: 'ntk' | 'standard';
  /** The layer's output width; only the `'standard'` NTK of the next dense depends on it. */
  readonly width?: number;
}

/** ReLU, `max(x, 0)`; made by {@link relu}. */
export interface ReluLayer {
  readonly kind: 'relu';
}

/** The error function `erf(x)`; made by {@link erf}. */
export interface ErfLayer {
  readonly kind: 'erf';
}

/** `a·min(x, 0) + b·max(x, 0)`; made by {@link abRelu}. */
export interface AbReluLayer {
  readonly kind: 'abRelu';
  readonly a: number;
  readonly b: number;
}

/** One layer of {@link serial}: a plain description, no tensors. */
export type Layer = DenseLayer | ReluLayer | ErfLayer | AbReluLayer;

/** A nonlinearity layer (everything but dense). */
export type NonlinearityLayer = ReluLayer | ErfLayer | AbReluLayer;

/** The two Gaussian expectations a nonlinearity `φ` contributes to the kernel recursions. */
export interface GaussianMoments<T> {
  /** `E[φ(u)φ(v)]`, the next NNGP before the dense layer's affine map. */
  q: T;
  /** `Σ̇ = E[φ′(u)φ′(v)]`, the factor on the NTK carried back through `φ`. */
  dot: T;
}

/**
 * The closed forms of a nonlinearity for `(u, v) ~ N(0, [[k11, k12], [k12, k22]])`: `cross` for
 * any pair, `diag` for `u = v` (variance `k`), used for the diagonal so that it is exact.
 */
export interface Moments {
  cross<T>(A: Arith<T>, k12: T, k11: T, k22: T): GaussianMoments<T>;
  diag<T>(A: Arith<T>, k: T): GaussianMoments<T>;
}
