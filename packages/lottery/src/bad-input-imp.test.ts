/**
 * Bad input to imp, trainTicket, randomReinit and randomPruning: each is refused with a
 * DescentError of a known code whose message names the option, leaking no tensor and changing
 * no parameter — imp's option errors before `train` or `evaluate` is ever called, its callback
 * errors (a bad evaluation, a control's bad weights) with every tensor of the run disposed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type DescentErrorCode, type Params, Rng, disposeParams } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  forEachBackend,
  nonFiniteNumber,
  notABoolean,
  notAFunction,
  notANumber,
  notAPlainObject,
  notATensor,
  otherShape,
  outOfRange,
  unknownName,
} from '@descent/core/testing';
import { mlp } from '@descent/nets';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { randomPruning, randomReinit } from './imp/controls';
import { imp } from './imp/imp';
import { trainTicket } from './imp/train-ticket';
import type { TrainingRun } from './imp/training-run';
import { Ticket } from './ticket/ticket';

const RUNS = { numRuns: BAD_INPUT_RUNS };
const NUMBER_CODES = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;
const SIZES = [3, 4, 2];
const K1 = 'dense1/kernel';
const B1 = 'dense1/bias';
const K2 = 'dense2/kernel';
const KEYS = [K1, B1, K2, 'dense2/bias'];
const IMP_OPTIONS = [
  'model',
  'train',
  'evaluate',
  'rounds',
  'rate',
  'rates',
  'scope',
  'exclude',
  'rewindTo',
  'evaluateEvery',
  'controls',
  'onRound',
  'rng',
];
const GOOD = { loss: 1, accuracy: 0.5 };

/** `null` reads as an absent option, so it is no bad value where the option is optional. */
const present = (value: unknown) => value !== null;

/** Two optimizer steps that change no weight: enough for a run, nothing allocated. */
async function stepTwice(run: TrainingRun): Promise<void> {
  await run.step();
  await run.step();
}

/** Anything but an `Rng`, look-alikes included. */
const notAnRng = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 6 }),
  fc.constant({ seed: 0 }),
  fc.constant({ float: () => 0.5, permutation: (n: number) => Int32Array.from({ length: n }) }),
);

