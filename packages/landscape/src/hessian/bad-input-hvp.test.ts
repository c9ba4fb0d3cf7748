/**
 * Bad input to hvp and hvpFiniteDifference: refused with a DescentError of a known code whose
 * message names the argument, without leaking a tensor (also when the loss itself is at fault:
 * it runs inside a gradient tape, which keeps its tensors when a function throws inside it).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  forEachBackend,
  notAFunction,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { hvp } from './hvp';
import { hvpFiniteDifference } from './hvp-finite-difference';

const RUNS = { numRuns: BAD_INPUT_RUNS };

type HvpLike = (loss: unknown, params: unknown, v: unknown, options?: unknown) => unknown;
const FUNCTIONS: [string, HvpLike][] = [
  ['hvp', hvp as HvpLike],
  ['hvpFiniteDifference', hvpFiniteDifference as HvpLike],
];

function fixture() {
  const w = tf.tensor2d([0.5, -0.3, 0.2, 0.1], [2, 2]);
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const params: Params = { w };
  const v: Params = { w: tf.ones([2, 2]) };
  const loss = (p: Params) => tf.sum(tf.square(tf.matMul(x, p.w as tf.Tensor)));
  return { params, v, loss, dispose: () => tf.dispose([w, x, v.w as tf.Tensor]) };
}

forEachBackend('bad input to hvp and hvpFiniteDifference', () => {
  for (const [fn, call] of FUNCTIONS) {
    it(`${fn} refuses a loss that is no function`, async () => {
      const f = fixture();
      await fc.assert(
        fc.asyncProperty(notAFunction, async (bad) => {
          await expectBadInput(() => call(bad, f.params, f.v), {
            code: 'BAD_ARGUMENT',
            mentions: [fn, 'loss'],
            unchanged: [f.params.w as tf.Tensor],
          });
        }),
        RUNS,
      );
      f.dispose();
    });

    it(`${fn} refuses a loss that is not a float32 scalar, without leaking`, async () => {
      const f = fixture();
      const cases: [unknown, string, string][] = [
        [(p: Params) => tf.matMul(p.w as tf.Tensor, p.w as tf.Tensor), 'SHAPE_MISMATCH', '[2, 2]'],
        [(p: Params) => tf.cast(tf.sum(p.w as tf.Tensor), 'int32'), 'SHAPE_MISMATCH', 'int32'],
        [() => 3, 'BAD_ARGUMENT', '3'],
      ];
      for (const [loss, code, mention] of cases) {
        await expectBadInput(() => call(loss, f.params, f.v), {
          code: code as 'BAD_ARGUMENT',
          mentions: [fn, 'loss', mention],
          unchanged: [f.params.w as tf.Tensor],
        });
      }
      f.dispose();
    });

    it(`${fn} passes the loss's own exception through unchanged, leaking nothing`, async () => {
      const f = fixture();
      const own = new Error('the loss failed');
      const failing = (p: Params) => {
        tf.matMul(p.w as tf.Tensor, p.w as tf.Tensor);
        throw own;
      };
      const before = tf.memory().numTensors;
      await expect(async () => call(failing, f.params, f.v)).rejects.toBe(own);
      expect(tf.memory().numTensors).toBe(before);
      f.dispose();
    });

    it(`${fn} refuses params that are not a non-empty map of live float32 tensors`, async () => {
      const f = fixture();
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          await expectBadInput(() => call(f.loss, bad, f.v), {
            code: 'BAD_ARGUMENT',
            mentions: ['params'],
          });
        }),
        RUNS,
      );
      await expectBadInput(() => call(f.loss, {}, {}), {
        code: 'BAD_ARGUMENT',
        mentions: ['params', 'at least one'],
      });
      const ints = tf.ones([2, 2], 'int32');
      await expectBadInput(() => call(f.loss, { w: ints }, f.v), {
        code: 'DTYPE_MISMATCH',
        mentions: ['params', 'w', 'int32'],
      });
      ints.dispose();
      const gone = tf.ones([2, 2]);
      gone.dispose();
      await expectBadInput(() => call(f.loss, { w: gone }, f.v), {
        code: 'DISPOSED',
        mentions: ['w'],
      });
      f.dispose();
    });

    it(`${fn} refuses a direction of another structure`, async () => {
      const f = fixture();
      const wrongShape = tf.ones([2, 3]);
      await expectBadInput(() => call(f.loss, f.params, { w: wrongShape }), {
        code: 'SHAPE_MISMATCH',
        mentions: ['v', 'w', '[2, 3]', '[2, 2]'],
      });
      await expectBadInput(() => call(f.loss, f.params, { u: f.v.w }), {
        code: 'UNKNOWN_PARAM',
        mentions: ['v', 'w', 'u'],
      });
      await expectBadInput(() => call(f.loss, f.params, 'v'), {
        code: 'BAD_ARGUMENT',
        mentions: ['v'],
      });
      wrongShape.dispose();
      f.dispose();
    });
  }

  it('hvpFiniteDifference refuses a bad epsilon and unknown options', async () => {
    const f = fixture();
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, minExclusive: true }), async (epsilon) => {
        await expectBadInput(
          () => hvpFiniteDifference(f.loss, f.params, f.v, { epsilon: epsilon as number }),
          {
            code: ['BAD_HYPERPARAM', 'NON_FINITE', 'BAD_ARGUMENT'],
            mentions: ['epsilon'],
          },
        );
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(['epsilon']), async (key) => {
        await expectBadInput(() => hvpFiniteDifference(f.loss, f.params, f.v, { [key]: 1 }), {
          code: 'UNKNOWN_PARAM',
          mentions: ['hvpFiniteDifference'],
        });
      }),
      RUNS,
    );
    f.dispose();
  });
});
