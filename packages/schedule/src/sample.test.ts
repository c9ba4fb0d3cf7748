import { describe, expect, it } from 'vitest';
import { cosineDecay } from './cosine-decay';
import { cyclic } from './cyclic';
import { sample } from './sample';
import { expectDescentError } from '@descent/core/testing';

describe('sample', () => {
  it('evaluates steps 0…n−1 or a list of steps', () => {
    expect(sample(cyclic({ baseValue: 1, maxValue: 5, stepSizeUp: 4 }), 9)).toEqual([
      1, 2, 3, 4, 5, 4, 3, 2, 1,
    ]);
    const c = sample(cosineDecay({ initValue: 1, decaySteps: 100 }), [0, 50, 100]);
    expect(c[0]).toBe(1);
    expect(c[1]).toBeCloseTo(0.5, 15);
    expect(c[2]).toBe(0);
    expect(sample((t) => t * 2, 0)).toEqual([]);
  });

  it('rejects a bad count or a non-function', () => {
    expectDescentError(() => sample((t) => t, -1), 'BAD_HYPERPARAM', 'sample steps');
    expectDescentError(() => sample((t) => t, 2.5), 'BAD_HYPERPARAM', 'sample steps');
    expectDescentError(() => sample(3 as never, 2), 'BAD_ARGUMENT', 'sample');
  });
});
