import { expect, it } from 'vitest';
import { isRng } from './is-rng';
import { Rng } from './rng';

it('isRng accepts core generators (also from another copy of the package) and nothing else', () => {
  const rng = new Rng(3);
  expect(isRng(rng)).toBe(true);
  expect(isRng(rng.child('x'))).toBe(true);
  expect(isRng(Rng.fromState(rng.state()))).toBe(true);
  // A generator of another copy of @descent/core: same methods, another class.
  const lookalike = Object.create(null) as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(Rng.prototype)) {
    lookalike[key] = () => 0;
  }
  expect(isRng(lookalike)).toBe(true);
  const { permutation: _, ...withoutPermutation } = lookalike;
  expect(isRng(withoutPermutation)).toBe(false);
  for (const value of [null, undefined, 0, 'rng', [], {}, { seed: 3 }, () => rng, Rng]) {
    expect(isRng(value), String(value)).toBe(false);
  }
});
