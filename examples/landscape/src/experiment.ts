import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { type Dataset, batches, mnist } from '@descent/data';
import {
  evaluateCurve,
  hessianDensity,
  hessianEigs,
  hessianTrace,
  interpolate,
  modeConnect,
  randomDirection,
  surface2d,
} from '@descent/landscape';
import { mlp } from '@descent/nets';
import { sgd } from '@descent/optim';
import { evaluateOn, head, trainMinimum } from './training';

/** What {@link runLandscape} does; {@link FULL} and {@link QUICK} are the two presets. */
export interface LandscapeOptions {
  /** Hidden width of the 784-h-10 ReLU MLP. */
  hidden: number;
  /** Training digits used (of the 8 000 embedded). */
  trainExamples: number;
  /** Training digits the landscape loss L(θ) averages over (surface, Hessian). */
  lossExamples: number;
  epochs: number;
  smallBatch: number;
  largeBatch: number;
  /**
   * Most epochs for the large-batch minimum, which trains until its training loss is no higher
   * than the small-batch minimum's (Keskar et al. compare minima of equal training loss).
   */
  largeBatchEpochs: number;
  learningRate: number;
  momentum: number;
  /** Epochs of training the Bezier curve's middle point. */
  curveEpochs: number;
  /** Points along each path (linear and curve). */
  pathPoints: number;
  /** Points per axis of the 2-D surface (odd). */
  surfacePoints: number;
  /** Top Hessian eigenvalues wanted. */
  eigenvalues: number;
  /** Lanczos steps per run of the spectral density. */
  densitySteps: number;
  /** Rademacher probes of Hutchinson's trace. */
  traceSamples: number;
  seed: number;
}

export const FULL: LandscapeOptions = {
  hidden: 64,
  trainExamples: 8000,
  lossExamples: 2000,
  epochs: 4,
  smallBatch: 32,
  largeBatch: 1000,
  largeBatchEpochs: 100,
  learningRate: 0.05,
  momentum: 0.9,
  curveEpochs: 4,
  pathPoints: 21,
  surfacePoints: 31,
  eigenvalues: 3,
  densitySteps: 40,
  traceSamples: 30,
  seed: 0,
};

export const QUICK: LandscapeOptions = {
  ...FULL,
  hidden: 24,
  trainExamples: 2000,
  lossExamples: 500,
  epochs: 2,
  largeBatch: 500,
  largeBatchEpochs: 12,
  curveEpochs: 2,
  pathPoints: 11,
  surfacePoints: 9,
  eigenvalues: 2,
  densitySteps: 15,
  traceSamples: 10,
};

/** One trained minimum and how good it is. */
export interface Minimum {
  name: string;
  batchSize: number;
  /** Epochs trained. */
  epochs: number;
  seed: number;
  train: { loss: number; accuracy: number };
  test: { loss: number; accuracy: number };
}

/** The loss and test accuracy along a path between the two small-batch minima. */
export interface PathResult {
  ts: number[];
  loss: number[];
  accuracy: number[];
  /** max_t L(t) − (L(0) + L(1))/2 on the training loss. */
  barrier: number;
}

/** The Hessian of the training loss at one minimum. */
export interface SpectrumResult {
  eigenvalues: number[];
  converged: boolean;
  trace: number;
  traceStandardError: number;
  density: { eigenvalues: number[]; weights: number[] };
}

/** Everything {@link runLandscape} measured. */
export interface LandscapeResult {
  options: LandscapeOptions;
  parameters: number;
  minima: Minimum[];
  linear: PathResult;
  curve: PathResult;
  surface: { alphas: number[]; betas: number[]; values: number[][]; pointsPerSecond: number };
  spectrum: { small: SpectrumResult; large: SpectrumResult };
  seconds: number;
}

/** Progress: the phase starting, and steps within it. */
export interface Progress {
  phase?: (name: string) => void;
  step?: (done: number, total: number) => void;
}

/**
 * The experiment: three minima of a 784-h-10 ReLU MLP on MNIST (two small-batch runs from
 * different seeds, one large-batch run), the linear path and a trained Bezier curve between the
 * two small-batch minima, a filter-normalized 2-D surface around the first, and the Hessian of the
 * training loss (top eigenvalues, trace, spectral density) at the small- and the large-batch one.
 */
