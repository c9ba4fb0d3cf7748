/**
 * Bad input to the curve functions: refused with a DescentError of a known code whose message
 * names the argument, without leaking a tensor or a variable and without touching the endpoints —
 * also when the failure comes mid-way through training or evaluation.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type DescentErrorCode,
  type Model,
  type Params,
  disposeParams,
  inferParamInfo,
} from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notAFunction,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import { mlp } from '@descent/nets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as curveModule from './curve';
import * as curveWeightsModule from './curve-weights';
import * as evaluateCurveModule from './evaluate-curve';
import * as linearPathModule from './linear-path';
import * as modeConnectModule from './mode-connect';
import * as recomputeStatsModule from './recompute-stats';

const { curveWeights } = curveWeightsModule;
const { linearPath } = linearPathModule;
const { modeConnect } = modeConnectModule;
type ModeConnectOptions = modeConnectModule.ModeConnectOptions;
const { evaluateCurve } = evaluateCurveModule;
const { recomputeStats } = recomputeStatsModule;

const RUNS = { numRuns: BAD_INPUT_RUNS };
const RANGE_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE'];

/** A function-typed option given something else; `null` reads as absent, so it is left out. */
const notAFunctionOrNull = notAFunction.filter((v) => v !== null);

const CASES = {
  curveWeights: 'curve, t, bends',
  linearPath: 'a, b',
  modeConnect: 'options; failures while training',
  evaluateCurve: 'curve, evaluate, options; failures while evaluating',
  recomputeStats: 'params, options; failures during the pass',
  'curve.at': 't, a disposed curve',
};
const INTERNAL = 'internal to the curves folder, not exported by the package';

describe('bad input to curves: coverage', () => {
  it('every callable export of the curve files has bad-input cases', () => {
    const { 'curve.at': _at, ...functions } = CASES;
    expectExportsCovered(
      {
        ...curveModule,
        ...curveWeightsModule,
        ...linearPathModule,
        ...modeConnectModule,
        ...evaluateCurveModule,
        ...recomputeStatsModule,
      },
      functions,
      {
        ownedCurve: INTERNAL,
        checkCurve: INTERNAL,
        checkCurveKind: INTERNAL,
        checkPosition: INTERNAL,
        checkBends: INTERNAL,
        readRecomputeOptions: INTERNAL,
        statsOf: INTERNAL,
      },
    );
  });
});

/** The ring valley of mode-connect.test.ts as a model whose apply ignores x. */
function ringFixture() {
  const model: Model = {
    params: { theta: tf.zeros([2]) },
    info: { theta: inferParamInfo('theta', [2]) },
    apply: (p) => tf.reshape(tf.sub(tf.sum(tf.square(p.theta as tf.Tensor)), 1), [1]),
  };
  const a = { theta: tf.tensor1d([1, 0]) };
  const b = { theta: tf.tensor1d([-0.6, 0.8]) };
  const x = tf.zeros([1, 1]);
  const y = tf.zeros([1]);
  const loss = (prediction: tf.Tensor) => tf.mean(tf.square(prediction));
  const valid = {
    model,
    a,
    b,
    loss,
    batches: () => [
      { x, y },
      { x, y },
      { x, y },
    ],
  };
  return {
    model,
    a,
    b,
    x,
    y,
    valid,
    watched: [a.theta, b.theta],
    dispose: () => tf.dispose([model.params.theta as tf.Tensor, a.theta, b.theta, x, y]),
  };
}

function variableCount(): number {
  return Object.keys(tf.engine().registeredVariables).length;
}

