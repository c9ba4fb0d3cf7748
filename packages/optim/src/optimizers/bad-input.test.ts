import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DescentErrorCode, isDescentError } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '@descent/core/testing';
import * as pkg from '../index';
import type { NamedTensor } from '../index';
import {
  ALL_OPTION_NAMES,
  OPTIMIZER_CASES,
  OPTIMIZER_CLASSES,
  OPTIMIZER_EXPORTS_COVERED,
} from '../test-support/bad-input-optimizers';
import { testSchedule, uniqueSuffix } from '../test-support/optimizer-harness';

const NUMBER_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE', 'BAD_ARGUMENT'];
const SHAPE = [2, 3];
/** Slots that hold second moments or accumulated squares (never negative). */
const NON_NEGATIVE_SLOTS = new Set(['v', 'vmax', 'u', 'sum', 'a', 'vRow', 'vCol']);

const runs = { numRuns: BAD_INPUT_RUNS };
const cases = Object.entries(OPTIMIZER_CASES);

/** A fresh variable of {@link SHAPE} and a loss that depends on it. */
function freshVariable(): { w: tf.Variable; loss: () => tf.Scalar } {
  const w = tf.variable(tf.ones(SHAPE), true, `badInput${uniqueSuffix()}`);
  return { w, loss: () => tf.sum(tf.square(w)) as tf.Scalar };
}

/** A copy of the optimizer's weights (its own are freed by its next `getWeights`). */
async function savedCopy(opt: tf.Optimizer): Promise<NamedTensor[]> {
  return (await opt.getWeights()).map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) }));
}

/** `steps` good steps of `opt` on `w` (two compile a fused optimizer's repeated step). */
function train(opt: tf.Optimizer, w: tf.Variable, steps = 2): void {
  for (let i = 0; i < steps; i++) {
    const g = tf.fill(SHAPE, 0.5 + i);
    opt.applyGradients({ [w.name]: g });
    g.dispose();
  }
}

describe('optimizer exports', () => {
  it('covers every optimizer export of index.ts (with the transforms half, all of them)', () => {
    const mine = Object.fromEntries(
      Object.entries(pkg).filter(([name]) => OPTIMIZER_EXPORTS_COVERED.includes(name)),
    );
    expectExportsCovered(mine, OPTIMIZER_EXPORTS_COVERED);
    for (const name of OPTIMIZER_EXPORTS_COVERED) expect(Object.keys(pkg)).toContain(name);
    const optimizerClasses = Object.entries(pkg)
      .filter(([, value]) => typeof value === 'function' && value.prototype instanceof tf.Optimizer)
      .map(([name]) => name);
    expect(optimizerClasses.filter((name) => !OPTIMIZER_EXPORTS_COVERED.includes(name))).toEqual(
      [],
    );
  });
});

