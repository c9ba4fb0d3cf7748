import * as tf from '@tensorflow/tfjs-core';
import { type Params, softmaxCrossEntropy } from '@descent/core';
import type { EvaluateFn } from '@descent/lottery';
import type { Net } from '@descent/nets';
import { type EvaluationSet, accuracyOn, evaluationSet } from '../algorithms/evaluation-set';
import type { MnistSplits } from './mnist-splits';

/** The `evaluate` of `imp` with its sets on the device; `dispose()` frees them. */
export interface LotteryEvaluation {
  evaluate: EvaluateFn;
  dispose(): void;
}

/**
 * `evaluate(params)`: the mean cross-entropy on the validation digits (what early stopping
 * watches) and the accuracy on the test digits (what is reported), as Frankle & Carbin do.
 */
export function lotteryEvaluation(net: Net, splits: MnistSplits): LotteryEvaluation {
  const validation = evaluationSet(splits.validation);
  const test = evaluationSet(splits.test);
  return {
    evaluate: async (params) => ({
      loss: await meanLoss(net, params, validation),
      accuracy: await accuracyOn(net, params, test),
    }),
    dispose: () => {
      validation.dispose();
      test.dispose();
    },
  };
}

async function meanLoss(net: Net, params: Params, set: EvaluationSet): Promise<number> {
  const loss = tf.tidy(() => softmaxCrossEntropy(net.apply(params, set.x), set.y));
  try {
    return (await loss.data())[0] as number;
  } finally {
    loss.dispose();
  }
}
