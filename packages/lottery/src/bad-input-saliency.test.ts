/**
 * Bad input to snipScores, graspScores and synflowScores: each is refused with a DescentError of
 * a known code whose message names the argument, before anything is kept — no tensor leaks and
 * the model's parameters stay bit-identical.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  forEachBackend,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { it } from 'vitest';
import { graspScores } from './grasp-scores';
import { snipScores } from './snip-scores';
import { synflowScores } from './synflow-scores';
import { D, N, disposeCase, tinyCase } from './test-support/tiny-case';

const RUNS = { numRuns: BAD_INPUT_RUNS };
const BAD_MODEL = ['BAD_ARGUMENT', 'DTYPE_MISMATCH', 'UNKNOWN_PARAM', 'SHAPE_MISMATCH'] as const;

type DataScore = (model: unknown, batch: unknown, options?: unknown) => unknown;
const DATA_SCORES: [string, DataScore][] = [
  ['snipScores', snipScores as DataScore],
  ['graspScores', graspScores as DataScore],
];
const synflow = synflowScores as (model: unknown, options?: unknown) => Promise<unknown>;

/** The tiny model with the parameter `key` replaced by `value` (its other tensors shared). */
function withParam(model: Model, key: string, value: tf.Tensor): Model {
  return { ...model, params: { ...model.params, [key]: value } };
}

/** Not a Model: not an object, or an object missing `apply`, `params` or `info`. */
function notAModel(model: Model): fc.Arbitrary<unknown> {
  return fc.oneof(
    notAPlainObject,
    fc.constant({ params: model.params, info: model.info }),
    fc.constant({ params: model.params, apply: model.apply }),
    fc.constant({ info: model.info, apply: model.apply }),
    fc.constant({ ...model, apply: 3 }),
  );
}

/** Models whose params are not live float32 tensors (int32, bool, disposed, not a tensor). */
async function refusesBadParams(
  model: Model,
  call: (m: Model) => unknown,
  fn: string,
): Promise<void> {
  const unchanged = model.params;
  const key = 'l0/kernel';
  const shape = model.params[key]?.shape as number[];
  for (const dtype of ['int32', 'bool'] as const) {
    const t = tf.zeros(shape, dtype);
    await expectBadInput(() => call(withParam(model, key, t)), {
      code: 'DTYPE_MISMATCH',
      mentions: [fn, key],
      unchanged,
    });
    t.dispose();
  }
  const disposed = tf.zeros(shape);
  disposed.dispose();
  await expectBadInput(() => call(withParam(model, key, disposed)), {
    code: 'DISPOSED',
    mentions: [fn, key],
    unchanged,
  });
  await fc.assert(
    fc.asyncProperty(notATensor, async (t) => {
      await expectBadInput(() => call(withParam(model, key, t as tf.Tensor)), {
        code: BAD_MODEL,
        mentions: [fn, key],
        unchanged,
      });
    }),
    RUNS,
  );
}

