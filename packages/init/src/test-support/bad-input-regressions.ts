/**
 * Test support (not exported): named regression tests of the bad inputs the suite found
 * accepted, or refused with a raw `TypeError`/tfjs error instead of a `DescentError`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng, disposeParams } from '@descent/core';
import { expectBadInput } from '@descent/core/testing';
import { fixup } from '../fixup';
import { gain } from '../gain';
import { heNormal } from '../he';
import { initializer } from '../initializer';
import { lsuv } from '../lsuv';
import { normal } from '../normal';
import { allocating } from '../options';
import { orthogonal } from '../orthogonal';
import { signalPropagation } from '../signal-propagation';
import { varianceScaling } from '../variance-scaling';
import { zeros } from '../zeros';
import { mlp, residualMlp } from './models';

/** Calls a function with arguments of any type (bad ones included). */
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;

export function regressionCases(): void {
  it('regression: varianceScaling({ mode: 1n }) is a DescentError, not a TypeError from JSON.stringify', async () => {
    await expectBadInput(() => loose(varianceScaling)([2, 3], { mode: 1n, seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['mode', 'bigint 1'],
    });
    await expectBadInput(() => loose(gain)(2n), {
      code: 'BAD_ARGUMENT',
      mentions: ['nonlinearity'],
    });
    await expectBadInput(() => loose(initializer)(2n), {
      code: 'BAD_ARGUMENT',
      mentions: ['scheme'],
    });
  });

  it('regression: normal([2, , 3]) (a sparse shape) is refused, naming the hole', async () => {
    // biome-ignore lint/suspicious/noSparseArray: the bad input under test
    await expectBadInput(() => normal([2, , 3] as number[], { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['shape[1]', 'hole'],
    });
  });

  it('regression: zeros([0, 2 ** 40]) and normal([2 ** 15, 2 ** 15 + 1]) are refused before allocating', async () => {
    await expectBadInput(() => zeros([0, 2 ** 40]), {
      code: 'BAD_ARGUMENT',
      mentions: ['shape[1]'],
    });
    await expectBadInput(() => normal([2 ** 15, 2 ** 15 + 1], { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['shape', '1073774592 elements'],
    });
  });

  it('regression: an allocation the engine cannot satisfy is a DescentError, not a RangeError', async () => {
    const error = await expectBadInput(
      () =>
        allocating('normal', [2, 3], () => {
          throw new RangeError('Array buffer allocation failed');
        }),
      { code: 'BAD_ARGUMENT', mentions: ['normal', 'shape [2, 3]', 'allocation failed'] },
    );
    expect(error.cause).toBeInstanceOf(RangeError);
    const other = new Error('not memory');
    expect(() =>
      allocating('normal', [2], () => {
        throw other;
      }),
    ).toThrow(other);
  });

  it('regression: null in an options object reads as the default (a config that went through JSON)', async () => {
    const nulls = { mean: null, stddev: null, layout: null, rng: null, seed: 3 };
    const [a, b] = [loose(normal)([2, 3], nulls) as tf.Tensor, normal([2, 3], { seed: 3 })];
    expect(await a.data()).toEqual(await b.data());
    const heNulls = { nonlinearity: null, a: null, fanMode: null, distribution: null, seed: 3 };
    const [c, d] = [
      loose(orthogonal)([3, 3], { gain: null, seed: 3 }) as tf.Tensor,
      orthogonal([3, 3], { seed: 3 }),
    ];
    expect(await c.data()).toEqual(await d.data());
    const [e, f] = [loose(heNormal)([3, 3], heNulls) as tf.Tensor, heNormal([3, 3], { seed: 3 })];
    expect(await e.data()).toEqual(await f.data());
    tf.dispose([a, b, c, d, e, f]);
  });

  it('regression: gain("leakyRelu", null) is refused (a positional argument, not an option)', async () => {
    await expectBadInput(() => loose(gain)('leakyRelu', null), {
      code: 'BAD_HYPERPARAM',
      mentions: ['param', 'null'],
    });
  });

  it("regression: heNormal({ fanMode: 'fan_in' }) names the option fanMode", async () => {
    await expectBadInput(() => loose(heNormal)([2, 3], { fanMode: 'fan_in', seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['heNormal.fanMode', '"fan_in"'],
    });
  });

  it("regression: initializer('normal', { stddev: -1 }) is refused when bound, not at the first call", async () => {
    await expectBadInput(() => loose(initializer)('normal', { stddev: -1, seed: 0 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['normal.stddev'],
    });
    await expectBadInput(
      () => loose(initializer)('heUniform', { rng: new Rng(0), distribution: 'normal' }),
      {
        code: 'UNKNOWN_PARAM',
        mentions: ['"distribution"'],
      },
    );
  });

  it('regression: fixup with a hole in options.branches is a DescentError, not a TypeError', async () => {
    const { model } = residualMlp({ input: 3, width: 4, output: 2, blocks: 2, m: 2 }, (_, s) =>
      tf.ones(s),
    );
    const branches = [['block0/dense1', 'block0/dense2']];
    branches.length = 2;
    await expectBadInput(() => fixup(model, { branches, seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['fixup.branches[1]'],
      unchanged: model.params,
    });
    disposeParams(model.params);
  });

  it("regression: signalPropagation refuses threshold: '10', a tensor-like loss result and an int32 batch with Jacobians", async () => {
    const model = mlp([4, 3, 2], 'tanh', (_, s) => tf.ones(s));
    const batch = tf.ones([2, 4]);
    const ints = tf.ones([2, 4], 'int32');
    const unchanged = model.params;
    await expectBadInput(() => loose(signalPropagation)(model, batch, { threshold: '10' }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['threshold'],
      unchanged,
    });
    await expectBadInput(
      () =>
        signalPropagation(model, batch, {
          loss: () => ({ rank: 0, dtype: 'float32' }) as tf.Tensor,
        }),
      { code: 'BAD_ARGUMENT', mentions: ['loss', 'scalar'], unchanged },
    );
    await expectBadInput(() => signalPropagation(model, ints), {
      code: 'DTYPE_MISMATCH',
      mentions: ['batch', 'int32'],
      unchanged,
    });
    tf.dispose([batch, ints]);
    disposeParams(model.params);
  });

  it('regression: lsuv refuses a model whose apply returns no tensor', async () => {
    const model = mlp([4, 3, 2], 'tanh', (_, s) => tf.ones(s));
    const batch = tf.ones([2, 4]);
    const broken = {
      ...model,
      apply: (...args: Parameters<typeof model.apply>) => {
        model.apply(...args);
        return 42 as unknown as tf.Tensor;
      },
    };
    await expectBadInput(() => lsuv(broken, batch, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['model.apply', 'number 42'],
      unchanged: model.params,
    });
    batch.dispose();
    disposeParams(model.params);
  });
}
