import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams, softmaxCrossEntropy, toVariables } from '@descent/core';
import type { Net } from '@descent/nets';
import { adam } from '@descent/optim';

/** What {@link timeAdamSteps} measures. */
export interface AdamStepTiming {
  /** Median wall time of one training step with descent's `adam`, in milliseconds. */
  descentMs: number;
  /** Median wall time of one training step with `tf.train.adam`, in milliseconds. */
  tfjsMs: number;
  /** `tfjsMs / descentMs`: above 1 when descent's step is faster. */
  ratio: number;
  /** Timed steps of each optimizer. */
  samples: number;
}

/** Options of {@link timeAdamSteps}. */
export interface AdamStepTimingOptions {
  net: Net;
  /** One batch, trained on at every step: `x` `[b, 784]`, `y` int32 `[b]`. */
  x: tf.Tensor;
  y: tf.Tensor;
  /** Timed steps of each optimizer (alternating). */
  samples: number;
  /** Untimed steps of each before the timed ones. Default 3. */
  warmup?: number;
  /** Unique among the live variables: the variables' name prefix. */
  prefix: string;
  /** Called after every timed pair. */
  onSample?: (done: number) => void;
}

/**
 * The wall time of one training step of `net` (forward, backward and update, read back) with
 * descent's `adam` (its fused update on wasm and webgpu) and with `tf.train.adam`, at the same
 * learning rate, on copies of the same weights and the same batch. The samples alternate
 * (descent, tfjs, descent, …) so that a change of machine load hits both alike; the medians are
 * compared.
 */
export async function timeAdamSteps(options: AdamStepTimingOptions): Promise<AdamStepTiming> {
  const { net, x, y, samples, warmup = 3, prefix } = options;
  const ours = toVariables(net.params, { prefix: `${prefix}descent/` });
  const theirs = toVariables(net.params, { prefix: `${prefix}tfjs/` });
  const descentAdam = adam({ learningRate: 1e-3 });
  const tfjsAdam = tf.train.adam(1e-3);
  const descentTimes: number[] = [];
  const tfjsTimes: number[] = [];
  try {
    for (let i = 0; i < warmup; i++) {
      await timedStep(descentAdam, net, ours, x, y);
      await timedStep(tfjsAdam, net, theirs, x, y);
    }
    for (let i = 0; i < samples; i++) {
      descentTimes.push(await timedStep(descentAdam, net, ours, x, y));
      tfjsTimes.push(await timedStep(tfjsAdam, net, theirs, x, y));
      options.onSample?.(i + 1);
    }
  } finally {
    descentAdam.dispose();
    tfjsAdam.dispose();
    disposeParams(ours);
    disposeParams(theirs);
  }
  const descentMs = median(descentTimes);
  const tfjsMs = median(tfjsTimes);
  return { descentMs, tfjsMs, ratio: tfjsMs / descentMs, samples };
}

async function timedStep(
  optimizer: tf.Optimizer,
  net: Net,
  params: Record<string, tf.Variable>,
  x: tf.Tensor,
  y: tf.Tensor,
): Promise<number> {
  const started = performance.now();
  const cost = optimizer.minimize(
    () => softmaxCrossEntropy(net.apply(params as Params, x, { training: true }), y) as tf.Scalar,
    true,
    Object.values(params),
  );
  await cost?.data();
  cost?.dispose();
  return performance.now() - started;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
