import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DescentErrorCode, Params } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '@descent/core/testing';
import * as optim from '../index';
import {
  BAD_NUMBER_CODES,
  innerTransform,
  NUMBER_ARGUMENTS,
  notATransformation,
  OPTION_FACTORIES,
  TRANSFORM_EXPORTS_COVERED,
} from '../test-support/bad-input-transforms';
import type { GradientTransformation } from '../transform/gradient-transformation';
import type { TransformState } from '../transform/transform-state';

const runs = { numRuns: BAD_INPUT_RUNS };
const W = [2, 3];
const B = [3];

/** The transformation exports of index.ts (those re-exported from ./transform/ and ./transforms/). */
function transformExports(): string[] {
  const index = readFileSync(new URL('../index.ts', import.meta.url), 'utf8');
  const blocks = index.matchAll(/export \{([^}]*)\} from '\.\/transforms?\/[^']+';/g);
  return [...blocks]
    .flatMap(([, names]) => (names ?? '').split(','))
    .map((n) => n.trim())
    .filter((n) => n !== '' && !n.startsWith('type '))
    .filter((n) => typeof (optim as Record<string, unknown>)[n] === 'function')
    .sort();
}

describe('bad input: coverage of the transformation exports', () => {
  it('every callable export from ./transform and ./transforms has bad-input cases', () => {
    expect(transformExports().length).toBeGreaterThan(40);
    expect([...TRANSFORM_EXPORTS_COVERED].sort()).toEqual(transformExports());
    const mine = Object.fromEntries(
      Object.entries(optim).filter(([name]) => transformExports().includes(name)),
    );
    expectExportsCovered(mine, TRANSFORM_EXPORTS_COVERED);
  });
});

/** A transformation's state, watched: its tensors and its numbers. */
function watch(state: TransformState): unknown {
  return {
    tensors: [...optim.stateTensors(state)],
    json: JSON.stringify(state, (_k, v) => (v instanceof tf.Tensor ? v.shape : v)),
  };
}

