import { Rng } from '@descent/core';
import { MNIST_CLASSES } from './mnist-format';

/** Which examples {@link mnist} returns. */
export type MnistSplit = 'train' | 'test' | 'all';

/** Fraction of each class held out as the test split. */
export const MNIST_TEST_FRACTION = 0.2;

/** Fixed seeds: the split and the default order never depend on a user's seed. */
const SPLIT_SEED = '@descent/data:mnist-split:v1';
const ORDER_SEED = '@descent/data:mnist-order:v1';

/**
 * Integer quotas proportional to `counts` that sum to exactly `total` (Hamilton's largest
 * remainder method): each gets `⌊total·cᵢ/Σc⌋`, and the units left go to the largest fractional
 * parts, ties to the lower index.
 */
export function largestRemainder(counts: readonly number[], total: number): number[] {
  const sum = counts.reduce((a, b) => a + b, 0);
  if (sum === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (total * c) / sum);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    quotas[i] = (quotas[i] as number) + 1;
    left--;
  }
  return quotas;
}

/** Number of examples of each class in `labels`. */
export function classCounts(labels: ArrayLike<number>, numClasses = MNIST_CLASSES): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i] as number;
    counts[c] = (counts[c] as number) + 1;
  }
  return counts;
}

/**
 * Ids (positions in the class-major order of the `mnist` package) of the examples of `split`,
 * ascending. The test split takes `round(20 %)` of every class — quotas by
 * {@link largestRemainder} so they sum to exactly 20 % of all digits — chosen by a fixed
 * Philox permutation of each class; the train split is the rest.
 */
export function mnistSplitIds(labels: Uint8Array, split: MnistSplit): Int32Array {
  if (split === 'all') return Int32Array.from(labels, (_, i) => i);
  const counts = classCounts(labels);
  const testQuotas = largestRemainder(counts, Math.round(MNIST_TEST_FRACTION * labels.length));
  const isTest = new Uint8Array(labels.length);
  const splitRng = new Rng(SPLIT_SEED);
  let start = 0;
  counts.forEach((count, c) => {
    const perm = splitRng.child(`class ${c}`).permutation(count);
    for (let j = 0; j < (testQuotas[c] as number); j++) isTest[start + (perm[j] as number)] = 1;
    start += count;
  });
  const want = split === 'test' ? 1 : 0;
  const ids: number[] = [];
  for (let i = 0; i < labels.length; i++) if (isTest[i] === want) ids.push(i);
  return Int32Array.from(ids);
}

/**
 * `ids` reordered: by `new Rng(seed).permutation(ids.length)` when a seed is given, else by a
 * fixed permutation (so the default order mixes the classes too).
 */
export function orderIds(ids: Int32Array, seed: number | string | undefined): Int32Array {
  const perm = new Rng(seed ?? ORDER_SEED).permutation(ids.length);
  return perm.map((p) => ids[p] as number);
}

/**
 * The first examples of `ordered` that fit per-class quotas proportional to the class counts
 * (largest remainder, summing to `limit`), in their order: a stratified prefix.
 */
export function stratifiedPrefix(
  ordered: Int32Array,
  labels: Uint8Array,
  limit: number,
): Int32Array {
  if (limit >= ordered.length) return ordered;
  const quotas = largestRemainder(
    classCounts(Array.from(ordered, (id) => labels[id] as number)),
    limit,
  );
  const out = new Int32Array(limit);
  let k = 0;
  for (let i = 0; i < ordered.length && k < limit; i++) {
    const id = ordered[i] as number;
    const c = labels[id] as number;
    if ((quotas[c] as number) > 0) {
      quotas[c] = (quotas[c] as number) - 1;
      out[k++] = id;
    }
  }
  return out;
}
