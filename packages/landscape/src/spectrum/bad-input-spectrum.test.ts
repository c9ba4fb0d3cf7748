import * as tf from '@tensorflow/tfjs-core';
import { type DescentErrorCode, type Params, Rng } from '@descent/core';
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
import { describe, expect, it } from 'vitest';
import type { LossFn } from '../loss/loss-fn';
import { densityOnGrid } from './density-on-grid';
import { hessianDensity } from './hessian-density';
import { hessianEigs } from './hessian-eigs';
import { hessianTrace } from './hessian-trace';
import { sharpness } from './sharpness';

const RUNS = { numRuns: BAD_INPUT_RUNS };
const NUMBER_CODES: DescentErrorCode[] = ['BAD_HYPERPARAM', 'NON_FINITE'];
const NOT_AN_RNG = fc.constantFrom<unknown>(0, 'seed', {}, [1], () => 0.5, true);

type Call = (loss: unknown, params: unknown, options?: unknown) => Promise<unknown>;

interface Field {
  field: string;
  bad: fc.Arbitrary<unknown>;
  code: DescentErrorCode | DescentErrorCode[];
}

interface SpectrumCall {
  call: Call;
  known: string[];
  fields: Field[];
}

const CALLS: Record<string, SpectrumCall> = {
  hessianEigs: {
    call: (l, p, o) => hessianEigs(l as LossFn, p as Params, o as object),
    known: ['k', 'method', 'tol', 'maxIter', 'rng'],
    fields: [
      { field: 'k', bad: badNumber({ min: 1, integer: true }), code: NUMBER_CODES },
      { field: 'tol', bad: badNumber({ min: 0, minExclusive: true }), code: NUMBER_CODES },
      { field: 'maxIter', bad: badNumber({ min: 1, integer: true }), code: NUMBER_CODES },
      {
        field: 'method',
        bad: fc.constantFrom<unknown>('qr', 'Lanczos', 'arnoldi', 1, {}, true),
        code: 'BAD_ARGUMENT',
      },
      { field: 'rng', bad: NOT_AN_RNG, code: 'BAD_ARGUMENT' },
    ],
  },
  hessianTrace: {
    call: (l, p, o) => hessianTrace(l as LossFn, p as Params, o as object),
    known: ['samples', 'rng'],
    fields: [
      { field: 'samples', bad: badNumber({ min: 2, integer: true }), code: NUMBER_CODES },
      { field: 'rng', bad: NOT_AN_RNG, code: 'BAD_ARGUMENT' },
    ],
  },
  hessianDensity: {
    call: (l, p, o) => hessianDensity(l as LossFn, p as Params, o as object),
    known: ['runs', 'steps', 'rng'],
    fields: [
      { field: 'runs', bad: badNumber({ min: 1, integer: true }), code: NUMBER_CODES },
      { field: 'steps', bad: badNumber({ min: 1, integer: true }), code: NUMBER_CODES },
      { field: 'rng', bad: NOT_AN_RNG, code: 'BAD_ARGUMENT' },
    ],
  },
  sharpness: {
    call: (l, p, o) => sharpness(l as LossFn, p as Params, o as object),
    known: ['epsilon', 'box', 'steps', 'rng'],
    fields: [
      { field: 'epsilon', bad: badNumber({ min: 0, minExclusive: true }), code: NUMBER_CODES },
      { field: 'steps', bad: badNumber({ min: 1, integer: true }), code: NUMBER_CODES },
      {
        field: 'box',
        bad: fc.constantFrom<unknown>('l2', 'Relative', '', 0, {}),
        code: 'BAD_ARGUMENT',
      },
      { field: 'rng', bad: NOT_AN_RNG, code: 'BAD_ARGUMENT' },
    ],
  },
};

/** `L = ½‖w‖² + ½‖b‖²`: P = 6. */
function problem() {
  const params: Params = { w: tf.tensor2d([1, 2, 3, 4], [2, 2]), b: tf.tensor1d([0.5, -1]) };
  const loss: LossFn = (p) =>
    tf.mul(0.5, tf.add(tf.sum(tf.square(p.w as tf.Tensor)), tf.sum(tf.square(p.b as tf.Tensor))));
  return { params, loss, dispose: () => tf.dispose(Object.values(params)) };
}

