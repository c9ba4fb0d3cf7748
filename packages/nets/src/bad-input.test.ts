import * as tf from '@tensorflow/tfjs-core';
import { type DescentErrorCode, Rng, disposeParams, toVariables } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as pkg from './index';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import type { Net } from './net';
import { assignStats } from './net';
import { resMlp } from './res-mlp';
import { BUILDERS } from './test-support/bad-input-builders';
import { wideMlp } from './wide-mlp';

const RUNS = { numRuns: BAD_INPUT_RUNS };

/** Every callable export and where its cases are. */
const CASES = {
  mlp: 'builder options; apply',
  lenet300100: 'builder options',
  lenet5: 'builder options; apply',
  resMlp: 'builder options; apply',
  wideMlp: 'builder options; apply',
  assignStats: 'vars and stats',
};

describe('bad input: coverage', () => {
  it('every callable export has bad-input cases', () => {
    expectExportsCovered(pkg, CASES);
  });
});

forEachBackend(
  'bad input',
  () => {
    describe('builders refuse bad options before making a tensor', () => {
      for (const [name, builder] of Object.entries(BUILDERS)) {
        const build = builder.build as (options: unknown) => unknown;
        it(`${name}: options that are no plain object, unknown keys`, async () => {
          await fc.assert(
            fc.asyncProperty(notAPlainObject, async (bad) => {
              await expectBadInput(() => build(bad), { code: 'BAD_ARGUMENT', mentions: [name] });
            }),
            RUNS,
          );
          await fc.assert(
            fc.asyncProperty(unknownName(builder.known), async (key) => {
              await expectBadInput(() => build({ ...builder.valid, [key]: 1 }), {
                code: 'UNKNOWN_PARAM',
                mentions: [JSON.stringify(key)],
              });
            }),
            RUNS,
          );
        });
        for (const field of builder.fields) {
          it(`${name}: bad ${field.mention ?? field.field}`, async () => {
            await fc.assert(
              fc.asyncProperty(field.bad, async (bad) => {
                await expectBadInput(() => build({ ...builder.valid, [field.field]: bad }), {
                  code: field.code,
                  mentions: [name, field.mention ?? field.field],
                });
              }),
              RUNS,
            );
          });
        }
      }
    });

    describe('builders: what a custom init returns', () => {
      it('a non-tensor, another dtype or shape is refused, naming the parameter', async () => {
        const cases: [() => unknown, DescentErrorCode][] = [
          [() => [0, 0], 'BAD_ARGUMENT'],
          [() => tf.zeros([3, 4], 'int32'), 'DTYPE_MISMATCH'],
          [() => tf.zeros([4, 3]), 'SHAPE_MISMATCH'],
        ];
        for (const [made, code] of cases) {
          await expectBadInput(() => mlp({ sizes: [3, 4, 2], init: made as never }), {
            code,
            mentions: ['init', '"dense1/kernel"', '[3, 4]'],
          });
        }
      });

      it('regression: mlp({ init }) returning a disposed tensor is refused (DISPOSED)', async () => {
        await expectBadInput(
          () =>
            mlp({
              sizes: [3, 4, 2],
              init: (shape) => {
                const t = tf.zeros(shape as number[]);
                t.dispose();
                return t;
              },
            }),
          { code: 'DISPOSED', mentions: ['init', '"dense1/kernel"'] },
        );
      });

      it('regression: mlp({ init }) returning one shared tensor gives live, independent params', async () => {
        const shared = tf.ones([4, 4]);
        const before = tf.memory().numTensors;
        const net = mlp({ sizes: [4, 4, 4], init: () => shared });
        const k1 = net.params['dense1/kernel'] as tf.Tensor;
        const k2 = net.params['dense2/kernel'] as tf.Tensor;
        expect(k1).not.toBe(shared);
        expect(k2).not.toBe(k1);
        shared.dispose();
        expect(k1.isDisposed || k2.isDisposed).toBe(false);
        expect(Array.from(await k2.data())).toEqual(new Array(16).fill(1));
        const x = tf.ones([1, 4]);
        const y = net.apply(net.params, x);
        tf.dispose([x, y]);
        disposeParams(net.params);
        expect(tf.memory().numTensors).toBe(before - 1);
      });

      it("the init's own exception passes through unchanged, leaking nothing", async () => {
        const mine = new Error('mine');
        const before = tf.memory().numTensors;
        let calls = 0;
        expect(() =>
          mlp({
            sizes: [3, 4, 2],
            init: (shape) => {
              if (++calls === 2) throw mine;
              return tf.zeros(shape as number[]);
            },
          }),
        ).toThrow(mine);
        expect(tf.memory().numTensors).toBe(before);
      });
    });

    describe('apply refuses bad params, inputs and options, changing nothing', () => {
      const nets: [string, () => Net, number[]][] = [
        ['mlp', () => mlp({ sizes: [3, 4, 2], norm: 'batch', dropout: 0.5 }), [2, 3]],
        ['lenet5', () => lenet5(), [2, 784]],
        ['resMlp', () => resMlp({ inputDim: 3, outputDim: 2, width: 4, depth: 1 }), [2, 3]],
        ['wideMlp', () => wideMlp({ inputDim: 3, width: 4, depth: 1 }), [2, 3]],
      ];
      for (const [name, make, xShape] of nets) {
        it(`${name}.apply: params`, async () => {
          const net = make();
          const x = tf.ones(xShape);
          const keys = Object.keys(net.params);
          const watched = { params: small(net.params), x };
          await fc.assert(
            fc.asyncProperty(
              fc
                .constantFrom(...keys)
                .chain((key) =>
                  fc.tuple(fc.constant(key), otherShape((net.params[key] as tf.Tensor).shape)),
                ),
              fc.constantFrom('missing', 'notTensor', 'disposed', 'int32', 'shape'),
              notATensor.filter((v) => v !== undefined),
              async ([key, shape], kind, notTensor) => {
                const own = net.params[key] as tf.Tensor;
                const made =
                  kind === 'disposed'
                    ? tf.zeros(own.shape)
                    : kind === 'int32'
                      ? tf.zeros(own.shape, 'int32')
                      : kind === 'shape'
                        ? tf.zeros(shape)
                        : undefined;
                if (kind === 'disposed') made?.dispose();
                const params: Record<string, unknown> = { ...net.params, [key]: made ?? notTensor };
                if (kind === 'missing') delete params[key];
                const code: Record<string, DescentErrorCode> = {
                  missing: 'UNKNOWN_PARAM',
                  notTensor: 'BAD_ARGUMENT',
                  disposed: 'DISPOSED',
                  int32: 'DTYPE_MISMATCH',
                  shape: 'SHAPE_MISMATCH',
                };
                await expectBadInput(() => net.apply(params as never, x), {
                  code: code[kind] as DescentErrorCode,
                  mentions: [`${name}.apply`, JSON.stringify(key)],
                  unchanged: watched,
                });
                if (kind !== 'disposed') made?.dispose();
              },
            ),
            RUNS,
          );
          await fc.assert(
            fc.asyncProperty(notAPlainObject, async (bad) => {
              await expectBadInput(() => net.apply(bad as never, x), {
                code: 'BAD_ARGUMENT',
                mentions: ['params'],
                unchanged: watched,
              });
            }),
            RUNS,
          );
          x.dispose();
          disposeParams(net.params);
        });

        it(`${name}.apply: x`, async () => {
          const net = make();
          const watched = small(net.params);
          await fc.assert(
            fc.asyncProperty(notATensor, async (bad) => {
              await expectBadInput(() => net.apply(net.params, bad as never), {
                code: 'BAD_ARGUMENT',
                mentions: ['x'],
                unchanged: watched,
              });
            }),
            RUNS,
          );
          const wrongShapes = otherShape(xShape).filter(
            (s) => !(s.length === 2 && s[1] === xShape[1]),
          );
          await fc.assert(
            fc.asyncProperty(wrongShapes, async (shape) => {
              const x = tf.ones(shape);
              await expectBadInput(() => net.apply(net.params, x), {
                code: 'SHAPE_MISMATCH',
                mentions: ['x', `[${shape.join(', ')}]`],
                unchanged: watched,
              });
              x.dispose();
            }),
            RUNS,
          );
          const int = tf.ones(xShape, 'int32');
          await expectBadInput(() => net.apply(net.params, int), {
            code: 'DTYPE_MISMATCH',
            mentions: ['x', 'int32'],
            unchanged: watched,
          });
          int.dispose();
          const gone = tf.ones(xShape);
          gone.dispose();
          await expectBadInput(() => net.apply(net.params, gone), {
            code: 'DISPOSED',
            mentions: ['x'],
            unchanged: watched,
          });
          disposeParams(net.params);
        });

        it(`${name}.apply: options`, async () => {
          const net = make();
          const x = tf.ones(xShape);
          const watched = { params: small(net.params), x };
          const apply = (options: unknown) => () => net.apply(net.params, x, options as never);
          const optionCases: [string, fc.Arbitrary<unknown>, DescentErrorCode[]][] = [
            ['options', notAPlainObject.filter((v) => v !== null), ['BAD_ARGUMENT']],
            [
              'training',
              fc
                .oneof(fc.constantFrom(0, 1, 'true', null), fc.double())
                .map((v) => ({ training: v })),
              ['BAD_ARGUMENT'],
            ],
            ['tap', notAFunction.map((v) => ({ tap: v })), ['BAD_ARGUMENT']],
            [
              'stats',
              notAPlainObject.filter((v) => v !== null).map((v) => ({ training: true, stats: v })),
              ['BAD_ARGUMENT'],
            ],
            [
              'rng',
              fc
                .oneof(
                  fc.constantFrom(null, 1, 'rng', {}),
                  fc.array(fc.integer(), { maxLength: 2 }),
                )
                .map((v) => ({ training: true, rng: v })),
              ['BAD_ARGUMENT'],
            ],
          ];
          for (const [mention, arb, code] of optionCases) {
            await fc.assert(
              fc.asyncProperty(arb, async (bad) => {
                await expectBadInput(apply(bad), { code, mentions: [mention], unchanged: watched });
              }),
              RUNS,
            );
          }
          await fc.assert(
            fc.asyncProperty(unknownName(['training', 'tap', 'stats', 'rng']), async (key) => {
              await expectBadInput(apply({ [key]: true }), {
                code: 'UNKNOWN_PARAM',
                mentions: [JSON.stringify(key)],
                unchanged: watched,
              });
            }),
            RUNS,
          );
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(notATensor, fc.constantFrom('int32', 'shape', 'disposed')),
              async (kind) => {
                const made =
                  kind === 'int32'
                    ? tf.zeros([1], 'int32')
                    : kind === 'shape'
                      ? tf.zeros([1, 1, 1, 1, 1])
                      : kind === 'disposed'
                        ? tf.zeros([1])
                        : undefined;
                if (kind === 'disposed') made?.dispose();
                const tap = () => made ?? kind;
                await expectBadInput(apply({ tap }), {
                  code: ['BAD_ARGUMENT', 'DTYPE_MISMATCH', 'SHAPE_MISMATCH', 'DISPOSED'],
                  mentions: ['tap', net.layers[0] as string],
                  unchanged: watched,
                });
                made?.dispose();
              },
            ),
            RUNS,
          );
          x.dispose();
          disposeParams(net.params);
        });
      }

      it('regression: net.apply(params, x) with int32 kernels is refused (DTYPE_MISMATCH)', async () => {
        const net = mlp({ sizes: [3, 4, 2] });
        const x = tf.ones([2, 3]);
        const int = tf.zeros([3, 4], 'int32');
        await expectBadInput(() => net.apply({ ...net.params, 'dense1/kernel': int }, x), {
          code: 'DTYPE_MISMATCH',
          mentions: ['"dense1/kernel"', 'int32', 'float32'],
          unchanged: { params: net.params, x },
        });
        tf.dispose([int, x]);
        disposeParams(net.params);
      });

      it("a tap's own exception passes through unchanged, leaking nothing", async () => {
        const net = mlp({ sizes: [3, 4, 2] });
        const x = tf.ones([2, 3]);
        const mine = new Error('mine');
        const before = tf.memory().numTensors;
        expect(() =>
          net.apply(net.params, x, {
            tap: () => {
              throw mine;
            },
          }),
        ).toThrow(mine);
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
        disposeParams(net.params);
      });
    });

    describe('assignStats refuses bad vars and stats before assigning any', () => {
      const setup = () => {
        const net = mlp({ sizes: [2, 3, 1], norm: 'batch' });
        const vars = toVariables(net.params);
        disposeParams(net.params);
        const good = tf.fill([3], 0.5);
        return { vars, good };
      };
      const KEY = 'dense1_bn/moving_mean';
      const OTHER = 'dense1_bn/moving_variance';

      it('vars and stats that are no plain objects', async () => {
        const { vars, good } = setup();
        await fc.assert(
          fc.asyncProperty(notAPlainObject, fc.boolean(), async (bad, inVars) => {
            await expectBadInput(
              () =>
                inVars
                  ? assignStats(bad as never, { [KEY]: good })
                  : assignStats(vars, bad as never),
              {
                code: 'BAD_ARGUMENT',
                mentions: [inVars ? 'vars' : 'stats'],
                unchanged: { vars, good },
              },
            );
          }),
          RUNS,
        );
        tf.dispose([good, ...Object.values(vars)]);
      });

      it('bad entries, the good one before them unassigned', async () => {
        const { vars, good } = setup();
        const plain = tf.zeros([3]);
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(
              'unknown',
              'notTensor',
              'disposed',
              'shape',
              'dtype',
              'self',
              'twice',
              'plainVar',
              'goneVar',
            ),
            notATensor,
            otherShape([3]),
            async (kind, notTensor, shape) => {
              const made =
                kind === 'disposed'
                  ? tf.zeros([3])
                  : kind === 'shape'
                    ? tf.zeros(shape)
                    : kind === 'dtype'
                      ? tf.zeros([3], 'int32')
                      : undefined;
              if (kind === 'disposed') made?.dispose();
              const key = kind === 'unknown' ? 'dense9_bn/moving_mean' : OTHER;
              const value =
                kind === 'notTensor'
                  ? notTensor
                  : kind === 'self'
                    ? vars[OTHER]
                    : kind === 'twice' || kind === 'plainVar' || kind === 'goneVar'
                      ? good
                      : made;
              const target =
                kind === 'plainVar' ? plain : kind === 'goneVar' ? disposedVariable() : vars[OTHER];
              const stats = { [KEY]: good, [key]: value };
              const code: Record<string, DescentErrorCode> = {
                unknown: 'UNKNOWN_PARAM',
                notTensor: 'BAD_ARGUMENT',
                disposed: 'DISPOSED',
                shape: 'SHAPE_MISMATCH',
                dtype: 'DTYPE_MISMATCH',
                self: 'BAD_ARGUMENT',
                twice: 'BAD_ARGUMENT',
                plainVar: 'BAD_ARGUMENT',
                goneVar: 'DISPOSED',
              };
              await expectBadInput(
                () => assignStats({ ...vars, [OTHER]: target } as never, stats as never),
                {
                  code: code[kind] as DescentErrorCode,
                  mentions: [JSON.stringify(key)],
                  unchanged: { vars, good },
                },
              );
              expect(Object.keys(stats)).toEqual([KEY, key]);
              if (kind === 'goneVar') (target as tf.Tensor).dispose();
              if (kind !== 'disposed') made?.dispose();
            },
          ),
          RUNS,
        );
        tf.dispose([good, plain, ...Object.values(vars)]);
      });

      it('regression: assignStats with a disposed statistic is refused (DISPOSED) and vars stay usable', async () => {
        const { vars, good } = setup();
        const gone = tf.zeros([3]);
        gone.dispose();
        await expectBadInput(() => assignStats(vars, { [OTHER]: good, [KEY]: gone }), {
          code: 'DISPOSED',
          mentions: [JSON.stringify(KEY)],
          unchanged: { vars, good },
        });
        const net = mlp({ sizes: [2, 3, 1], norm: 'batch' });
        const y = net.apply(vars, tf.ones([2, 2]));
        expect(y.shape).toEqual([2, 1]);
        expect(Array.from(await (vars[KEY] as tf.Tensor).data())).toEqual([0, 0, 0]);
        tf.dispose([y, good, ...Object.values(vars)]);
        disposeParams(net.params);
      });
    });

    it('a valid call after all this still works (nothing was left broken)', () => {
      const net = mlp({ sizes: [2, 3, 1], norm: 'batch', dropout: 0.5 });
      const rng = new Rng(1);
      const x = tf.ones([2, 2]);
      const stats: Record<string, tf.Tensor> = {};
      const y = net.apply(net.params, x, { training: true, rng, stats });
      expect(y.shape).toEqual([2, 1]);
      expect(Object.keys(stats)).toEqual(['dense1_bn/moving_mean', 'dense1_bn/moving_variance']);
      tf.dispose([x, y, ...Object.values(stats)]);
      disposeParams(net.params);
    });
  },
  { backends: ['cpu', 'wasm'] },
);

/**
 * The parameters of at most 4096 values: enough to see a change, cheap to compare bit for bit on
 * every property run (LeNet-5's dense kernels are left out).
 */
function small(params: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(params).filter(([, t]) => t.size <= 4096));
}

/** A variable, already disposed. */
function disposedVariable(): tf.Variable {
  const initial = tf.zeros([3]);
  const v = tf.variable(initial, false);
  initial.dispose();
  v.dispose();
  return v;
}
