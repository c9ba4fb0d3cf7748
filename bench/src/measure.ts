import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link timePerStep}. */
export interface MeasureOptions {
  /** Steps run before timing (compiles pipelines, grows heaps). */
  warmup: number;
  /** Steps per sample; one read-back closes each sample. */
  steps: number;
  /** Samples; the median is reported. */
  samples: number;
}

/**
 * Median wall time of one step, in milliseconds. Each sample runs `steps` steps and then waits for
 * the backend to finish by reading one element of `witness` (a GPU queue drains in order, so the
 * read waits for every step before it) — the read-back costs the same for every contender.
 */
export async function timePerStep(
  step: () => void,
  witness: () => tf.Tensor,
  options: MeasureOptions,
): Promise<number> {
  for (let i = 0; i < options.warmup; i++) step();
  await settle(witness());
  const samples: number[] = [];
  for (let s = 0; s < options.samples; s++) {
    const start = performance.now();
    for (let i = 0; i < options.steps; i++) step();
    await settle(witness());
    samples.push((performance.now() - start) / options.steps);
  }
  return median(samples);
}

/** One contender of {@link timePair}: its step and the tensor its steps write. */
export interface Contender {
  /** One step; an asynchronous step (one that reads the device) is awaited. */
  step: () => void | Promise<void>;
  witness: () => tf.Tensor;
}

/** What {@link timePair} measured: per contender, the median and the fastest sample's time per step. */
export interface PairTiming {
  medianMs: [number, number];
  bestMs: [number, number];
}

/**
 * Time per step of two contenders measured **alternately**, sample by sample (a, b, a, b, …), so
 * load that comes and goes on a shared machine hits both alike and their ratio stays meaningful.
 * Each sample is as in {@link timePerStep} and starts on a collected heap (when node runs with
 * `--expose-gc`), so neither pays for the garbage the other left behind. `between`, if given, runs
 * after each pair of samples, untimed (e.g. a reference copy whose best is compared with the
 * contenders' best, measured under the same load).
 */
export async function timePair(
  a: Contender,
  b: Contender,
  options: MeasureOptions,
  between?: () => void,
): Promise<PairTiming> {
  for (const c of [a, b]) {
    await runSteps(c, options.warmup);
    await settle(c.witness());
  }
  const samples: [number[], number[]] = [[], []];
  for (let s = 0; s < options.samples; s++) {
    for (const [k, c] of [a, b].entries()) {
      collectGarbage();
      const start = performance.now();
      await runSteps(c, options.steps);
      await settle(c.witness());
      samples[k]?.push((performance.now() - start) / options.steps);
    }
    between?.();
  }
  return {
    medianMs: [median(samples[0]), median(samples[1])],
    bestMs: [Math.min(...samples[0]), Math.min(...samples[1])],
  };
}

/** Runs `n` steps, awaiting only those that are asynchronous (no microtask for the others). */
async function runSteps(c: Contender, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const pending = c.step();
    if (pending) await pending;
  }
}

/** A full garbage collection, where node exposes one (`--expose-gc`). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function settle(t: tf.Tensor): Promise<void> {
  // Inside tidy, so the reshaped alias is freed: a live alias would make the next in-place step copy.
  const one = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), 0, 1));
  await one.data();
  one.dispose();
}
