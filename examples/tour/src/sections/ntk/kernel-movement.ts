import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams, mse } from '@descent/core';
import { type Dataset, fit } from '@descent/data';
import type { Net } from '@descent/nets';
import { empiricalNtk } from '@descent/ntk';
import { sgd } from '@descent/optim';
import { mean } from './kernel-at-init';
import type { RegressionTask } from './regression-task';
import { relativeDistance } from './relative-distance';
import { finiteNet } from './wide-nets';

/** How far training moved one width's empirical NTK, and how well it fitted. */
export interface KernelMovement {
  width: number;
  /** `‖Θ̂_T − Θ̂₀‖_F / ‖Θ̂₀‖_F` on the training points, one per seed. */
  movements: number[];
  /** Their mean. */
  mean: number;
  /** `½·MSE` over the training points in the first step (before it), one per seed. */
  lossBefore: number[];
  /** `½·MSE` in the last step (before it), one per seed. */
  lossAfter: number[];
}

/** The gradient descent every width runs: the same step size and number of steps. */
export interface Descent {
  learningRate: number;
  steps: number;
}

/**
 * (b) For every width and seed: the empirical NTK at initialization, `steps` of full-batch
 * gradient descent (`sgd`, no momentum) on `½‖f(x) − y‖²/n` through `fit`, and the empirical
 * NTK after training.
 *
 * @param onStep - called after every step of gradient descent.
 */
export async function kernelMovement(
  task: RegressionTask,
  widths: readonly number[],
  depth: number,
  seeds: readonly number[],
  descent: Descent,
  onStep: () => void,
): Promise<KernelMovement[]> {
  const rows: KernelMovement[] = [];
  for (const width of widths) {
    const row: KernelMovement = { width, movements: [], mean: 0, lossBefore: [], lossAfter: [] };
    for (const seed of seeds) {
      const run = await trainOnce(task, width, depth, seed, descent, onStep);
      row.movements.push(run.movement);
      row.lossBefore.push(run.lossBefore);
      row.lossAfter.push(run.lossAfter);
    }
    row.mean = mean(row.movements);
    rows.push(row);
  }
  return rows;
}

async function trainOnce(
  task: RegressionTask,
  width: number,
  depth: number,
  seed: number,
  descent: Descent,
  onStep: () => void,
): Promise<{ movement: number; lossBefore: number; lossAfter: number }> {
  const net = finiteNet(width, depth, seed);
  const optimizer = sgd({ learningRate: descent.learningRate });
  let trained: Params | undefined;
  try {
    const before = await kernelValues(net, net.params, task.x);
    // biome-ignore lint/suspicious/noFocusedTests: @descent/data's training loop, not Jasmine's focused test
    const history = await fit(net, optimizer, await shiftedByInitialOutputs(net, task), {
      epochs: descent.steps,
      batchSize: task.data.n,
      shuffle: false,
      loss: (output, y) => tf.mul(0.5, mse(output, y)),
      progress: false,
      onBatch: onStep,
    });
    trained = history.params;
    const after = await kernelValues(net, trained ?? net.params, task.x);
    return {
      movement: relativeDistance(after, before),
      lossBefore: history.epochs[0]?.loss ?? Number.NaN,
      lossAfter: history.epochs[history.epochs.length - 1]?.loss ?? Number.NaN,
    };
  } finally {
    optimizer.dispose();
    if (trained !== undefined) disposeParams(trained);
    disposeParams(net.params);
  }
}

/**
 * The task with targets `y + f(θ₀, x)`: fitting them trains the centered net `f(θ, ·) − f(θ₀, ·)`
 * on `y`, so every net starts from the same residual `−y` whatever its initial outputs (the
 * `f₀ = 0` convention of the kernel's own dynamics); the centered net has the same NTK.
 */
async function shiftedByInitialOutputs(net: Net, task: RegressionTask): Promise<Dataset> {
  const initial = tf.tidy(() => net.apply(net.params, task.x));
  const outputs = await initial.data();
  initial.dispose();
  return { ...task.data, y: task.data.y.map((y, i) => y + (outputs[i] as number)) };
}

async function kernelValues(net: Net, params: Params, x: tf.Tensor2D): Promise<Float32Array> {
  const kernel = empiricalNtk(net, params, x, undefined, { batchIndependent: true });
  try {
    return (await kernel.data()) as Float32Array;
  } finally {
    kernel.dispose();
  }
}
