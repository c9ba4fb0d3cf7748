import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DescentError } from '../errors/descent-error';
import { expectBadInput } from './bad-input';
import { badNumber, BAD_INPUT_RUNS, outOfRange, unknownName } from './bad-values';
import { expectExportsCovered } from './export-coverage';
import '@tensorflow/tfjs-backend-cpu';

/** A harness that cannot fail proves nothing: each of its checks is shown to fail here. */
describe('expectBadInput', () => {
  const refuse = () => {
    throw new DescentError('BAD_ARGUMENT', 'x must be a tensor.');
  };

  it('passes a refusal that names the argument and changes nothing', async () => {
    const v = tf.variable(tf.tensor1d([1, Number.NaN]));
    await expectBadInput(refuse, { code: 'BAD_ARGUMENT', mentions: ['x'], unchanged: [v] });
    v.dispose();
  });

  it('fails on a result, a raw error, a wrong code or a missing mention', async () => {
    await expect(expectBadInput(() => 1, { code: 'BAD_ARGUMENT' })).rejects.toThrow();
    await expect(
      expectBadInput(
        () => {
          throw new TypeError('x');
        },
        { code: 'BAD_ARGUMENT' },
      ),
    ).rejects.toThrow();
    await expect(expectBadInput(refuse, { code: 'DISPOSED' })).rejects.toThrow();
    await expect(
      expectBadInput(refuse, { code: 'BAD_ARGUMENT', mentions: ['y'] }),
    ).rejects.toThrow();
  });

  it('fails on a leak and on changed state, NaN payloads compared bit for bit', async () => {
    const leaked: tf.Tensor[] = [];
    await expect(
      expectBadInput(
        () => {
          leaked.push(tf.zeros([2]));
          refuse();
        },
        { code: 'BAD_ARGUMENT' },
      ),
    ).rejects.toThrow(/leaked/);
    tf.dispose(leaked);
    const v = tf.variable(tf.tensor1d([1, 2]));
    await expect(
      expectBadInput(
        () => {
          tf.tidy(() => v.assign(tf.tensor1d([1, 3])));
          refuse();
        },
        { code: 'BAD_ARGUMENT', unchanged: { v } },
      ),
    ).rejects.toThrow(/changed state/);
    v.dispose();
  });
});

describe('bad values', () => {
  it('outOfRange and badNumber never produce an accepted value', () => {
    const range = { min: 0, max: 1, maxExclusive: true };
    fc.assert(
      fc.property(outOfRange(range), (x) => !(x >= 0 && x < 1)),
      { numRuns: BAD_INPUT_RUNS * 10 },
    );
    fc.assert(
      fc.property(
        badNumber({ min: 1, integer: true }),
        (x) => !(Number.isInteger(x) && (x as number) >= 1),
      ),
      { numRuns: BAD_INPUT_RUNS * 10 },
    );
    fc.assert(fc.property(unknownName(['beta1', 'lr']), (s) => s !== 'beta1' && s !== 'lr'));
  });
});

describe('expectExportsCovered', () => {
  it('fails for an uncovered callable, a stale entry and an empty reason', () => {
    const ns = { f: () => 1, g: () => 2, CONST: [1] };
    expectExportsCovered(ns, ['f'], { g: 'takes no input' });
    expect(() => expectExportsCovered(ns, ['f'])).toThrow();
    expect(() => expectExportsCovered(ns, ['f', 'g', 'h'])).toThrow();
    expect(() => expectExportsCovered(ns, ['f'], { g: '' })).toThrow();
  });
});
