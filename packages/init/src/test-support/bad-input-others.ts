/**
 * Test support (not exported): the bad-input cases of the functions that take no shape — `gain`,
 * `initializer`, `fixupScale`, `fixup`, `lsuv`, `signalPropagation`. Each registers its tests
 * (called inside a backend's `describe`).
 */
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type Model, Rng, disposeParams } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  notABoolean,
  notAFunction,
  notAPlainObject,
  notATensor,
  unknownName,
} from '@descent/core/testing';
import { fixup, fixupScale } from '../fixup';
import { NONLINEARITIES, gain } from '../gain';
import { INITIALIZER_NAMES, initializer } from '../initializer';
import { lsuv } from '../lsuv';
import { signalPropagation } from '../signal-propagation';
import { badChoice, badRng, badSeed, badShape } from './bad-input-values';
import { mlp, residualMlp, untappedModel } from './models';

const RUNS = { numRuns: BAD_INPUT_RUNS };
const ANY_NUMBER_CODE = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;

/** Calls a function with arguments of any type (bad ones included). */
const loose = (f: unknown) => f as (...args: unknown[]) => unknown;

/** Not a model: plain values, and objects missing `apply`, `params` or `info`. */
const notAModel: fc.Arbitrary<unknown> = fc.oneof(
  notAPlainObject,
  fc.constant({ params: {}, info: {} }),
  fc.constant({ apply: () => null, info: {} }),
  fc.constant({ apply: 1, params: {}, info: {} }),
);

/** A small tapped MLP 4 → 3 → 2 with all-ones kernels and a batch for it. */
function smallModel(): { model: Model; batch: tf.Tensor; dispose: () => void } {
  const model = mlp([4, 3, 2], 'tanh', (_, s) => tf.ones(s));
  const batch = tf.ones([2, 4]);
  return {
    model,
    batch,
    dispose: () => {
      disposeParams(model.params);
      batch.dispose();
    },
  };
}

/** A model whose first parameter was disposed. */
function modelWithDisposedParam(): Model {
  const { model } = smallModel();
  model.params['dense1/kernel']!.dispose();
  return model;
}

export function gainCases(): void {
  it('refuses unknown nonlinearities (bigints and symbols-free garbage included)', async () => {
    await fc.assert(
      fc.asyncProperty(badChoice(NONLINEARITIES), async (bad) => {
        await expectBadInput(() => loose(gain)(bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['gain', 'nonlinearity'],
        });
      }),
      RUNS,
    );
  });

  it('refuses a bad leakyRelu slope, null included (a positional argument)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(badNumber({ min: 0 }), fc.constant(null)), async (bad) => {
        await expectBadInput(() => loose(gain)('leakyRelu', bad), {
          code: [...ANY_NUMBER_CODE],
          mentions: ['param'],
        });
      }),
      RUNS,
    );
  });

  it('refuses a parameter given to a nonlinearity that takes none', async () => {
    const others = NONLINEARITIES.filter((n) => n !== 'leakyRelu');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...others), fc.anything(), async (n, param) => {
        fc.pre(param !== undefined);
        await expectBadInput(() => loose(gain)(n, param), {
          code: 'BAD_ARGUMENT',
          mentions: ['param', n],
        });
      }),
      RUNS,
    );
  });
}