/** What an `evaluate` callback must not return: anything but `{ loss: number, accuracy ∈ [0, 1] }`. */
const badEvaluation = fc.oneof(
  notAPlainObject,
  fc.constant(undefined),
  fc.constant({}),
  fc.record({ loss: notANumber, accuracy: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({
    loss: fc.double(),
    accuracy: fc.oneof(outOfRange({ min: 0, max: 1 }), nonFiniteNumber, notANumber),
  }),
);

/** A tiny MLP and spies for imp's callbacks; `refuses` holds imp to a refusal before training. */
function impSetup() {
  const net = mlp({ sizes: SIZES, seed: 1 });
  const train = vi.fn(stepTwice);
  const evaluate = vi.fn(() => GOOD);
  const base = { model: net, train, evaluate, rounds: 1 };
  const refuses = async (
    options: unknown,
    code: DescentErrorCode | readonly DescentErrorCode[],
    mentions: readonly string[],
  ) => {
    await expectBadInput(() => imp(options as never), { code, mentions, unchanged: net.params });
    expect(train, 'train was called for refused options').not.toHaveBeenCalled();
    expect(evaluate, 'evaluate was called for refused options').not.toHaveBeenCalled();
  };
  const refusesWith = (
    changes: Record<string, unknown>,
    code: DescentErrorCode | readonly DescentErrorCode[],
    mentions: readonly string[],
  ) => refuses({ ...base, ...changes }, code, mentions);
  return { net, train, evaluate, base, refuses, refusesWith };
}

/** A round-1 ticket of a tiny MLP: both kernels masked (one weight of each pruned), biases not. */
async function tinyTicket(): Promise<{ net: ReturnType<typeof mlp>; ticket: Ticket }> {
  const net = mlp({ sizes: SIZES, seed: 2 });
  const masks = {
    [K1]: tf.tensor2d([1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 4]),
    [K2]: tf.tensor2d([1, 0, 1, 1, 1, 1, 1, 1], [4, 2]),
  };
  const ticket = await Ticket.fromTensors(net.params, masks, { round: 1, rewindStep: 0 });
  disposeParams(masks);
  return { net, ticket };
}

/** Things a caller might pass for a ticket: no object, an object like it, its JSON. */
function notATicket(ticket: Ticket): fc.Arbitrary<unknown> {
  return fc.oneof(
    notAPlainObject,
    fc.constant(undefined),
    fc.constant({ round: 1, rewindStep: 0 }),
    fc.constant(ticket.toJSON()),
  );
}

forEachBackend('bad input (imp part)', () => {
  it('imp refuses options that are no plain object or carry an unknown key, calling nothing', async () => {
    const { net, train, refuses, base } = impSetup();
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (v) => {
        await refuses(v, 'BAD_ARGUMENT', ['imp options']);
      }),
      RUNS,
    );
    await refuses(undefined, 'BAD_ARGUMENT', ['imp options']);
    const { rounds: _, ...withoutRounds } = base;
    await refuses({ ...withoutRounds, round: 1 }, 'UNKNOWN_PARAM', ['imp options', '"round"']);
    await fc.assert(
      fc.asyncProperty(unknownName(IMP_OPTIONS), async (k) => {
        await refuses({ ...base, [k]: 1 }, 'UNKNOWN_PARAM', ['imp', JSON.stringify(k)]);
      }),
      RUNS,
    );
    // The same options, spelled right, train: the spies do see calls when nothing is wrong.
    const before = tf.memory().numTensors;
    await imp(base);
    expect(tf.memory().numTensors).toBe(before);
    expect(train).toHaveBeenCalledTimes(2);
    disposeParams(net.params);
  });

  it('imp refuses a bad model, train, evaluate, rounds or onRound, calling nothing', async () => {
    const { net, refusesWith } = impSetup();
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (v) => {
        await refusesWith({ model: v }, 'BAD_ARGUMENT', ['imp.model', 'Model']);
      }),
      RUNS,
    );
    await refusesWith({ model: net.params }, 'BAD_ARGUMENT', ['imp.model']);
    await refusesWith({ model: { params: net.params, info: net.info } }, 'BAD_ARGUMENT', [
      'imp.model',
    ]);
    const int32 = tf.zeros([3, 4], 'int32');
    await refusesWith(
      { model: { ...net, apply: net.apply, params: { ...net.params, [K1]: int32 } } },
      'DTYPE_MISMATCH',
      [`imp.model.params["${K1}"]`],
    );
    int32.dispose();
    await fc.assert(
      fc.asyncProperty(notAFunction, async (f) => {
        await refusesWith({ train: f }, 'BAD_ARGUMENT', ['imp.train', 'function']);
        await refusesWith({ evaluate: f }, 'BAD_ARGUMENT', ['imp.evaluate', 'function']);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAFunction.filter(present), async (f) => {
        await refusesWith({ onRound: f }, 'BAD_ARGUMENT', ['imp.onRound', 'function']);
      }),
      RUNS,
    );
    await refusesWith({ rounds: undefined }, 'BAD_HYPERPARAM', ['imp.rounds', 'required']);
    for (const rounds of [-1, 1.5, Number.NaN]) {
      await refusesWith({ rounds }, NUMBER_CODES, ['imp.rounds']);
    }
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, integer: true }), async (rounds) => {
        await refusesWith({ rounds }, NUMBER_CODES, ['imp.rounds']);
      }),
      RUNS,
    );
    disposeParams(net.params);
  });

  it('imp refuses bad pruning options — rate, rates, scope, exclude — calling nothing', async () => {
    const { net, refusesWith } = impSetup();
    for (const rate of [-0.1, 1.5, Number.NaN]) {
      await refusesWith({ rate }, NUMBER_CODES, ['imp.rate']);
    }
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, max: 1 }), async (v) => {
        await refusesWith({ rate: v }, NUMBER_CODES, ['imp.rate']);
        await refusesWith({ rates: { [K1]: v } }, NUMBER_CODES, [`imp.rates["${K1}"]`]);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(KEYS), async (k) => {
        const name = JSON.stringify(k);
        await refusesWith({ rates: { [k]: 0.1 } }, 'UNKNOWN_PARAM', [`imp.rates[${name}]`]);
        await refusesWith({ exclude: [k] }, 'UNKNOWN_PARAM', ['imp.exclude[0]', name]);
      }),
      RUNS,
    );
    await refusesWith({ rates: { [B1]: 0.1 } }, 'UNKNOWN_PARAM', [`imp.rates["${B1}"]`, 'weight']);
    await refusesWith({ rates: { [K1]: 0.1 }, scope: 'global' }, 'BAD_HYPERPARAM', [
      'imp.rates',
      'global',
    ]);
    await fc.assert(
      fc.asyncProperty(notAPlainObject.filter(present), async (v) => {
        await refusesWith({ rates: v }, 'BAD_ARGUMENT', ['imp.rates']);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(unknownName(['global', 'layerwise']), fc.integer(), fc.constant({})),
        async (scope) => {
          await refusesWith({ scope }, 'BAD_HYPERPARAM', ['imp.scope', "'layerwise'"]);
        },
      ),
      RUNS,
    );
    await refusesWith({ exclude: K1 }, 'BAD_ARGUMENT', ['imp.exclude', 'array']);
    await refusesWith({ exclude: [K1, 3] }, 'BAD_ARGUMENT', ['imp.exclude[1]']);
    disposeParams(net.params);
  });

  it('imp refuses bad rewindTo, evaluateEvery, controls and rng, calling nothing', async () => {
    const { net, refusesWith } = impSetup();
    for (const [rewindTo, evaluateEvery] of [
      [-1, 0],
      [1.5, 1.5],
      [Number.NaN, -2],
    ]) {
      await refusesWith({ rewindTo }, NUMBER_CODES, ['imp.rewindTo']);
      await refusesWith({ evaluateEvery }, NUMBER_CODES, ['imp.evaluateEvery']);
    }
    await fc.assert(
      fc.asyncProperty(
        badNumber({ min: 0, integer: true }),
        badNumber({ min: 1, integer: true }),
        async (rewindTo, evaluateEvery) => {
          await refusesWith({ rewindTo }, NUMBER_CODES, ['imp.rewindTo']);
          await refusesWith({ evaluateEvery }, NUMBER_CODES, ['imp.evaluateEvery']);
        },
      ),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject.filter(present), async (controls) => {
        await refusesWith({ controls }, 'BAD_ARGUMENT', ['imp.controls']);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(['randomReinit', 'randomPruning', 'rounds']), async (k) => {
        await refusesWith({ controls: { randomPruning: true, [k]: true } }, 'UNKNOWN_PARAM', [
          'imp.controls',
          JSON.stringify(k),
        ]);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAFunction.filter(present), notABoolean, async (f, b) => {
        await refusesWith({ controls: { randomReinit: f } }, 'BAD_ARGUMENT', [
          'imp.controls.randomReinit',
          'function',
        ]);
        await refusesWith({ controls: { randomPruning: b } }, 'BAD_HYPERPARAM', [
          'imp.controls.randomPruning',
          'boolean',
        ]);
      }),
      RUNS,
    );
    for (const rounds of [1, '1', {}, new Set([1])]) {
      await refusesWith({ controls: { randomPruning: true, rounds } }, 'BAD_ARGUMENT', [
        'imp.controls.rounds',
        'array',
      ]);
    }
    await refusesWith({ controls: { randomPruning: true, rounds: [0] } }, 'BAD_HYPERPARAM', [
      'imp.controls.rounds[0]',
      '≥ 1',
    ]);
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 1, integer: true }), async (round) => {
        await refusesWith({ controls: { randomPruning: true, rounds: [1, round] } }, NUMBER_CODES, [
          'imp.controls.rounds[1]',
        ]);
      }),
      RUNS,
    );
    await refusesWith({ controls: { randomPruning: true, rounds: [9] } }, 'BAD_HYPERPARAM', [
      'imp.controls.rounds[0]',
      'imp.rounds',
    ]);
    await refusesWith({ controls: { rounds: [1] } }, 'BAD_HYPERPARAM', [
      'imp.controls.rounds',
      'no control',
    ]);
    await refusesWith({ exclude: [K1, K2] }, 'BAD_HYPERPARAM', ['imp', 'no weight to prune']);
    await fc.assert(
      fc.asyncProperty(notAnRng, async (rng) => {
        await refusesWith({ rng }, 'BAD_ARGUMENT', ['imp.rng', 'Rng']);
      }),
      RUNS,
    );
    disposeParams(net.params);
  });

  it('imp refuses an evaluation that is no { loss, accuracy } in round 0 or 1, leaking nothing', async () => {
    const net = mlp({ sizes: SIZES, seed: 3 });
    const train = vi.fn(stepTwice);
    // Round 0 evaluates after its last step (step 2); round 1, rewound to step 1, after each
    // step, so the bad result arrives inside train's `await run.step()` (at step 2 too).
    const cases = [
      { failing: 0, evaluateEvery: undefined },
      { failing: 1, evaluateEvery: 1 },
    ];
    await fc.assert(
      fc.asyncProperty(badEvaluation, fc.boolean(), async (bad, async) => {
        for (const { failing, evaluateEvery } of cases) {
          const evaluate = (_: Params, at: { round: number }) => {
            const result = at.round === failing ? bad : GOOD;
            return async ? Promise.resolve(result) : result;
          };
          await expectBadInput(
            () =>
              imp({
                model: net,
                train,
                evaluate: evaluate as never,
                rounds: 1,
                rewindTo: 1,
                ...(evaluateEvery === undefined ? {} : { evaluateEvery }),
              }),
            {
              code: 'BAD_ARGUMENT',
              mentions: ['imp.evaluate', 'accuracy', 'at step 2'],
              unchanged: net.params,
            },
          );
        }
      }),
      RUNS,
    );
    for (const bad of [{ loss: 'x' }, { loss: 1, accuracy: 1.5 }, null]) {
      await expectBadInput(
        () => imp({ model: net, train, evaluate: () => bad as never, rounds: 1 }),
        { code: 'BAD_ARGUMENT', mentions: ['imp.evaluate'], unchanged: net.params },
      );
    }
    disposeParams(net.params);
  });

  it('imp refuses a randomReinit control returning weights unlike the model, disposing them', async () => {
    const net = mlp({ sizes: SIZES, seed: 4 });
    const returned: tf.Tensor[] = [];
    const keep = (params: Params) => {
      returned.push(...Object.values(params));
      return params;
    };
    const cases: [() => unknown, DescentErrorCode, string[]][] = [
      [() => keep(mlp({ sizes: [3, 5, 2], seed: 5 }).params), 'SHAPE_MISMATCH', [K1, '[3, 5]']],
      [
        () =>
          keep(
            Object.fromEntries(
              KEYS.map((k) => [k, tf.zeros((net.params[k] as tf.Tensor).shape, 'int32')]),
            ),
          ),
        'DTYPE_MISMATCH',
        [K1, 'int32'],
      ],
      [
        () => {
          const fresh = mlp({ sizes: SIZES, seed: 6 }).params;
          tf.dispose(fresh[K2] as tf.Tensor);
          return keep({ ...fresh, [K2]: tf.fill([4, 2], Number.NaN) });
        },
        'NON_FINITE',
        [K2, 'NaN'],
      ],
      [() => 5, 'BAD_ARGUMENT', ['params']],
      [() => ({}), 'UNKNOWN_PARAM', ['imp.controls.randomReinit: params', K1]],
      [
        () => {
          const { [B1]: bias, ...rest } = keep(mlp({ sizes: SIZES, seed: 7 }).params);
          (bias as tf.Tensor).dispose();
          return rest;
        },
        'UNKNOWN_PARAM',
        ['imp.controls.randomReinit: params', B1],
      ],
    ];
    for (const [fresh, code, mentions] of cases) {
      const train = vi.fn(stepTwice);
      await expectBadInput(
        () =>
          imp({
            model: net,
            train,
            evaluate: () => GOOD,
            rounds: 1,
            controls: { randomReinit: fresh as never },
          }),
        { code, mentions, unchanged: net.params },
      );
      // Rounds 0 and 1 of the ticket trained; the control was refused before training.
      expect(train).toHaveBeenCalledTimes(2);
      expect(
        returned.every((t) => t.isDisposed),
        'the control’s tensors were not disposed',
      ).toBe(true);
    }
    disposeParams(net.params);
  });

  it('trainTicket refuses a non-ticket and bad options, calling nothing', async () => {
    const { net, ticket } = await tinyTicket();
    const train = vi.fn(stepTwice);
    const evaluate = vi.fn(() => GOOD);
    const good = { train, evaluate };
    const refuses = async (
      t: unknown,
      options: unknown,
      code: DescentErrorCode | readonly DescentErrorCode[],
      mentions: string[],
    ) => {
      await expectBadInput(() => trainTicket(t as Ticket, options as never), { code, mentions });
      expect(train).not.toHaveBeenCalled();
      expect(evaluate).not.toHaveBeenCalled();
    };
    await fc.assert(
      fc.asyncProperty(notATicket(ticket), async (t) => {
        await refuses(t, good, 'BAD_ARGUMENT', ['trainTicket: ticket', 'Ticket']);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (o) => {
        await refuses(ticket, o, 'BAD_ARGUMENT', ['trainTicket options']);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(['train', 'evaluate', 'evaluateEvery', 'kind']), async (k) => {
        await refuses(ticket, { ...good, [k]: 1 }, 'UNKNOWN_PARAM', [
          'trainTicket',
          JSON.stringify(k),
        ]);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAFunction, async (f) => {
        await refuses(ticket, { ...good, train: f }, 'BAD_ARGUMENT', ['trainTicket.train']);
        await refuses(ticket, { ...good, evaluate: f }, 'BAD_ARGUMENT', ['trainTicket.evaluate']);
      }),
      RUNS,
    );
    for (const evaluateEvery of [0, 1.5]) {
      await refuses(ticket, { ...good, evaluateEvery }, 'BAD_HYPERPARAM', [
        'trainTicket.evaluateEvery',
      ]);
    }
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 1, integer: true }), async (evaluateEvery) => {
        await refuses(ticket, { ...good, evaluateEvery }, NUMBER_CODES, [
          'trainTicket.evaluateEvery',
        ]);
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(unknownName(['ticket', 'randomReinit', 'randomPruning']), fc.integer()),
        async (kind) => {
          await refuses(ticket, { ...good, kind }, 'BAD_HYPERPARAM', ['trainTicket.kind']);
        },
      ),
      RUNS,
    );
    // During the run: a bad evaluation, with the run's variables disposed.
    await expectBadInput(
      () => trainTicket(ticket, { train, evaluate: () => ({ loss: 'x' }) as never }),
      {
        code: 'BAD_ARGUMENT',
        mentions: ['trainTicket.evaluate', 'at step 2'],
      },
    );
    expect(train).toHaveBeenCalledTimes(1);
    disposeParams(net.params);
  });

  it('randomReinit refuses a non-ticket and params unlike the ticket’s, changing nothing', async () => {
    const { net, ticket } = await tinyTicket();
    const params = net.params;
    const unchanged = params;
    await fc.assert(
      fc.asyncProperty(notATicket(ticket), async (t) => {
        await expectBadInput(() => randomReinit(t as Ticket, params), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomReinit: ticket', 'Ticket'],
          unchanged,
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (p) => {
        await expectBadInput(() => randomReinit(ticket, p as Params), {
          code: 'BAD_ARGUMENT',
          mentions: ['params'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notATensor, async (t) => {
        await expectBadInput(() => randomReinit(ticket, { ...params, [K1]: t } as Params), {
          code: 'BAD_ARGUMENT',
          mentions: [`params["${K1}"]`],
          unchanged,
        });
      }),
      RUNS,
    );
    // Without a masked parameter, the ticket's mask for it has no parameter to go with.
    const { [K1]: _, ...withoutK1 } = params;
    await fc.assert(
      fc.asyncProperty(unknownName(KEYS), async (k) => {
        await expectBadInput(
          () => randomReinit(ticket, { ...withoutK1, [k]: params[K1] } as Params),
          { code: 'UNKNOWN_PARAM', mentions: [K1], unchanged },
        );
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(otherShape([3, 4]), async (shape) => {
        const bad = tf.zeros(shape);
        await expectBadInput(() => randomReinit(ticket, { ...params, [K1]: bad }), {
          code: 'SHAPE_MISMATCH',
          mentions: [K1, '[3, 4]'],
          unchanged: [params, bad],
        });
        bad.dispose();
      }),
      RUNS,
    );
    // Every parameter of the ticket, biases included, and no other.
    const { [B1]: _bias, ...withoutBias } = params;
    await expectBadInput(() => randomReinit(ticket, withoutBias), {
      code: 'UNKNOWN_PARAM',
      mentions: ['randomReinit: params', B1],
      unchanged,
    });
    const extra = tf.zeros([2]);
    await expectBadInput(() => randomReinit(ticket, { ...params, extra }), {
      code: 'UNKNOWN_PARAM',
      mentions: ['randomReinit: params["extra"]'],
      unchanged,
    });
    const wideBias = tf.zeros([9]);
    await expectBadInput(() => randomReinit(ticket, { ...params, [B1]: wideBias }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`randomReinit: params["${B1}"]`, '[9]', '[4]'],
      unchanged,
    });
    tf.dispose([extra, wideBias]);
    const int32 = tf.zeros([3, 4], 'int32');
    const gone = tf.zeros([3, 4]);
    gone.dispose();
    const nan = tf.fill([3, 4], Number.POSITIVE_INFINITY);
    const refusals: [tf.Tensor, DescentErrorCode, string[]][] = [
      [int32, 'DTYPE_MISMATCH', [`params["${K1}"]`, 'int32']],
      [gone, 'DISPOSED', [`params["${K1}"]`]],
      [nan, 'NON_FINITE', [`params["${K1}"]`, 'Infinity']],
    ];
    for (const [bad, code, mentions] of refusals) {
      await expectBadInput(() => randomReinit(ticket, { ...params, [K1]: bad }), {
        code,
        mentions,
        unchanged,
      });
    }
    tf.dispose([int32, nan]);
    disposeParams(params);
  });

  it('randomPruning refuses a non-ticket, bad options and a non-Rng, drawing nothing', async () => {
    const { net, ticket } = await tinyTicket();
    const rng = new Rng(7);
    const state = rng.state();
    await fc.assert(
      fc.asyncProperty(notATicket(ticket), async (t) => {
        await expectBadInput(() => randomPruning(t as Ticket, { rng }), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomPruning: ticket', 'Ticket'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (o) => {
        await expectBadInput(() => randomPruning(ticket, o as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomPruning options'],
        });
      }),
      RUNS,
    );
    await expectBadInput(() => randomPruning(ticket, undefined as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['randomPruning options'],
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(notAnRng, fc.constant(undefined)), async (bad) => {
        await expectBadInput(() => randomPruning(ticket, { rng: bad } as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['randomPruning.rng', 'Rng'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(['rng']), async (k) => {
        await expectBadInput(() => randomPruning(ticket, { rng, [k]: 1 } as never), {
          code: 'UNKNOWN_PARAM',
          mentions: ['randomPruning', JSON.stringify(k)],
        });
      }),
      RUNS,
    );
    expect(rng.state(), 'a refused call drew from the rng').toEqual(state);
    disposeParams(net.params);
  });
});