forEachBackend(
  'bad input: options',
  () => {
    describe.each(Object.entries(OPTION_FACTORIES))('%s', (name, factory) => {
      it.each(Object.entries(factory.numbers))('refuses a bad %s', async (field, range) => {
        await fc.assert(
          fc.asyncProperty(badNumber(range), async (bad) => {
            await expectBadInput(() => factory.make({ [field]: bad }), {
              code: [...BAD_NUMBER_CODES],
              mentions: [field],
            });
          }),
          runs,
        );
      });

      if (factory.booleans.length > 0) {
        it.each(factory.booleans)('refuses a %s that is no boolean', async (field) => {
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(
                fc.double(),
                fc.string({ maxLength: 4 }),
                fc.constantFrom(0, 1, 'true', [], {}),
              ),
              async (bad) => {
                await expectBadInput(() => factory.make({ [field]: bad }), {
                  code: 'BAD_HYPERPARAM',
                  mentions: [field],
                });
              },
            ),
            runs,
          );
        });
      }

      it('refuses unknown option names', async () => {
        await fc.assert(
          fc.asyncProperty(unknownName(factory.known), async (key) => {
            await expectBadInput(() => factory.make({ [key]: 1 }), {
              code: 'UNKNOWN_PARAM',
              mentions: [JSON.stringify(key)],
            });
          }),
          runs,
        );
      });

      it('refuses options that are no plain object', async () => {
        await fc.assert(
          fc.asyncProperty(notAPlainObject, async (bad) => {
            fc.pre(bad !== undefined);
            await expectBadInput(() => factory.make(bad), {
              code: 'BAD_ARGUMENT',
              mentions: [`${name} options`],
            });
          }),
          runs,
        );
      });
    });

    describe.each(Object.entries(NUMBER_ARGUMENTS))('%s arguments', (_name, cases) => {
      it.each(cases.map((c) => [c.name, c] as const))('refuses a bad %s', async (_n, c) => {
        await fc.assert(
          fc.asyncProperty(c.bad, async (bad) => {
            await expectBadInput(() => c.make(bad), {
              code: [...BAD_NUMBER_CODES],
              mentions: [c.name],
            });
          }),
          runs,
        );
      });
    });

    it('regression: option values that were taken unchecked are refused (amsgrad, debias, factored)', async () => {
      for (const [call, name] of [
        [() => optim.scaleByAdam({ amsgrad: 'yes' as never }), 'amsgrad'],
        [() => optim.ema(0.9, { debias: 1 as never }), 'debias'],
        [() => optim.scaleByFactoredRms({ factored: 0 as never }), 'factored'],
        [() => optim.adaptiveClip(0.01, 1e-3, { info: [] as never }), 'info'],
        [() => optim.maskUpdates([] as never), 'masks'],
      ] as const) {
        await expectBadInput(call, { code: ['BAD_HYPERPARAM', 'BAD_ARGUMENT'], mentions: [name] });
      }
    });

    it('regression: clipByValue(2, 1) (min above max) is refused', async () => {
      await expectBadInput(() => optim.clipByValue(2, 1), {
        code: 'BAD_HYPERPARAM',
        mentions: ['min', 'max'],
      });
    });

    it('refuses masks, infos and shapes of the wrong kind', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(1, 'w', [true], null, new Map()), async (bad) => {
          await expectBadInput(() => optim.weightDecayMask(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['info'],
          });
          await expectBadInput(() => optim.addDecayedWeights(0.1, { mask: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['mask'],
          });
          await expectBadInput(() => optim.scaleByTrustRatio({ mask: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['mask'],
          });
          fc.pre(bad !== null);
          await expectBadInput(() => optim.adaptiveClip(0.01, 1e-3, { info: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['info'],
          });
          await expectBadInput(() => optim.partition([], { info: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['info'],
          });
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(notAPlainObject, fc.constant([2, -1]), fc.constant([1.5, 2])),
          async (bad) => {
            fc.pre(!Array.isArray(bad) || bad.some((d) => !Number.isInteger(d) || d < 0));
            await expectBadInput(() => optim.factoredDims(bad as never, true, 2), {
              code: 'BAD_ARGUMENT',
              mentions: ['shape'],
            });
          },
        ),
        runs,
      );
      await expectBadInput(() => optim.factoredDims([4, 4], 'yes' as never, 2), {
        code: 'BAD_HYPERPARAM',
        mentions: ['factored'],
      });
    });

    it('refuses partition groups and matches of the wrong kind', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(1, 'w', null, {}), async (bad) => {
          await expectBadInput(() => optim.partition(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['groups'],
          });
          await expectBadInput(() => optim.partition([bad as never]), {
            code: 'BAD_ARGUMENT',
            mentions: ['groups[0]'],
          });
          fc.pre(typeof bad !== 'string');
          await expectBadInput(
            () => optim.partition([{ match: bad as never, transform: innerTransform() }]),
            { code: 'BAD_ARGUMENT', mentions: ['groups[0].match'] },
          );
        }),
        runs,
      );
    });

    it('regression: chain("adam", …) is refused at chain time, naming the element', async () => {
      await expectBadInput(() => optim.chain('adam' as never, optim.scaleByLearningRate(0.1)), {
        code: 'BAD_ARGUMENT',
        mentions: ['transforms[0]', '"adam"'],
      });
    });

    it('regression: wrappers given a non-transformation refuse it when built', async () => {
      await fc.assert(
        fc.asyncProperty(notATransformation, fc.nat(2), async (bad, at) => {
          const elements: unknown[] = [innerTransform(), innerTransform(), innerTransform()];
          elements[at] = bad;
          await expectBadInput(() => optim.chain(...(elements as never[])), {
            code: 'BAD_ARGUMENT',
            mentions: [`transforms[${at}]`],
          });
          // `undefined` means "no such element" to namedChain and "no default" to partition.
          fc.pre(bad !== undefined);
          await expectBadInput(
            () => optim.namedChain({ rule: innerTransform(), bad: bad as never }),
            {
              code: 'BAD_ARGUMENT',
              mentions: ['elements["bad"]'],
            },
          );
          await expectBadInput(() => optim.partition([{ match: 'w', transform: bad as never }]), {
            code: 'BAD_ARGUMENT',
            mentions: ['groups[0].transform'],
          });
          await expectBadInput(() => optim.partition([], { default: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['default'],
          });
          await expectBadInput(() => optim.multiSteps(bad as never, { everyK: 2 }), {
            code: 'BAD_ARGUMENT',
            mentions: ['inner'],
          });
          await expectBadInput(() => optim.applyIfFinite(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['inner'],
          });
          if (!(typeof bad === 'number' && bad >= 0 && bad < 1)) {
            await expectBadInput(() => optim.ema(bad as never), {
              code: [...BAD_NUMBER_CODES],
              mentions: ['decay'],
            });
          }
          await expectBadInput(() => optim.perParameter(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['rule'],
          });
        }),
        runs,
      );
    });

    it('refuses a namedChain of no record, and masks that are no tensors', async () => {
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          fc.pre(!(bad instanceof Map) && !(typeof bad === 'function'));
          await expectBadInput(() => optim.namedChain(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['elements'],
          });
          await expectBadInput(() => optim.maskUpdates(bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['masks'],
          });
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(notATensor, async (bad) => {
          await expectBadInput(() => optim.maskUpdates({ w: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['masks["w"]'],
          });
        }),
        runs,
      );
      const disposed = tf.ones(W);
      disposed.dispose();
      await expectBadInput(() => optim.maskUpdates({ w: disposed }), {
        code: 'DISPOSED',
        mentions: ['masks["w"]'],
      });
    });
  },
  { backends: ['cpu'] },
);

