import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import * as pkg from './index';
import {
  accuracy,
  checkLabels,
  checkModel,
  defineKernel,
  inferParamInfo,
  registerScheduleKind,
  scheduleFromConfig,
  softmaxCrossEntropy,
  toApplyFn,
  useBackend,
} from './index';
import { expectBadInput } from './testing/bad-input';
import { expectExportsCovered } from './testing/export-coverage';
import { forEachBackend } from './testing/for-each-backend';
import { KERNEL_CASES } from './test-support/bad-input-kernel';
import { LINALG_CASES } from './test-support/bad-input-linalg';
import { NUMERIC_CASES } from './test-support/bad-input-numeric';
import { PARAMS_CASES } from './test-support/bad-input-params';
import { VALIDATE_CASES } from './test-support/bad-input-validate';

const CASES = {
  ...VALIDATE_CASES,
  ...KERNEL_CASES,
  ...PARAMS_CASES,
  ...NUMERIC_CASES,
  ...LINALG_CASES,
};

const EXEMPT = {
  ensureGradients: 'takes no input',
  hasGradients: 'takes no input',
  registerWasmConv2DBackpropFilter: 'takes no input',
  segmentNormPath: 'takes no input',
  enableSecondOrder: 'takes no input',
  disableSecondOrder: 'takes no input',
  secondOrderActive: 'takes no input',
  gradientOfGradient: 'takes no input',
};

it('covers every callable export of @descent/core', () => {
  expectExportsCovered(pkg, CASES, EXEMPT);
});

forEachBackend(
  'bad input',
  () => {
    for (const register of Object.values(CASES)) register();

    it('regression: defineKernel({}) is refused naming the missing field', async () => {
      await expectBadInput(() => defineKernel({} as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['definition.name'],
      });
    });

    it('regression: useBackend(42) is refused with BAD_ARGUMENT naming prefer', async () => {
      const active = tf.getBackend();
      await expectBadInput(() => useBackend(42 as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['prefer', 'number 42'],
      });
      expect(tf.getBackend()).toBe(active);
    });

    it("regression: registerScheduleKind('k', 'notfn') and a bad kind name are refused at registration", async () => {
      await expectBadInput(() => registerScheduleKind('k', 'notfn' as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['fromConfig', '"notfn"'],
      });
      await expectBadInput(() => scheduleFromConfig({ type: 'k' }), {
        code: 'BAD_ARGUMENT',
        mentions: ['"k"', 'registered'],
      });
      await expectBadInput(() => registerScheduleKind(42 as never, () => ({}) as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['type'],
      });
    });

    it('regression: accuracy with int32 label 9 of 3 classes is refused, not 0', async () => {
      const logits = tf.tensor2d([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      const labels = tf.tensor1d([0, 9], 'int32');
      await expectBadInput(() => accuracy(logits, labels), {
        code: 'BAD_ARGUMENT',
        mentions: ['accuracy: labels', 'flat index 1', '9', '[0, 3)'],
      });
      tf.dispose([logits, labels]);
    });

    it('regression: softmaxCrossEntropy label 7 of [4, 3] logits is caught by checkLabels', async () => {
      const logits = tf.tensor2d([
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ]);
      const labels = tf.tensor1d([0, 1, 2, 7], 'int32');
      await expectBadInput(() => checkLabels('labels', labels, logits.shape[1]), {
        code: 'BAD_ARGUMENT',
        mentions: ['labels', 'flat index 3', '7', '[0, 3)'],
        unchanged: labels,
      });
      // The synchronous loss does not read ids back (documented): id 7 still drops out.
      const loss = softmaxCrossEntropy(logits, labels);
      expect(loss.shape).toEqual([]);
      tf.dispose([logits, labels, loss]);
    });

    it('regression: an int32 kernel in a model is refused by checkModel and toApplyFn', async () => {
      const w = tf.ones([2, 3], 'int32');
      const model = {
        params: { 'dense/kernel': w },
        info: { 'dense/kernel': inferParamInfo('dense/kernel', [2, 3]) },
        apply: (p: pkg.Params, x: tf.Tensor) => tf.matMul(x, p['dense/kernel'] as tf.Tensor),
      };
      await expectBadInput(() => checkModel('model', model), {
        code: 'DTYPE_MISMATCH',
        mentions: ['model.params["dense/kernel"]', 'int32', 'float32'],
      });
      await expectBadInput(() => toApplyFn(model), { code: 'DTYPE_MISMATCH', mentions: ['int32'] });
      w.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);
