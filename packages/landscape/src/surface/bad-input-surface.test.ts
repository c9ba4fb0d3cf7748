/**
 * Bad input to randomDirection, surface1d, surface2d and interpolate: each is refused with a
 * DescentError of a known code whose message names the function and the argument, no tensor
 * leaks, and the parameters, directions and generator stay bit-identical.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type ParamInfo, type Params, Rng } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  forEachBackend,
  notABoolean,
  notAFunction,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { interpolate } from './interpolate';
import { randomDirection } from './random-direction';
import { surface1d } from './surface1d';
import { surface2d } from './surface2d';
import { halfSquaredDistance } from './test-support/tiny-problem';

const RUNS = { numRuns: BAD_INPUT_RUNS };

type Call = (...args: unknown[]) => unknown;
const direction = randomDirection as Call;
const line = surface1d as Call;
const plane = surface2d as Call;
const path = interpolate as Call;

const INFO: Record<string, ParamInfo> = {
  w: { role: 'weight', layer: 'l', layout: 'dense', fanIn: 2, fanOut: 3 },
  b: { role: 'bias', layer: 'l', layout: 'vector', fanIn: 3, fanOut: 3 },
};

function setup() {
  const params: Params = {
    w: tf.tensor2d([0.5, -1, 2, 0.25, 1, -0.5], [2, 3]),
    b: tf.tensor1d([0.1, 0.2, 0.3]),
  };
  const d1: Params = { w: tf.tensor2d([1, 0, 0, 0, 1, 0], [2, 3]), b: tf.zeros([3]) };
  const d2: Params = { w: tf.tensor2d([0, 1, 0, 0, 0, 1], [2, 3]), b: tf.ones([3]) };
  const loss = halfSquaredDistance();
  const dispose = () =>
    tf.dispose([...Object.values(params), ...Object.values(d1), ...Object.values(d2)]);
  return { params, d1, d2, loss, dispose };
}

/** Maps that are no float32 params of the structure of `params`, with the codes they get. */
function badMaps(
  params: Params,
): { map: unknown; code: readonly string[]; mentions: string[]; free: tf.Tensor[] }[] {
  const disposed = tf.zeros([3]);
  disposed.dispose();
  const int = tf.zeros([3], 'int32');
  const wide = tf.zeros([2, 4]);
  const nan = tf.tensor1d([0, Number.NaN, 0]);
  return [
    { map: {}, code: ['BAD_ARGUMENT', 'UNKNOWN_PARAM'], mentions: [], free: [] },
    {
      map: { ...params, b: int },
      code: ['DTYPE_MISMATCH'],
      mentions: ['"b"', 'int32'],
      free: [int],
    },
    { map: { ...params, b: disposed }, code: ['DISPOSED'], mentions: ['"b"'], free: [] },
    { map: { w: params.w }, code: ['UNKNOWN_PARAM'], mentions: ['"b"'], free: [] },
    { map: { ...params, c: params.b }, code: ['UNKNOWN_PARAM'], mentions: ['"c"'], free: [] },
    {
      map: { ...params, w: wide },
      code: ['SHAPE_MISMATCH'],
      mentions: ['"w"', '[2, 4]'],
      free: [wide],
    },
    { map: { ...params, b: nan }, code: ['NON_FINITE'], mentions: [], free: [nan] },
  ];
}

