import * as tf from '@tensorflow/tfjs-core';
import { type Params, accuracy, softmaxCrossEntropy } from '@descent/core';
import type { Net } from '@descent/nets';
import type { Digits } from './digits';

/** The landscape loss `L(θ)`: mean cross-entropy over the loss digits, a scalar tensor. */
export function landscapeLoss(net: Net, digits: Digits): (params: Params) => tf.Scalar {
  return (params) =>
    softmaxCrossEntropy(net.apply(params, digits.lossX), digits.lossY) as tf.Scalar;
}

/** The training loss `L(θ)` and the test accuracy of one parameter point, read back. */
export async function lossAndAccuracy(
  net: Net,
  digits: Digits,
  params: Params,
): Promise<{ loss: number; testAccuracy: number }> {
  const loss = tf.tidy(() => landscapeLoss(net, digits)(params));
  const logits = tf.tidy(() => net.apply(params, digits.testX));
  try {
    const lossValue = (await loss.data())[0] as number;
    return { loss: lossValue, testAccuracy: await accuracy(logits, digits.testY) };
  } finally {
    tf.dispose([loss, logits]);
  }
}
