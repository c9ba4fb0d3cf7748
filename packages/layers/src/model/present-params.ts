import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A `LayerVariable` seen from inside: `read()` returns `val`, `write()` assigns to it. */
interface OpenVariable {
  val: tf.Tensor;
  write?: (value: tf.Tensor) => unknown;
}

let presenting = 0;

/**
 * Whether a {@link withPresentedParams} call is running: weight writes are being dropped, so a
 * layer must not record in its own JavaScript state that a write happened.
 */
export function paramsArePresented(): boolean {
  return presenting > 0;
}

/**
 * Runs `fn` while every `variables[i].read()` returns `tensors[i]` and every `write` is dropped,
 * then puts the variables back (also when `fn` throws). Layers read their weights through
 * `read()`, so `fn`'s computation depends on the given tensors (gradients reach them) and on
 * nothing the variables hold; the writes a layer makes in training mode (batch normalization's
 * moving averages) are discarded, so neither the given tensors nor the variables change.
 * Internal: the caller checks shapes and dtypes.
 */
export function withPresentedParams<T>(
  variables: readonly tfl.LayerVariable[],
  tensors: readonly tf.Tensor[],
  fn: () => T,
): T {
  const open = variables as unknown as OpenVariable[];
  const saved = open.map((v) => v.val);
  presenting++;
  try {
    open.forEach((v, i) => {
      v.val = tensors[i] as tf.Tensor;
      v.write = () => v;
    });
    return fn();
  } finally {
    presenting--;
    open.forEach((v, i) => {
      v.val = saved[i] as tf.Tensor;
      delete v.write;
    });
  }
}
