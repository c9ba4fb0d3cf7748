/**
 * Bad input to magnitudeScores, randomScores, prune, applyMasks and densityReport: each is
 * refused with a DescentError of a known code whose message names the argument, before anything
 * is allocated — no tensor leaks and no input changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Model, type ParamInfo, Rng, inferParamInfo } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  forEachBackend,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { it } from 'vitest';
import { applyMasks } from './apply-masks';
import { densityReport } from './density-report';
import { magnitudeScores } from './magnitude-scores';
import { prune } from './prune';
import { prunedModel } from './pruned-model';
import { randomScores } from './random-scores';

const RUNS = { numRuns: BAD_INPUT_RUNS };
const W = 'd/kernel';
const B = 'd/bias';
const INFO: Record<string, ParamInfo> = {
  [W]: inferParamInfo(W, [3, 2]),
  [B]: inferParamInfo(B, [2]),
};

function setup() {
  const scores = {
    [W]: tf.tensor2d([
      [0.3, 0.1],
      [0.2, 0.5],
      [0.4, 0.6],
    ]),
    [B]: tf.zeros([2]),
  };
  const mask = tf.ones([3, 2]);
  return { scores, mask, dispose: () => tf.dispose([scores[W], scores[B], mask]) };
}

forEachBackend('bad input (prune part)', () => {
  it('magnitudeScores and randomScores refuse bad params and options', async () => {
    const { scores, dispose } = setup();
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (p) => {
        await expectBadInput(() => magnitudeScores(p as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['magnitudeScores: params'],
        });
        await expectBadInput(() => randomScores(p as never, { rng: new Rng(1) }), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomScores: params'],
        });
        await expectBadInput(() => randomScores(scores, p as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomScores'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notATensor, async (t) => {
        await expectBadInput(() => magnitudeScores({ [W]: t } as never), {
          code: 'BAD_ARGUMENT',
          mentions: [W],
        });
      }),
      RUNS,
    );
    await expectBadInput(() => randomScores(scores, { rng: 7 } as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['randomScores.rng'],
    });
    await fc.assert(
      fc.asyncProperty(unknownName(['rng']), async (k) => {
        await expectBadInput(() => randomScores(scores, { rng: new Rng(1), [k]: 1 } as never), {
          code: 'UNKNOWN_PARAM',
          mentions: ['randomScores'],
        });
      }),
      RUNS,
    );
    dispose();
  });

  it('prune refuses bad rates, densities, names, masks and info before allocating', async () => {
    const { scores, mask, dispose } = setup();
    const unchanged = [scores[W], scores[B], mask];
    const call = (o: Record<string, unknown>) => () => prune(scores, { info: INFO, ...o } as never);
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, max: 1 }), async (v) => {
        const code = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;
        await expectBadInput(call({ rate: v }), { code, mentions: ['prune.rate'], unchanged });
        await expectBadInput(call({ density: v }), {
          code,
          mentions: ['prune.density'],
          unchanged,
        });
        await expectBadInput(call({ rate: 0.2, rates: { [W]: v } }), {
          code,
          mentions: [`prune.rates["${W}"]`],
          unchanged,
        });
      }),
      RUNS,
    );
    await expectBadInput(call({ rate: 0.2, density: 0.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['rate', 'density'],
    });
    await expectBadInput(call({}), { code: 'BAD_HYPERPARAM', mentions: ['rate', 'density'] });
    await expectBadInput(call({ density: 0.5, rates: { [W]: 0.1 } }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['prune.rates'],
    });
    await expectBadInput(call({ rate: 0.5, scope: 'global', rates: { [W]: 0.1 } }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['prune.rates'],
    });
    await expectBadInput(call({ rate: 0.5, scope: 'layer' }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['prune.scope'],
    });
    await expectBadInput(call({ rate: 0.5, remove: 'largest' }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['prune.remove', 'highest'],
    });
    await fc.assert(
      fc.asyncProperty(unknownName([W, B]), async (k) => {
        const code = 'UNKNOWN_PARAM';
        await expectBadInput(call({ rate: 0.2, rates: { [k]: 0.1 } }), {
          code,
          mentions: ['prune.rates'],
          unchanged,
        });
        await expectBadInput(call({ rate: 0.2, exclude: [k] }), {
          code,
          mentions: ['prune.exclude[0]'],
          unchanged,
        });
        await expectBadInput(call({ rate: 0.2, masks: { [k]: mask } }), {
          code,
          mentions: ['prune.masks'],
          unchanged,
        });
        await expectBadInput(call({ rate: 0.2, info: { ...INFO, [k]: INFO[W] } }), {
          code,
          mentions: ['prune.info'],
          unchanged,
        });
        await expectBadInput(call({ rate: 0.2, [k]: 1 }), { code, mentions: ['prune'], unchanged });
      }),
      RUNS,
    );
    await expectBadInput(call({ rate: 0.2, rates: { [B]: 0.1 } }), {
      code: 'UNKNOWN_PARAM',
      mentions: [B],
    });
    const biasMask = tf.ones([2]);
    await expectBadInput(call({ rate: 0.2, masks: { [B]: biasMask } }), {
      code: 'UNKNOWN_PARAM',
      mentions: [B],
    });
    biasMask.dispose();
    await expectBadInput(call({ rate: 0.2, info: { [W]: INFO[W] } }), {
      code: 'UNKNOWN_PARAM',
      mentions: [B, 'prune.info'],
    });
    await expectBadInput(call({ rate: 0.2, info: { ...INFO, [W]: { role: 'kernel' } } }), {
      code: 'BAD_ARGUMENT',
      mentions: ['prune.info'],
    });
    await fc.assert(
      fc.asyncProperty(otherShape([3, 2]), async (shape) => {
        const bad = tf.ones(shape);
        await expectBadInput(call({ rate: 0.2, masks: { [W]: bad } }), {
          code: 'SHAPE_MISMATCH',
          mentions: [`prune.masks["${W}"]`],
          unchanged,
        });
        bad.dispose();
      }),
      RUNS,
    );
    const intMask = tf.ones([3, 2], 'int32');
    await expectBadInput(call({ rate: 0.2, masks: { [W]: intMask } }), {
      code: 'DTYPE_MISMATCH',
      mentions: [`prune.masks["${W}"]`],
    });
    const twos = tf.fill([3, 2], 2);
    await expectBadInput(call({ rate: 0.2, masks: { [W]: twos } }), {
      code: 'BAD_ARGUMENT',
      mentions: [`prune.masks["${W}"]`, '0s and 1s'],
    });
    const nan = { [W]: tf.fill([3, 2], Number.NaN), [B]: scores[B] };
    await expectBadInput(() => prune(nan, { info: INFO, rate: 0.2 }), {
      code: 'NON_FINITE',
      mentions: [`prune: scores["${W}"]`],
    });
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (v) => {
        await expectBadInput(() => prune(v as never, { info: INFO, rate: 0.2 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['prune: scores'],
        });
        await expectBadInput(call({ rate: 0.2, info: v }), {
          code: 'BAD_ARGUMENT',
          mentions: ['prune.info'],
        });
        await expectBadInput(() => prune(scores, v as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['prune'],
        });
      }),
      RUNS,
    );
    await expectBadInput(call({ rate: 0.2, exclude: W }), {
      code: 'BAD_ARGUMENT',
      mentions: ['prune.exclude'],
    });
    tf.dispose([intMask, twos, nan[W]]);
    dispose();
  });

  it('applyMasks and densityReport refuse bad masks', async () => {
    const { scores, mask, dispose } = setup();
    const unchanged = [scores[W], mask];
    await fc.assert(
      fc.asyncProperty(unknownName([W, B]), otherShape([3, 2]), async (k, shape) => {
        await expectBadInput(() => applyMasks(scores, { [k]: mask }), {
          code: 'UNKNOWN_PARAM',
          mentions: ['applyMasks: masks'],
          unchanged,
        });
        const bad = tf.ones(shape);
        await expectBadInput(() => applyMasks(scores, { [W]: bad }), {
          code: 'SHAPE_MISMATCH',
          mentions: [`applyMasks: masks["${W}"]`],
          unchanged,
        });
        bad.dispose();
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, notATensor, async (v, t) => {
        await expectBadInput(() => applyMasks(v as never, {}), {
          code: 'BAD_ARGUMENT',
          mentions: ['applyMasks: params'],
        });
        await expectBadInput(() => applyMasks(scores, v as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['applyMasks: masks'],
        });
        await expectBadInput(() => densityReport(v as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['densityReport: masks'],
        });
        await expectBadInput(() => densityReport({ [W]: t } as never), {
          code: 'BAD_ARGUMENT',
          mentions: [W],
        });
      }),
      RUNS,
    );
    const intMask = tf.ones([3, 2], 'int32');
    await expectBadInput(() => applyMasks(scores, { [W]: intMask }), {
      code: 'DTYPE_MISMATCH',
      mentions: [W],
    });
    await expectBadInput(() => densityReport({ [W]: intMask }), {
      code: 'DTYPE_MISMATCH',
      mentions: [W],
    });
    const half = tf.fill([3, 2], 0.5);
    await expectBadInput(() => densityReport({ [W]: half }), {
      code: 'BAD_ARGUMENT',
      mentions: [W, '0s and 1s'],
    });
    tf.dispose([intMask, half]);
    dispose();
  });
  it('prunedModel refuses a bad model and bad masks, naming the key', async () => {
    const { scores, mask, dispose } = setup();
    const model: Model = {
      params: scores,
      info: INFO,
      apply: (p, x) => tf.matMul(x, p[W] as tf.Tensor),
    };
    const unchanged = [scores[W], scores[B], mask];
    await fc.assert(
      fc.asyncProperty(notAPlainObject, notATensor, async (v, t) => {
        await expectBadInput(() => prunedModel(v as never, { [W]: mask }), {
          code: 'BAD_ARGUMENT',
          mentions: ['prunedModel: model'],
          unchanged,
        });
        await expectBadInput(() => prunedModel(model, v as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['prunedModel: masks'],
          unchanged,
        });
        await expectBadInput(() => prunedModel(model, { [W]: t } as never), {
          code: 'BAD_ARGUMENT',
          mentions: [`prunedModel: masks["${W}"]`],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName([W, B]), otherShape([3, 2]), async (k, shape) => {
        await expectBadInput(() => prunedModel(model, { [k]: mask }), {
          code: 'UNKNOWN_PARAM',
          mentions: ['prunedModel: masks', JSON.stringify(k)],
          unchanged,
        });
        const bad = tf.ones(shape);
        await expectBadInput(() => prunedModel(model, { [W]: bad }), {
          code: 'SHAPE_MISMATCH',
          mentions: [`prunedModel: masks["${W}"]`],
          unchanged,
        });
        bad.dispose();
      }),
      RUNS,
    );
    const intMask = tf.ones([3, 2], 'int32');
    await expectBadInput(() => prunedModel(model, { [W]: intMask }), {
      code: 'DTYPE_MISMATCH',
      mentions: [`prunedModel: masks["${W}"]`],
    });
    const gone = tf.ones([3, 2]);
    gone.dispose();
    await expectBadInput(() => prunedModel(model, { [W]: gone }), {
      code: 'DISPOSED',
      mentions: [`prunedModel: masks["${W}"]`],
    });
    await expectBadInput(() => prunedModel({ ...model, info: { [W]: INFO[W] } } as never, {}), {
      code: 'UNKNOWN_PARAM',
      mentions: ['prunedModel: model'],
    });
    intMask.dispose();
    dispose();
  });
});