forEachBackend('bad input (surfaces)', () => {
  it('randomDirection refuses bad params, info and options before its Rng advances', async () => {
    const { params, dispose } = setup();
    const rng = new Rng(1);
    const state = () => JSON.stringify(rng.state());
    const before = state();
    const unchanged = { params, rng: before };
    const refuse = async (
      args: unknown[],
      code: string | readonly string[],
      mentions: string[],
    ) => {
      await expectBadInput(() => direction(...args), {
        code: code as never,
        mentions: ['randomDirection', ...mentions],
        unchanged,
      });
      if (state() !== before) throw new Error(`the Rng advanced: ${JSON.stringify(args.slice(1))}`);
    };
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (bad) => {
        await refuse([bad, INFO, { rng }], 'BAD_ARGUMENT', ['params']);
        await refuse([params, bad, { rng }], 'BAD_ARGUMENT', ['info']);
      }),
      RUNS,
    );
    await refuse([{}, INFO, { rng }], 'BAD_ARGUMENT', ['params']);
    const int = tf.zeros([2, 3], 'int32');
    await refuse([{ ...params, w: int }, INFO, { rng }], 'DTYPE_MISMATCH', ['"w"']);
    int.dispose();
    const gone = tf.zeros([2, 3]);
    gone.dispose();
    await refuse([{ ...params, w: gone }, INFO, { rng }], 'DISPOSED', ['"w"']);
    await refuse([params, { w: INFO.w }, { rng }], 'UNKNOWN_PARAM', ['info', '"b"']);
    await refuse([params, { ...INFO, b: { ...INFO.b, role: 'gamma' } }, { rng }], 'BAD_ARGUMENT', [
      'info["b"].role',
    ]);
    await refuse(
      [params, { ...INFO, w: { ...INFO.w, layout: 'conv2d' } }, { rng }],
      'SHAPE_MISMATCH',
      ['info["w"].layout', '[2, 3]'],
    );
    const rank3 = tf.zeros([2, 2, 2]);
    await refuse([{ ...params, 'l/kernel3': rank3 }, undefined, { rng }], 'SHAPE_MISMATCH', [
      '"l/kernel3"',
      '[2, 2, 2]',
    ]);
    rank3.dispose();
    const nan = tf.tensor2d([0, 1, Number.NaN, 2, 3, 4], [2, 3]);
    await refuse([{ ...params, w: nan }, INFO, { rng }], 'NON_FINITE', ['"w"', 'NaN']);
    nan.dispose();
    await fc.assert(
      fc.asyncProperty(
        notAPlainObject.filter((o) => o !== null),
        unknownName(['filterNormalize', 'ignore', 'rng']),
        notABoolean,
        fc
          .oneof(fc.string({ maxLength: 6 }), fc.constant(0))
          .filter((s) => s !== 'biasbn' && s !== 'none'),
        fc.oneof(fc.integer(), fc.constant({}), fc.constant('rng')),
        async (options, key, flag, ignore, notRng) => {
          await refuse([params, INFO, options], 'BAD_ARGUMENT', ['options']);
          await refuse([params, INFO, { rng, [key]: 1 }], 'UNKNOWN_PARAM', [JSON.stringify(key)]);
          await refuse([params, INFO, { rng, filterNormalize: flag }], 'BAD_HYPERPARAM', [
            'filterNormalize',
          ]);
          await refuse([params, INFO, { rng, ignore }], 'BAD_HYPERPARAM', ['ignore']);
          await refuse([params, INFO, { rng: notRng }], 'BAD_ARGUMENT', ['rng']);
        },
      ),
      RUNS,
    );
    dispose();
  });

  it('surface1d refuses a bad loss, params, direction and options', async () => {
    const { params, d1, loss, dispose } = setup();
    const unchanged = [params, d1];
    const refuse = (args: unknown[], code: string | readonly string[], mentions: string[]) =>
      expectBadInput(() => line(...args), {
        code: code as never,
        mentions: ['surface1d', ...mentions],
        unchanged,
      });
    await fc.assert(
      fc.asyncProperty(notAFunction, notAPlainObject, async (f, map) => {
        await refuse([f, params, d1], 'BAD_ARGUMENT', ['loss']);
        await refuse([loss, map, d1], 'BAD_ARGUMENT', ['params']);
        await refuse([loss, params, map], 'BAD_ARGUMENT', ['d']);
      }),
      RUNS,
    );
    for (const { map, code, mentions, free } of badMaps(params)) {
      await refuse([loss, params, map], code, ['d', ...mentions]);
      if (!code.includes('NON_FINITE')) {
        await refuse([loss, map, d1], [...code, 'UNKNOWN_PARAM', 'SHAPE_MISMATCH'], []);
      }
      tf.dispose(free);
    }
    const inf = { ...d1, w: tf.fill([2, 3], Number.POSITIVE_INFINITY) };
    await refuse([loss, params, inf], 'NON_FINITE', ['d']);
    tf.dispose(inf.w);
    await refuseBadGridOptions(
      (options, code, mentions) => refuse([loss, params, d1, options], code, mentions),
      ['range', 'points', 'onPoint'],
    );
    await refuseBadLosses((f, code, mentions) => refuse([f, params, d1], code, mentions));
    await passesThrough((f) => line(f, params, d1));
    dispose();
  });

  it('surface2d refuses bad directions (parallel ones too), grids and options', async () => {
    const { params, d1, d2, loss, dispose } = setup();
    const unchanged = [params, d1, d2];
    const refuse = (args: unknown[], code: string | readonly string[], mentions: string[]) =>
      expectBadInput(() => plane(...args), {
        code: code as never,
        mentions: ['surface2d', ...mentions],
        unchanged,
      });
    await fc.assert(
      fc.asyncProperty(notAFunction, notAPlainObject, async (f, map) => {
        await refuse([f, params, d1, d2], 'BAD_ARGUMENT', ['loss']);
        await refuse([loss, params, map, d2], 'BAD_ARGUMENT', ['d1']);
        await refuse([loss, params, d1, map], 'BAD_ARGUMENT', ['d2']);
      }),
      RUNS,
    );
    for (const { map, code, mentions, free } of badMaps(params)) {
      await refuse([loss, params, map, d2], code, ['d1', ...mentions]);
      await refuse([loss, params, d1, map], code, ['d2', ...mentions]);
      tf.dispose(free);
    }
    const doubled = { w: tf.mul(d1.w as tf.Tensor, 2), b: tf.mul(d1.b as tf.Tensor, 2) };
    const negated = { w: tf.neg(d2.w as tf.Tensor), b: tf.neg(d2.b as tf.Tensor) };
    await refuse([loss, params, d1, d1], 'BAD_ARGUMENT', ['parallel']);
    await refuse([loss, params, d1, doubled], 'BAD_ARGUMENT', ['parallel']);
    await refuse([loss, params, negated, d2], 'BAD_ARGUMENT', ['parallel']);
    tf.dispose([...Object.values(doubled), ...Object.values(negated)]);
    await refuseBadGridOptions(
      (options, code, mentions) => refuse([loss, params, d1, d2, options], code, mentions),
      ['range', 'points', 'onPoint'],
    );
    await fc.assert(
      fc.asyncProperty(
        unknownName(['alpha', 'beta']),
        fc.integer({ min: 2, max: 20 }).map((n) => 2 * n),
        fc.oneof(fc.constant([]), fc.constant([3]), fc.constant([3, 3, 3])),
        async (key, even, notPair) => {
          await refuse(
            [loss, params, d1, d2, { range: { alpha: [-1, 1], [key]: [0, 1] } }],
            'UNKNOWN_PARAM',
            ['range', JSON.stringify(key)],
          );
          await refuse([loss, params, d1, d2, { range: { beta: [1, -1] } }], 'BAD_HYPERPARAM', [
            'range.beta',
          ]);
          await refuse([loss, params, d1, d2, { points: [5, even] }], 'BAD_HYPERPARAM', [
            'points[1]',
            'odd',
          ]);
          await refuse([loss, params, d1, d2, { points: notPair }], 'BAD_HYPERPARAM', ['points']);
        },
      ),
      RUNS,
    );
    await refuseBadLosses((f, code, mentions) => refuse([f, params, d1, d2], code, mentions));
    await passesThrough((f) => plane(f, params, d1, d2));
    dispose();
  });

  it('interpolate refuses bad functions, endpoints, options and results', async () => {
    const { params: a, d2: b, loss, dispose } = setup();
    const unchanged = [a, b];
    const refuse = (args: unknown[], code: string | readonly string[], mentions: string[]) =>
      expectBadInput(() => path(...args), {
        code: code as never,
        mentions: ['interpolate', ...mentions],
        unchanged,
      });
    await fc.assert(
      fc.asyncProperty(notAFunction, notAPlainObject, async (f, map) => {
        await refuse([f, a, b], 'BAD_ARGUMENT', ['lossOrEvaluate']);
        await refuse([loss, map, b], 'BAD_ARGUMENT', ['a']);
        await refuse([loss, a, map], 'BAD_ARGUMENT', ['b']);
      }),
      RUNS,
    );
    for (const { map, code, mentions, free } of badMaps(a)) {
      if (code.includes('NON_FINITE')) continue; // endpoints may be anything finite or not
      await refuse([loss, a, map], code, ['b', ...mentions]);
      tf.dispose(free);
    }
    await fc.assert(
      fc.asyncProperty(
        unknownName(['points', 'range', 'onPoint']),
        badNumber({ integer: true, min: 2 }).filter((v) => v !== null && v !== undefined),
        fc.oneof(
          fc.constant([1, 0]),
          fc.constant([0.5, 0.5]),
          fc.constant([0]),
          fc.constant('0..1'),
        ),
        async (key, points, range) => {
          await refuse([loss, a, b, { [key]: 1 }], 'UNKNOWN_PARAM', [JSON.stringify(key)]);
          await refuse([loss, a, b, { points }], ['BAD_HYPERPARAM', 'NON_FINITE'], ['points']);
          await refuse([loss, a, b, { range }], 'BAD_HYPERPARAM', ['range']);
        },
      ),
      RUNS,
    );
    await refuse([loss, a, b, { points: 1 }], 'BAD_HYPERPARAM', ['points']);
    await refuse([loss, a, b, { range: [0, Number.NaN] }], 'NON_FINITE', ['range[1]']);
    await refuseBadLosses((f, code, mentions) => refuse([f, a, b], code, mentions));
    await passesThrough((f) => path(f, a, b));
    let later = 0;
    await passesThrough((f) =>
      path((p: Params) => (later++ === 0 ? loss(p) : (f as Call)(p)), a, b),
    );
    const offline = new Error('offline');
    const before = tf.memory().numTensors;
    await expect(async () => path(async () => Promise.reject(offline), a, b)).rejects.toBe(offline);
    let evaluations = 0;
    const failsLater = async () => {
      if (evaluations++ > 0) throw offline;
      return { loss: 1 };
    };
    await expect(async () => path(failsLater, a, b)).rejects.toBe(offline);
    expect(tf.memory().numTensors).toBe(before);
    const results: [string, unknown][] = [
      ['a string', 'loss'],
      ['a number', 0.5],
      ['an empty record', {}],
      ['a record of strings', { loss: '0.5' }],
      ['a promise of a number', Promise.resolve(0.5)],
    ];
    for (const [, result] of results) {
      await refuse([() => result, a, b], 'BAD_ARGUMENT', ['lossOrEvaluate must return']);
    }
    let calls = 0;
    const drifting = async () => (calls++ === 0 ? { loss: 1 } : { loss: 1, accuracy: 0.5 });
    await refuse([drifting, a, b], 'BAD_ARGUMENT', ['same metrics', '"accuracy"']);
    let lossCalls = 0;
    const turning = (p: Params) => (lossCalls++ === 0 ? loss(p) : { loss: 1 });
    await refuse([turning, a, b], 'BAD_ARGUMENT', ['float32 scalar tensor']);
    const gone = tf.scalar(1);
    gone.dispose();
    await refuse([() => gone, a, b], 'DISPOSED', []);
    dispose();
  });
});

