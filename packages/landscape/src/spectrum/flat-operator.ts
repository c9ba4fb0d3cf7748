import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, flattenParams, unflattenParams } from '@descent/core';
import { hvpOperator } from '../hessian/hvp';
import { type LossFn, checkFloatParams, checkLossFn } from '../loss/loss-fn';

/** The key of the one flat parameter of {@link FlatProblem.loss}. */
export const FLAT_KEY = 'theta';

/**
 * A loss seen as a function of one flat vector: `θ` as a single float32 `[P]` tensor in core's
 * `flattenParams` order (sorted keys, row-major), and the loss of `{ [FLAT_KEY]: θ }` that cuts
 * it back into `params`' shapes. Every parameter is then connected to the loss through the one
 * vector (a parameter the loss ignores gets zero derivatives instead of tfjs's "cannot compute
 * gradient" error), and the spectrum methods work with plain vector algebra. Internal.
 */
export interface FlatProblem {
  /** `P`, the number of parameters. */
  readonly size: number;
  /** `θ` flattened, a new tensor (freed by `dispose`). */
  readonly theta: tf.Tensor1D;
  /** `L` as a function of `{ [FLAT_KEY]: θ }`. */
  readonly loss: LossFn;
  /** A flat vector as new tensors keyed and shaped like `params`. */
  toParams(v: tf.Tensor1D): Params;
  dispose(): void;
}

/**
 * Checks `loss` and `params` and flattens `params`.
 *
 * @throws DescentError `BAD_ARGUMENT` (loss not a function, params not a non-empty map of
 *   tensors or holding no number at all), `DTYPE_MISMATCH`, `DISPOSED`.
 */
export function flatProblem(fn: string, loss: unknown, params: unknown): FlatProblem {
  checkLossFn(fn, loss);
  checkFloatParams(`${fn}: params`, params);
  const theta = flattenParams(params);
  if (theta.size === 0) {
    theta.dispose();
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: params must hold at least one number, got only empty tensors.`,
    );
  }
  return {
    size: theta.size,
    theta,
    loss: (p) => loss(unflattenParams(p[FLAT_KEY] as tf.Tensor, params)),
    toParams: (v) => unflattenParams(v, params),
    dispose: () => theta.dispose(),
  };
}

/** The Hessian at `θ` as an operator on flat vectors. Internal. */
export interface FlatHvpOperator {
  /** `P`, the number of parameters. */
  readonly size: number;
  /** `H·v` as a new `[P]` tensor. */
  apply(v: tf.Tensor1D): tf.Tensor1D;
  /** A flat vector as new tensors keyed and shaped like `params`. */
  toParams(v: tf.Tensor1D): Params;
  /** Frees the flat copy of `θ`. */
  dispose(): void;
}

/**
 * Checks `loss` and `params` (see {@link flatProblem}) and makes the operator `v ↦ H·v` on flat
 * vectors, by core's double backpropagation (`hvpOperator`). The caller disposes it.
 *
 * @throws DescentError as {@link flatProblem}; a failing or non-scalar loss only on `apply`.
 */
export function flatHvpOperator(fn: string, loss: unknown, params: unknown): FlatHvpOperator {
  const problem = flatProblem(fn, loss, params);
  const op = hvpOperator(fn, problem.loss, { [FLAT_KEY]: problem.theta });
  return {
    size: problem.size,
    apply: (v) => op.apply({ [FLAT_KEY]: v })[FLAT_KEY] as tf.Tensor1D,
    toParams: problem.toParams,
    dispose: problem.dispose,
  };
}