export function initializerCases(): void {
  it('refuses unknown scheme names immediately (bigints included)', async () => {
    await fc.assert(
      fc.asyncProperty(badChoice(INITIALIZER_NAMES), async (bad) => {
        await expectBadInput(() => loose(initializer)(bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['initializer', 'scheme'],
        });
      }),
      RUNS,
    );
  });

  it('refuses bad options when bound, before any call', async () => {
    const rng = new Rng(3);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...INITIALIZER_NAMES),
        notAPlainObject,
        async (name, options) => {
          await expectBadInput(() => loose(initializer)(name, options), {
            code: 'BAD_ARGUMENT',
            mentions: [name, 'options'],
          });
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...INITIALIZER_NAMES), async (name) => {
        await expectBadInput(() => loose(initializer)(name, { rng, typo: 1 }), {
          code: 'UNKNOWN_PARAM',
          mentions: [name, '"typo"'],
        });
      }),
      RUNS,
    );
    await expectBadInput(() => loose(initializer)('normal', { rng, stddev: -1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['stddev'],
    });
    await expectBadInput(() => loose(initializer)('heNormal', { seed: -1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['seed'],
    });
  });

  it('the bound initializer refuses bad shapes without advancing its generator', async () => {
    const rng = new Rng(5);
    const init = initializer('heNormal', { rng });
    const before = rng.state();
    await fc.assert(
      fc.asyncProperty(badShape, async (shape) => {
        await expectBadInput(() => loose(init)(shape), {
          code: 'BAD_ARGUMENT',
          mentions: ['heNormal', 'shape'],
        });
      }),
      RUNS,
    );
    await expectBadInput(() => init([2, 3, 4]), {
      code: 'SHAPE_MISMATCH',
      mentions: ['[2, 3, 4]'],
    });
    expect(rng.state()).toEqual(before);
  });
}

