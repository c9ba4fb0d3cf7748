import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkDtype, checkTensor, sameShape } from '../validate/tensor-checks';
import { checkLabels } from './check-labels';

/**
 * The fraction of examples whose highest logit is the labelled class,
 * `(1/N)·Σₙ [argmax_c zₙ,c = yₙ]`, as a plain number in [0, 1].
 *
 * It is `async` because it reads one scalar from the device (`await data()`, which works on
 * webgpu in Node, where `dataSync` does not); everything else stays on the device and every
 * intermediate tensor is disposed. Ties go to the lowest class index (tfjs's `argMax`). With zero
 * examples the result is `NaN`.
 *
 * @param logits - float32 scores `[…, C]` (logits, probabilities or anything monotone in them).
 * @param labels - int32 class ids of shape `logits.shape[:-1]`, or float32 one-hot /
 *   probability targets of `logits`' shape (their argmax is the class).
 * @returns a promise of the accuracy in [0, 1].
 * @throws DescentError `DTYPE_MISMATCH`, `SHAPE_MISMATCH`, `BAD_ARGUMENT`, `DISPOSED` — thrown
 *   synchronously, before any work; the promise rejects with `BAD_ARGUMENT` for an int32 id
 *   outside `[0, C)`, naming its index and value (checked on the device read, see
 *   {@link checkLabels}).
 * @example
 * ```ts
 * const acc = await accuracy(model.apply(params, xTest), yTest); // e.g. 0.975
 * ```
 */
export function accuracy(logits: tf.Tensor, labels: tf.Tensor): Promise<number> {
  checkDtype('accuracy: logits', logits, 'float32');
  if (logits.rank === 0 || logits.shape[logits.rank - 1] === 0) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `accuracy: logits must be [..., C] with rank ≥ 1 and C ≥ 1 classes, got ${formatShape(logits.shape)}.`,
    );
  }
  checkTensor('accuracy: labels', labels);
  const batchShape = logits.shape.slice(0, -1);
  const asIds = labels.dtype === 'int32';
  if (!asIds && labels.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `accuracy: labels must be int32 class ids or float32 targets, got dtype ${labels.dtype}.`,
    );
  }
  if (asIds ? !sameShape(labels.shape, batchShape) : !sameShape(labels.shape, logits.shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      asIds
        ? `accuracy: int32 labels must have shape ${formatShape(batchShape)}, got ${formatShape(labels.shape)}.`
        : `accuracy: float32 labels must have the logits' shape ${formatShape(logits.shape)}, got ${formatShape(labels.shape)}.`,
    );
  }
  const classes = logits.shape[logits.rank - 1] as number;
  const correct = tf.tidy(() => {
    const predicted = tf.argMax(logits, -1);
    const truth = asIds ? labels : tf.argMax(labels, -1);
    return tf.mean(tf.cast(tf.equal(predicted, truth), 'float32'));
  });
  // The ids are range-checked on the same read as the result (tfjs's equal would count an id
  // outside [0, C) as a wrong prediction, silently).
  const checked = asIds ? checkLabels('accuracy: labels', labels, classes) : undefined;
  return Promise.all([correct.data(), checked]).then(
    ([values]) => {
      correct.dispose();
      return values[0] as number;
    },
    (error: unknown) => {
      correct.dispose();
      throw error;
    },
  );
}
