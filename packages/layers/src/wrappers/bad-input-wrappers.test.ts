/**
 * Bad input to the kernel wrappers: each is refused with a DescentError of a known code whose
 * message names the argument, without leaking tensors or touching the wrapped layer's weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { it } from 'vitest';
import type { DescentErrorCode } from '@descent/core';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { SpectralNormalization, spectralNormalization } from './spectral-normalization';
import { WeightNormalization, weightNormalization } from './weight-normalization';

type Case = [action: () => unknown, code: DescentErrorCode, mentions: string[]];

const dense = () => tfl.layers.dense({ units: 2 });

/** A layer that declares a kernel but builds none. */
class NoKernel extends tfl.layers.Layer {
  static className = 'NoKernel';
  kernel = null;
}

/** The refusals every kernel wrapper shares, for the factory `wrap` named `owner`. */
function layerCases(owner: string, wrap: (args: never) => unknown): Case[] {
  return [
    [() => wrap(null as never), 'BAD_ARGUMENT', [owner, 'args', 'null']],
    [() => wrap({} as never), 'BAD_ARGUMENT', [owner, 'args.layer', 'undefined']],
    [() => wrap({ layer: { kernel: 1 } } as never), 'BAD_ARGUMENT', ['args.layer', 'Layer']],
    [
      () => wrap({ layer: tfl.layers.batchNormalization({}) } as never),
      'BAD_ARGUMENT',
      ['args.layer', 'kernel', 'BatchNormalization'],
    ],
    [
      () => wrap({ layer: tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 2 }) } as never),
      'BAD_ARGUMENT',
      ['args.layer', 'Conv2DTranspose'],
    ],
  ];
}

async function expectAllRefused(cases: Case[]): Promise<void> {
  for (const [action, code, mentions] of cases) await expectBadInput(action, { code, mentions });
}

forEachBackend('bad input (wrappers)', () => {
  it('weightNormalization refuses layers without a kernel and a non-boolean dataInit', async () => {
    await expectAllRefused([
      ...layerCases('weightNormalization', weightNormalization as never),
      [
        () => weightNormalization({ layer: dense(), dataInit: 'yes' as never }),
        'BAD_ARGUMENT',
        ['args.dataInit', 'boolean'],
      ],
    ]);
  });

  it('WeightNormalization (the class) refuses the same input as its factory', async () => {
    await expectAllRefused(
      layerCases('weightNormalization', ((args: never) => new WeightNormalization(args)) as never),
    );
  });

  it('spectralNormalization refuses bad layers, powerIterations and seeds', async () => {
    await expectAllRefused([
      ...layerCases('spectralNormalization', spectralNormalization as never),
      ...[0, 1.5, -1, Number.NaN, '2'].map(
        (n): Case => [
          () => spectralNormalization({ layer: dense(), powerIterations: n as never }),
          'BAD_HYPERPARAM',
          ['args.powerIterations', 'integer ≥ 1'],
        ],
      ),
      [() => spectralNormalization({ layer: dense(), seed: -1 }), 'BAD_HYPERPARAM', ['seed']],
      [() => spectralNormalization({ layer: dense(), seed: 0.5 }), 'BAD_HYPERPARAM', ['seed']],
      [() => spectralNormalization({ layer: dense(), seed: Number.NaN }), 'NON_FINITE', ['seed']],
      [
        () => spectralNormalization({ layer: dense(), seed: 'a' as never }),
        'BAD_ARGUMENT',
        ['args.seed', '"a"'],
      ],
      [
        () => spectralNormalization({ layer: dense(), seed: {} as never }),
        'BAD_ARGUMENT',
        ['seed'],
      ],
    ]);
  });

  it('SpectralNormalization (the class) refuses the same input as its factory', async () => {
    await expectAllRefused(
      layerCases(
        'spectralNormalization',
        ((args: never) => new SpectralNormalization(args)) as never,
      ),
    );
  });

  it('build refuses a layer that declares a kernel but builds none, leaving no weights', async () => {
    for (const wrapper of [
      weightNormalization({ layer: new NoKernel({}) as never }),
      spectralNormalization({ layer: new NoKernel({}) as never }),
    ]) {
      const x = tf.zeros([2, 3]);
      await expectBadInput(() => wrapper.apply(x), {
        code: 'BAD_ARGUMENT',
        mentions: ['NoKernel', 'kernel'],
      });
      x.dispose();
    }
  });

  it('fromConfig refuses a config whose layer is missing or not registered', async () => {
    const good = { className: 'Dense', config: { units: 2 } };
    for (const [cls, owner] of [
      [WeightNormalization, 'weightNormalization'],
      [SpectralNormalization, 'spectralNormalization'],
    ] as const) {
      await expectAllRefused([
        [() => cls.fromConfig(cls, {}), 'BAD_ARGUMENT', [`${owner}.fromConfig`, 'config.layer']],
        [
          () => cls.fromConfig(cls, { layer: { className: 'NotALayer', config: {} } }),
          'BAD_ARGUMENT',
          ['config.layer.className', 'NotALayer', 'registered'],
        ],
        [
          () => cls.fromConfig(cls, { layer: { ...good, className: 'BatchNormalization' } }),
          'BAD_ARGUMENT',
          ['args.layer', 'BatchNormalization'],
        ],
      ]);
    }
  });
});
