import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  checkModel,
  checkParamInfo,
  checkParams,
  checkSameStructure,
  cloneParams,
  computeFans,
  disposeParams,
  flattenParams,
  formatShape,
  fromVariables,
  globalNorm,
  globalNormValue,
  inferParamInfo,
  isModel,
  mapParams,
  type Params,
  paramCount,
  roleMask,
  toApplyFn,
  toVariables,
  unflattenParams,
  zipParams,
} from '../index';
import { expectBadInput } from '../testing/bad-input';
import {
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '../testing/bad-values';
import { anything, type CaseGroup, disposedTensor, property } from './bad-input-helpers';

/** Not a Params map: non-objects, arrays, a Map, and objects holding a non-tensor. */
const notParams: fc.Arbitrary<unknown> = fc.oneof(
  notAPlainObject.filter((v) => !(typeof v === 'function')),
  notATensor.map((t) => ({ w: t })),
);

const PARAMS_FNS: Record<string, (p: Params) => unknown> = {
  checkParams: (p) => checkParams('params', p),
  paramCount,
  globalNorm,
  globalNormValue,
  cloneParams,
  flattenParams,
  fromVariables: (p) => fromVariables(p as Record<string, tf.Variable>),
  toVariables: (p) => toVariables(p),
  mapParams: (p) => mapParams(p, (t) => t),
};

/** Refusals every function taking one Params map shares: no map, a non-tensor, a disposed tensor. */
function paramsCase(name: string, fn: (p: Params) => unknown, argument = 'params'): () => void {
  return () => {
    it(`${name} refuses what is no Params map and disposed entries`, async () => {
      const w = tf.ones([2]);
      await property(notParams, async (bad) => {
        await expectBadInput(() => fn(bad as Params), {
          code: 'BAD_ARGUMENT',
          mentions: [argument],
        });
      });
      await expectBadInput(() => fn({ w, b: disposedTensor([3]) }), {
        code: 'DISPOSED',
        mentions: [`${argument}["b"]`, '[3]'],
        unchanged: w,
      });
      w.dispose();
    });
  };
}

const infoOf = (shape: number[]) => inferParamInfo('dense/kernel', shape);

/** Params maps, ParamInfo and Model. */
export const PARAMS_CASES: CaseGroup = {
  ...Object.fromEntries(
    Object.entries(PARAMS_FNS).map(([name, fn]) => [
      name,
      paramsCase(name, fn, name === 'fromVariables' ? 'vars' : 'params'),
    ]),
  ),
  disposeParams: () => {
    it('disposeParams refuses what is no Params map, disposing nothing', async () => {
      const w = tf.ones([2]);
      await property(notParams, async (bad) => {
        await expectBadInput(() => disposeParams(bad as Params), {
          code: 'BAD_ARGUMENT',
          mentions: ['params'],
        });
      });
      await expectBadInput(() => disposeParams({ w, x: 3 } as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['params["x"]'],
        unchanged: w,
      });
      expect(w.isDisposed).toBe(false);
      w.dispose();
    });
  },
  checkSameStructure: () => {
    it('checkSameStructure refuses other keys and other shapes', async () => {
      const a = { w: tf.ones([2, 3]) };
      await property(otherShape([2, 3]), async (shape) => {
        const b = { w: tf.ones(shape) };
        await expectBadInput(() => checkSameStructure('params', a, 'grads', b), {
          code: 'SHAPE_MISMATCH',
          mentions: ['grads["w"]', formatShape(shape)],
        });
        disposeParams(b);
      });
      await property(unknownName(['w']), async (key) => {
        const b = { [key]: a.w };
        await expectBadInput(() => checkSameStructure('params', a, 'grads', b), {
          code: 'UNKNOWN_PARAM',
          mentions: ['grads', JSON.stringify(key)],
        });
      });
      await property(notParams, async (bad) => {
        await expectBadInput(() => checkSameStructure('params', a, 'grads', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['grads'],
        });
      });
      disposeParams(a);
    });
  },
  zipParams: () => {
    it('zipParams refuses mismatched maps, a non-function and bad names', async () => {
      const a = { w: tf.ones([2]) };
      const fn = (x: tf.Tensor) => x;
      await property(otherShape([2]), async (shape) => {
        const b = { w: tf.ones(shape) };
        await expectBadInput(() => zipParams(a, b, fn, ['params', 'grads']), {
          code: 'SHAPE_MISMATCH',
          mentions: ['grads["w"]'],
        });
        disposeParams(b);
      });
      await property(notAFunction, async (bad) => {
        await expectBadInput(() => zipParams(a, a, bad as typeof fn), {
          code: 'BAD_ARGUMENT',
          mentions: ['fn'],
        });
      });
      await property(
        fc.oneof(fc.constant(null), fc.constant(['a']), fc.constant([1, 2])),
        async (bad) => {
          await expectBadInput(() => zipParams(a, a, fn, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['names'],
          });
        },
      );
      disposeParams(a);
    });
  },
  mapParams: () => {
    it('mapParams refuses what is no Params map, a non-function and a bad name', async () => {
      const p = { w: tf.ones([2]) };
      await property(notParams, async (bad) => {
        await expectBadInput(() => mapParams(bad as Params, (t) => t), {
          code: 'BAD_ARGUMENT',
          mentions: ['params'],
        });
      });
      await property(notAFunction, async (bad) => {
        await expectBadInput(() => mapParams(p, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['fn'],
        });
      });
      await expectBadInput(() => mapParams(p, (t) => t, 3 as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['name'],
      });
      await expectBadInput(() => mapParams(p, () => 3 as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['"w"'],
      });
      disposeParams(p);
    });
  },
  toVariables: () => {
    it('toVariables refuses bad params and options, creating no variable', async () => {
      const p = { w: tf.ones([2]) };
      const variables = () => Object.keys(tf.engine().registeredVariables).length;
      const before = variables();
      await property(notParams, async (bad) => {
        await expectBadInput(() => toVariables(bad as Params), {
          code: 'BAD_ARGUMENT',
          mentions: ['params'],
        });
      });
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => toVariables(p, bad as object), {
          code: 'BAD_ARGUMENT',
          mentions: ['toVariables options'],
        });
      });
      await property(unknownName(['trainable', 'prefix']), async (key) => {
        await expectBadInput(() => toVariables(p, { [key]: true } as object), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      await expectBadInput(() => toVariables(p, { trainable: 'yes' } as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['trainable'],
      });
      await expectBadInput(() => toVariables(p, { prefix: 3 } as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['prefix'],
      });
      expect(variables()).toBe(before);
      disposeParams(p);
    });
  },
  unflattenParams: () => {
    it('unflattenParams refuses a vector of the wrong length and a bad template', async () => {
      const like = { w: tf.ones([2, 3]) };
      await property(otherShape([6]), async (shape) => {
        const v = tf.ones(shape);
        await expectBadInput(() => unflattenParams(v, like), {
          code: 'SHAPE_MISMATCH',
          mentions: ['vector', formatShape(shape), '[6]'],
        });
        v.dispose();
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => unflattenParams(bad as tf.Tensor, like), {
          code: 'BAD_ARGUMENT',
          mentions: ['vector'],
        });
      });
      const v = tf.ones([6]);
      await property(notParams, async (bad) => {
        await expectBadInput(() => unflattenParams(v, bad as Params), {
          code: 'BAD_ARGUMENT',
          mentions: ['like'],
        });
      });
      tf.dispose([v, like.w]);
    });
  },
  computeFans: () => {
    it('computeFans refuses bad shapes and layouts, and ranks the layout does not take', async () => {
      await property(
        fc.oneof(fc.constant(null), fc.constant([-1, 2]), fc.constant([1.5, 2]), fc.string()),
        async (bad) => {
          await expectBadInput(() => computeFans(bad as never, 'dense'), {
            code: 'BAD_ARGUMENT',
            mentions: ['shape'],
          });
        },
      );
      await property(unknownName(['dense', 'conv2d', 'vector']), async (bad) => {
        await expectBadInput(() => computeFans([2, 3], bad as 'dense'), {
          code: 'BAD_ARGUMENT',
          mentions: ['layout'],
        });
      });
      await property(
        otherShape([2, 3]).filter((s) => s.length !== 2),
        async (shape) => {
          await expectBadInput(() => computeFans(shape, 'dense'), {
            code: 'SHAPE_MISMATCH',
            mentions: [formatShape(shape)],
          });
        },
      );
    });
  },
  inferParamInfo: () => {
    it('inferParamInfo refuses a non-string name, a bad shape and ranks 3 and ≥ 5', async () => {
      await property(fc.oneof(fc.integer(), fc.constant(null), fc.constant({})), async (bad) => {
        await expectBadInput(() => inferParamInfo(bad as string, [2]), {
          code: 'BAD_ARGUMENT',
          mentions: ['name'],
        });
      });
      await property(fc.oneof(fc.constant([2, -3]), fc.constant('2')), async (bad) => {
        await expectBadInput(() => inferParamInfo('w', bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['shape'],
        });
      });
      await expectBadInput(() => inferParamInfo('w', [2, 2, 2]), {
        code: 'SHAPE_MISMATCH',
        mentions: ['"w"', '[2, 2, 2]'],
      });
    });
  },
  roleMask: () => {
    it('roleMask refuses unknown roles and malformed info', async () => {
      const info = { w: infoOf([2, 3]) };
      await property(unknownName(['weight', 'bias', 'scale', 'shift', 'stat']), async (role) => {
        await expectBadInput(() => roleMask(info, [role as 'weight']), {
          code: 'BAD_ARGUMENT',
          mentions: ['roles'],
        });
      });
      await property(
        fc.oneof(fc.constant(null), fc.constant('weight'), fc.integer()),
        async (bad) => {
          await expectBadInput(() => roleMask(info, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['roles'],
          });
          await expectBadInput(() => roleMask(bad as never, ['weight']), {
            code: 'BAD_ARGUMENT',
            mentions: ['info'],
          });
          await expectBadInput(() => roleMask({ w: bad } as never, ['weight']), {
            code: 'BAD_ARGUMENT',
            mentions: ['info["w"]'],
          });
        },
      );
    });
  },
  checkParamInfo: () => {
    it('checkParamInfo refuses each malformed field', async () => {
      const good = infoOf([2, 3]);
      const fields: [string, fc.Arbitrary<unknown>][] = [
        ['role', fc.oneof(fc.constant('kernel'), fc.integer(), fc.constant(undefined))],
        ['layout', fc.oneof(fc.constant('conv1d'), fc.constant(null))],
        ['layer', fc.oneof(fc.integer(), fc.constant(null))],
        [
          'fanIn',
          fc.oneof(fc.constant(-1), fc.constant(1.5), fc.constant(Number.NaN), fc.constant('2')),
        ],
        ['fanOut', fc.oneof(fc.constant(-2), fc.constant(Infinity))],
      ];
      for (const [field, arbitrary] of fields) {
        await property(arbitrary, async (bad) => {
          await expectBadInput(() => checkParamInfo('info["w"]', { ...good, [field]: bad }), {
            code: 'BAD_ARGUMENT',
            mentions: [`info["w"].${field}`],
          });
        });
      }
      await property(fc.oneof(fc.constant(null), fc.integer(), fc.string()), async (bad) => {
        await expectBadInput(() => checkParamInfo('info["w"]', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['info["w"]'],
        });
      });
    });
  },
  isModel: () => {
    it('isModel is total', () =>
      property(anything, async (v) => {
        const before = tf.memory().numTensors;
        expect(typeof isModel(v)).toBe('boolean');
        expect(tf.memory().numTensors).toBe(before);
      }));
  },
  checkModel: () => {
    it('checkModel refuses non-models, non-float32 params, wrong keys and wrong fans', async () => {
      const w = tf.ones([2, 3]);
      const model = { params: { w }, info: { w: infoOf([2, 3]) }, apply: () => w };
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => checkModel('model', bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['model'],
        });
      });
      const ints = tf.ones([2, 3], 'int32');
      await expectBadInput(() => checkModel('model', { ...model, params: { w: ints } }), {
        code: 'DTYPE_MISMATCH',
        mentions: ['model.params["w"]', 'int32'],
      });
      ints.dispose();
      await property(unknownName(['w']), async (key) => {
        await expectBadInput(
          () => checkModel('model', { ...model, info: { [key]: infoOf([2, 3]) } }),
          {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
          },
        );
      });
      await property(
        otherShape([2, 3]).filter((s) => s.length === 2),
        async (shape) => {
          await expectBadInput(
            () => checkModel('model', { ...model, info: { w: infoOf(shape) } }),
            {
              code: 'SHAPE_MISMATCH',
              mentions: ['model.params["w"]', '[2, 3]'],
            },
          );
        },
      );
      await expectBadInput(
        () => checkModel('model', { ...model, params: { w: disposedTensor([2, 3]) } }),
        { code: 'DISPOSED', mentions: ['model.params["w"]'] },
      );
      w.dispose();
    });
  },
  toApplyFn: () => {
    it('toApplyFn refuses what is neither a model nor a function, and a malformed model', async () => {
      await property(
        notAPlainObject.filter((v) => typeof v !== 'function'),
        async (bad) => {
          await expectBadInput(() => toApplyFn(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['Model'],
          });
        },
      );
      const ints = tf.ones([2, 3], 'int32');
      const model = { params: { w: ints }, info: { w: infoOf([2, 3]) }, apply: () => ints };
      await expectBadInput(() => toApplyFn(model), {
        code: 'DTYPE_MISMATCH',
        mentions: ['params["w"]', 'int32'],
      });
      ints.dispose();
    });
  },
};
