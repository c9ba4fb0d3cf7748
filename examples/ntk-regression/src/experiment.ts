import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams, mse, toVariables } from '@descent/core';
import { empiricalNtk, gradientDescentMse, maxLearningRate } from '@descent/ntk';
import { sgd } from '@descent/optim';
import { type Problem, infiniteNet, makeNet } from './problem';

/** How far one width's empirical NTKs are from the analytic one. */
export interface ConvergenceRow {
  width: number;
  /** `‖Θ̂ − Θ‖_F / ‖Θ‖_F` per seed. */
  relativeErrors: number[];
  mean: number;
  /** The `2/√width` rule of thumb. */
  reference: number;
}

/** What training one width by gradient descent showed, per seed (in the order of the seeds). */
export interface TrainingRow {
  width: number;
  /** `‖Θ_T − Θ_0‖_F / ‖Θ_0‖_F` on the training points: how far the empirical NTK moved. */
  kernelChange: number[];
  /** RMS distance of the trained net's test predictions from the NTK's prediction at the same step. */
  gapToKernel: number[];
  /** Mean squared error on the training points after training. */
  trainLoss: number[];
  /** The first seed's trained predictions on the test grid (centered, see {@link trainAgainstKernel}). */
  predictions: number[];
}

/** The mean of a list. */
export const mean = (values: readonly number[]) =>
  values.reduce((s, v) => s + v, 0) / values.length;

/** The NTK's own prediction at the last step, and the schedule every width trained with. */
export interface KernelPrediction {
  learningRate: number;
  steps: number;
  test: number[];
  testRmse: number;
}

const frobenius = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
const distance = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  frobenius(Array.from(a).map((v, i) => v - (b[i] as number)));

/** (a) The empirical NTK of nets of growing width against the infinite-width NTK. */
export async function kernelConvergence(
  problem: Problem,
  widths: readonly number[],
  seeds: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<ConvergenceRow[]> {
  const { ntk, nngp } = infiniteNet().kernelFn(problem.xTrain);
  const analytic = await ntk.data();
  tf.dispose([ntk, nngp]);
  const rows: ConvergenceRow[] = [];
  let done = 0;
  for (const width of widths) {
    const relativeErrors: number[] = [];
    for (const seed of seeds) {
      const net = makeNet(width, seed);
      const k = empiricalNtk(net, net.params, problem.xTrain, undefined, {
        batchIndependent: true,
      });
      relativeErrors.push(distance(await k.data(), analytic) / frobenius(analytic));
      k.dispose();
      disposeParams(net.params);
      onProgress?.(++done, widths.length * seeds.length);
    }
    const mean = relativeErrors.reduce((s, v) => s + v, 0) / relativeErrors.length;
    rows.push({ width, relativeErrors, mean, reference: 2 / Math.sqrt(width) });
  }
  return rows;
}

/** The infinite-width prediction after `steps` of gradient descent at half the largest stable rate. */
export async function kernelPrediction(problem: Problem, steps: number): Promise<KernelPrediction> {
  const { kernelFn } = infiniteNet();
  const train = kernelFn(problem.xTrain);
  const cross = kernelFn(problem.xTest, problem.xTrain);
  try {
    const learningRate = 0.5 * (await maxLearningRate(train.ntk, { yCount: problem.yTrain.size }));
    const dynamics = await gradientDescentMse(train.ntk, problem.yTrain, {
      learningRate,
      kTestTrain: cross.ntk,
    });
    const { train: fitted, test } = dynamics.predict(steps);
    const testValues = Array.from(await (test as tf.Tensor).data());
    const target = await problem.yTest.data();
    tf.dispose([fitted, test as tf.Tensor]);
    dynamics.dispose();
    const testRmse = distance(testValues, target) / Math.sqrt(testValues.length);
    return { learningRate, steps, test: testValues, testRmse };
  } finally {
    tf.dispose([train.ntk, train.nngp, cross.ntk, cross.nngp]);
  }
}

/**
 * (b) and (c): each width trained by full-batch gradient descent on `½‖g − y‖²/N` with the
 * kernel's learning rate and step count. The net is centered, `g(x) = f(θ, x) − f(θ₀, x)`, so that
 * it starts from 0 like the kernel prediction (neural-tangents' f₀ = 0); its NTK is f's.
 */
export async function trainAgainstKernel(
  problem: Problem,
  widths: readonly number[],
  kernel: KernelPrediction,
  seeds: readonly number[],
  onProgress?: (width: number, seed: number, step: number, steps: number) => void,
): Promise<TrainingRow[]> {
  const rows: TrainingRow[] = [];
  for (const width of widths) {
    const row: TrainingRow = {
      width,
      kernelChange: [],
      gapToKernel: [],
      trainLoss: [],
      predictions: [],
    };
    for (const seed of seeds) {
      const run = await trainOnce(problem, width, seed, kernel, (step, steps) =>
        onProgress?.(width, seed, step, steps),
      );
      row.kernelChange.push(run.kernelChange);
      row.gapToKernel.push(run.gapToKernel);
      row.trainLoss.push(run.trainLoss);
      if (row.predictions.length === 0) row.predictions = run.predictions;
    }
    rows.push(row);
  }
  return rows;
}

interface TrainedRun {
  kernelChange: number;
  gapToKernel: number;
  trainLoss: number;
  predictions: number[];
}

async function trainOnce(
  problem: Problem,
  width: number,
  seed: number,
  kernel: KernelPrediction,
  onProgress: (step: number, steps: number) => void,
): Promise<TrainedRun> {
  const net = makeNet(width, seed);
  const before = empiricalNtk(net, net.params, problem.xTrain, undefined, {
    batchIndependent: true,
  });
  const startTrain = net.apply(net.params, problem.xTrain);
  const startTest = net.apply(net.params, problem.xTest);
  const vars = toVariables(net.params, {
    prefix: `ntk-regression/${width}/${seed}/${Date.now()}/`,
  });
  const optimizer = sgd({ learningRate: kernel.learningRate });
  const list = Object.values(vars);
  const centered = (x: tf.Tensor, start: tf.Tensor) => tf.sub(net.apply(vars, x), start);
  try {
    for (let step = 1; step <= kernel.steps; step++) {
      optimizer.minimize(
        () => tf.mul(0.5, mse(centered(problem.xTrain, startTrain), problem.yTrain)) as tf.Scalar,
        false,
        list,
      );
      if (step % 10 === 0 || step === kernel.steps) onProgress(step, kernel.steps);
    }
    const after = empiricalNtk(net, vars as Params, problem.xTrain, undefined, {
      batchIndependent: true,
    });
    const [k0, kT] = [await before.data(), await after.data()];
    after.dispose();
    const fitTrain = tf.tidy(() => mse(centered(problem.xTrain, startTrain), problem.yTrain));
    const test = tf.tidy(() => centered(problem.xTest, startTest));
    const predictions = Array.from(await test.data());
    const trainLoss = (await fitTrain.data())[0] as number;
    tf.dispose([fitTrain, test]);
    return {
      kernelChange: distance(kT, k0) / frobenius(k0),
      gapToKernel: distance(predictions, kernel.test) / Math.sqrt(predictions.length),
      trainLoss,
      predictions,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([before, startTrain, startTest, ...list]);
    disposeParams(net.params);
  }
}