/** Every transformation the package builds, by the export that built it. */
function transformations(mask: tf.Tensor): Record<string, GradientTransformation> {
  const t = optim;
  return {
    scaleByLearningRate: t.scaleByLearningRate(0.1),
    scale: t.scale(0.5),
    scaleByAdam: t.scaleByAdam({ amsgrad: true }),
    scaleByAdamax: t.scaleByAdamax(),
    scaleByNadam: t.scaleByNadam(),
    scaleByRadam: t.scaleByRadam(),
    scaleByAdabound: t.scaleByAdabound(),
    scaleByYogi: t.scaleByYogi(),
    scaleByPadam: t.scaleByPadam(),
    scaleByMomentum: t.scaleByMomentum({ nesterov: true }),
    'scaleByMomentum (μ = 0)': t.scaleByMomentum({ momentum: 0 }),
    scaleByRss: t.scaleByRss(),
    scaleByRms: t.scaleByRms({ centered: true, momentum: 0.5 }),
    scaleByAdadelta: t.scaleByAdadelta(),
    scaleByLion: t.scaleByLion(),
    scaleBySign: t.scaleBySign(),
    addL2Gradient: t.addL2Gradient(0.1),
    addDecayedWeights: t.addDecayedWeights(0.1),
    clipByGlobalNorm: t.clipByGlobalNorm(1),
    clipByValue: t.clipByValue(1),
    adaptiveClip: t.adaptiveClip(0.01),
    maskUpdates: t.maskUpdates({ w: mask }),
    partition: t.partition([{ match: 'w', transform: t.scaleByAdam() }], {
      default: t.scaleByMomentum(),
    }),
    multiSteps: t.multiSteps(t.scaleByAdam(), { everyK: 2 }),
    applyIfFinite: t.applyIfFinite(t.scaleByAdam()),
    ema: t.ema(0.9),
    scaleByTrustRatio: t.scaleByTrustRatio(),
    scaleByFactoredRms: t.scaleByFactoredRms({ minDimSizeToFactor: 2 }),
    clipByBlockRms: t.clipByBlockRms(1),
    scaleByParamBlockRms: t.scaleByParamBlockRms(),
    chain: t.chain(t.clipByGlobalNorm(1), t.scaleByAdam(), t.scaleByLearningRate(0.1)),
    namedChain: t.namedChain({ rule: t.scaleByLion(), rate: t.scaleByLearningRate(0.1) }),
    perParameter: t.perParameter({
      initSlots: (like) => ({ trace: tf.zerosLike(like), n: 0 }),
      step: (u, slots) => {
        const trace = tf.add(t.tensorSlot(slots, 'trace'), u);
        return { update: tf.clone(trace), slots: { trace, n: t.numberSlot(slots, 'n') + 1 } };
      },
    }),
  };
}