forEachBackend('bad input: spectrum', () => {
  for (const [name, { call, known, fields }] of Object.entries(CALLS)) {
    describe(name, () => {
      it('options that are no plain object, or with unknown keys', async () => {
        const { params, loss, dispose } = problem();
        await fc.assert(
          fc.asyncProperty(
            notAPlainObject.filter((v) => v !== null),
            async (bad) => {
              await expectBadInput(() => call(loss, params, bad), {
                code: 'BAD_ARGUMENT',
                mentions: [name],
                unchanged: params,
              });
            },
          ),
          RUNS,
        );
        await fc.assert(
          fc.asyncProperty(unknownName(known), async (key) => {
            await expectBadInput(() => call(loss, params, { [key]: 1 }), {
              code: 'UNKNOWN_PARAM',
              mentions: [JSON.stringify(key)],
            });
          }),
          RUNS,
        );
        dispose();
      });

      for (const { field, bad, code } of fields) {
        it(`a bad ${field}`, async () => {
          const { params, loss, dispose } = problem();
          await fc.assert(
            fc.asyncProperty(bad, async (value) => {
              await expectBadInput(() => call(loss, params, { [field]: value }), {
                code,
                mentions: [`${name}.${field}`],
                unchanged: params,
              });
            }),
            RUNS,
          );
          dispose();
        });
      }

      it('a loss that is no function', async () => {
        const { params, dispose } = problem();
        await fc.assert(
          fc.asyncProperty(notAFunction, async (bad) => {
            await expectBadInput(() => call(bad, params), {
              code: 'BAD_ARGUMENT',
              mentions: [name, 'loss must be a function'],
            });
          }),
          RUNS,
        );
        dispose();
      });

      it('a loss that is not a float32 scalar, refused without a leak', async () => {
        const { params, dispose } = problem();
        const cases: [LossFn, DescentErrorCode, string][] = [
          [(p) => tf.square(p.b as tf.Tensor), 'SHAPE_MISMATCH', '[2]'],
          [(p) => tf.cast(tf.sum(p.b as tf.Tensor), 'int32'), 'SHAPE_MISMATCH', 'int32'],
          [() => 3 as unknown as tf.Tensor, 'BAD_ARGUMENT', '3'],
        ];
        for (const [loss, code, mention] of cases) {
          await expectBadInput(() => call(loss, params), {
            code,
            mentions: [name, 'loss', mention],
            unchanged: params,
          });
        }
        dispose();
      });

      it("passes the loss's own exception through unchanged, leaking nothing", async () => {
        const { params, dispose } = problem();
        const own = new Error('no data');
        const failing: LossFn = (p) => {
          tf.matMul(p.w as tf.Tensor, p.w as tf.Tensor);
          throw own;
        };
        const before = tf.memory().numTensors;
        await expect(call(failing, params)).rejects.toBe(own);
        expect(tf.memory().numTensors).toBe(before);
        dispose();
      });

      it('params that are not float32, disposed, empty or no map', async () => {
        const { params, loss, dispose } = problem();
        const ints = { ...params, b: tf.tensor1d([1, 2], 'int32') };
        await expectBadInput(() => call(loss, ints), {
          code: 'DTYPE_MISMATCH',
          mentions: [`${name}: params["b"]`, 'float32', 'int32'],
        });
        const gone = tf.tensor1d([1, 2]);
        gone.dispose();
        await expectBadInput(() => call(loss, { ...params, b: gone }), {
          code: 'DISPOSED',
          mentions: ['params["b"]'],
        });
        await expectBadInput(() => call(loss, {}), {
          code: 'BAD_ARGUMENT',
          mentions: [`${name}: params`],
        });
        await expectBadInput(() => call(loss, params.w), {
          code: 'BAD_ARGUMENT',
          mentions: [`${name}: params`],
        });
        tf.dispose(ints.b);
        dispose();
      });

      it('a loss that is NaN at params', async () => {
        const { params, dispose } = problem();
        const nan: LossFn = (p) => tf.mul(tf.sum(tf.square(p.w as tf.Tensor)), Number.NaN);
        await expectBadInput(() => call(nan, params), {
          code: 'NON_FINITE',
          mentions: [name],
          unchanged: params,
        });
        dispose();
      });
    });
  }

  it('hessianEigs: k > P names k and P', async () => {
    const { params, loss, dispose } = problem();
    await expectBadInput(() => hessianEigs(loss, params, { k: 7 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['hessianEigs.k', 'P = 6', 'got 7'],
    });
    dispose();
  });

  it('hessianDensity: steps > P names steps and P', async () => {
    const { params, loss, dispose } = problem();
    await expectBadInput(() => hessianDensity(loss, params, { steps: 7 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['hessianDensity.steps', 'P = 6', 'got 7'],
    });
    dispose();
  });

  it('sharpness: a loss with 1 + L ≤ 0', async () => {
    const { params, dispose } = problem();
    const negative: LossFn = (p) => tf.sub(tf.sum(p.b as tf.Tensor), 5);
    await expectBadInput(() => sharpness(negative, params), {
      code: 'BAD_ARGUMENT',
      mentions: ['sharpness', '1 + L(params)', 'got L = -5.5'],
    });
    dispose();
  });

  it('an Rng passes where the generator is checked', async () => {
    const { params, loss, dispose } = problem();
    await hessianTrace(loss, params, { samples: 2, rng: new Rng(1) });
    dispose();
  });
});

describe('bad input: densityOnGrid', () => {
  const good = { eigenvalues: [1, 2], weights: [0.5, 0.5] };

  it('a density that is no object of two equally long arrays of finite numbers', async () => {
    const cases: [unknown, DescentErrorCode, string][] = [
      [null, 'BAD_ARGUMENT', 'densityOnGrid: density'],
      [[1, 2], 'BAD_ARGUMENT', 'densityOnGrid: density'],
      [{ eigenvalues: 'x', weights: [1] }, 'BAD_ARGUMENT', 'density.eigenvalues'],
      [{ eigenvalues: [1] }, 'BAD_ARGUMENT', 'density.weights'],
      [{ eigenvalues: [1, '2'], weights: [0.5, 0.5] }, 'BAD_ARGUMENT', 'density.eigenvalues[1]'],
      [{ eigenvalues: [1, 2], weights: [1] }, 'SHAPE_MISMATCH', 'lengths 2 and 1'],
      [{ eigenvalues: [], weights: [] }, 'SHAPE_MISMATCH', 'non-empty'],
      [
        { eigenvalues: [1, Number.NaN], weights: [0.5, 0.5] },
        'NON_FINITE',
        'density.eigenvalues[1]',
      ],
      [{ eigenvalues: [1, 2], weights: [1.5, -0.5] }, 'BAD_ARGUMENT', 'density.weights[1]'],
      [{ eigenvalues: [1, 2], weights: [Infinity, 0] }, 'NON_FINITE', 'density.weights[0]'],
    ];
    for (const [density, code, mention] of cases) {
      await expectBadInput(() => densityOnGrid(density as typeof good), {
        code,
        mentions: [mention],
      });
    }
  });

  it('bad options', async () => {
    const cases: [unknown, DescentErrorCode | DescentErrorCode[], string][] = [
      [5, 'BAD_ARGUMENT', 'densityOnGrid'],
      [{ bins: 10 }, 'UNKNOWN_PARAM', '"bins"'],
      [{ grid: 1 }, 'BAD_HYPERPARAM', 'densityOnGrid.grid'],
      [{ grid: 10.5 }, 'BAD_HYPERPARAM', 'densityOnGrid.grid'],
      [{ grid: Number.NaN }, 'NON_FINITE', 'densityOnGrid.grid'],
      [{ grid: 'fine' }, 'BAD_ARGUMENT', 'densityOnGrid.grid'],
      [{ grid: [] }, 'SHAPE_MISMATCH', 'densityOnGrid.grid'],
      [{ grid: [0, Number.NaN] }, 'NON_FINITE', 'densityOnGrid.grid[1]'],
      [{ grid: [0, '1'] }, 'BAD_ARGUMENT', 'densityOnGrid.grid[1]'],
    ];
    for (const [options, code, mention] of cases) {
      await expectBadInput(() => densityOnGrid(good, options as object), {
        code,
        mentions: [mention],
      });
    }
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, minExclusive: true }), async (sigma) => {
        await expectBadInput(() => densityOnGrid(good, { sigma: sigma as number }), {
          code: NUMBER_CODES,
          mentions: ['densityOnGrid.sigma'],
        });
      }),
      RUNS,
    );
  });
});
