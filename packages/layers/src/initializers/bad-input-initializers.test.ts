/**
 * Bad input to the initializers and lsuvInit: each is refused with a DescentError of a known code
 * whose message names the option or argument, before any weight or generator changes and without
 * leaking tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@descent/core';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { DeltaOrthogonal, deltaOrthogonal } from './delta-orthogonal';
import type { DescentInitializer } from './descent-initializer';
import { GeometricMean, geometricMean } from './geometric-mean';
import { GlorotNormal, GlorotUniform, glorotNormal, glorotUniform } from './glorot';
import { HeNormal, HeUniform, heNormal, heUniform } from './he';
import { LecunNormal, LecunUniform, lecunNormal, lecunUniform } from './lecun';
import { lsuvInit } from './lsuv-init';
import { Orthogonal, orthogonal } from './orthogonal';
import { TruncatedNormal, truncatedNormal } from './truncated-normal';

type Make = (args?: never) => DescentInitializer<never>;
type Code = Parameters<typeof expectBadInput>[1]['code'];

/** Each export, its factory and class, and one bad value of an option of its own. */
const EXPORTS: [
  string,
  Make,
  new (args?: never) => unknown,
  Record<string, unknown>,
  Code,
  string,
][] = [
  [
    'lecunNormal',
    lecunNormal as Make,
    LecunNormal,
    { distribution: 'uniform' },
    'BAD_ARGUMENT',
    'distribution',
  ],
  [
    'lecunUniform',
    lecunUniform as Make,
    LecunUniform,
    { layout: 'conv3d' },
    'BAD_ARGUMENT',
    'layout',
  ],
  ['glorotNormal', glorotNormal as Make, GlorotNormal, { gain: -1 }, 'BAD_HYPERPARAM', 'gain'],
  ['glorotUniform', glorotUniform as Make, GlorotUniform, { gain: 0 }, 'BAD_HYPERPARAM', 'gain'],
  ['heNormal', heNormal as Make, HeNormal, { fanMode: 'fan_in' }, 'BAD_ARGUMENT', 'fanMode'],
  ['heUniform', heUniform as Make, HeUniform, { a: 0.1 }, 'BAD_ARGUMENT', 'a'],
  ['orthogonal', orthogonal as Make, Orthogonal, { gain: Number.NaN }, 'NON_FINITE', 'gain'],
  [
    'deltaOrthogonal',
    deltaOrthogonal as Make,
    DeltaOrthogonal,
    { gain: -2 },
    'BAD_HYPERPARAM',
    'gain',
  ],
  [
    'truncatedNormal',
    truncatedNormal as Make,
    TruncatedNormal,
    { stddev: -0.1 },
    'BAD_HYPERPARAM',
    'stddev',
  ],
  ['geometricMean', geometricMean as Make, GeometricMean, { c: 0 }, 'BAD_HYPERPARAM', 'c'],
];

forEachBackend('bad input (initializers)', () => {
  for (const [name, make, Cls, badOption, code, field] of EXPORTS) {
    describe(name, () => {
      it('refuses bad options at construction (factory and class alike)', async () => {
        const bad: [Record<string, unknown> | unknown, Code, string[]][] = [
          [badOption, code, [`${name}.${field}`]],
          [{ seed: 1, sede: 2 }, 'UNKNOWN_PARAM', ['sede']],
          [{ seed: -1 }, ['BAD_ARGUMENT', 'BAD_HYPERPARAM'] as never, [`${name}.seed`]],
          [{ seed: 'conv_1' }, 'BAD_ARGUMENT', ['conv_1', "'_'"]],
          [{ rng: new Rng(0) }, 'BAD_ARGUMENT', ['rng', 'seed']],
          [3, 'BAD_ARGUMENT', ['options', '3']],
        ];
        for (const [args, c, mentions] of bad) {
          await expectBadInput(() => make(args as never), { code: c, mentions });
          await expectBadInput(() => new Cls(args as never), { code: c, mentions });
        }
      });

      it('refuses a weight it cannot make without advancing its generator', async () => {
        const initializer = make({ seed: 4 } as never);
        const good = name === 'deltaOrthogonal' ? [3, 3, 2, 4] : [5, 3];
        const badShape = name === 'deltaOrthogonal' ? [3, 3, 4, 2] : [2, 2, 2];
        if (name !== 'orthogonal' && name !== 'truncatedNormal') {
          await expectBadInput(() => initializer.apply(badShape), {
            code: 'SHAPE_MISMATCH',
            mentions: [`[${badShape.join(', ')}]`],
          });
        }
        await expectBadInput(() => initializer.apply(good, 'int32'), {
          code: 'DTYPE_MISMATCH',
          mentions: ['int32', `[${good.join(', ')}]`],
        });
        const first = initializer.apply(good);
        const fresh = make({ seed: 4 } as never).apply(good);
        expect(Array.from(await first.data())).toEqual(Array.from(await fresh.data()));
        tf.dispose([first, fresh]);
      });
    });
  }

  it('a saved config with an unknown key is refused when the model is rebuilt', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [3], units: 2, kernelInitializer: heNormal({ seed: 1 }) }),
      ],
    });
    const json = JSON.parse(model.toJSON() as string);
    json.config.layers[0].config.kernel_initializer.config.fan_mod = 'fan_out';
    model.dispose();
    await expectBadInput(() => tfl.models.modelFromJSON({ modelTopology: json }), {
      code: 'UNKNOWN_PARAM',
      mentions: ['fanMod'],
    });
  });
});