/** A bad argument of an update, described without tensors (they are made in the test body). */
type BadUpdate =
  | { kind: 'grad shape'; shape: number[] }
  | { kind: 'int32 grad' }
  | { kind: 'disposed grad' }
  | { kind: 'grad not a tensor'; value: unknown }
  | { kind: 'unknown name'; name: string }
  | { kind: 'param shape'; shape: number[] }
  | { kind: 'updates not a record'; value: unknown }
  | { kind: 'params not a record'; value: unknown }
  | { kind: 'state not a state'; value: unknown };

const badUpdate: fc.Arbitrary<BadUpdate> = fc.oneof(
  otherShape(W).map((shape) => ({ kind: 'grad shape', shape }) as const),
  fc.constant({ kind: 'int32 grad' } as const),
  fc.constant({ kind: 'disposed grad' } as const),
  notATensor.map((value) => ({ kind: 'grad not a tensor', value }) as const),
  unknownName(['w', 'b']).map((name) => ({ kind: 'unknown name', name }) as const),
  otherShape(W).map((shape) => ({ kind: 'param shape', shape }) as const),
  fc
    .oneof(notAPlainObject, fc.constant(tf.tensor))
    .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
    .map((value) => ({ kind: 'updates not a record', value }) as const),
  fc
    .constantFrom(null, 1, 'w', [1])
    .map((value) => ({ kind: 'params not a record', value }) as const),
  fc
    .constantFrom(
      null,
      1,
      {},
      { slots: {}, scalars: {}, inner: 1 },
      { slots: 1, scalars: {}, inner: [] },
    )
    .map((value) => ({ kind: 'state not a state', value }) as const),
);

interface Call {
  updates: unknown;
  state: unknown;
  params: unknown;
  made: tf.Tensor[];
  code: DescentErrorCode;
  mentions: string[];
}

/** The arguments of a bad update call, the tensors made for it, and what it must throw. */
function badCall(bad: BadUpdate, state: TransformState, params: Params, grads: Params): Call {
  const call: Call = {
    updates: grads,
    state,
    params,
    made: [],
    code: 'BAD_ARGUMENT',
    mentions: [],
  };
  const make = (t: tf.Tensor) => {
    call.made.push(t);
    return t;
  };
  switch (bad.kind) {
    case 'grad shape':
      return {
        ...call,
        updates: { ...grads, w: make(tf.ones(bad.shape)) },
        code: 'SHAPE_MISMATCH',
        mentions: ['updates["w"]'],
      };
    case 'int32 grad':
      return {
        ...call,
        updates: { ...grads, w: make(tf.ones(W, 'int32')) },
        code: 'DTYPE_MISMATCH',
        mentions: ['updates["w"]', 'int32'],
      };
    case 'disposed grad': {
      const g = tf.ones(W);
      g.dispose();
      return { ...call, updates: { ...grads, w: g }, code: 'DISPOSED', mentions: ['updates["w"]'] };
    }
    case 'grad not a tensor':
      return { ...call, updates: { ...grads, w: bad.value }, mentions: ['updates["w"]'] };
    case 'unknown name':
      return {
        ...call,
        updates: { ...grads, [bad.name]: make(tf.ones(W)) },
        code: 'UNKNOWN_PARAM',
        mentions: [`updates["${bad.name}"]`],
      };
    case 'param shape':
      return {
        ...call,
        params: { ...params, w: make(tf.ones(bad.shape)) },
        code: 'SHAPE_MISMATCH',
        mentions: ['params["w"]'],
      };
    case 'updates not a record':
      return { ...call, updates: bad.value, mentions: ['updates'] };
    case 'params not a record':
      return { ...call, params: bad.value, mentions: ['params'] };
    case 'state not a state':
      return { ...call, state: bad.value, mentions: ['state'] };
  }
}

