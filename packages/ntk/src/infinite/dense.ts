import { OptionReader } from '@descent/core';
import type { DenseLayer } from './layer';

/** Options of {@link dense}. */
export interface DenseOptions {
  /** `σ_w` (default 1), ≥ 0. */
  weightStd?: number;
  /** `σ_b` (default 0), ≥ 0. */
  biasStd?: number;
  /** `'ntk'` (default) or `'standard'`; see {@link dense}. */
  parameterization?: 'ntk' | 'standard';
  /** The number of units (a positive integer); required before a `'standard'` dense. */
  width?: number;
}

const KNOWN = ['weightStd', 'biasStd', 'parameterization', 'width'];

/**
 * A dense layer of an infinite-width fully connected net, for {@link serial} (neural-tangents'
 * `stax.Dense`). With fan-in `n`:
 * - `'ntk'` (default): weights and biases ~ N(0, 1), the layer computes `σ_w/√n · x W + σ_b · b`;
 * - `'standard'`: `W ~ N(0, σ_w²/n)`, `b ~ N(0, σ_b²)`, the layer computes `x W + b`.
 *
 * Both give the same NNGP, `K = σ_w² · q + σ_b²` where `q = E[φ(u)φ(v)]` is the kernel of the
 * layer's input (`x·x′/d` for the data). The NTK differs by the gradients of the layer's own
 * parameters: `Θ = σ_w² q + σ_b² + σ_w² Θ̃` for `'ntk'` and `Θ = n q + 1 + σ_w² Θ̃` for
 * `'standard'` (`Θ̃` the NTK carried back through the nonlinearity; see {@link serial}). So a
 * `'standard'` dense needs its fan-in: the data dimension for the first dense, the `width` of the
 * previous dense after that. `width` is ignored otherwise (the readout's is never used).
 *
 * @param options - `weightStd` (1), `biasStd` (0), `parameterization` (`'ntk'`), `width`.
 * @returns a frozen plain description of the layer.
 * @throws DescentError `BAD_ARGUMENT` (options not a plain object), `UNKNOWN_PARAM` (an unknown
 *   option), `BAD_HYPERPARAM` (a negative std, a width that is no positive integer, an unknown
 *   parameterization), `NON_FINITE`.
 * @example
 * ```ts
 * const net = serial(dense({ weightStd: 1.5, biasStd: 0.1 }), relu(), dense({ weightStd: 1.5 }));
 * const { nngp, ntk } = net.kernelFn(x);
 * ```
 */
export function dense(options: DenseOptions = {}): DenseLayer {
  return readDense(options, 'dense', KNOWN);
}

/**
 * Checks dense options (or a dense description, whose `kind` is then among `known`) and returns the
 * frozen description; `what` names the value in messages.
 */
export function readDense(options: unknown, what: string, known: readonly string[]): DenseLayer {
  if (options === undefined || options === null) return readDense({}, what, known);
  const read = new OptionReader(what, options, known);
  const weightStd = read.number('weightStd', 1, { min: 0 });
  const biasStd = read.number('biasStd', 0, { min: 0 });
  const parameterization = read.oneOf('parameterization', ['ntk', 'standard'], 'ntk');
  if (read.raw('width') === undefined) {
    return Object.freeze({ kind: 'dense', weightStd, biasStd, parameterization });
  }
  const width = read.integer('width', undefined, { min: 1 });
  return Object.freeze({ kind: 'dense', weightStd, biasStd, parameterization, width });
}