function dense(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [4], units: 3, activation: 'relu', biasInitializer: 'ones' }),
      tfl.layers.dense({ units: 2, biasInitializer: 'ones' }),
    ],
  });
}

forEachBackend('bad input (lsuvInit)', () => {
  it('refuses a bad model, batch or option before writing any weight', async () => {
    const model = dense();
    const unchanged = model.weights.map((w) => w.read());
    const x = tf.ones([5, 4]);
    const [narrow, vector, empty, ints, nan] = [
      tf.ones([5, 3]),
      tf.ones([4]),
      tf.ones([0, 4]),
      tf.ones([5, 4], 'int32'),
      tf.fill([5, 4], Number.NaN),
    ];
    const cases: [() => unknown, Code, string[]][] = [
      [() => lsuvInit({} as never, x, { seed: 0 }), 'BAD_ARGUMENT', ['model', 'LayersModel']],
      [() => lsuvInit(model, [[1, 2, 3, 4]] as never, { seed: 0 }), 'BAD_ARGUMENT', ['batch']],
      [() => lsuvInit(model, narrow, { seed: 0 }), 'SHAPE_MISMATCH', ['[5, 3]', '[null, 4]']],
      [() => lsuvInit(model, vector, { seed: 0 }), 'SHAPE_MISMATCH', ['[4]', '[null, 4]']],
      [() => lsuvInit(model, empty, { seed: 0 }), 'SHAPE_MISMATCH', ['[0, 4]']],
      [() => lsuvInit(model, ints, { seed: 0 }), 'DTYPE_MISMATCH', ['int32', 'float32']],
      [() => lsuvInit(model, nan, { seed: 0 }), 'NON_FINITE', ['batch']],
      [() => lsuvInit(model, x), 'BAD_ARGUMENT', ['lsuvInit.rng', 'lsuvInit.seed', 'neither']],
      [() => lsuvInit(model, x, { seed: 1, rng: new Rng(1) }), 'BAD_ARGUMENT', ['both']],
      [() => lsuvInit(model, x, { rng: {} as never }), 'BAD_ARGUMENT', ['lsuvInit.rng']],
      [
        () => lsuvInit(model, x, { seed: 0.5 }),
        ['BAD_ARGUMENT', 'BAD_HYPERPARAM'] as never,
        ['lsuvInit.seed'],
      ],
      [() => lsuvInit(model, x, { seed: 0, tolVar: 1 }), 'BAD_HYPERPARAM', ['lsuvInit.tolVar']],
      [() => lsuvInit(model, x, { seed: 0, maxIters: 0 }), 'BAD_HYPERPARAM', ['lsuvInit.maxIters']],
      [
        () => lsuvInit(model, x, { seed: 0, zeroBiases: 'yes' as never }),
        'BAD_HYPERPARAM',
        ['lsuvInit.zeroBiases'],
      ],
      [() => lsuvInit(model, x, { seed: 0, tolvar: 0.1 } as never), 'UNKNOWN_PARAM', ['tolvar']],
    ];
    for (const [action, code, mentions] of cases) {
      await expectBadInput(action, { code, mentions, unchanged });
    }
    tf.dispose([x, narrow, vector, empty, ints, nan]);
    model.dispose();
  });

  it('refuses a model that is not built, has no kernel layer, two inputs or a shared layer', async () => {
    const x = tf.ones([5, 4]);
    const unbuilt = tfl.sequential();
    await expectBadInput(() => lsuvInit(unbuilt, x, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['not built', unbuilt.name],
    });

    const noKernel = tfl.sequential({
      layers: [tfl.layers.activation({ inputShape: [4], activation: 'relu' })],
    });
    await expectBadInput(() => lsuvInit(noKernel, x, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['no layer with a kernel'],
    });

    const [a, b] = [tfl.input({ shape: [4] }), tfl.input({ shape: [4] })];
    const twoInputs = tfl.model({
      inputs: [a, b],
      outputs: tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor,
    });
    await expectBadInput(() => lsuvInit(twoInputs, x, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['2 inputs'],
    });

    const shared = tfl.layers.dense({ units: 4 });
    const input = tfl.input({ shape: [4] });
    const twice = tfl.model({
      inputs: input,
      outputs: shared.apply(shared.apply(input)) as tfl.SymbolicTensor,
    });
    await expectBadInput(() => lsuvInit(twice, x, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: [shared.name, '2 times'],
      unchanged: twice.weights.map((w) => w.read()),
    });
    tf.dispose(x);
    for (const m of [unbuilt, noKernel, twoInputs, twice]) m.dispose();
  });

  it('restores every kernel and bias when a layer’s variance is not finite', async () => {
    const model = dense();
    const big = tf.fill([5, 4], 1e30);
    const unchanged = model.weights.map((w) => w.read());
    await expectBadInput(() => lsuvInit(model, big, { orthogonalStart: false }), {
      code: 'NON_FINITE',
      mentions: [model.layers[0]!.name],
      unchanged,
    });
    tf.dispose(big);
    model.dispose();
  });
});
