import { type ContenderName, type TrainingData, prepareContender } from './contenders';
import { collectGarbage } from './training-bench';

/** The two contenders whose epochs {@link measureDrift} alternates. */
const PAIR: readonly ContenderName[] = [
  'descent loop + descent adam',
  'layers fit + tf.train.adam',
];

/** Samples/s of consecutive epochs of one training run per contender. */
export interface DriftResult {
  backend: string;
  batchSize: number;
  digits: number;
  /** Per contender, samples/s of epoch 1, 2, … (the same weights and optimizer state throughout). */
  epochs: Record<string, number[]>;
  /** Per epoch: descent's loop over layers' fit (load on the machine hits both alike). */
  ratios: number[];
  /** Mean ratio of the last half of the epochs over the first half: 1 means no drift. */
  drift: number;
}

/**
 * Whether a training run gets slower or faster as it goes (allocator growth, a heap that fills,
 * re-packed weights): descent's loop and layers' `fit` each train **one** model for `epochs`
 * consecutive epochs, their epochs alternating (d₁, f₁, d₂, f₂, …), each after a full GC. The
 * machine's own load moves both; a drift of descent's loop shows as a trend in their ratio.
 */
export async function measureDrift(
  backend: string,
  data: TrainingData,
  batchSize: number,
  epochs: number,
  seed = 0,
): Promise<DriftResult> {
  const runs = PAIR.map((name) => prepareContender(name, data, batchSize, seed));
  const perEpoch: Record<string, number[]> = Object.fromEntries(PAIR.map((n) => [n, []]));
  try {
    for (let e = 0; e < epochs; e++) {
      for (const [i, run] of runs.entries()) {
        collectGarbage();
        const start = performance.now();
        await run.epoch();
        perEpoch[PAIR[i] as string]?.push(data.dataset.n / ((performance.now() - start) / 1000));
      }
    }
  } finally {
    for (const run of runs) run.dispose();
  }
  const [loop, fit] = PAIR.map((n) => perEpoch[n] as number[]) as [number[], number[]];
  const ratios = loop.map((v, e) => v / (fit[e] as number));
  const half = Math.floor(epochs / 2);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    backend,
    batchSize,
    digits: data.dataset.n,
    epochs: perEpoch,
    ratios,
    drift: mean(ratios.slice(epochs - half)) / mean(ratios.slice(0, half)),
  };
}