forEachBackend(
  'bad input: init and update of every transformation',
  () => {
    const names = Object.keys(transformations(tf.ones(W)));

    it.each(names)('%s: refuses bad updates, params and state, changing nothing', async (name) => {
      const mask = tf.ones(W);
      const t = transformations(mask)[name] as GradientTransformation;
      const params = {
        w: tf.randomNormal(W, 0, 1, 'float32', 1),
        b: tf.randomNormal(B, 0, 1, 'float32', 2),
      };
      const grads = {
        w: tf.randomNormal(W, 0, 1, 'float32', 3),
        b: tf.randomNormal(B, 0, 1, 'float32', 4),
      };
      const first = optim.runUpdate(t, grads, t.init(params), params);
      tf.dispose(Object.values(first.updates).filter((u) => !Object.values(grads).includes(u)));
      const state = first.state;
      await fc.assert(
        fc.asyncProperty(badUpdate, fc.boolean(), async (bad, throughRunUpdate) => {
          const call = badCall(bad, state, params, grads);
          const run = throughRunUpdate
            ? () =>
                optim.runUpdate(
                  t,
                  call.updates as Params,
                  call.state as TransformState,
                  call.params as Params,
                )
            : () =>
                t.update(
                  call.updates as Params,
                  call.state as TransformState,
                  call.params as Params,
                );
          await expectBadInput(run, {
            code: call.code,
            mentions: call.mentions,
            unchanged: [watch(state) as never, params, grads],
          });
          tf.dispose(call.made);
        }),
        runs,
      );
      optim.disposeState(state);
      tf.dispose([...Object.values(params), ...Object.values(grads), mask]);
    });

    it.each(names)('%s: init refuses params that are no record of live tensors', async (name) => {
      const mask = tf.ones(W);
      const t = transformations(mask)[name] as GradientTransformation;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            notAPlainObject,
            notATensor.map((v) => ({ w: v })),
          ),
          async (bad) => {
            fc.pre(!(bad instanceof Map) && typeof bad !== 'function');
            await expectBadInput(() => t.init(bad as Params), {
              code: 'BAD_ARGUMENT',
              mentions: ['params'],
            });
          },
        ),
        runs,
      );
      const disposed = tf.ones(W);
      disposed.dispose();
      await expectBadInput(() => t.init({ w: disposed }), {
        code: 'DISPOSED',
        mentions: ['params["w"]'],
      });
      mask.dispose();
    });

    it.each(names)(
      'regression (%s): an update of another shape than its state is refused, not broadcast',
      async (name) => {
        const mask = tf.ones(W);
        const t = transformations(mask)[name] as GradientTransformation;
        const small = { w: tf.ones([1]) };
        const state = t.init(small);
        const stateful = [...optim.stateTensors(state)].some((s) => s.size === 1 && s.rank === 1);
        const grads = { w: tf.ones(W) };
        const params = { w: tf.ones(W) };
        if (stateful) {
          await expectBadInput(() => optim.runUpdate(t, grads, state, params), {
            code: 'SHAPE_MISMATCH',
            mentions: ['updates["w"]', '[2, 3]'],
            unchanged: [watch(state) as never],
          });
          const [slot] = [...optim.stateTensors(state)];
          slot?.dispose();
          const g = { w: tf.ones([1]) };
          await expectBadInput(() => optim.runUpdate(t, g, state, small), {
            code: 'DISPOSED',
            mentions: ['state'],
          });
          g.w.dispose();
        }
        optim.disposeState(state);
        tf.dispose([small.w, grads.w, params.w, mask]);
      },
    );
  },
  { backends: ['cpu', 'wasm'] },
);

