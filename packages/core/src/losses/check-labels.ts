import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkNumber } from '../validate/number-checks';
import { checkTensor } from '../validate/tensor-checks';

/**
 * Reads class ids from the device and asserts each is an integer in `[0, numClasses)`. The losses
 * that take int32 ids (`softmaxCrossEntropy`) do not range-check them, because that needs a read
 * back to JavaScript, which a synchronous loss cannot do on webgpu in Node; an id outside the range
 * there gives an all-zero target and a zero loss for its example. This is the opt-in check: one
 * `await data()` of the labels, no tensor allocated. `accuracy` runs it itself.
 *
 * @param name - how the caller's user knows the labels (e.g. `'labels'`), used in messages.
 * @param labels - class ids: an int32 tensor, or a float32 tensor holding whole numbers.
 * @param numClasses - the number of classes `C` (an integer ≥ 1), e.g. the logits' last dimension.
 * @returns a promise that resolves once every id was found in range.
 * @throws DescentError (the promise rejects) `BAD_ARGUMENT` naming the first offending flat index,
 *   its value and the accepted range (and for a fractional or non-finite float id);
 *   `DTYPE_MISMATCH` for labels neither int32 nor float32; `BAD_HYPERPARAM` for a bad
 *   `numClasses`; `DISPOSED` / `BAD_ARGUMENT` for a disposed or non-tensor `labels`.
 *
 * @example
 * ```ts
 * await checkLabels('labels', yTrain, 10); // throws on an id of 10 or −1
 * const loss = softmaxCrossEntropy(logits, yTrain);
 * ```
 */
export async function checkLabels(
  name: string,
  labels: unknown,
  numClasses: number,
): Promise<void> {
  checkTensor(name, labels);
  if (labels.dtype !== 'int32' && labels.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${name} (shape ${formatShape(labels.shape)}) must be int32 class ids (or float32 whole numbers), got dtype ${labels.dtype}.`,
    );
  }
  checkNumber(`${name}: numClasses`, numClasses, { integer: true, min: 1 });
  const ids = await labels.data();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (!(Number.isInteger(id) && id >= 0 && id < numClasses)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name} (shape ${formatShape(labels.shape)}) holds ${id} at flat index ${i}; class ids must be integers in [0, ${numClasses}).`,
      );
    }
  }
}
