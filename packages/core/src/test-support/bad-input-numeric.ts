import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  accuracy,
  checkLabels,
  formatShape,
  hyperFromConfig,
  hyperToConfig,
  hyperValue,
  isSchedule,
  mse,
  registerScheduleKind,
  Rng,
  RNG_ALGORITHM,
  safeExp,
  safeLogSoftmax,
  scheduleFromConfig,
  softmaxCrossEntropy,
} from '../index';
import { expectBadInput, type Watched } from '../testing/bad-input';
import {
  badNumber,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '../testing/bad-values';
import { anything, type CaseGroup, disposedTensor, property } from './bad-input-helpers';

const SEED_RANGE = { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER };
const SIZE_RANGE = { integer: true, min: 0, max: 2147483647 };
const NUMBER_CODES = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;

/** A bad shape for an Rng tensor: not an array, or with a bad dimension. */
const badShape = fc.oneof(
  fc.constant(null),
  fc.constant('2'),
  fc.constant([-1]),
  fc.constant([1.5]),
  fc.constant([Number.NaN]),
);

const schedule = Object.assign((t: number) => 0.1 / (1 + t), {
  config: { type: 'badInput.inverse' },
});

/** What a refusal of `hyperFromConfig(bad)` names: the unknown kind, the config or the value. */
function mentionOf(bad: unknown): string {
  if (typeof bad !== 'object' || bad === null) return 'value';
  return 'type' in bad ? 'badInput.none' : 'config';
}

/** Rng and its methods, schedules and hyperparameters, losses and metrics. */
export const NUMERIC_CASES: CaseGroup = {
  Rng: () => {
    it('new Rng and Rng.fromState refuse bad seeds and states', async () => {
      await property(
        badNumber(SEED_RANGE).filter((s) => typeof s !== 'string'),
        async (seed) => {
          await expectBadInput(() => new Rng(seed as number), {
            code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
            mentions: ['seed'],
          });
        },
      );
      const state = new Rng(1).state();
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => Rng.fromState(bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['state'],
        });
      });
      for (const field of ['seed', 'position', 'splits'] as const) {
        await property(badNumber(SEED_RANGE), async (bad) => {
          await expectBadInput(() => Rng.fromState({ ...state, [field]: bad } as never), {
            code: NUMBER_CODES,
            mentions: [`state.${field}`],
          });
        });
      }
      await expectBadInput(() => Rng.fromState({ ...state, algorithm: 'mt19937' } as never), {
        code: 'BAD_ARGUMENT',
        mentions: [RNG_ALGORITHM],
      });
    });
    it('Rng methods refuse bad arguments and draw nothing', async () => {
      const rng = new Rng(7);
      rng.float();
      const watched = rng as unknown as Watched;
      const cases: [string, fc.Arbitrary<unknown>, (bad: never) => unknown][] = [
        ['n', badNumber(SIZE_RANGE), (n) => rng.split(n)],
        ['n', badNumber(SIZE_RANGE), (n) => rng.permutation(n)],
        ['name', fc.oneof(fc.integer(), fc.constant(null)), (n) => rng.child(n)],
        ['name', fc.oneof(fc.integer(), fc.constant({})), (n) => rng.seedFor(n)],
        ['lo', badNumber({ integer: true }), (lo) => rng.int(lo, 10)],
        ['hi', badNumber({ integer: true, min: 1, minExclusive: true }), (hi) => rng.int(1, hi)],
        ['size', badNumber(SIZE_RANGE), (size) => rng.uniformArray(size)],
        ['hi', badNumber({ min: 0, minExclusive: true }), (hi) => rng.uniformArray(2, 0, hi)],
        ['std', badNumber({ min: 0 }), (std) => rng.normalArray(2, 0, std)],
        ['mean', badNumber(), (mean) => rng.normalArray(2, mean)],
        ['bound', badNumber({ min: 0.1 }), (b) => rng.truncatedNormalArray(2, 0, 1, b)],
        ['p', badNumber({ min: 0, max: 1 }), (p) => rng.bernoulliArray(2, p)],
        ['shape', badShape, (shape) => rng.normal(shape)],
        ['std', badNumber({ min: 0 }), (std) => rng.normal([2], 0, std)],
        ['shape', badShape, (shape) => rng.uniform(shape)],
        ['lo', badNumber(), (lo) => rng.uniform([2], lo, 2)],
        ['shape', badShape, (shape) => rng.truncatedNormal(shape)],
        ['bound', badNumber({ min: 0.1 }), (b) => rng.truncatedNormal([2], 0, 1, b)],
        [
          'array',
          fc.oneof(
            fc.constant(null),
            fc.integer(),
            fc.constant({ length: -1 }),
            fc.constant({ length: 1e15 }),
          ),
          (a) => rng.shuffle(a),
        ],
      ];
      for (const [name, arbitrary, call] of cases) {
        await property(arbitrary, async (bad) => {
          await expectBadInput(() => call(bad as never), {
            code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
            mentions: [name],
            unchanged: watched,
          });
        });
      }
    });
  },
  isSchedule: () => {
    it('isSchedule is total', () =>
      property(anything, async (v) => {
        expect(typeof isSchedule(v)).toBe('boolean');
      }));
  },
  hyperValue: () => {
    it('hyperValue refuses bad values, steps and names', async () => {
      await property(badNumber({ min: 0 }), async (bad) => {
        await expectBadInput(() => hyperValue('learningRate', bad as number, 0, { min: 0 }), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE', 'BAD_ARGUMENT'],
          mentions: ['learningRate'],
        });
        await expectBadInput(() => hyperValue('learningRate', schedule, bad as number), {
          code: NUMBER_CODES,
          mentions: ['learningRate: step'],
        });
      });
      await expectBadInput(() => hyperValue(3 as never, 0.1, 0), {
        code: 'BAD_ARGUMENT',
        mentions: ['name'],
      });
      const bad = Object.assign(() => Number.NaN, { config: { type: 'badInput.nan' } });
      await expectBadInput(() => hyperValue('momentum', bad, 3), {
        code: 'NON_FINITE',
        mentions: ['momentum', 'step 3'],
      });
    });
  },
  registerScheduleKind: () => {
    it('registerScheduleKind refuses a bad kind name or factory', async () => {
      await property(
        fc.oneof(fc.constant(''), fc.constant('  '), fc.integer(), fc.constant(null)),
        async (bad) => {
          await expectBadInput(() => registerScheduleKind(bad as string, () => schedule), {
            code: 'BAD_ARGUMENT',
            mentions: ['type'],
          });
        },
      );
      await property(notAFunction, async (bad) => {
        await expectBadInput(() => registerScheduleKind('badInput.kind', bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['fromConfig'],
        });
      });
    });
  },
  scheduleFromConfig: () => {
    it('scheduleFromConfig refuses non-configs, unknown kinds and factories returning junk', async () => {
      await property(
        fc.oneof(notAPlainObject, fc.constant({ type: 3 }), fc.constant({})),
        async (bad) => {
          await expectBadInput(() => scheduleFromConfig(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['config'],
          });
        },
      );
      await property(unknownName(['badInput.junk']), async (type) => {
        await expectBadInput(() => scheduleFromConfig({ type: `badInput.unregistered.${type}` }), {
          code: 'BAD_ARGUMENT',
          mentions: ['badInput.unregistered'],
        });
      });
      registerScheduleKind('badInput.junk', () => 3 as never);
      await expectBadInput(() => scheduleFromConfig({ type: 'badInput.junk' }), {
        code: 'BAD_ARGUMENT',
        mentions: ['"badInput.junk"'],
      });
    });
  },
  hyperToConfig: () => {
    it('hyperToConfig refuses non-finite numbers and what is no hyperparameter', () =>
      property(badNumber(), async (bad) => {
        await expectBadInput(() => hyperToConfig(bad as number), {
          code: ['BAD_ARGUMENT', 'NON_FINITE'],
          mentions: ['value'],
        });
      }));
  },
  hyperFromConfig: () => {
    it('hyperFromConfig refuses non-finite numbers, non-configs and unknown kinds', () =>
      property(fc.oneof(badNumber(), fc.constant({ type: 'badInput.none' })), async (bad) => {
        await expectBadInput(() => hyperFromConfig(bad as number), {
          code: ['BAD_ARGUMENT', 'NON_FINITE'],
          mentions: [mentionOf(bad)],
        });
      }));
  },
  safeExp: () => {
    it('safeExp refuses non-tensors, disposed and non-float32 tensors', async () => {
      await property(notATensor, async (bad) => {
        await expectBadInput(() => safeExp(bad as tf.Tensor), {
          code: 'BAD_ARGUMENT',
          mentions: ['x'],
        });
      });
      const ints = tf.ones([2], 'int32');
      await expectBadInput(() => safeExp(ints), { code: 'DTYPE_MISMATCH', mentions: ['x'] });
      ints.dispose();
      await expectBadInput(() => safeExp(disposedTensor()), { code: 'DISPOSED', mentions: ['x'] });
    });
  },
  safeLogSoftmax: () => {
    it('safeLogSoftmax refuses non-tensors, scalars, empty class axes and other dtypes', async () => {
      await property(notATensor, async (bad) => {
        await expectBadInput(() => safeLogSoftmax(bad as tf.Tensor), {
          code: 'BAD_ARGUMENT',
          mentions: ['x'],
        });
      });
      for (const shape of [[], [2, 0]]) {
        const t = tf.zeros(shape);
        await expectBadInput(() => safeLogSoftmax(t), {
          code: 'SHAPE_MISMATCH',
          mentions: ['x', formatShape(shape)],
        });
        t.dispose();
      }
      const ints = tf.ones([2], 'int32');
      await expectBadInput(() => safeLogSoftmax(ints), { code: 'DTYPE_MISMATCH', mentions: ['x'] });
      ints.dispose();
    });
  },
  mse: () => {
    it('mse refuses shapes that differ, other dtypes and bad options', async () => {
      const pred = tf.ones([2, 3]);
      await property(otherShape([2, 3]), async (shape) => {
        const target = tf.ones(shape);
        await expectBadInput(() => mse(pred, target), {
          code: 'SHAPE_MISMATCH',
          mentions: ['target', formatShape(shape)],
        });
        target.dispose();
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => mse(pred, bad as tf.Tensor), {
          code: 'BAD_ARGUMENT',
          mentions: ['target'],
        });
      });
      await property(unknownName(['reduction']), async (key) => {
        await expectBadInput(() => mse(pred, pred, { [key]: 'sum' } as object), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      await property(fc.oneof(fc.constant(null), fc.constant(3), fc.constant([1])), async (bad) => {
        await expectBadInput(() => mse(pred, pred, bad as object), {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
        });
      });
      await expectBadInput(() => mse(pred, pred, { reduction: 'avg' as 'sum' }), {
        code: 'BAD_ARGUMENT',
        mentions: ['reduction'],
      });
      pred.dispose();
    });
  },
  softmaxCrossEntropy: () => {
    it('softmaxCrossEntropy refuses bad labels, logits and options', async () => {
      const logits = tf.zeros([4, 3]);
      await property(otherShape([4]), async (shape) => {
        const labels = tf.zeros(shape, 'int32');
        await expectBadInput(() => softmaxCrossEntropy(logits, labels), {
          code: 'SHAPE_MISMATCH',
          mentions: ['labels', formatShape(shape)],
        });
        labels.dispose();
      });
      // null, like undefined, means the default.
      const present = badNumber({ min: 0, max: 1 }).filter((v) => v !== null);
      await property(present, async (bad) => {
        const labels = tf.zeros([4], 'int32');
        await expectBadInput(
          () => softmaxCrossEntropy(logits, labels, { labelSmoothing: bad as number }),
          { code: NUMBER_CODES, mentions: ['labelSmoothing'] },
        );
        labels.dispose();
      });
      await property(unknownName(['reduction', 'labelSmoothing']), async (key) => {
        await expectBadInput(() => softmaxCrossEntropy(logits, logits, { [key]: 0 } as object), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => softmaxCrossEntropy(bad as tf.Tensor, logits), {
          code: 'BAD_ARGUMENT',
          mentions: ['logits'],
        });
      });
      const bools = tf.zeros([4], 'bool');
      await expectBadInput(() => softmaxCrossEntropy(logits, bools), {
        code: 'DTYPE_MISMATCH',
        mentions: ['labels', 'bool'],
      });
      bools.dispose();
      logits.dispose();
    });
  },
  accuracy: () => {
    it('accuracy refuses bad labels and logits, and int32 ids outside [0, C)', async () => {
      const logits = tf.zeros([4, 3]);
      await property(otherShape([4]), async (shape) => {
        const labels = tf.zeros(shape, 'int32');
        await expectBadInput(() => accuracy(logits, labels), {
          code: 'SHAPE_MISMATCH',
          mentions: ['labels', formatShape(shape)],
        });
        labels.dispose();
      });
      await property(
        fc.tuple(
          fc.oneof(fc.integer({ min: 3, max: 1000 }), fc.integer({ min: -1000, max: -1 })),
          fc.integer({ min: 0, max: 3 }),
        ),
        async ([id, at]) => {
          const ids = [0, 1, 2, 0];
          ids[at] = id;
          const labels = tf.tensor1d(ids, 'int32');
          await expectBadInput(() => accuracy(logits, labels), {
            code: 'BAD_ARGUMENT',
            mentions: ['labels', `flat index ${at}`, `${id}`, '[0, 3)'],
          });
          labels.dispose();
        },
      );
      await property(notATensor, async (bad) => {
        await expectBadInput(() => accuracy(logits, bad as tf.Tensor), {
          code: 'BAD_ARGUMENT',
          mentions: ['labels'],
        });
      });
      logits.dispose();
    });
  },
  checkLabels: () => {
    it('checkLabels refuses ids outside [0, C), fractional ids, bad dtypes and a bad class count', async () => {
      await property(
        fc.tuple(
          fc.oneof(
            fc.integer({ min: 5, max: 99 }),
            fc.integer({ min: -99, max: -1 }),
            fc.constant(1.5),
          ),
          fc.integer({ min: 0, max: 2 }),
        ),
        async ([id, at]) => {
          const ids = [0, 1, 4];
          ids[at] = id;
          const labels = tf.tensor1d(ids, 'float32');
          await expectBadInput(() => checkLabels('y', labels, 5), {
            code: 'BAD_ARGUMENT',
            mentions: ['y', `flat index ${at}`, `${id}`, '[0, 5)'],
            unchanged: labels,
          });
          labels.dispose();
        },
      );
      const labels = tf.tensor1d([0, 1], 'int32');
      await property(badNumber({ integer: true, min: 1 }), async (bad) => {
        await expectBadInput(() => checkLabels('y', labels, bad as number), {
          code: NUMBER_CODES,
          mentions: ['numClasses'],
        });
      });
      labels.dispose();
      const bools = tf.tensor1d([true], 'bool');
      await expectBadInput(() => checkLabels('y', bools, 2), {
        code: 'DTYPE_MISMATCH',
        mentions: ['y'],
      });
      bools.dispose();
      await property(notATensor, async (bad) => {
        await expectBadInput(() => checkLabels('y', bad, 2), {
          code: 'BAD_ARGUMENT',
          mentions: ['y'],
        });
      });
      await expectBadInput(() => checkLabels('y', disposedTensor(), 2), { code: 'DISPOSED' });
    });
  },
};
