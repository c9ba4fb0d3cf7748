import { describe, expect, it } from 'vitest';
import { expectDescentError } from '@descent/core/testing';
import { NONLINEARITIES, gain } from './gain';

describe('gain', () => {
  it("equals torch's calculate_gain", () => {
    expect(gain('linear')).toBe(1);
    expect(gain('sigmoid')).toBe(1);
    expect(gain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(gain('relu')).toBeCloseTo(Math.SQRT2, 15);
    expect(gain('selu')).toBe(0.75);
    expect(gain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15); // 1.4141428569978354
    expect(gain('leakyRelu', 0.2)).toBeCloseTo(1.3867504905630728, 15);
    expect(gain('leakyRelu', 0)).toBeCloseTo(Math.SQRT2, 15);
    expect(gain('leakyRelu', 1)).toBeCloseTo(1, 15);
    expect(NONLINEARITIES).toHaveLength(6);
  });

  it('rejects unknown names, stray parameters and bad slopes', () => {
    expectDescentError(() => gain('gelu' as 'relu'), 'BAD_ARGUMENT', 'gelu', "'leakyRelu'");
    expectDescentError(
      () => gain('relu', 0.1),
      'BAD_ARGUMENT',
      "param is only for nonlinearity 'leakyRelu'",
    );
    expectDescentError(() => gain('leakyRelu', -0.1), 'BAD_HYPERPARAM', 'slope');
    expectDescentError(() => gain('leakyRelu', Number.POSITIVE_INFINITY), 'NON_FINITE', 'slope');
  });
});