export async function runLandscape(
  options: LandscapeOptions,
  progress: Progress = {},
): Promise<LandscapeResult> {
  const started = performance.now();
  const [allTrain, test] = await Promise.all([mnist({ split: 'train' }), mnist({ split: 'test' })]);
  const train = head(allTrain, options.trainExamples);
  const lossData = head(allTrain, options.lossExamples);
  const net = mlp({ sizes: [784, options.hidden, 10], activation: 'relu', seed: options.seed });
  const lossBatch = firstBatch(lossData);
  const loss = (p: Params) => softmaxCrossEntropy(net.apply(p, lossBatch.x), lossBatch.y);
  const owned: Params[] = [net.params];
  try {
    const minimum = async (
      name: string,
      seed: number,
      batchSize: number,
      until?: { epochs: number; trainLoss: number },
    ) => {
      progress.phase?.(`training ${name}`);
      const init = mlp({ sizes: [784, options.hidden, 10], activation: 'relu', seed });
      const { params, epochs } = await trainMinimum(init, train, {
        ...options,
        batchSize,
        seed,
        onStep: progress.step,
        ...(until && {
          epochs: until.epochs,
          done: async (p: Params) => (await evaluateOn(net, p, lossData)).loss <= until.trainLoss,
        }),
      });
      disposeParams(init.params);
      owned.push(params);
      const report: Minimum = {
        name,
        batchSize,
        epochs,
        seed,
        train: await evaluateOn(net, params, lossData),
        test: await evaluateOn(net, params, test),
      };
      return { params, report };
    };
    const a = await minimum('A (small batch)', options.seed, options.smallBatch);
    const b = await minimum('B (small batch)', options.seed + 1, options.smallBatch);
    const c = await minimum('C (large batch)', options.seed, options.largeBatch, {
      epochs: options.largeBatchEpochs,
      trainLoss: a.report.train.loss,
    });

    const evaluate = async (p: Params) => ({
      loss: (await evaluateOn(net, p, lossData)).loss,
      accuracy: (await evaluateOn(net, p, test)).accuracy,
    });
    progress.phase?.('linear path A → B');
    const linear = await interpolate(evaluate, a.params, b.params, {
      points: options.pathPoints,
      onPoint: progress.step,
    });

    progress.phase?.('training a Bezier curve A → B');
    const rng = new Rng(options.seed).child('landscape');
    const optimizer = sgd({ learningRate: options.learningRate, momentum: options.momentum });
    const order = batches(train, {
      batchSize: options.smallBatch,
      shuffle: true,
      seed: options.seed + 7,
    });
    const curveSteps = options.curveEpochs * order.numBatches;
    let curveStep = 0;
    const curve = await modeConnect({
      model: net,
      a: a.params,
      b: b.params,
      curve: 'bezier',
      bends: 3,
      batches: () => order,
      epochs: options.curveEpochs,
      optimizer,
      rng: rng.child('curve'),
      onStep: () => progress.step?.(++curveStep, curveSteps),
    });
    optimizer.dispose();
    progress.phase?.('evaluating the curve');
    const along = await evaluateCurve(curve, evaluate, { points: options.pathPoints });
    if (along.barrier === undefined) throw new Error('the evaluation has no loss metric');
    curve.dispose();

    progress.phase?.('2-D surface around A');
    const directions = rng.child('directions');
    const d1 = await randomDirection(a.params, net.info, { rng: directions });
    const d2 = await randomDirection(a.params, net.info, { rng: directions });
    const surfaceStart = performance.now();
    const surface = await surface2d(loss, a.params, d1, d2, {
      range: [-1, 1],
      points: options.surfacePoints,
      onPoint: progress.step,
    });
    const surfaceSeconds = (performance.now() - surfaceStart) / 1000;
    disposeParams(d1);
    disposeParams(d2);

    const spectrumAt = async (params: Params, name: string): Promise<SpectrumResult> => {
      progress.phase?.(`Hessian at ${name}`);
      const eigs = await hessianEigs(loss, params, {
        k: options.eigenvalues,
        method: 'lanczos',
        rng: rng.child(`eigs ${name}`),
      });
      for (const v of eigs.eigenvectors) disposeParams(v);
      const trace = await hessianTrace(loss, params, {
        samples: options.traceSamples,
        rng: rng.child(`trace ${name}`),
      });
      const density = await hessianDensity(loss, params, {
        runs: 1,
        steps: options.densitySteps,
        rng: rng.child(`density ${name}`),
      });
      return {
        eigenvalues: eigs.eigenvalues,
        converged: eigs.converged,
        trace: trace.trace,
        traceStandardError: trace.standardError,
        density,
      };
    };
    const small = await spectrumAt(a.params, 'A');
    const large = await spectrumAt(c.params, 'C');

    const parameters = Object.values(net.params).reduce((s, t) => s + t.size, 0);
    return {
      options,
      parameters,
      minima: [a.report, b.report, c.report],
      linear: pathResult(linear.alphas, linear.values),
      curve: pathResult(along.ts, along.values),
      surface: {
        ...surface,
        pointsPerSecond: (surface.alphas.length * surface.betas.length) / surfaceSeconds,
      },
      spectrum: { small, large },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const p of owned) disposeParams(p);
    tf.dispose([lossBatch.x, lossBatch.y]);
  }
}

/** The whole dataset as one batch (the caller disposes the tensors). */
function firstBatch(data: Dataset): { x: tf.Tensor; y: tf.Tensor } {
  for (const { x, y } of batches(data, { batchSize: data.n })) {
    return { x: tf.clone(x), y: tf.clone(y) };
  }
  throw new Error('empty dataset');
}

function pathResult(ts: number[], values: Record<string, number[]>): PathResult {
  const loss = values.loss as number[];
  const ends = ((loss[0] as number) + (loss[loss.length - 1] as number)) / 2;
  return {
    ts,
    loss,
    accuracy: values.accuracy as number[],
    barrier: Math.max(...loss) - ends,
  };
}
