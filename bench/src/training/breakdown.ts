import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropy } from '@descent/core';
import { type MnistDataset, batches, mnist } from '@descent/data';
import { layersLenet, lenetVariables, newAdam, settle, trainingData } from './contenders';
import { collectGarbage, median } from './training-bench';

/** Median milliseconds per step of each phase of descent's loop (one instrumented epoch). */
export interface PhaseTimes {
  /** `batches`' iterator: disposing the previous batch, copying and uploading the next. */
  between: number;
  /** `apply` + a read of the logits. */
  forward: number;
  /** `softmaxCrossEntropy` + a read. */
  loss: number;
  /** `tf.variableGrads` of forward + loss + a read of the gradients, less forward and loss. */
  backward: number;
  /** `applyGradients` (descent's adam) + a read of one weight. */
  update: number;
  /** Share of the steps whose between-step phase took more than twice its median (GC, tiering). */
  slowBetweenShare: number;
}

/** Kernels that one training step runs, from `tf.profile`. */
export interface KernelProfile {
  label: string;
  kernels: number;
  totalMs: number;
  newTensors: number;
  /** Per kernel name: how often it ran and its summed time, the most expensive first. */
  byName: { name: string; count: number; ms: number }[];
}

/** The per-step breakdown of {@link measureBreakdown}. */
export interface Breakdown {
  backend: string;
  batchSize: number;
  steps: number;
  phases: PhaseTimes;
  profiles: KernelProfile[];
}

/** descent's loop on LeNet-300-100 variables: the forward pass and the loss, separately. */
interface Loop {
  forward: (x: tf.Tensor) => tf.Tensor;
  loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar;
  optimizer: tf.Optimizer;
  varList: tf.Variable[];
}

/**
 * Instruments one epoch of descent's loop (descent's adam) at `batchSize` on `digits` digits with
 * awaited reads between the phases (so it is slower than the timed loop: a separate run), after
 * one uninstrumented warm-up epoch; then profiles one step of descent's loop, of the loop with
 * tf.train.adam, and of layers' `trainOnBatch` (what `fit` runs per batch) with `tf.profile`.
 */
export async function measureBreakdown(
  backend: string,
  digits: number,
  batchSize: number,
): Promise<Breakdown> {
  const dataset = await mnist({ split: 'train', limit: digits });
  const { net, vars, varList } = lenetVariables(0);
  const forward = (x: tf.Tensor) => net.apply(vars, x, { training: true });
  const loop: Loop = {
    forward,
    loss: (x, y) => softmaxCrossEntropy(forward(x), y) as tf.Scalar,
    optimizer: newAdam('descent'),
    varList,
  };
  const loader = batches(dataset, { batchSize, shuffle: true, seed: 0 });
  try {
    for (const { x, y } of loader) loop.optimizer.minimize(() => loop.loss(x, y), false, varList);
    await settle(varList[0] as tf.Tensor);
    collectGarbage();
    const phases = await instrumentedEpoch(loader, loop);
    const profiles = await profileSteps(dataset, batchSize, loop);
    return { backend, batchSize, steps: loader.numBatches, phases, profiles };
  } finally {
    loop.optimizer.dispose();
    for (const v of varList) v.dispose();
  }
}

type Times = Record<'between' | 'forward' | 'loss' | 'backward' | 'update', number[]>;

async function instrumentedEpoch(
  loader: Iterable<{ x: tf.Tensor; y: tf.Tensor }>,
  loop: Loop,
): Promise<PhaseTimes> {
  const t: Times = { between: [], forward: [], loss: [], backward: [], update: [] };
  const iterator = loader[Symbol.iterator]();
  for (;;) {
    let start = performance.now();
    const next = iterator.next();
    if (next.done) break;
    const { x, y } = next.value;
    await settle(x);
    t.between.push(performance.now() - start);

    start = performance.now();
    const logits = loop.forward(x);
    await logits.data();
    const forwardMs = performance.now() - start;
    start = performance.now();
    const loss = softmaxCrossEntropy(logits, y);
    await loss.data();
    const lossMs = performance.now() - start;
    logits.dispose();
    loss.dispose();
    t.forward.push(forwardMs);
    t.loss.push(lossMs);

    start = performance.now();
    const { value, grads } = tf.variableGrads(() => loop.loss(x, y), loop.varList);
    await Promise.all(Object.values(grads).map((g) => g.data()));
    t.backward.push(performance.now() - start - forwardMs - lossMs);
    value.dispose();

    start = performance.now();
    loop.optimizer.applyGradients(grads);
    await settle(loop.varList[0] as tf.Tensor);
    t.update.push(performance.now() - start);
    for (const g of Object.values(grads)) g.dispose();
  }
  const between = median(t.between);
  return {
    between,
    forward: median(t.forward),
    loss: median(t.loss),
    backward: median(t.backward),
    update: median(t.update),
    slowBetweenShare: t.between.filter((ms) => ms > 2 * between).length / t.between.length,
  };
}

/** Kernel profiles of one step on the first batch: descent's loop, with tf.train.adam, layers. */
async function profileSteps(
  dataset: MnistDataset,
  batchSize: number,
  loop: Loop,
): Promise<KernelProfile[]> {
  const x = tf.tensor2d(dataset.x.subarray(0, batchSize * 784), [batchSize, 784]);
  const y = tf.tensor1d(dataset.y.subarray(0, batchSize), 'int32');
  const tfjsAdam = newAdam('tfjs');
  const data = trainingData({
    ...dataset,
    n: batchSize,
    x: dataset.x.subarray(0, batchSize * 784),
    y: dataset.y.subarray(0, batchSize),
  });
  const model = layersLenet(0);
  const layersAdam = newAdam('tfjs');
  model.compile({ optimizer: layersAdam, loss: 'categoricalCrossentropy' });
  try {
    const minimize = (optimizer: tf.Optimizer) => () =>
      optimizer.minimize(() => loop.loss(x, y), false, loop.varList);
    await profileStep('warm-up', minimize(tfjsAdam));
    await profileStep('warm-up', () => model.trainOnBatch(data.xs, data.ysOneHot));
    return [
      await profileStep('descent loop + descent adam', minimize(loop.optimizer)),
      await profileStep('descent loop + tf.train.adam', minimize(tfjsAdam)),
      await profileStep('layers trainOnBatch + tf.train.adam', () =>
        model.trainOnBatch(data.xs, data.ysOneHot),
      ),
    ];
  } finally {
    x.dispose();
    y.dispose();
    tfjsAdam.dispose();
    layersAdam.dispose();
    model.dispose();
    data.dispose();
  }
}

async function profileStep(label: string, step: () => unknown): Promise<KernelProfile> {
  const info = await tf.profile(async () => {
    await step();
    return [];
  });
  const byName = new Map<string, { count: number; ms: number }>();
  let totalMs = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    totalMs += ms;
    const entry = byName.get(k.name) ?? { count: 0, ms: 0 };
    entry.count++;
    entry.ms += ms;
    byName.set(k.name, entry);
  }
  return {
    label,
    kernels: info.kernels.length,
    totalMs,
    newTensors: info.newTensors,
    byName: [...byName.entries()]
      .map(([name, e]) => ({ name, ...e }))
      .sort((a, b) => b.ms - a.ms || b.count - a.count),
  };
}
