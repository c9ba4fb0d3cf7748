import * as tf from '@tensorflow/tfjs-core';
import { type Params, accuracy } from '@descent/core';
import type { Dataset } from '@descent/data';
import type { Net } from '@descent/nets';

/** A labelled set held on the device once, to score many networks on. */
export interface EvaluationSet {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
  /** Disposes `x` and `y`. */
  dispose(): void;
}

/** Uploads a flat dataset with class labels (`x` `[n, d]`, `y` int32). */
export function evaluationSet(data: Dataset): EvaluationSet {
  const d = data.xShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor2d(data.x, [data.n, d]);
  const y = tf.tensor1d(data.y as Int32Array, 'int32');
  return { x, y, dispose: () => tf.dispose([x, y]) };
}

/** The fraction of `set` that `net` with `params` classifies right (one forward pass). */
export async function accuracyOn(net: Net, params: Params, set: EvaluationSet): Promise<number> {
  const logits = net.apply(params, set.x);
  try {
    return await accuracy(logits, set.y);
  } finally {
    logits.dispose();
  }
}
