import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { checkCurves, formatSummary, summarize } from './curves';

describe('summarize', () => {
  it('gives the mean, extremes and sample standard deviation (n − 1)', () => {
    const s = summarize([0.97, 0.98, 0.99]);
    expect(s.mean).toBeCloseTo(0.98, 12);
    expect(s.min).toBe(0.97);
    expect(s.max).toBe(0.99);
    expect(s.std).toBeCloseTo(0.01, 12);
    // Σ (x − 2.5)² = 5 over n − 1 = 3: √(5 / 3).
    expect(summarize([1, 2, 3, 4]).std).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('gives std 0 for a single value', () => {
    expect(summarize([0.948])).toEqual({ mean: 0.948, min: 0.948, max: 0.948, std: 0 });
  });

  it('refuses an empty array, non-numbers and non-finite values', () => {
    expectDescentError(() => summarize([]), 'BAD_ARGUMENT', 'summarize: values', 'length 0');
    expectDescentError(() => summarize('0.9' as never), 'BAD_ARGUMENT', 'summarize: values');
    expectDescentError(() => summarize([0.9, '1' as never]), 'BAD_ARGUMENT', 'values[1]');
    expectDescentError(() => summarize([0.9, Number.NaN]), 'NON_FINITE', 'values[1]', 'NaN');
  });
});

describe('formatSummary', () => {
  it('writes percent with two decimals, with ± std for several seeds', () => {
    expect(formatSummary(summarize([0.948]), 1)).toBe('94.80 %');
    expect(formatSummary({ mean: 0.948, min: 0.946, max: 0.95, std: 0.0021 }, 3)).toBe(
      '94.80 ± 0.21 %',
    );
    expect(formatSummary(summarize([0.975, 0.978, 0.981]), 3)).toBe('97.80 ± 0.30 %');
    expect(formatSummary(summarize([1, 1]), 2)).toBe('100.00 ± 0.00 %');
  });

  it('refuses a summary without finite numbers and a bad seed count', () => {
    const s = summarize([0.9]);
    expectDescentError(() => formatSummary(null as never, 1), 'BAD_ARGUMENT', 'formatSummary: s');
    expectDescentError(
      () => formatSummary({ ...s, std: Number.NaN }, 2),
      'BAD_ARGUMENT',
      'formatSummary: s',
    );
    expectDescentError(() => formatSummary(s, 0), 'BAD_ARGUMENT', 'seeds', 'number 0');
    expectDescentError(() => formatSummary(s, 1.5), 'BAD_ARGUMENT', 'seeds', 'number 1.5');
  });
});

describe('checkCurves', () => {
  const good = { name: 'winning ticket', points: [{ density: 1, accuracies: [0.98] }] };
  const withPoint = (point: unknown) => [good, { name: 'random reinit', points: [point] }];

  it('accepts good curves', () => {
    expect(() => checkCurves('curves', [good])).not.toThrow();
  });

  it('names the first bad entry by its path', () => {
    expectDescentError(() => checkCurves('curves', []), 'BAD_ARGUMENT', 'curves must be');
    expectDescentError(() => checkCurves('curves', [good, 7]), 'BAD_ARGUMENT', 'curves[1]');
    expectDescentError(
      () => checkCurves('curves', [{ name: 3, points: good.points }]),
      'BAD_ARGUMENT',
      'curves[0].name',
    );
    expectDescentError(
      () => checkCurves('curves', [{ name: 'a', points: [] }]),
      'BAD_ARGUMENT',
      'curves[0].points',
    );
    expectDescentError(
      () => checkCurves('curves', withPoint({ density: 0, accuracies: [0.9] })),
      'BAD_ARGUMENT',
      'curves[1].points[0].density',
      '(0, 1]',
    );
    expectDescentError(
      () => checkCurves('curves', withPoint({ density: 1.2, accuracies: [0.9] })),
      'BAD_ARGUMENT',
      'number 1.2',
    );
    expectDescentError(
      () => checkCurves('curves', withPoint({ density: 0.5, accuracies: [0.9, 97.5] })),
      'BAD_ARGUMENT',
      'curves[1].points[0].accuracies[1]',
      '[0, 1]',
    );
    expectDescentError(
      () => checkCurves('curves', withPoint({ density: 0.5, accuracies: [] })),
      'BAD_ARGUMENT',
      'curves[1].points[0].accuracies',
    );
    expectDescentError(
      () =>
        checkCurves('curves', withPoint({ density: Number.POSITIVE_INFINITY, accuracies: [1] })),
      'NON_FINITE',
      'density',
    );
  });
});
