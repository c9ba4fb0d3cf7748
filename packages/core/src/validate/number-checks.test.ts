import { describe, expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { checkBoolean } from './number-checks';

describe('checkBoolean', () => {
  it('accepts true and false', () => {
    expect(() => checkBoolean('amsgrad', true)).not.toThrow();
    expect(() => checkBoolean('amsgrad', false)).not.toThrow();
  });

  it.each([
    [1, '1'],
    ['true', 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('rejects %j with BAD_HYPERPARAM naming the option and the value', (value, shown) => {
    let error: unknown;
    try {
      checkBoolean('nesterov', value);
    } catch (e) {
      error = e;
    }
    expect(isDescentError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'BAD_HYPERPARAM' });
    expect((error as Error).message).toBe(
      `[BAD_HYPERPARAM] nesterov must be a boolean, got ${shown}.`,
    );
  });
});