forEachBackend(
  'optimizers refuse bad input',
  () => {
    describe.each(cases)('%s', (_, c) => {
      it('refuses options that are no plain object, unknown names and bad numbers', async () => {
        await fc.assert(
          fc.asyncProperty(
            notAPlainObject.filter((o) => o !== undefined),
            async (bad) => {
              await expectBadInput(() => c.make(bad), {
                code: 'BAD_ARGUMENT',
                mentions: [c.what, 'options'],
              });
            },
          ),
          runs,
        );
        await fc.assert(
          fc.asyncProperty(unknownName(ALL_OPTION_NAMES), async (name) => {
            await expectBadInput(() => c.make({ [name]: 1 }), {
              code: 'UNKNOWN_PARAM',
              mentions: [JSON.stringify(name)],
            });
          }),
          runs,
        );
        for (const [option, range] of Object.entries(c.numbers)) {
          await fc.assert(
            fc.asyncProperty(badNumber(range), async (bad) => {
              // null switches these options off.
              if (bad === null && c.nullable?.includes(option)) return;
              const required = c.what === 'lars' || c.what === 'lamb' ? { learningRate: 0.1 } : {};
              await expectBadInput(() => c.make({ ...required, [option]: bad }), {
                code: NUMBER_CODES,
                mentions: [option],
              });
            }),
            runs,
          );
        }
      });

      it('applyGradients refuses bad gradients before anything changes (also once compiled)', async () => {
        const { w } = freshVariable();
        const opt = c.make();
        train(opt, w);
        const watched = [opt, w];
        await fc.assert(
          fc.asyncProperty(
            notATensor.filter((g) => g != null),
            async (bad) => {
              await expectBadInput(() => opt.applyGradients({ [w.name]: bad as tf.Tensor }), {
                code: 'BAD_ARGUMENT',
                mentions: [w.name],
                unchanged: watched,
              });
            },
          ),
          runs,
        );
        await fc.assert(
          fc.asyncProperty(otherShape(SHAPE), async (shape) => {
            const g = tf.zeros(shape);
            await expectBadInput(() => opt.applyGradients({ [w.name]: g }), {
              code: 'SHAPE_MISMATCH',
              mentions: [w.name, `[${shape.join(', ')}]`],
              unchanged: watched,
            });
            g.dispose();
          }),
          runs,
        );
        const int = tf.zeros(SHAPE, 'int32');
        const disposed = tf.zeros(SHAPE);
        disposed.dispose();
        const good = tf.zeros(SHAPE);
        const bad: [unknown, DescentErrorCode, string][] = [
          [{ [w.name]: int }, 'DTYPE_MISMATCH', 'int32'],
          [{ [w.name]: disposed }, 'DISPOSED', w.name],
          [{ [`${w.name}_nope`]: good }, 'UNKNOWN_PARAM', `${w.name}_nope`],
          [[{ name: 3, tensor: good }], 'BAD_ARGUMENT', 'variableGradients[0]'],
          [42, 'BAD_ARGUMENT', 'applyGradients'],
          [null, 'BAD_ARGUMENT', 'applyGradients'],
        ];
        for (const [grads, code, mention] of bad) {
          await expectBadInput(() => opt.applyGradients(grads as tf.NamedTensorMap), {
            code,
            mentions: [mention],
            unchanged: watched,
          });
        }
        tf.dispose([int, good, w]);
        opt.dispose();
      });

      it('minimize refuses a bad loss function or result, and lets the user’s own error through', async () => {
        const { w, loss } = freshVariable();
        const opt = c.make();
        opt.minimize(loss, false, [w]);
        opt.minimize(loss, false, [w]);
        const watched = [opt, w];
        await fc.assert(
          fc.asyncProperty(notAFunction, async (bad) => {
            await expectBadInput(() => opt.minimize(bad as () => tf.Scalar, false, [w]), {
              code: 'BAD_ARGUMENT',
              mentions: ['loss function'],
              unchanged: watched,
            });
          }),
          runs,
        );
        const results: [string, () => unknown, string[]][] = [
          ['a number', () => 3, ['result', 'number 3']],
          ['undefined', () => undefined, ['result', 'undefined']],
          ['a non-scalar tensor', () => tf.square(w), ['result', '[2, 3]']],
          ['an int32 scalar', () => tf.scalar(1, 'int32'), ['result', 'int32']],
          ['a scalar unconnected to the variables', () => tf.scalar(1), ['result', w.name]],
        ];
        for (const [, f, mentions] of results) {
          for (const returnCost of [false, true]) {
            await expectBadInput(() => opt.minimize(f as () => tf.Scalar, returnCost, [w]), {
              code: 'BAD_ARGUMENT',
              mentions,
              unchanged: watched,
            });
          }
        }
        const notVariables: unknown[] = [42, [42], [tf.zeros([1])]];
        for (const varList of notVariables) {
          await expectBadInput(() => opt.minimize(loss, false, varList as tf.Variable[]), {
            code: 'BAD_ARGUMENT',
            mentions: ['varList'],
            unchanged: watched,
          });
        }
        tf.dispose((notVariables[2] as tf.Tensor[])[0]);
        const own = new RangeError('the user’s own');
        const before = tf.memory().numTensors;
        let thrown: unknown;
        try {
          opt.minimize(
            () => {
              throw own;
            },
            false,
            [w],
          );
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBe(own);
        expect(tf.memory().numTensors).toBe(before);
        w.dispose();
        opt.dispose();
      });

      it('setWeights refuses malformed, non-finite and out-of-range state, changing nothing', async () => {
        const { w } = freshVariable();
        const opt = c.make();
        train(opt, w);
        const saved = await opt.getWeights();
        const mine = saved.map((s) => ({ name: s.name, tensor: tf.clone(s.tensor) }));
        const watched = [opt, w];
        const refuse = (weights: unknown, code: DescentErrorCode | DescentErrorCode[], m: string) =>
          expectBadInput(() => opt.setWeights(weights as NamedTensor[]), {
            code,
            mentions: [m],
            unchanged: watched,
          });
        await refuse(42, 'BAD_ARGUMENT', 'setWeights');
        await refuse([null], 'BAD_ARGUMENT', 'weightValues[0]');
        await refuse([...mine, mine[mine.length - 1]], 'BAD_ARGUMENT', 'twice');
        const iterBad = [tf.tensor1d([1, 2, 3], 'int32'), tf.scalar(-3, 'int32'), tf.scalar(1.5)];
        for (const iter of iterBad) {
          await refuse(
            [{ name: 'iter', tensor: iter }, ...mine.slice(1)],
            ['SHAPE_MISMATCH', 'BAD_ARGUMENT'],
            'iter',
          );
        }
        const extra = tf.zeros(SHAPE);
        await refuse([...mine, { name: `${w.name}_gone/m`, tensor: extra }], 'UNKNOWN_PARAM', '');
        const spoiled: tf.Tensor[] = [];
        for (const [i, s] of mine.entries()) {
          if (i === 0 || s.tensor.dtype !== 'float32') continue;
          const variants: [tf.Tensor, DescentErrorCode][] = [
            [tf.fill(s.tensor.shape, Number.NaN), 'NON_FINITE'],
            [tf.zeros([7]), 'SHAPE_MISMATCH'],
          ];
          const slot = s.name.slice(s.name.lastIndexOf('/') + 1);
          if (NON_NEGATIVE_SLOTS.has(slot)) {
            variants.push([tf.fill(s.tensor.shape, -1), 'BAD_ARGUMENT']);
          }
          for (const [tensor, code] of variants) {
            spoiled.push(tensor);
            const weights = mine.map((m, j) => (j === i ? { name: m.name, tensor } : m));
            await refuse(weights, code, s.name);
          }
        }
        const disposed = tf.clone(mine[1]?.tensor ?? tf.scalar(0));
        disposed.dispose();
        if (mine.length > 1) {
          const weights = mine.map((m, j) => (j === 1 ? { name: m.name, tensor: disposed } : m));
          await refuse(weights, 'DISPOSED', mine[1]?.name ?? '');
        }
        await opt.setWeights(mine);
        tf.dispose([...iterBad, extra, ...spoiled, ...mine.map((m) => m.tensor), w]);
        opt.dispose();
      });

      if (c.learningRate) {
        const range = c.learningRate;
        it('setLearningRate and the learningRate setter refuse bad values; a schedule leaving the range fails its step', async () => {
          const { w } = freshVariable();
          const opt = c.make() as tf.Optimizer & {
            learningRate: unknown;
            setLearningRate(v: unknown): void;
          };
          train(opt, w);
          const before = opt.learningRate;
          await fc.assert(
            fc.asyncProperty(badNumber(range), async (bad) => {
              await expectBadInput(() => opt.setLearningRate(bad), {
                code: NUMBER_CODES,
                mentions: ['learningRate'],
                unchanged: [opt, w],
              });
              await expectBadInput(
                () => {
                  opt.learningRate = bad;
                },
                { code: NUMBER_CODES, mentions: ['learningRate'], unchanged: [opt, w] },
              );
            }),
            runs,
          );
          expect(opt.learningRate).toBe(before);
          opt.dispose();
          const turns = testSchedule((step) => (step < 1 ? 0.1 : -0.1), 'turnsNegative');
          const scheduled = c.make({ learningRate: turns });
          train(scheduled, w, 1);
          const g = tf.ones(SHAPE);
          await expectBadInput(() => scheduled.applyGradients({ [w.name]: g }), {
            code: 'BAD_HYPERPARAM',
            mentions: ['learningRate', 'turnsNegative'],
            unchanged: [scheduled, w],
          });
          tf.dispose([g, w]);
          scheduled.dispose();
        });
      }
    });

    it('constructors refuse what factories refuse', async () => {
      for (const [name, Cls] of Object.entries(OPTIMIZER_CLASSES)) {
        await expectBadInput(() => new Cls(5 as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
        });
        expect(name.length).toBeGreaterThan(0);
      }
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          await expectBadInput(() => new pkg.TransformOptimizer(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['transform'],
          });
          await expectBadInput(() => pkg.fromTransform(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['transform'],
          });
          await expectBadInput(() => new pkg.Lookahead(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['inner optimizer'],
          });
          await expectBadInput(() => pkg.swa(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['inner optimizer'],
          });
        }),
        runs,
      );
    });

    it('fromConfig, getConfig and optimizerFromConfig refuse bad configs', async () => {
      await expectBadInput(() => pkg.Adam.fromConfig(pkg.Adam as never, { beta1: 2 }), {
        code: 'BAD_HYPERPARAM',
        mentions: ['beta1'],
      });
      await expectBadInput(() => pkg.Adam.fromConfig(pkg.Adam as never, { betta1: 0.5 }), {
        code: 'UNKNOWN_PARAM',
        mentions: ['betta1'],
      });
      await expectBadInput(() => pkg.LBFGS.fromConfig(pkg.LBFGS as never, { maxIter: 0 }), {
        code: 'BAD_HYPERPARAM',
        mentions: ['maxIter'],
      });
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          await expectBadInput(() => pkg.optimizerFromConfig(bad), {
            code: 'BAD_ARGUMENT',
            mentions: ['config'],
          });
        }),
        runs,
      );
      await expectBadInput(
        () => pkg.optimizerFromConfig({ className: 'descent.Nope', config: {} }),
        { code: 'BAD_ARGUMENT', mentions: ['descent.Nope'] },
      );
      await expectBadInput(
        () => pkg.Lookahead.fromConfig(pkg.Lookahead as never, { k: 2, inner: 7 } as never),
        { code: 'BAD_ARGUMENT', mentions: ['inner optimizer'] },
      );
      const opt = pkg.adamw({ weightDecayMask: (name: string) => name.endsWith('kernel') });
      await expectBadInput(() => opt.getConfig(), {
        code: 'BAD_ARGUMENT',
        mentions: ['weightDecayMask'],
      });
      opt.dispose();
      await expectBadInput(() => pkg.fromTransform(pkg.scaleByAdam()).getConfig(), {
        code: 'BAD_ARGUMENT',
        mentions: ['fromTransform'],
      });
    });

    it('option specs, defineOptimizer and registerOptimizer refuse bad arguments', async () => {
      await fc.assert(
        fc.asyncProperty(badNumber({ min: 0 }), async (bad) => {
          await expectBadInput(() => pkg.numberOption(bad as number, { min: 0 }), {
            code: NUMBER_CODES,
            mentions: ['default'],
          });
          await expectBadInput(() => pkg.hyperOption(bad as number, { min: 0 }), {
            code: NUMBER_CODES,
            mentions: ['default'],
          });
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(notAPlainObject, fc.constant({ min: 'x' })).filter((r) => r !== null),
          async (bad) => {
            await expectBadInput(() => pkg.numberOption(1, bad as never), {
              code: 'BAD_ARGUMENT',
              mentions: ['range'],
            });
            await expectBadInput(() => pkg.requiredHyperOption(bad as never), {
              code: 'BAD_ARGUMENT',
              mentions: ['range'],
            });
          },
        ),
        runs,
      );
      for (const bad of [1, 'yes', null]) {
        await expectBadInput(() => pkg.booleanOption(bad as unknown as boolean), {
          code: 'BAD_ARGUMENT',
          mentions: ['default'],
        });
      }
      await expectBadInput(() => pkg.maskOption.check('weightDecayMask', 5 as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['weightDecayMask'],
      });
      // chainCheckedOption takes any default: the optimizer's chain checks the value.
      expect(() => pkg.chainCheckedOption(-1).check('momentum', -1)).not.toThrow();
      await expectBadInput(() => pkg.sgd({ momentum: -1 }), {
        code: 'BAD_HYPERPARAM',
        mentions: ['momentum'],
      });
      const good = {
        name: 'mine',
        className: 'test.Mine',
        options: {},
        chain: () => ({ lr: pkg.scaleByLearningRate(0.1) }),
      };
      const bads: [unknown, string][] = [
        [null, 'description'],
        [{ ...good, name: 3 }, 'name'],
        [{ ...good, className: '' }, 'className'],
        [{ ...good, options: null }, 'options'],
        [{ ...good, options: { lr: 3 } }, 'options.lr'],
        [{ ...good, chain: 'x' }, 'chain'],
        [{ ...good, check: 1 }, 'check'],
      ];
      for (const [description, mention] of bads) {
        await expectBadInput(() => pkg.defineOptimizer(description as never), {
          code: 'BAD_ARGUMENT',
          mentions: [mention],
        });
      }
      for (const cls of [null, 3, () => 1, class {}]) {
        await expectBadInput(() => pkg.registerOptimizer(cls as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['registerOptimizer'],
        });
      }
    });

    describe('regressions', () => {
      it('regression: adam setWeights with a negative second moment (v) is refused', async () => {
        const { w } = freshVariable();
        const opt = pkg.adam({ learningRate: 0.1 });
        train(opt, w);
        const saved = await savedCopy(opt);
        const negative = tf.fill(SHAPE, -1);
        const weights = saved.map((s) =>
          s.name === `${w.name}/v` ? { ...s, tensor: negative } : s,
        );
        expect(weights.some((s) => s.tensor === negative)).toBe(true);
        await expectBadInput(() => opt.setWeights(weights), {
          code: 'BAD_ARGUMENT',
          mentions: [`${w.name}/v`, '-1'],
          unchanged: [opt, w],
        });
        tf.dispose([negative, w, ...saved.map((s) => s.tensor)]);
        opt.dispose();
      });

      it('regression: setWeights with a negative iter is refused (named, fromTransform, lookahead, swa, lbfgs)', async () => {
        for (const key of ['adam', 'fromTransform', 'lookahead', 'swa', 'lbfgs']) {
          const { w } = freshVariable();
          const opt = (OPTIMIZER_CASES[key] as (typeof OPTIMIZER_CASES)['adam']).make();
          train(opt, w);
          const saved = await savedCopy(opt);
          const iter = tf.scalar(-1, 'int32');
          await expectBadInput(
            () => opt.setWeights([{ name: 'iter', tensor: iter }, ...saved.slice(1)]),
            {
              code: 'BAD_ARGUMENT',
              mentions: ['iter', '-1'],
              unchanged: [opt, w],
            },
          );
          tf.dispose([iter, w, ...saved.map((s) => s.tensor)]);
          opt.dispose();
        }
      });

      it('regression: lookahead, swa and lbfgs setWeights refuse duplicate entries and a mis-shaped iter', async () => {
        for (const key of ['lookahead', 'swa', 'lbfgs']) {
          const { w } = freshVariable();
          const opt = (OPTIMIZER_CASES[key] as (typeof OPTIMIZER_CASES)['adam']).make();
          train(opt, w);
          const saved = await savedCopy(opt);
          await expectBadInput(() => opt.setWeights([...saved, saved[1] as NamedTensor]), {
            code: 'BAD_ARGUMENT',
            mentions: ['twice'],
            unchanged: [opt, w],
          });
          const iter = tf.tensor1d([1, 2], 'int32');
          await expectBadInput(
            () => opt.setWeights([{ name: 'iter', tensor: iter }, ...saved.slice(1)]),
            {
              code: 'SHAPE_MISMATCH',
              mentions: ['iter', '[2]'],
              unchanged: [opt, w],
            },
          );
          tf.dispose([iter, w, ...saved.map((s) => s.tensor)]);
          opt.dispose();
        }
      });

      it('regression: adafactor with a learning-rate schedule that turns negative is refused at that step, as adam is', async () => {
        for (const make of [pkg.adafactor, pkg.adam]) {
          const { w } = freshVariable();
          const lr = testSchedule((step) => (step < 1 ? 0.01 : -0.01), 'negativeLater');
          const opt = make({ learningRate: lr });
          train(opt, w, 1);
          const g = tf.ones(SHAPE);
          await expectBadInput(() => opt.applyGradients({ [w.name]: g }), {
            code: 'BAD_HYPERPARAM',
            mentions: ['learningRate', 'negativeLater'],
            unchanged: [opt, w],
          });
          expect(opt.learningRate).toBe(lr);
          tf.dispose([g, w]);
          opt.dispose();
        }
      });

      it('regression: adam(null) and fromTransform({}) are refused with BAD_ARGUMENT', async () => {
        await expectBadInput(() => pkg.adam(null as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['adam options', 'null'],
        });
        await expectBadInput(() => pkg.fromTransform({} as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['transform'],
        });
      });

      it.each([
        ['returns a number', () => 3],
        ['returns undefined', () => undefined],
        ['returns a non-scalar tensor', (w: tf.Variable) => tf.mul(w, 2)],
        ['returns a scalar unconnected to the variables', () => tf.scalar(2)],
      ])(
        'regression: minimize with a loss that %s is refused without a leak, also on the compiled path',
        async (_, f) => {
          for (const key of ['adam', 'sgd', 'lookahead', 'swa', 'lbfgs', 'fromTransform']) {
            const { w, loss } = freshVariable();
            const opt = (OPTIMIZER_CASES[key] as (typeof OPTIMIZER_CASES)['adam']).make();
            opt.minimize(loss, false, [w]);
            opt.minimize(loss, false, [w]);
            const error = await expectBadInput(
              () => opt.minimize((() => f(w)) as never, true, [w]),
              {
                code: 'BAD_ARGUMENT',
                mentions: ["loss function's result"],
                unchanged: [opt, w],
              },
            );
            expect(isDescentError(error)).toBe(true);
            w.dispose();
            opt.dispose();
          }
        },
      );
    });
  },
  { backends: ['cpu', 'wasm'] },
);
