import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  checkBoolean,
  checkCopyable,
  checkDtype,
  checkFiniteTensor,
  checkKnownKeys,
  checkNumber,
  checkOptions,
  checkSameShape,
  checkShape,
  checkTensor,
  copyTensor,
  DescentError,
  describeValue,
  formatShape,
  isDescentError,
  isPlainObject,
  isRng,
  isTensor,
  OptionReader,
  sameShape,
} from '../index';
import { expectBadInput } from '../testing/bad-input';
import {
  badNumber,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '../testing/bad-values';
import { anything, type CaseGroup, disposedTensor, property } from './bad-input-helpers';

const TENSOR_CODES = ['BAD_ARGUMENT', 'DISPOSED'] as const;

/** A total function: never throws for `value`, allocates nothing. */
async function expectTotal(fn: (value: unknown) => unknown, value: unknown): Promise<void> {
  const before = tf.memory().numTensors;
  expect(() => fn(value)).not.toThrow();
  expect(tf.memory().numTensors).toBe(before);
}

/** The errors, predicates, describers and validators of `validate/`, and the tensor copy. */
export const VALIDATE_CASES: CaseGroup = {
  DescentError: () => {
    it('new DescentError refuses an unknown code or a non-string message', async () => {
      await property(fc.string({ maxLength: 8 }), async (code) => {
        await expectBadInput(() => new DescentError(code as 'BAD_ARGUMENT', 'm'), {
          code: 'BAD_ARGUMENT',
          mentions: ['code'],
        });
      });
      await expectBadInput(() => new DescentError('DISPOSED', 3 as unknown as string), {
        code: 'BAD_ARGUMENT',
        mentions: ['message'],
      });
    });
  },
  isDescentError: () => {
    it('isDescentError is total', () => property(anything, (v) => expectTotal(isDescentError, v)));
  },
  isTensor: () => {
    it('isTensor is total', async () => {
      await property(anything, (v) => expectTotal(isTensor, v));
      await expectTotal(isTensor, disposedTensor());
    });
  },
  isPlainObject: () => {
    it('isPlainObject is total and accepts only object literals', async () => {
      await property(anything, (v) => expectTotal(isPlainObject, v));
      expect([{}, Object.create(null), { a: 1 }].every(isPlainObject)).toBe(true);
      expect([null, [], new Map(), new (class Options {})(), () => ({})].some(isPlainObject)).toBe(
        false,
      );
    });
  },
  isRng: () => {
    it('isRng is total', async () => {
      await property(anything, (v) => expectTotal(isRng, v));
    });
  },
  describeValue: () => {
    it('describeValue is total', async () => {
      await property(anything, (v) => expectTotal(describeValue, v));
      await expectTotal(describeValue, disposedTensor());
    });
  },
  formatShape: () => {
    it('formatShape refuses what is not an array', () =>
      property(
        fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string(), fc.object()),
        (bad) =>
          expectBadInput(() => formatShape(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['shape'],
          }).then(() => {}),
      ));
  },
  sameShape: () => {
    it('sameShape refuses what is not an array', () =>
      property(
        fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.object()),
        async (bad) => {
          await expectBadInput(() => sameShape(bad as never, [1]), {
            code: 'BAD_ARGUMENT',
            mentions: ['a'],
          });
          await expectBadInput(() => sameShape([1], bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['b'],
          });
        },
      ));
  },
  checkOptions: () => {
    it('checkOptions refuses non-objects and unknown keys', async () => {
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => checkOptions('demo', bad, ['a']), {
          code: 'BAD_ARGUMENT',
          mentions: ['demo options'],
        });
      });
      await property(unknownName(['a', 'b']), async (key) => {
        await expectBadInput(() => checkOptions('demo', { [key]: 1 }, ['a', 'b']), {
          code: 'UNKNOWN_PARAM',
          mentions: ['demo options', JSON.stringify(key)],
        });
      });
    });
  },
  checkKnownKeys: () => {
    it('checkKnownKeys refuses unknown keys', () =>
      property(unknownName(['lr']), async (key) => {
        await expectBadInput(() => checkKnownKeys('opts', [key], ['lr']), {
          code: 'UNKNOWN_PARAM',
          mentions: ['opts', JSON.stringify(key)],
        });
      }));
  },
  checkNumber: () => {
    it('checkNumber refuses bad numbers', () =>
      property(badNumber({ min: 0, max: 1, integer: true }), async (bad) => {
        await expectBadInput(() => checkNumber('rate', bad, { min: 0, max: 1, integer: true }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['rate'],
        });
      }));
  },
  checkBoolean: () => {
    it('checkBoolean refuses non-booleans', () =>
      property(
        anything.filter((v) => typeof v !== 'boolean'),
        async (bad) => {
          await expectBadInput(() => checkBoolean('nesterov', bad), {
            code: 'BAD_HYPERPARAM',
            mentions: ['nesterov'],
          });
        },
      ));
  },
  OptionReader: () => {
    it('OptionReader refuses non-objects, unknown keys and bad fields', async () => {
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => new OptionReader('demo', bad, ['a']), {
          code: 'BAD_ARGUMENT',
          mentions: ['demo'],
        });
      });
      await property(unknownName(['rate']), async (key) => {
        await expectBadInput(() => new OptionReader('demo', { [key]: 1 }, ['rate']), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      const present = badNumber({ min: 0, integer: true }).filter((v) => v !== null);
      await property(present, async (bad) => {
        const read = new OptionReader('demo', { n: bad }, ['n']);
        await expectBadInput(() => read.integer('n', 1, { min: 0 }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['demo.n'],
        });
        await expectBadInput(() => read.number('n', 1, { min: 0, integer: true }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['demo.n'],
        });
        await expectBadInput(() => read.optionalNumber('n', { min: 0, integer: true }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['demo.n'],
        });
        await expectBadInput(() => read.hyper('n', 1, { min: 0, integer: true }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE', 'BAD_ARGUMENT'],
          mentions: ['demo.n'],
        });
      });
      await property(notAFunction, async (bad) => {
        const read = new OptionReader('demo', { cb: bad, flag: bad, mode: bad }, [
          'cb',
          'flag',
          'mode',
        ]);
        const absent = bad === null;
        if (!absent) {
          await expectBadInput(() => read.func('cb'), {
            code: 'BAD_ARGUMENT',
            mentions: ['demo.cb'],
          });
          await expectBadInput(() => read.boolean('flag', true), {
            code: 'BAD_HYPERPARAM',
            mentions: ['demo.flag'],
          });
          await expectBadInput(() => read.oneOf('mode', ['x', 'y']), {
            code: 'BAD_HYPERPARAM',
            mentions: ['demo.mode'],
          });
        }
      });
    });
  },
  checkTensor: () => {
    it('checkTensor refuses non-tensors and disposed tensors', async () => {
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkTensor('grads["w"]', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['grads["w"]'],
        });
      });
      await expectBadInput(() => checkTensor('w', disposedTensor([3])), {
        code: 'DISPOSED',
        mentions: ['w', '[3]'],
      });
    });
  },
  checkShape: () => {
    it('checkShape refuses other shapes', async () => {
      const t = tf.zeros([2, 3]);
      await property(otherShape([2, 3]), async (shape) => {
        await expectBadInput(() => checkShape('w', t, shape), {
          code: 'SHAPE_MISMATCH',
          mentions: ['w', '[2, 3]', formatShape(shape)],
        });
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkShape('w', bad, [2]), { code: TENSOR_CODES });
      });
      t.dispose();
    });
  },
  checkSameShape: () => {
    it('checkSameShape refuses shapes that differ, non-tensors and disposed tensors', async () => {
      const t = tf.zeros([2, 3]);
      await property(otherShape([2, 3]), async (shape) => {
        const u = tf.zeros(shape);
        await expectBadInput(() => checkSameShape('g', u, 'w', t), {
          code: 'SHAPE_MISMATCH',
          mentions: ['g', 'w', '[2, 3]', formatShape(shape)],
        });
        u.dispose();
      });
      await expectBadInput(() => checkSameShape('g', disposedTensor([2, 3]), 'w', t), {
        code: 'DISPOSED',
        mentions: ['g'],
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkSameShape('g', t, 'w', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['w'],
        });
      });
      t.dispose();
    });
  },
  checkDtype: () => {
    it('checkDtype refuses other dtypes', async () => {
      for (const dtype of ['int32', 'bool'] as const) {
        const t = tf.zeros([2], dtype);
        await expectBadInput(() => checkDtype('x', t, 'float32'), {
          code: 'DTYPE_MISMATCH',
          mentions: ['x', dtype, 'float32'],
        });
        t.dispose();
      }
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkDtype('x', bad, 'float32'), {
          code: 'BAD_ARGUMENT',
          mentions: ['x'],
        });
      });
    });
  },
  checkFiniteTensor: () => {
    it('checkFiniteTensor refuses NaN and ±Infinity entries, non-tensors and disposed ones', async () => {
      await property(
        fc.tuple(fc.constantFrom(Number.NaN, Infinity, -Infinity), fc.integer({ min: 0, max: 3 })),
        async ([bad, at]) => {
          const values = [1, 2, 3, 4];
          values[at] = bad;
          const t = tf.tensor(values);
          await expectBadInput(() => checkFiniteTensor('g', t), {
            code: 'NON_FINITE',
            mentions: ['g', `flat index ${at}`],
            unchanged: t,
          });
          t.dispose();
        },
      );
      await expectBadInput(() => checkFiniteTensor('g', disposedTensor()), {
        code: 'DISPOSED',
        mentions: ['g'],
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkFiniteTensor('g', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['g'],
        });
      });
    });
  },
  checkCopyable: () => {
    it('checkCopyable refuses non-tensors, disposed and string tensors', async () => {
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkCopyable('x', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['x'],
        });
      });
      const s = tf.tensor(['a']);
      await expectBadInput(() => checkCopyable('x', s), {
        code: 'DTYPE_MISMATCH',
        mentions: ['x', 'string'],
      });
      s.dispose();
      await expectBadInput(() => checkCopyable('x', disposedTensor()), { code: 'DISPOSED' });
    });
  },
  copyTensor: () => {
    it('copyTensor refuses non-tensors, disposed and string tensors', async () => {
      await property(notATensor, async (bad) => {
        await expectBadInput(() => copyTensor(bad as tf.Tensor, 'theta'), {
          code: 'BAD_ARGUMENT',
          mentions: ['theta'],
        });
      });
      const s = tf.tensor(['a']);
      await expectBadInput(() => copyTensor(s), { code: 'DTYPE_MISMATCH', mentions: ['x'] });
      s.dispose();
      await expectBadInput(() => copyTensor(disposedTensor()), {
        code: 'DISPOSED',
        mentions: ['x'],
      });
    });
  },
};
