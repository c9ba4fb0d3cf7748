import { mnist } from '@descent/data';
import {
  CONTENDERS,
  type ContenderName,
  type TrainingData,
  prepareContender,
  trainingData,
} from './contenders';
import { type DriftResult, measureDrift } from './drift';

/** Budget of {@link runTrainingBench}. */
export interface TrainingBenchOptions {
  /** Training digits per epoch (the first of `mnist({ split: 'train' })`, class-balanced). */
  digits: number;
  batchSizes: readonly number[];
  /** Timed epochs per contender and batch size, after one warm-up epoch each. */
  samples: number;
  /** Seed of the weight init and of the shuffling. Default 0. */
  seed?: number;
  /** Consecutive epochs of the drift check at batch 64 ({@link measureDrift}); 0 for none. */
  driftEpochs: number;
}

/** The median samples/s of every contender at one batch size. */
export interface TrainingRow {
  batchSize: number;
  samplesPerSecond: Record<ContenderName, number>;
  /** descent's loop with descent's adam over layers' fit with tf.train.adam (above 1: faster). */
  loopOverFit: number;
}

/** What {@link runTrainingBench} measured on one backend. */
export interface TrainingBenchResult {
  backend: string;
  digits: number;
  samples: number;
  rows: TrainingRow[];
  drift?: DriftResult;
}

/**
 * One epoch of LeNet-300-100 on `digits` MNIST training digits per sample, for each batch size:
 * the four contenders are sampled alternately (a, b, c, d, a, b, c, d, …), each sample with
 * fresh weights and after a full garbage collection (with `--expose-gc`), after one warm-up epoch
 * of each; the median epoch gives samples/s.
 */
export async function runTrainingBench(
  backend: string,
  options: TrainingBenchOptions,
): Promise<TrainingBenchResult> {
  const seed = options.seed ?? 0;
  const dataset = await mnist({ split: 'train', limit: options.digits });
  const data = trainingData(dataset);
  try {
    const rows: TrainingRow[] = [];
    for (const batchSize of options.batchSizes) {
      rows.push(await measureBatchSize(data, batchSize, options.samples, seed));
    }
    const drift =
      options.driftEpochs > 0
        ? await measureDrift(backend, data, 64, options.driftEpochs, seed)
        : undefined;
    return { backend, digits: dataset.n, samples: options.samples, rows, ...(drift && { drift }) };
  } finally {
    data.dispose();
  }
}

async function measureBatchSize(
  data: TrainingData,
  batchSize: number,
  samples: number,
  seed: number,
): Promise<TrainingRow> {
  for (const name of CONTENDERS) await timeEpoch(name, data, batchSize, seed);
  const times = new Map<ContenderName, number[]>(CONTENDERS.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of CONTENDERS) {
      times.get(name)?.push(await timeEpoch(name, data, batchSize, seed));
    }
  }
  const samplesPerSecond = Object.fromEntries(
    CONTENDERS.map((n) => [n, data.dataset.n / (median(times.get(n) ?? []) / 1000)]),
  ) as Record<ContenderName, number>;
  return {
    batchSize,
    samplesPerSecond,
    loopOverFit:
      samplesPerSecond['descent loop + descent adam'] /
      samplesPerSecond['layers fit + tf.train.adam'],
  };
}

/** Milliseconds of one epoch with fresh weights, setup and disposal not timed. */
async function timeEpoch(
  name: ContenderName,
  data: TrainingData,
  batchSize: number,
  seed: number,
): Promise<number> {
  const run = prepareContender(name, data, batchSize, seed);
  try {
    collectGarbage();
    const start = performance.now();
    await run.epoch();
    return performance.now() - start;
  } finally {
    run.dispose();
  }
}

/** A full garbage collection, where node exposes one (`--expose-gc`). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The budget per backend: 8 000 digits at batch 32, 64 and 128, three samples on wasm (and cpu);
 * 1 000 digits on webgpu (SwiftShader runs the GPU kernels on the CPU, ~75 samples/s); `quick`:
 * batch 64, one sample, 1 000 digits (256 on webgpu).
 */
export function trainingBudget(backend: string, quick: boolean): TrainingBenchOptions {
  if (quick) {
    return {
      digits: backend === 'webgpu' ? 256 : 1_000,
      batchSizes: [64],
      samples: 1,
      driftEpochs: backend === 'webgpu' ? 0 : 2,
    };
  }
  return {
    digits: backend === 'webgpu' ? 1_000 : 8_000,
    batchSizes: [32, 64, 128],
    samples: 3,
    driftEpochs: backend === 'webgpu' ? 0 : 8,
  };
}