/** Calls `call(failing)` and expects `failing`'s own exception back, unchanged, and no leak. */
async function passesThrough(call: (f: unknown) => unknown): Promise<void> {
  const own = new Error('the loss failed');
  const failing = (p: Params) => {
    tf.square(p.w as tf.Tensor);
    throw own;
  };
  const before = tf.memory().numTensors;
  await expect(async () => call(failing)).rejects.toBe(own);
  expect(tf.memory().numTensors).toBe(before);
}

type Refuse = (
  value: unknown,
  code: string | readonly string[],
  mentions: string[],
) => Promise<unknown>;

/** Options with an unknown key, bad ranges and point counts and a bad onPoint. */
async function refuseBadGridOptions(refuse: Refuse, known: string[]): Promise<void> {
  await refuse(null, 'BAD_ARGUMENT', ['options']);
  await fc.assert(
    fc.asyncProperty(
      unknownName(known),
      fc.integer({ min: 2, max: 50 }).map((n) => 2 * n),
      badNumber({ integer: true, min: 3 }).filter((v) => v !== null && v !== undefined),
      fc.double({ min: -10, max: 10, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }),
      notAFunction.filter((f) => f !== null),
      async (key, even, points, lo, width, onPoint) => {
        await refuse({ [key]: 1 }, 'UNKNOWN_PARAM', [JSON.stringify(key)]);
        await refuse({ points: even }, 'BAD_HYPERPARAM', ['points', 'odd']);
        await refuse({ points }, ['BAD_HYPERPARAM', 'NON_FINITE'], ['points']);
        await refuse({ range: [lo, lo - width] }, 'BAD_HYPERPARAM', ['range', 'lo < hi']);
        await refuse({ onPoint }, 'BAD_ARGUMENT', ['onPoint']);
      },
    ),
    RUNS,
  );
  await refuse({ range: [-1, Number.POSITIVE_INFINITY] }, 'NON_FINITE', ['range[1]']);
  await refuse({ range: [-1, 0, 1] }, 'BAD_HYPERPARAM', ['range']);
  await refuse({ range: '[-1, 1]' }, 'BAD_HYPERPARAM', ['range']);
}

/** Losses that return no tensor, a vector or an int32 scalar — refused mid-evaluation. */
async function refuseBadLosses(refuse: Refuse): Promise<void> {
  await refuse((p: Params) => tf.mul(p.w as tf.Tensor, 2), 'SHAPE_MISMATCH', ['[2, 3]']);
  await refuse(() => tf.scalar(1, 'int32'), 'SHAPE_MISMATCH', ['int32']);
  await refuse(() => 'loss', 'BAD_ARGUMENT', ['loss']);
}