forEachBackend(
  'bad input (saliency part)',
  () => {
    for (const [fn, score] of DATA_SCORES) {
      it(`${fn} refuses a bad model, batch, labels and options`, async () => {
        const c = tinyCase();
        const { model, x, y } = c;
        const unchanged = model.params;
        await fc.assert(
          fc.asyncProperty(notAModel(model), async (m) => {
            await expectBadInput(() => score(m, { x, y }), {
              code: 'BAD_ARGUMENT',
              mentions: [`${fn}: model`],
            });
          }),
          RUNS,
        );
        await refusesBadParams(model, (m) => score(m, { x, y }), `${fn}: model`);

        // The batch: not an object, unknown keys, x and y not tensors, of a wrong shape or dtype.
        await fc.assert(
          fc.asyncProperty(
            notAPlainObject,
            notATensor,
            unknownName(['x', 'y']),
            async (b, t, k) => {
              await expectBadInput(() => score(model, b), {
                code: 'BAD_ARGUMENT',
                mentions: [`${fn}: batch`],
                unchanged,
              });
              await expectBadInput(() => score(model, { x, y, [k]: x }), {
                code: 'UNKNOWN_PARAM',
                mentions: [`${fn}: batch`],
                unchanged,
              });
              await expectBadInput(() => score(model, { x: t, y }), {
                code: 'BAD_ARGUMENT',
                mentions: [`${fn}: batch.x`],
                unchanged,
              });
              await expectBadInput(() => score(model, { x, y: t }), {
                code: 'BAD_ARGUMENT',
                mentions: [`${fn}: batch.y`],
                unchanged,
              });
            },
          ),
          RUNS,
        );
        await fc.assert(
          fc.asyncProperty(otherShape([N, D]), async (shape) => {
            const bad = tf.ones(shape);
            await expectBadInput(() => score(model, { x: bad, y }), {
              code: 'SHAPE_MISMATCH',
              mentions: [`${fn}`, 'batch.x'],
              unchanged,
            });
            bad.dispose();
          }),
          RUNS,
        );
        // Right batch size, wrong features: the model itself refuses x.
        const wide = tf.ones([N, D + 1]);
        await expectBadInput(() => score(model, { x: wide, y }), {
          code: 'SHAPE_MISMATCH',
          mentions: [`${fn}: model.apply refused batch.x`, `[${N}, ${D + 1}]`],
          unchanged,
        });
        await fc.assert(
          fc.asyncProperty(otherShape([N]), async (shape) => {
            const bad = tf.zeros(shape, 'int32');
            await expectBadInput(() => score(model, { x, y: bad }), {
              code: 'SHAPE_MISMATCH',
              mentions: [`${fn}: batch.y`],
              unchanged,
            });
            bad.dispose();
          }),
          RUNS,
        );
        const xInt = tf.ones([N, D], 'int32');
        await expectBadInput(() => score(model, { x: xInt, y }), {
          code: 'DTYPE_MISMATCH',
          mentions: [`${fn}: batch.x`],
          unchanged,
        });
        const yBool = tf.ones([N], 'bool');
        await expectBadInput(() => score(model, { x, y: yBool }), {
          code: 'DTYPE_MISMATCH',
          mentions: [`${fn}: batch.y`],
          unchanged,
        });
        const xDisposed = tf.ones([N, D]);
        xDisposed.dispose();
        await expectBadInput(() => score(model, { x: xDisposed, y }), {
          code: 'DISPOSED',
          mentions: [`${fn}: batch.x`],
          unchanged,
        });
        const empty = tf.zeros([0, D]);
        await expectBadInput(() => score(model, { x: empty, y }), {
          code: 'SHAPE_MISMATCH',
          mentions: [`${fn}: batch.x`],
          unchanged,
        });

        // Options: not an object, unknown keys, a loss that is no function or no float32 scalar.
        await fc.assert(
          fc.asyncProperty(
            notAPlainObject,
            unknownName(['loss']),
            notAFunction.filter((v) => v !== null),
            async (o, k, f) => {
              await expectBadInput(() => score(model, { x, y }, o), {
                code: 'BAD_ARGUMENT',
                mentions: [fn],
                unchanged,
              });
              await expectBadInput(() => score(model, { x, y }, { [k]: 1 }), {
                code: 'UNKNOWN_PARAM',
                mentions: [fn],
                unchanged,
              });
              await expectBadInput(() => score(model, { x, y }, { loss: f }), {
                code: 'BAD_ARGUMENT',
                mentions: [`${fn}.loss`],
                unchanged,
              });
            },
          ),
          RUNS,
        );
        const notScalar = [
          (z: tf.Tensor) => tf.sum(z, 0),
          (z: tf.Tensor) => tf.cast(tf.sum(z), 'int32'),
          () => 1.5,
          () => undefined,
        ];
        for (const loss of notScalar) {
          await expectBadInput(() => score(model, { x, y }, { loss }), {
            code: 'BAD_ARGUMENT',
            mentions: [`${fn}.loss`, 'float32 scalar'],
            unchanged,
          });
        }
        tf.dispose([wide, xInt, yBool, empty]);
        disposeCase(c);
      });
    }

    it('synflowScores refuses a bad model, options and inputShape', async () => {
      const c = tinyCase();
      const { model } = c;
      const unchanged = model.params;
      const ok = { inputShape: [D] };
      await fc.assert(
        fc.asyncProperty(notAModel(model), async (m) => {
          await expectBadInput(() => synflow(m, ok), {
            code: 'BAD_ARGUMENT',
            mentions: ['synflowScores: model'],
          });
        }),
        RUNS,
      );
      await refusesBadParams(model, (m) => synflow(m, ok), 'synflowScores: model');
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(notAPlainObject, fc.constant(undefined)),
          unknownName(['inputShape']),
          async (o, k) => {
            await expectBadInput(() => synflow(model, o), {
              code: 'BAD_ARGUMENT',
              mentions: ['synflowScores'],
              unchanged,
            });
            await expectBadInput(() => synflow(model, { ...ok, [k]: 1 }), {
              code: 'UNKNOWN_PARAM',
              mentions: ['synflowScores'],
              unchanged,
            });
          },
        ),
        RUNS,
      );
      const badShape = fc.oneof(
        badNumber({ integer: true, min: 1 }).map((d) => [d]),
        badNumber({ integer: true, min: 1 }).map((d) => [D, d]),
        fc.constant([]),
        fc.constant(undefined),
        fc.constant(null),
        fc.double().map((d) => d as unknown),
        fc.string({ maxLength: 4 }).map((s) => s as unknown),
        fc.constant({ 0: D, length: 1 }),
      );
      await fc.assert(
        fc.asyncProperty(badShape, async (inputShape) => {
          await expectBadInput(() => synflow(model, { inputShape }), {
            code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM'],
            mentions: ['synflowScores.inputShape'],
            unchanged,
          });
        }),
        RUNS,
      );
      for (const inputShape of [[-1], [1.5], [Number.NaN], [0], [D, 0]]) {
        await expectBadInput(() => synflow(model, { inputShape }), {
          code: 'BAD_ARGUMENT',
          mentions: ['synflowScores.inputShape'],
          unchanged,
        });
      }
      // Positive integers the model cannot take: it refuses the all-ones input.
      await expectBadInput(() => synflow(model, { inputShape: [D + 1] }), {
        code: 'SHAPE_MISMATCH',
        mentions: ['synflowScores', 'inputShape', `[1, ${D + 1}]`],
        unchanged,
      });
      disposeCase(c);
    });
  },
  { backends: ['cpu', 'wasm'] },
);
