import { describe, expect, it } from 'vitest';
import { Rng } from '../rng/rng';
import { expectDescentError } from '../testing/expect-descent-error';
import { OptionReader } from './option-reader';

const schedule = Object.assign((t: number) => 0.1 / (1 + t), {
  config: { type: 'test.inverse' },
});

describe('OptionReader', () => {
  it('reads numbers, integers, booleans, strings, hyperparameters and functions with defaults', () => {
    const f = () => 1;
    const read = new OptionReader('demo', { a: 2, n: 3, b: null, h: schedule, cb: f }, [
      'a',
      'n',
      'b',
      'h',
      'cb',
      'mode',
    ]);
    expect(read.number('a', 1, { min: 0 })).toBe(2);
    expect(read.integer('n', undefined, { min: 1 })).toBe(3);
    expect(read.boolean('b', true)).toBe(true);
    expect(read.oneOf('mode', ['x', 'y'] as const, 'y')).toBe('y');
    expect(read.hyper('h', 0.1, { min: 0 })).toBe(schedule);
    expect(read.func('cb')).toBe(f);
    expect(read.optionalNumber('missing' as 'a')).toBeUndefined();
    expect(Object.is(new OptionReader('demo', { a: -0 }, ['a']).number('a'), 0)).toBe(true);
  });

  it('names the field as what.field in every refusal', () => {
    expectDescentError(() => new OptionReader('demo', null, []), 'BAD_ARGUMENT', 'demo options');
    expectDescentError(() => new OptionReader('demo', { lr: 1 }, ['a']), 'UNKNOWN_PARAM', '"lr"');
    const read = new OptionReader(
      'demo',
      { a: -1, n: 1.5, b: 'yes', s: 'z', h: () => 1, g: Number.NaN, cb: 3 },
      ['a', 'n', 'b', 's', 'h', 'g', 'cb', 'req'],
    );
    expectDescentError(() => read.number('a', 1, { min: 0 }), 'BAD_HYPERPARAM', 'demo.a', '-1');
    expectDescentError(() => read.integer('n'), 'BAD_HYPERPARAM', 'demo.n', 'integer');
    expectDescentError(() => read.boolean('b', false), 'BAD_HYPERPARAM', 'demo.b', '"yes"');
    expectDescentError(() => read.oneOf('s', ['x']), 'BAD_HYPERPARAM', 'demo.s', "'x'");
    expectDescentError(() => read.hyper('h', 1), 'BAD_ARGUMENT', 'demo.h', 'schedule config');
    expectDescentError(() => read.hyper('g', 1), 'NON_FINITE', 'demo.g');
    expectDescentError(() => read.func('cb'), 'BAD_ARGUMENT', 'demo.cb', 'number 3');
    expectDescentError(() => read.number('req'), 'BAD_HYPERPARAM', 'demo.req is required');
  });

  it('reads a generator: the given Rng itself, the fallback when absent, a refusal otherwise', () => {
    const given = new Rng(1);
    const fallback = new Rng(2);
    const read = new OptionReader('demo', { rng: given, nul: null, bad: { seed: 1 } }, [
      'rng',
      'nul',
      'bad',
      'none',
    ]);
    expect(read.generator('rng', fallback)).toBe(given);
    expect(read.generator('nul', fallback)).toBe(fallback);
    expect(read.generator('none', fallback)).toBe(fallback);
    expectDescentError(
      () => read.generator('none'),
      'BAD_ARGUMENT',
      'demo.none',
      'Rng',
      'undefined',
    );
    expectDescentError(
      () => read.generator('bad'),
      'BAD_ARGUMENT',
      'demo.bad',
      'Rng from @descent/core',
    );
  });
});