forEachBackend(
  'bad input: runUpdate, applyUpdates and the state helpers',
  () => {
    it('regression: runUpdate refuses an update of the wrong shape, int32 updates and unknown names', async () => {
      const t = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(0.1));
      const params = { w: tf.ones(W) };
      const state = t.init(params);
      const cases: [Params, DescentErrorCode, string][] = [
        [{ w: tf.ones([1]) }, 'SHAPE_MISMATCH', 'updates["w"]'],
        [{ w: tf.ones([3, 2]) }, 'SHAPE_MISMATCH', 'updates["w"]'],
        [{ w: tf.ones(W, 'int32') }, 'DTYPE_MISMATCH', 'int32'],
        [{ w: tf.ones(W), typo: tf.ones(W) }, 'UNKNOWN_PARAM', 'updates["typo"]'],
      ];
      for (const [updates, code, mention] of cases) {
        await expectBadInput(() => optim.runUpdate(t, updates, state, params), {
          code,
          mentions: [mention],
          unchanged: [watch(state) as never, params],
        });
        tf.dispose(Object.values(updates));
      }
      const shapeOnly = { w: tf.ones([1]) };
      await expectBadInput(() => optim.runUpdate(t, shapeOnly, state), {
        code: 'SHAPE_MISMATCH',
        mentions: ['updates["w"]', '[1]', '[2, 3]'],
        unchanged: [watch(state) as never],
      });
      optim.disposeState(state);
      tf.dispose([shapeOnly.w, params.w]);
    });

    it('runUpdate refuses a transform that is none', async () => {
      const grads = { w: tf.ones(W) };
      await fc.assert(
        fc.asyncProperty(notATransformation, async (bad) => {
          await expectBadInput(() => optim.runUpdate(bad as never, grads, optim.EMPTY_STATE), {
            code: 'BAD_ARGUMENT',
            mentions: ['transform'],
          });
        }),
        runs,
      );
      grads.w.dispose();
    });

    it('applyUpdates refuses bad variables and updates before changing any variable', async () => {
      const w = tf.variable(tf.ones(W), true, `bad-input-w-${Math.random()}`);
      const b = tf.variable(tf.ones(B), true, `bad-input-b-${Math.random()}`);
      const variables = { w, b };
      const good = tf.ones(B);
      const goodW = tf.ones(W);
      await fc.assert(
        fc.asyncProperty(badUpdate, async (bad) => {
          const call = badCall(bad, optim.EMPTY_STATE, {}, { b: good, w: goodW });
          fc.pre(!['param shape', 'params not a record', 'state not a state'].includes(bad.kind));
          // `b` is listed first: a bad `w` must leave `b` unchanged too.
          const updates = call.updates as Params;
          const ordered =
            updates && typeof updates === 'object' && !Array.isArray(updates)
              ? { b: good, ...updates }
              : updates;
          const code = bad.kind === 'grad shape' ? 'SHAPE_MISMATCH' : call.code;
          const mentions = bad.kind === 'grad shape' ? ['updates["w"]'] : call.mentions;
          await expectBadInput(() => optim.applyUpdates(variables, ordered as Params), {
            code: bad.kind === 'unknown name' ? 'UNKNOWN_PARAM' : code,
            mentions,
            unchanged: [w, b],
          });
          tf.dispose(call.made);
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(notAPlainObject, fc.constant({ b: tf.ones(B) })), async (bad) => {
          fc.pre(!(bad instanceof Map) && typeof bad !== 'function');
          await expectBadInput(() => optim.applyUpdates(bad as never, { b: good }), {
            code: ['BAD_ARGUMENT', 'UNKNOWN_PARAM'],
            mentions: ['variables'],
            unchanged: [w, b],
          });
        }),
        runs,
      );
      tf.dispose([w, b, good, goodW]);
    });

    it('the state helpers refuse what is no state, touching nothing', async () => {
      const t = optim.scaleByAdam();
      const params = { w: tf.ones(W) };
      const state = t.init(params);
      const badState = fc.oneof(
        notAPlainObject,
        fc.constantFrom(
          { slots: {}, scalars: {} },
          { slots: { w: 1 }, scalars: {}, inner: [] },
          { slots: { w: { m: 'x' } }, scalars: {}, inner: [] },
          { slots: {}, scalars: { count: '1' }, inner: [] },
          { slots: {}, scalars: {}, inner: [1] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(badState, async (bad) => {
          for (const [name, call] of [
            ['stateTensors: state', () => optim.stateTensors(bad as never)],
            ['disposeState: state', () => optim.disposeState(bad as never)],
            ['disposeReplaced: previous', () => optim.disposeReplaced(bad as never, state)],
            ['disposeReplaced: next', () => optim.disposeReplaced(state, bad as never)],
            ['elementState: state', () => optim.elementState(bad as never, { a: 0 }, 'a')],
            [
              'relayoutState: state',
              () => optim.relayoutState(bad as never, {}, optim.namedChain({})),
            ],
          ] as const) {
            await expectBadInput(call, {
              code: 'BAD_ARGUMENT',
              mentions: [name],
              unchanged: [watch(state) as never],
            });
          }
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(notAPlainObject, fc.constant({ slots: 1 }), fc.constant({ inner: {} })),
          async (bad) => {
            fc.pre(!(bad instanceof Map) && typeof bad !== 'function');
            await expectBadInput(() => optim.makeState(bad as never), {
              code: 'BAD_ARGUMENT',
              mentions: ['makeState: parts'],
            });
          },
        ),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(unknownName(['slots', 'scalars', 'inner']), async (key) => {
          await expectBadInput(() => optim.makeState({ [key]: {} } as never), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
          });
        }),
        runs,
      );
      await expectBadInput(() => optim.disposeReplaced(state, state, [] as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['kept'],
        unchanged: [watch(state) as never],
      });
      await expectBadInput(() => optim.stateTensors(state, [] as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['into'],
      });
      optim.disposeState(state);
      params.w.dispose();
    });

    it('elementState and relayoutState refuse bad layouts, names and chains', async () => {
      const chain = optim.namedChain({ rule: optim.scaleByAdam() });
      const state = chain.init({});
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(notAPlainObject, fc.constantFrom({ rule: -1 }, { rule: 0.5 }, { rule: 'a' })),
          async (bad) => {
            fc.pre(!(bad instanceof Map) && typeof bad !== 'function');
            await expectBadInput(() => optim.elementState(state, bad as never, 'rule'), {
              code: 'BAD_ARGUMENT',
              mentions: ['layout'],
            });
            await expectBadInput(() => optim.relayoutState(state, bad as never, chain), {
              code: 'BAD_ARGUMENT',
              mentions: ['from'],
            });
          },
        ),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.double(), fc.constant(null), fc.constant([])), async (bad) => {
          await expectBadInput(() => optim.elementState(state, chain.layout, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['name'],
          });
        }),
        runs,
      );
      await fc.assert(
        fc.asyncProperty(notATransformation, async (bad) => {
          await expectBadInput(() => optim.relayoutState(state, chain.layout, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['to'],
          });
        }),
        runs,
      );
      await expectBadInput(() => optim.relayoutState(state, chain.layout, optim.chain() as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['to.layout'],
      });
    });

    it('tensorSlot and numberSlot refuse missing slots and slots of the other kind', async () => {
      const m = tf.ones(W);
      const slots = { m, step: 1 };
      await fc.assert(
        fc.asyncProperty(unknownName(['m', 'step']), async (key) => {
          await expectBadInput(() => optim.tensorSlot(slots, key), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
          });
          await expectBadInput(() => optim.numberSlot(slots, key), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
          });
        }),
        runs,
      );
      await expectBadInput(() => optim.tensorSlot(slots, 'step'), {
        code: 'BAD_ARGUMENT',
        mentions: ['"step"', 'tensor'],
      });
      await expectBadInput(() => optim.numberSlot(slots, 'm'), {
        code: 'BAD_ARGUMENT',
        mentions: ['"m"', 'number'],
      });
      await fc.assert(
        fc.asyncProperty(notAPlainObject, async (bad) => {
          fc.pre(!(bad instanceof Map) && typeof bad !== 'function');
          await expectBadInput(() => optim.tensorSlot(bad as never, 'm'), {
            code: 'BAD_ARGUMENT',
            mentions: ['slots'],
          });
        }),
        runs,
      );
      m.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);
