import { describe, expect, it } from 'vitest';
import { expectDescentError } from '../testing/expect-descent-error';
import { checkOptions } from './check-options';

const KNOWN = ['beta1', 'beta2', 'epsilon'];

describe('checkOptions', () => {
  it('accepts plain objects with known keys only (and none at all)', () => {
    expect(() => checkOptions('scaleByAdam', { beta1: 0.9, epsilon: 1e-8 }, KNOWN)).not.toThrow();
    expect(() => checkOptions('scaleByAdam', {}, KNOWN)).not.toThrow();
    expect(() => checkOptions('scaleByAdam', Object.create(null), KNOWN)).not.toThrow();
    expect(() => checkOptions('scaleByAdam', { beta1: undefined }, KNOWN)).not.toThrow();
  });

  it('names every unknown key and lists the known ones (UNKNOWN_PARAM)', () => {
    const error = expectDescentError(
      () => checkOptions('scaleByAdam', { beta1: 0.9, betta2: 0.9, eps: 1 }, KNOWN),
      'UNKNOWN_PARAM',
      'scaleByAdam options',
      '"betta2", "eps"',
      'known: "beta1", "beta2", "epsilon"',
    );
    expect(error.message).not.toContain('"beta1", "betta2"');
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [0.9, 'number 0.9'],
    ['adam', '"adam"'],
    [[0.9, 0.999], 'an array of length 2'],
    [new Map([['beta1', 0.9]]), 'a Map of size 1'],
    [() => ({}), 'a function'],
  ])('rejects %o with BAD_ARGUMENT describing it', (options, shown) => {
    expectDescentError(
      () => checkOptions('scaleByAdam', options, KNOWN),
      'BAD_ARGUMENT',
      `scaleByAdam options must be a plain object, got ${shown}.`,
    );
  });

  it('uses the caller’s message for what is no object', () => {
    expectDescentError(
      () => checkOptions('lars', undefined, KNOWN, 'lars needs options with a learningRate.'),
      'BAD_ARGUMENT',
      'lars needs options with a learningRate.',
    );
  });

  it('narrows the options to an object', () => {
    const options: unknown = { beta1: 0.5 };
    checkOptions('scaleByAdam', options, KNOWN);
    expect(Object.keys(options)).toEqual(['beta1']);
  });
});
