import { Rng, disposeParams } from '@descent/core';
import { type Dataset, mnist } from '@descent/data';
import { type ImpResult, type RoundReport, imp } from '@descent/lottery';
import { lenet300100 } from '@descent/nets';
import { Throughput, type TrainingSetup, lenetEvaluate, lenetTrain } from './lenet-training';

/** Frankle & Carbin's LeNet-300-100 schedule: 20 % per round, 10 % for the output layer. */
export const RATE = 0.2;
export const RATES = { 'dense3/kernel': 0.1 };

/** What {@link runLottery} does. */
export interface ExperimentOptions {
  /** Seeds (network init, batch order, random controls). */
  seeds: readonly number[];
  /** Pruning rounds after the dense round (7 reach 21.1 % of the weights). */
  rounds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Evaluations per epoch (early stopping watches the validation loss at these). */
  evaluationsPerEpoch: number;
  /** Train the controls in every round (`'every-round'`) or only at the last (`'last-round'`). */
  controls: 'every-round' | 'last-round';
  /** Rewind the survivors to the weights after this many steps of the dense run. Default 0 (θ₀). */
  rewindTo?: number;
  /** Training digits held out as the validation set. Default 1 000. */
  validation?: number;
  /** Called before each training run with what is about to train. */
  onRun?: (seed: number, round: number, kind: string) => void;
  /** Called after every step of a run. */
  onStep?: (done: number, total: number) => void;
  /** Called after every round of every seed. */
  onRound?: (seed: number, report: RoundReport) => void;
}

/** Everything {@link runLottery} measured. */
export interface ExperimentResult {
  /** One IMP result per seed (round reports and tickets). */
  bySeed: Array<{ seed: number; result: ImpResult }>;
  samplesPerSecond: number;
  seconds: number;
}

/** The 8 000 training digits as 7 000 to train on and 1 000 to validate on; the 2 000 test digits. */
export async function mnistSplits(
  validation = 1000,
): Promise<{ train: Dataset; validation: Dataset; test: Dataset }> {
  const [all, test] = await Promise.all([mnist({ split: 'train' }), mnist({ split: 'test' })]);
  const n = all.n - validation;
  return { train: slice(all, 0, n), validation: slice(all, n, all.n), test };
}

function slice(data: Dataset, from: number, to: number): Dataset {
  const size = data.xShape.reduce((a, b) => a * b, 1);
  return {
    ...data,
    x: data.x.slice(from * size, to * size),
    y: data.y.slice(from, to),
    n: to - from,
  };
}

/**
 * Iterative magnitude pruning of LeNet-300-100 on MNIST for every seed, with the random-reinit
 * and random-pruning controls, every network trained the same way (Adam, the same batches).
 */
export async function runLottery(options: ExperimentOptions): Promise<ExperimentResult> {
  const started = performance.now();
  const data = await mnistSplits(options.validation);
  const throughput = new Throughput();
  const bySeed: ExperimentResult['bySeed'] = [];
  for (const seed of options.seeds) {
    const net = lenet300100({ seed });
    const setup: TrainingSetup = { ...options, seed };
    const train = lenetTrain(net, data.train, setup, throughput, options.onStep);
    const stepsPerEpoch = Math.ceil(data.train.n / options.batchSize);
    try {
      const result = await imp({
        model: net,
        rounds: options.rounds,
        rate: RATE,
        rates: RATES,
        rewindTo: options.rewindTo ?? 0,
        train: (run) => {
          options.onRun?.(seed, run.round, run.kind);
          return train(run);
        },
        evaluate: lenetEvaluate(net, data.validation, data.test),
        evaluateEvery: Math.max(1, Math.floor(stepsPerEpoch / options.evaluationsPerEpoch)),
        controls: {
          randomReinit: (round) => lenet300100({ seed: 1000 * (seed + 1) + round }).params,
          randomPruning: true,
          ...(options.controls === 'last-round' ? { rounds: [options.rounds] } : {}),
        },
        rng: new Rng(seed),
        onRound: (report) => options.onRound?.(seed, report),
      });
      bySeed.push({ seed, result });
    } finally {
      disposeParams(net.params);
    }
  }
  return {
    bySeed,
    samplesPerSecond: throughput.samplesPerSecond,
    seconds: (performance.now() - started) / 1000,
  };
}
