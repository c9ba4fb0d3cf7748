import { type HyperParameter, disposeParams, toVariables } from '@descent/core';
import { type Dataset, fit } from '@descent/data';
import type { Net } from '@descent/nets';
import type * as tf from '@tensorflow/tfjs-core';
import { type EvaluationSet, accuracyOn } from './evaluation-set';

/** How one run of the grid trains. */
export interface RunPlan {
  /** The network; its `params` are the initialization (copied, never changed). */
  net: Net;
  train: Dataset;
  test: EvaluationSet;
  /** A fresh optimizer for the run (disposed at the end). */
  optimizer: (learningRate: HyperParameter) => tf.Optimizer;
  learningRate: HyperParameter;
  epochs: number;
  batchSize: number;
  /** Seeds the batch order. */
  seed: number;
  /** Steps between test evaluations (the last step is always evaluated). */
  evaluateEvery: number;
  /** Unique among the live variables: the variables' name prefix. */
  prefix: string;
  /** Called after every step with the steps done so far. */
  onStep?: (step: number) => void;
}

/** Test accuracy along one run. */
export interface RunCurve {
  /** Steps at which the test set was scored. */
  steps: number[];
  /** Test accuracy (fraction) at those steps. */
  accuracy: number[];
  /** Wall time of the run in seconds, evaluations included. */
  seconds: number;
}

/**
 * Trains a copy of `plan.net.params` with `fit` (the optimizer's fused step where it has one)
 * and scores it on the test set every `evaluateEvery` steps and after the last.
 */
export async function trainRun(plan: RunPlan): Promise<RunCurve> {
  const started = performance.now();
  const params = toVariables(plan.net.params, { prefix: plan.prefix });
  const model = { ...plan.net, params };
  const optimizer = plan.optimizer(plan.learningRate);
  const curve: RunCurve = { steps: [], accuracy: [], seconds: 0 };
  try {
    // biome-ignore lint/suspicious/noFocusedTests: @descent/data's training loop, not Jasmine's focused test
    await fit(model, optimizer, plan.train, {
      epochs: plan.epochs,
      batchSize: plan.batchSize,
      seed: plan.seed,
      progress: false,
      onBatch: async ({ epoch, batch, numBatches }) => {
        const step = (epoch - 1) * numBatches + batch;
        plan.onStep?.(step);
        const last = epoch === plan.epochs && batch === numBatches;
        if (step % plan.evaluateEvery === 0 || last) {
          curve.steps.push(step);
          curve.accuracy.push(await accuracyOn(plan.net, params, plan.test));
        }
      },
    });
  } finally {
    optimizer.dispose();
    disposeParams(params);
  }
  curve.seconds = (performance.now() - started) / 1000;
  return curve;
}
