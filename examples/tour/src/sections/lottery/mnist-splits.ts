import { type Dataset, mnist } from '@descent/data';

/** The digits a lottery run trains on, early-stops on and reports. */
export interface MnistSplits {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

/**
 * A stratified prefix of `trainDigits` of the 8 000 training digits, its last `validationDigits`
 * held out for early stopping, and the 2 000 test digits.
 */
export async function mnistSplits(
  trainDigits: number,
  validationDigits: number,
): Promise<MnistSplits> {
  const [all, test] = await Promise.all([
    mnist({ split: 'train', limit: trainDigits }),
    mnist({ split: 'test' }),
  ]);
  const n = all.n - validationDigits;
  return { train: rows(all, 0, n), validation: rows(all, n, all.n), test };
}

function rows(data: Dataset, from: number, to: number): Dataset {
  const size = data.xShape.reduce((a, b) => a * b, 1);
  return {
    ...data,
    x: data.x.slice(from * size, to * size),
    y: data.y.slice(from, to),
    n: to - from,
  };
}
