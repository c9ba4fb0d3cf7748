import * as tf from '@tensorflow/tfjs-core';
import { DescentError, describeValue, isTensor } from '@descent/core';

/** The loss and the gradients of one evaluation, in the order of the variables. */
export interface LossGradients {
  value: tf.Scalar;
  grads: (tf.Tensor | null | undefined)[];
}

/** What the loss function returned in the evaluation under way (read by {@link forward}). */
let lossFn: (() => unknown) | undefined;
let returned: unknown;

/**
 * The forward pass handed to tfjs: the user's loss function, its result recorded as it is, and a
 * tensor always returned so that tfjs never throws half-way through its tape (which leaks the
 * tensors the tape saved). One module-level function, so no closure is made per step.
 */
function forward(): tf.Tensor {
  returned = (lossFn as () => unknown)();
  return isTensor(returned) && !returned.isDisposed ? returned : tf.scalar(0);
}

/**
 * Evaluates `f` and its gradients with respect to `variables`, then checks what `f` returned: a
 * live float32 scalar tensor that depends on at least one of the variables. On a bad result every
 * tensor the evaluation made is freed before the error is thrown; an exception `f` throws itself
 * passes through unchanged.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the loss function's result (not a tensor, disposed, not
 *   a scalar (with its shape), not float32, or connected to none of the variables).
 */
export function lossGradients(f: () => unknown, variables: readonly tf.Variable[]): LossGradients {
  const outer = [lossFn, returned] as const;
  const firstId = nextTensorId();
  lossFn = f;
  try {
    const { value, grads } = tf
      .engine()
      .gradients(forward, variables as tf.Variable[], undefined, true);
    const problem = lossResultProblem(returned, value, grads, variables);
    if (problem) {
      // A tensor the loss function made before this call (a constant it returns) stays the caller's.
      if (value.id >= firstId) value.dispose();
      tf.dispose(grads.filter((g): g is tf.Tensor => g != null));
      throw problem;
    }
    return { value: value as tf.Scalar, grads };
  } finally {
    [lossFn, returned] = outer;
  }
}

/** The id the next tensor will get (tfjs numbers tensors in creation order); NaN if unknown. */
function nextTensorId(): number {
  const id = (tf.engine().constructor as unknown as { nextTensorId?: unknown }).nextTensorId;
  return typeof id === 'number' ? id : Number.NaN;
}

/** Why a loss function's result is unusable, or `undefined` when it is fine. */
function lossResultProblem(
  result: unknown,
  value: tf.Tensor,
  grads: readonly (tf.Tensor | null | undefined)[],
  variables: readonly tf.Variable[],
): DescentError | undefined {
  const what = "the loss function's result";
  if (!isTensor(result) || result.isDisposed) {
    return new DescentError(
      'BAD_ARGUMENT',
      `${what} must be a float32 scalar tf.Tensor, got ${describeValue(result)}.`,
    );
  }
  if (value.rank !== 0 || value.dtype !== 'float32') {
    return new DescentError(
      'BAD_ARGUMENT',
      `${what} must be a float32 scalar tf.Tensor (shape []), got ${describeValue(value)}.`,
    );
  }
  if (grads.every((g) => g == null)) {
    const names = variables.slice(0, 6).map((v) => v.name);
    const more = variables.length > 6 ? `, … (${variables.length} in all)` : '';
    return new DescentError(
      'BAD_ARGUMENT',
      `${what} is not connected to any of the variables ${names.join(', ')}${more}: ` +
        'compute it from the variables inside the loss function.',
    );
  }
  return undefined;
}