export function fixupScaleCases(): void {
  it('refuses options that are not an object, unknown names and bad L or m', async () => {
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (bad) => {
        await expectBadInput(() => loose(fixupScale)(bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['fixupScale', 'options'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(['branches', 'layersPerBranch']), async (key) => {
        await expectBadInput(
          () => loose(fixupScale)({ branches: 2, layersPerBranch: 2, [key]: 1 }),
          { code: 'UNKNOWN_PARAM', mentions: [JSON.stringify(key)] },
        );
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        badNumber({ min: 1, integer: true }),
        badNumber({ min: 2, integer: true }),
        async (badL, badM) => {
          await expectBadInput(() => loose(fixupScale)({ branches: badL, layersPerBranch: 2 }), {
            code: [...ANY_NUMBER_CODE],
            mentions: ['branches'],
          });
          await expectBadInput(() => loose(fixupScale)({ branches: 2, layersPerBranch: badM }), {
            code: [...ANY_NUMBER_CODE],
            mentions: ['layersPerBranch'],
          });
        },
      ),
      RUNS,
    );
  });
}

/** Malformed `branches` for the residual MLP of {@link fixupCases}, with the code each gets. */
const BAD_BRANCHES: [string, unknown, string][] = [
  ['not an array', 'block0/dense1', 'BAD_ARGUMENT'],
  ['empty', [], 'BAD_ARGUMENT'],
  ['a branch that is not an array', ['block0/dense1'], 'BAD_ARGUMENT'],
  [
    'a hole between branches',
    Object.assign(new Array(2), { 0: ['block0/dense1', 'block0/dense2'] }),
    'BAD_ARGUMENT',
  ],
  ['a hole inside a branch', [Object.assign(new Array(2), { 0: 'block0/dense1' })], 'BAD_ARGUMENT'],
  ['a number as a layer', [['block0/dense1', 2]], 'BAD_ARGUMENT'],
  ['an unknown layer', [['block0/dense1', 'nope']], 'BAD_ARGUMENT'],
  ['a bias-only layer', [['block0/dense1', 'block0']], 'BAD_ARGUMENT'],
  ['a one-layer branch', [['block0/dense1']], 'BAD_HYPERPARAM'],
  [
    'a layer in two branches',
    [
      ['block0/dense1', 'block0/dense2'],
      ['block0/dense1', 'block1/dense2'],
    ],
    'BAD_ARGUMENT',
  ],
];

export function fixupCases(): void {
  const build = () =>
    residualMlp({ input: 3, width: 4, output: 2, blocks: 2, m: 2 }, (_, s) => tf.ones(s));

  it('refuses what is not a model, and a model with a disposed parameter', async () => {
    const branches = [['block0/dense1', 'block0/dense2']];
    await fc.assert(
      fc.asyncProperty(notAModel, async (bad) => {
        await expectBadInput(() => loose(fixup)(bad, { branches, seed: 0 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['fixup', 'model'],
        });
      }),
      RUNS,
    );
    const broken = modelWithDisposedParam();
    await expectBadInput(() => loose(fixup)(broken, { branches, seed: 0 }), {
      code: 'DISPOSED',
      mentions: ['dense1/kernel'],
    });
    disposeParams(broken.params);
  });

  it('refuses malformed branches, a bad classifier, nonlinearity, slope, generator and options, changing nothing', async () => {
    const { model, branches } = build();
    // biome-ignore lint/suspicious/noExplicitAny: bad input on purpose
    const call = (options: any) => () => fixup(model, options);
    const unchanged = model.params;
    for (const [, bad, code] of BAD_BRANCHES) {
      await expectBadInput(call({ branches: bad, seed: 0 }), {
        code: code as 'BAD_ARGUMENT',
        mentions: ['branches'],
        unchanged,
      });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('nope', 'block0/dense1', 'block0', 5, 1n, {}), fc.string()),
        async (classifier) => {
          await expectBadInput(call({ branches, classifier, seed: 0 }), {
            code: 'BAD_ARGUMENT',
            mentions: ['classifier'],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(badChoice(NONLINEARITIES), async (nonlinearity) => {
        await expectBadInput(call({ branches, nonlinearity, seed: 0 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['nonlinearity'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0 }), async (a) => {
        await expectBadInput(call({ branches, nonlinearity: 'leakyRelu', a, seed: 0 }), {
          code: [...ANY_NUMBER_CODE],
          mentions: ['fixup.a'],
          unchanged,
        });
      }),
      RUNS,
    );
    await expectBadInput(call({ branches, a: 0.1, seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['fixup.a', 'leakyRelu'],
      unchanged,
    });
    await fc.assert(
      fc.asyncProperty(badSeed, badRng, async (seed, rng) => {
        await expectBadInput(call({ branches, seed }), {
          code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['seed'],
          unchanged,
        });
        await expectBadInput(call({ branches, rng }), {
          code: 'BAD_ARGUMENT',
          mentions: ['rng'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (options) => {
        await expectBadInput(call(options), {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        unknownName(['rng', 'seed', 'branches', 'classifier', 'nonlinearity', 'a']),
        async (key) => {
          await expectBadInput(call({ branches, seed: 0, [key]: 1 }), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    disposeParams(model.params);
  });
}

export function lsuvCases(): void {
  it('refuses a bad model or batch (not a tensor, disposed)', async () => {
    const { model, batch, dispose } = smallModel();
    await fc.assert(
      fc.asyncProperty(notAModel, async (bad) => {
        await expectBadInput(() => loose(lsuv)(bad, batch, { seed: 0 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['lsuv', 'model'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notATensor, async (bad) => {
        await expectBadInput(() => loose(lsuv)(model, bad, { seed: 0 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['batch'],
          unchanged: model.params,
        });
      }),
      RUNS,
    );
    const gone = tf.ones([2, 4]);
    gone.dispose();
    await expectBadInput(() => lsuv(model, gone, { seed: 0 }), {
      code: 'DISPOSED',
      mentions: ['batch', '[2, 4]'],
      unchanged: model.params,
    });
    const broken = modelWithDisposedParam();
    await expectBadInput(() => lsuv(broken, batch, { seed: 0 }), {
      code: 'DISPOSED',
      mentions: ['dense1/kernel'],
    });
    disposeParams(broken.params);
    dispose();
  });

  it('refuses bad options (tolVar, maxIters, orthogonalStart, generator, unknown names)', async () => {
    const { model, batch, dispose } = smallModel();
    const unchanged = model.params;
    // biome-ignore lint/suspicious/noExplicitAny: bad input on purpose
    const call = (options: any) => () => lsuv(model, batch, options);
    await fc.assert(
      fc.asyncProperty(
        badNumber({ min: 0, max: 1, minExclusive: true, maxExclusive: true }),
        badNumber({ min: 1, integer: true }),
        notABoolean,
        async (tolVar, maxIters, orthogonalStart) => {
          await expectBadInput(call({ seed: 0, tolVar }), {
            code: [...ANY_NUMBER_CODE],
            mentions: ['tolVar'],
            unchanged,
          });
          await expectBadInput(call({ seed: 0, maxIters }), {
            code: [...ANY_NUMBER_CODE],
            mentions: ['maxIters'],
            unchanged,
          });
          await expectBadInput(call({ seed: 0, orthogonalStart }), {
            code: 'BAD_HYPERPARAM',
            mentions: ['orthogonalStart'],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(badSeed, badRng, async (seed, rng) => {
        await expectBadInput(call({ seed }), {
          code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['seed'],
          unchanged,
        });
        await expectBadInput(call({ rng }), { code: 'BAD_ARGUMENT', mentions: ['rng'], unchanged });
      }),
      RUNS,
    );
    await expectBadInput(call({}), { code: 'BAD_ARGUMENT', mentions: ['seed'], unchanged });
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (options) => {
        await expectBadInput(call(options), {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        unknownName(['rng', 'seed', 'tolVar', 'maxIters', 'orthogonalStart']),
        async (key) => {
          await expectBadInput(call({ seed: 0, [key]: 1 }), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    dispose();
  });

  it('refuses a batch with NaN, NaN weights (a non-finite variance), an untapped model and one not returning a tensor', async () => {
    const { model, batch, dispose } = smallModel();
    const nan = tf.fill([2, 4], Number.NaN);
    await expectBadInput(() => lsuv(model, nan, { seed: 0 }), {
      code: 'NON_FINITE',
      mentions: ['lsuv: batch', 'NaN'],
      unchanged: model.params,
    });
    const poisoned = mlp([4, 3, 2], 'tanh', (_, s) => tf.fill(s, Number.NaN));
    await expectBadInput(() => lsuv(poisoned, batch, { orthogonalStart: false }), {
      code: 'NON_FINITE',
      mentions: ['variance', 'dense1'],
      unchanged: poisoned.params,
    });
    disposeParams(poisoned.params);
    const untapped = untappedModel();
    const pair = tf.ones([2, 2]);
    await expectBadInput(() => lsuv(untapped, pair, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['tap'],
      unchanged: untapped.params,
    });
    const noOutput: Model = {
      ...model,
      apply: (p, x, o) => {
        model.apply(p, x, o);
        return undefined as unknown as tf.Tensor;
      },
    };
    await expectBadInput(() => lsuv(noOutput, batch, { seed: 0 }), {
      code: 'BAD_ARGUMENT',
      mentions: ['model.apply', 'tensor'],
      unchanged: model.params,
    });
    disposeParams(untapped.params);
    tf.dispose([nan, pair]);
    dispose();
  });
}

export function signalPropagationCases(): void {
  it('refuses a bad model or batch (not a tensor, disposed, rank 0, empty, int32 with Jacobians)', async () => {
    const { model, batch, dispose } = smallModel();
    const unchanged = model.params;
    await fc.assert(
      fc.asyncProperty(notAModel, async (bad) => {
        await expectBadInput(() => loose(signalPropagation)(bad, batch), {
          code: 'BAD_ARGUMENT',
          mentions: ['signalPropagation', 'model'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notATensor, async (bad) => {
        await expectBadInput(() => loose(signalPropagation)(model, bad), {
          code: 'BAD_ARGUMENT',
          mentions: ['batch'],
          unchanged,
        });
      }),
      RUNS,
    );
    const gone = tf.ones([2, 4]);
    gone.dispose();
    const scalar = tf.scalar(1);
    const empty = tf.zeros([0, 4]);
    const ints = tf.ones([2, 4], 'int32');
    await expectBadInput(() => signalPropagation(model, gone), {
      code: 'DISPOSED',
      mentions: ['batch'],
      unchanged,
    });
    await expectBadInput(() => signalPropagation(model, scalar), {
      code: 'BAD_ARGUMENT',
      mentions: ['batch', '[]'],
      unchanged,
    });
    await expectBadInput(() => signalPropagation(model, empty), {
      code: 'BAD_ARGUMENT',
      mentions: ['batch', '[0, 4]'],
      unchanged,
    });
    await expectBadInput(() => signalPropagation(model, ints), {
      code: 'DTYPE_MISMATCH',
      mentions: ['batch', 'int32', 'jacobianSamples'],
      unchanged,
    });
    const inf = tf.fill([2, 4], Number.POSITIVE_INFINITY);
    await expectBadInput(() => signalPropagation(model, inf), {
      code: 'NON_FINITE',
      mentions: ['signalPropagation: batch', 'Infinity'],
      unchanged,
    });
    inf.dispose();
    tf.dispose([scalar, empty, ints]);
    dispose();
  });

  it('refuses bad options (loss, counts, threshold, layerJacobians, unknown names)', async () => {
    const { model, batch, dispose } = smallModel();
    const unchanged = model.params;
    // biome-ignore lint/suspicious/noExplicitAny: bad input on purpose
    const call = (options: any) => () => signalPropagation(model, batch, options);
    await fc.assert(
      fc.asyncProperty(
        // `loss: null` reads as absent (the default loss).
        notAFunction.filter((v) => v !== null),
        badNumber({ min: 0, integer: true }),
        badNumber({ min: 1, integer: true }),
        badNumber({ min: 1, minExclusive: true }),
        async (loss, jacobianSamples, maxJacobianRows, threshold) => {
          await expectBadInput(call({ loss }), {
            code: 'BAD_ARGUMENT',
            mentions: ['loss'],
            unchanged,
          });
          for (const [option, bad] of Object.entries({
            jacobianSamples,
            maxJacobianRows,
            threshold,
          })) {
            await expectBadInput(call({ [option]: bad }), {
              code: [...ANY_NUMBER_CODE],
              mentions: [option],
              unchanged,
            });
          }
          fc.pre(typeof jacobianSamples !== 'boolean');
          await expectBadInput(call({ layerJacobians: jacobianSamples }), {
            code: 'BAD_HYPERPARAM',
            mentions: ['layerJacobians'],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (options) => {
        await expectBadInput(call(options), {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        unknownName(['loss', 'jacobianSamples', 'layerJacobians', 'maxJacobianRows', 'threshold']),
        async (key) => {
          await expectBadInput(call({ [key]: 1 }), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
            unchanged,
          });
        },
      ),
      RUNS,
    );
    dispose();
  });

  it('refuses a loss that returns no float32 scalar, and a model returning no tensor; a throwing loss passes through', async () => {
    const { model, batch, dispose } = smallModel();
    const unchanged = model.params;
    const badLosses: ((y: tf.Tensor) => unknown)[] = [
      (y) => tf.mul(y, 2),
      () => 3,
      () => ({ rank: 0, dtype: 'float32', shape: [] }),
      (y) => tf.cast(tf.sum(y), 'int32'),
      () => undefined,
    ];
    for (const loss of badLosses) {
      await expectBadInput(call(model, batch, { loss }), {
        code: 'BAD_ARGUMENT',
        mentions: ['loss', 'scalar'],
        unchanged,
      });
    }
    const noOutput: Model = { ...model, apply: () => null as unknown as tf.Tensor };
    await expectBadInput(call(noOutput, batch, {}), {
      code: 'BAD_ARGUMENT',
      mentions: ['model.apply', 'null'],
      unchanged,
    });
    const tappedNoOutput: Model = {
      ...model,
      apply: (p, x, o) => {
        model.apply(p, x, o);
        return 'y' as unknown as tf.Tensor;
      },
    };
    await expectBadInput(call(tappedNoOutput, batch, {}), {
      code: 'BAD_ARGUMENT',
      mentions: ['model.apply', 'tensor'],
      unchanged,
    });
    const mine = new Error('my loss failed');
    const before = tf.memory().numTensors;
    await expect(
      signalPropagation(model, batch, {
        loss: () => {
          throw mine;
        },
      }),
    ).rejects.toBe(mine);
    expect(tf.memory().numTensors).toBe(before);
    dispose();
  });
}

function call(model: Model, batch: tf.Tensor, options: object): () => unknown {
  return () => signalPropagation(model, batch, options as never);
}