forEachBackend('bad input to curves', () => {
  it('curveWeights refuses an unknown curve, t outside [0, 1], bends not an integer ≥ 2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 8 }), fc.constant(null), fc.integer()),
        async (bad) => {
          fc.pre(bad !== 'bezier' && bad !== 'polychain');
          await expectBadInput(() => curveWeights(bad as 'bezier', 0.5, 3), {
            code: 'BAD_ARGUMENT',
            mentions: ['curveWeights: curve', 'bezier'],
          });
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, max: 1 }), async (bad) => {
        await expectBadInput(() => curveWeights('bezier', bad as number, 3), {
          code: RANGE_CODES,
          mentions: ['curveWeights: t'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(badNumber({ integer: true, min: 2 }), async (bad) => {
        await expectBadInput(() => curveWeights('polychain', 0.5, bad as number), {
          code: RANGE_CODES,
          mentions: ['curveWeights: bends'],
        });
      }),
      RUNS,
    );
  });

  it('linearPath refuses endpoints that are no non-empty map of live float32 tensors alike', async () => {
    const f = ringFixture();
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (bad) => {
        await expectBadInput(() => linearPath(bad as Params, f.b), {
          code: 'BAD_ARGUMENT',
          mentions: ['linearPath: a'],
        });
        await expectBadInput(() => linearPath(f.a, bad as Params), {
          code: 'BAD_ARGUMENT',
          mentions: ['linearPath: b'],
        });
      }),
      RUNS,
    );
    const ints = tf.tensor1d([1, 2], 'int32');
    const wide = tf.zeros([3]);
    const gone = tf.zeros([2]);
    gone.dispose();
    const cases: [Params, Params, DescentErrorCode, string[]][] = [
      [{}, {}, 'BAD_ARGUMENT', ['linearPath: a', 'at least one']],
      [{ theta: ints }, f.b, 'DTYPE_MISMATCH', ['linearPath: a', 'int32']],
      [f.a, { theta: ints }, 'DTYPE_MISMATCH', ['linearPath: b', 'int32']],
      [f.a, { theta: wide }, 'SHAPE_MISMATCH', ['linearPath: b', '[3]', '[2]']],
      [f.a, { phi: f.b.theta }, 'UNKNOWN_PARAM', ['linearPath: b', 'theta', 'phi']],
      [f.a, { theta: gone }, 'DISPOSED', ['linearPath: b', 'theta']],
    ];
    for (const [a, b, code, mentions] of cases) {
      await expectBadInput(() => linearPath(a, b), { code, mentions, unchanged: f.watched });
    }
    tf.dispose([ints, wide]);
    f.dispose();
  });

  it('curve.at refuses t outside [0, 1] and a disposed curve', async () => {
    const f = ringFixture();
    const line = linearPath(f.a, f.b);
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, max: 1 }), async (bad) => {
        await expectBadInput(() => line.at(bad as number), {
          code: RANGE_CODES,
          mentions: ['curve.at: t'],
        });
      }),
      RUNS,
    );
    line.dispose();
    await expectBadInput(() => line.at(0.5), { code: 'DISPOSED', mentions: ['curve.at'] });
    f.dispose();
  });

  describe('modeConnect', () => {
    it('refuses options that are no plain object, unknown options, a bad model', async () => {
      const f = ringFixture();
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          await expectBadInput(() => modeConnect(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['modeConnect', 'options'],
          });
        }),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(unknownName(Object.keys({ ...f.valid, curve: 1 })), async (key) => {
          fc.pre(
            ![
              'bends',
              'epochs',
              'optimizer',
              'init',
              'rng',
              'onEpoch',
              'onStep',
              'batches',
            ].includes(key),
          );
          await expectBadInput(() => modeConnect({ ...f.valid, [key]: 1 } as never), {
            code: 'UNKNOWN_PARAM',
            mentions: ['modeConnect', JSON.stringify(key)],
          });
        }),
        RUNS,
      );
      for (const model of [undefined, {}, { params: {}, info: {} }, () => 1]) {
        await expectBadInput(() => modeConnect({ ...f.valid, model } as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['modeConnect.model'],
          unchanged: f.watched,
        });
      }
      const statsOnly: Model = {
        params: { m: f.model.params.theta as tf.Tensor },
        info: { m: { ...inferParamInfo('theta', [2]), role: 'stat' } },
        apply: f.model.apply,
      };
      await expectBadInput(
        () =>
          modeConnect({ ...f.valid, model: statsOnly, a: { m: f.a.theta }, b: { m: f.b.theta } }),
        { code: 'BAD_ARGUMENT', mentions: ['modeConnect', "'stat'"], unchanged: f.watched },
      );
      f.dispose();
    });

    it('refuses endpoints unlike the model', async () => {
      const f = ringFixture();
      const ints = tf.tensor1d([1, 0], 'int32');
      const wide = tf.zeros([3]);
      const gone = tf.zeros([2]);
      gone.dispose();
      const cases: [string, unknown, DescentErrorCode, string[]][] = [
        ['a', undefined, 'BAD_ARGUMENT', ['modeConnect.a']],
        ['b', 'theta', 'BAD_ARGUMENT', ['modeConnect.b']],
        ['a', {}, 'BAD_ARGUMENT', ['modeConnect.a', 'at least one']],
        ['b', { theta: ints }, 'DTYPE_MISMATCH', ['modeConnect.b', 'int32']],
        ['a', { theta: wide }, 'SHAPE_MISMATCH', ['modeConnect.a', '[3]', '[2]']],
        ['b', { phi: f.b.theta }, 'UNKNOWN_PARAM', ['modeConnect.b', 'theta', 'phi']],
        ['a', { theta: gone }, 'DISPOSED', ['modeConnect.a', 'theta']],
      ];
      for (const [field, bad, code, mentions] of cases) {
        await expectBadInput(() => modeConnect({ ...f.valid, [field]: bad } as never), {
          code,
          mentions,
          unchanged: f.watched,
        });
      }
      tf.dispose([ints, wide]);
      f.dispose();
    });

    it('refuses a bad curve, bends, epochs, init, rng, optimizer, batches, loss or callback', async () => {
      const f = ringFixture();
      const before = variableCount();
      const refuse = async (
        field: string,
        bad: unknown,
        code: DescentErrorCode | DescentErrorCode[],
      ) => {
        await expectBadInput(() => modeConnect({ ...f.valid, [field]: bad } as never), {
          code,
          mentions: [`modeConnect.${field}`],
          unchanged: f.watched,
        });
      };
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('Bezier', 'linear', 3, {}, 'spline'), (bad) =>
          refuse('curve', bad, 'BAD_ARGUMENT'),
        ),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(badNumber({ integer: true, min: 3 }), (bad) =>
          refuse('bends', bad, RANGE_CODES),
        ),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(badNumber({ integer: true, min: 1 }), (bad) =>
          refuse('epochs', bad, RANGE_CODES),
        ),
        RUNS,
      );
      for (const field of ['batches', 'loss', 'onEpoch', 'onStep']) {
        await fc.assert(
          fc.asyncProperty(notAFunctionOrNull, (bad) => refuse(field, bad, 'BAD_ARGUMENT')),
          RUNS,
        );
      }
      for (const bad of [1, 'sgd', {}, { minimize: () => null }]) {
        await refuse('optimizer', bad, 'BAD_ARGUMENT');
      }
      for (const bad of [7, 'seed', { float: 1 }]) await refuse('rng', bad, 'BAD_ARGUMENT');
      const wide = tf.zeros([3]);
      for (const bad of ['quadratic', [], [f.a, f.b], { theta: f.a.theta }]) {
        await refuse('init', bad, 'BAD_ARGUMENT');
      }
      await refuse('init', [{ theta: wide }], 'SHAPE_MISMATCH');
      await refuse('init', [{ phi: f.a.theta }], 'UNKNOWN_PARAM');
      wide.dispose();
      expect(variableCount()).toBe(before);
      f.dispose();
    });

    it('frees what it made when training fails mid-way: bad batches, a failing loss or callback', async () => {
      const f = ringFixture();
      const before = variableCount();
      const failing: [Record<string, unknown>, DescentErrorCode, string[]][] = [
        [{ batches: () => 3 }, 'BAD_ARGUMENT', ['modeConnect', 'batches()', 'iterable']],
        [{ batches: () => [] }, 'BAD_ARGUMENT', ['modeConnect', 'no batch', 'epoch 0']],
        [
          { batches: () => [{ x: f.x, y: f.y }, { x: f.x, y: f.y }, { x: f.x }] },
          'BAD_ARGUMENT',
          ['modeConnect', 'batch 2', 'y'],
        ],
        [{ loss: (p: tf.Tensor) => tf.square(p) }, 'SHAPE_MISMATCH', ['modeConnect', '[1]']],
        [{ loss: () => 0.5 }, 'BAD_ARGUMENT', ['modeConnect', 'loss', '0.5']],
        [
          {
            onStep: ({ step: at }: { step: number }) => {
              if (at === 1) throw new DescentError('BAD_ARGUMENT', 'onStep: stop here');
            },
          },
          'BAD_ARGUMENT',
          ['onStep: stop here'],
        ],
      ];
      for (const [override, code, mentions] of failing) {
        const error = await expectBadInput(
          () => modeConnect({ ...f.valid, ...override } as never),
          { code, mentions, unchanged: f.watched },
        );
        expect(error).toBeDefined();
        expect(variableCount()).toBe(before);
      }
      // The caller's own exceptions (loss, callbacks) pass through unchanged.
      let step = 0;
      const throwing: Partial<ModeConnectOptions>[] = [
        {
          loss: (p) => {
            step += 1;
            if (step === 2) throw new RangeError('user code');
            return tf.mean(tf.square(p));
          },
        },
        {
          epochs: 2,
          onEpoch: ({ epoch }) => {
            if (epoch === 1) throw new RangeError('user code');
          },
        },
      ];
      for (const override of throwing) {
        const tensors = tf.memory().numTensors;
        await expect(modeConnect({ ...f.valid, ...override })).rejects.toThrow(RangeError);
        expect(tf.memory().numTensors).toBe(tensors);
        expect(variableCount()).toBe(before);
      }
      f.dispose();
    });

    it('passes on what a model throws (a net given inputs of the wrong width), freeing everything', async () => {
      const net = mlp({ sizes: [3, 4, 2], seed: 1 });
      const x = tf.zeros([2, 5]);
      const y = tf.tensor1d([0, 1], 'int32');
      const before = variableCount();
      await expectBadInput(
        () =>
          modeConnect({
            model: net,
            a: net.params,
            b: net.params,
            batches: () => [{ x, y }],
          }),
        { code: 'SHAPE_MISMATCH', mentions: ['x'], unchanged: Object.values(net.params) },
      );
      expect(variableCount()).toBe(before);
      tf.dispose([x, y]);
      disposeParams(net.params);
    });
  });

  describe('evaluateCurve', () => {
    it('refuses what is no live curve, an evaluate that is neither a function nor { loss }', async () => {
      const f = ringFixture();
      const line = linearPath(f.a, f.b);
      const metrics = () => ({ loss: 1 });
      for (const bad of [null, {}, f.a, { at: () => 1, points: [], bends: 0 }, 'curve']) {
        await expectBadInput(() => evaluateCurve(bad as never, metrics), {
          code: 'BAD_ARGUMENT',
          mentions: ['evaluateCurve: curve'],
        });
      }
      for (const bad of [null, 1, 'loss', {}, { loss: 1 }, { loss: f.valid.loss, error: 2 }]) {
        await expectBadInput(() => evaluateCurve(line, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['evaluateCurve: evaluate'],
        });
      }
      const gone = linearPath(f.a, f.b);
      gone.dispose();
      await expectBadInput(() => evaluateCurve(gone, metrics), {
        code: 'DISPOSED',
        mentions: ['evaluateCurve: curve'],
      });
      line.dispose();
      f.dispose();
    });

    it('refuses bad options: not a plain object, unknown keys, points, recomputeStats', async () => {
      const f = ringFixture();
      const line = linearPath(f.a, f.b);
      const metrics = () => ({ loss: 1 });
      await fc.assert(
        fc.asyncProperty(
          notAPlainObject.filter((v) => v !== null),
          async (bad) => {
            await expectBadInput(() => evaluateCurve(line, metrics, bad as never), {
              code: 'BAD_ARGUMENT',
              mentions: ['evaluateCurve'],
            });
          },
        ),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(unknownName(['points', 'recomputeStats']), async (key) => {
          await expectBadInput(() => evaluateCurve(line, metrics, { [key]: 1 } as never), {
            code: 'UNKNOWN_PARAM',
            mentions: ['evaluateCurve', JSON.stringify(key)],
          });
        }),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(badNumber({ integer: true, min: 2 }), async (bad) => {
          await expectBadInput(() => evaluateCurve(line, metrics, { points: bad as number }), {
            code: RANGE_CODES,
            mentions: ['evaluateCurve.points'],
          });
        }),
        RUNS,
      );
      const net = mlp({ sizes: [3, 2], seed: 1 });
      const recomputeCases: [unknown, DescentErrorCode, string[]][] = [
        [3, 'BAD_ARGUMENT', ['evaluateCurve.recomputeStats']],
        [{ model: f.model }, 'BAD_ARGUMENT', ['evaluateCurve.recomputeStats.batches']],
        [{ model: {}, batches: () => [] }, 'BAD_ARGUMENT', ['evaluateCurve.recomputeStats.model']],
        [{ model: f.model, batches: () => [], extra: 1 }, 'UNKNOWN_PARAM', ['"extra"']],
        [
          { model: net, batches: () => [] },
          'UNKNOWN_PARAM',
          ['evaluateCurve.recomputeStats.model.params', 'theta'],
        ],
      ];
      for (const [bad, code, mentions] of recomputeCases) {
        await expectBadInput(() => evaluateCurve(line, metrics, { recomputeStats: bad as never }), {
          code,
          mentions,
        });
      }
      disposeParams(net.params);
      line.dispose();
      f.dispose();
    });

    it('refuses results that are no object of numbers or change names, freeing θ(t)', async () => {
      const f = ringFixture();
      const line = linearPath(f.a, f.b);
      let calls = 0;
      const cases: [unknown, DescentErrorCode, string[]][] = [
        [() => 3, 'BAD_ARGUMENT', ['evaluateCurve', 'object of numbers', 't = 0']],
        [async () => ({}), 'BAD_ARGUMENT', ['evaluateCurve', 'object of numbers']],
        [() => ({ loss: '1' }), 'BAD_ARGUMENT', ['"loss"', 'number']],
        [
          () => {
            calls += 1;
            return calls === 1 ? { loss: 1 } : { error: 1 };
          },
          'BAD_ARGUMENT',
          ['evaluateCurve', 'error', 'loss', 't = 0.25'],
        ],
        [{ loss: (p: Params) => p.theta }, 'SHAPE_MISMATCH', ['evaluateCurve', '[2]']],
      ];
      for (const [evaluate, code, mentions] of cases) {
        calls = 0;
        await expectBadInput(() => evaluateCurve(line, evaluate as never, { points: 5 }), {
          code,
          mentions,
        });
      }
      const before = tf.memory().numTensors;
      await expect(
        evaluateCurve(line, () => {
          throw new RangeError('user code');
        }),
      ).rejects.toThrow(RangeError);
      expect(tf.memory().numTensors).toBe(before);
      line.dispose();
      f.dispose();
    });
  });

  describe('recomputeStats', () => {
    it('refuses params and options unlike the model', async () => {
      const net = mlp({ sizes: [3, 4, 2], norm: 'batch', seed: 1 });
      const batches = () => [];
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          await expectBadInput(() => recomputeStats(bad as never, { model: net, batches }), {
            code: 'BAD_ARGUMENT',
            mentions: ['recomputeStats: params'],
          });
          await expectBadInput(() => recomputeStats(net.params, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['recomputeStats'],
          });
        }),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(unknownName(['model', 'batches']), async (key) => {
          await expectBadInput(
            () => recomputeStats(net.params, { model: net, batches, [key]: 1 } as never),
            { code: 'UNKNOWN_PARAM', mentions: ['recomputeStats', JSON.stringify(key)] },
          );
        }),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(notAFunctionOrNull, async (bad) => {
          await expectBadInput(
            () => recomputeStats(net.params, { model: net, batches: bad as never }),
            { code: 'BAD_ARGUMENT', mentions: ['recomputeStats.batches'] },
          );
        }),
        RUNS,
      );
      await expectBadInput(() => recomputeStats(net.params, { model: {} as Model, batches }), {
        code: 'BAD_ARGUMENT',
        mentions: ['recomputeStats.model'],
      });
      const { 'dense1/kernel': kernel, ...withoutKernel } = net.params;
      await expectBadInput(() => recomputeStats(withoutKernel, { model: net, batches }), {
        code: 'UNKNOWN_PARAM',
        mentions: ['recomputeStats: params', 'dense1/kernel'],
      });
      const wide = tf.zeros([3, 5]);
      await expectBadInput(
        () => recomputeStats({ ...net.params, 'dense1/kernel': wide }, { model: net, batches }),
        { code: 'SHAPE_MISMATCH', mentions: ['dense1/kernel', '[3, 5]', '[3, 4]'] },
      );
      expect(kernel).toBeDefined();
      wide.dispose();
      disposeParams(net.params);
    });

    it('refuses a pass it cannot use: no batch, a bad batch, frozen or unreported statistics', async () => {
      const net = mlp({ sizes: [3, 4, 2], norm: 'batch', seed: 1 });
      const frozen = mlp({ sizes: [3, 4, 2], norm: { type: 'batch', momentum: 1 }, seed: 1 });
      const x = tf.ones([4, 3]);
      const y = tf.zeros([4], 'int32');
      const silent: Model = {
        params: net.params,
        info: net.info,
        apply: (p, input) => net.apply(p, input, { training: true }),
      };
      const cases: [Model, unknown, DescentErrorCode, string[]][] = [
        [net, () => [], 'BAD_ARGUMENT', ['recomputeStats', 'no batch']],
        [net, () => null, 'BAD_ARGUMENT', ['recomputeStats', 'iterable']],
        [net, () => [{ x, y }, { y }], 'BAD_ARGUMENT', ['recomputeStats', 'batch 1', 'x']],
        [frozen, () => [{ x, y }], 'BAD_ARGUMENT', ['dense1_bn/moving_mean', 'momentum 1']],
        [silent, () => [{ x, y }], 'BAD_ARGUMENT', ['reported no', 'dense1_bn/moving_mean']],
      ];
      for (const [model, batches, code, mentions] of cases) {
        await expectBadInput(
          () => recomputeStats(model.params, { model, batches: batches as never }),
          { code, mentions, unchanged: Object.values(net.params) },
        );
      }
      tf.dispose([x, y]);
      disposeParams(net.params);
      disposeParams(frozen.params);
    });
  });
});
