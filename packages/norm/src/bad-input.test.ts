/**
 * Bad input to every public function of @descent/norm: each is refused with a DescentError of a
 * known code whose message names the argument, before anything is computed — no tensor leaks and
 * no state (running statistics, spectral-norm `u`, parameters) changes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import {
  type Watched,
  badNumber,
  expectBadInput,
  expectClose,
  expectExportsCovered,
  forEachBackend,
  notABoolean,
  notAPlainObject,
} from '@descent/core/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as pkg from './index';
import { badInput, badTensor } from './test-support/bad-input-tensors';
import { refusesBadRecord, refusesBadTensors, refusesValues } from './test-support/bad-input-props';
import { mlp } from './test-support/mlp';

const NUM = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;
const C = 4;

/** A bad axis for a tensor of rank `rank`. */
const badAxis = (rank: number) => badNumber({ integer: true, min: -rank, max: rank - 1 });

type Affine = { gamma: tf.Tensor; beta: tf.Tensor };

/** Cases for ops of the form `op(x, { gamma, beta }, options)`. */
function statelessCases(
  name: string,
  shape: number[],
  minRank: number,
  op: (x: unknown, params: unknown, options?: unknown) => unknown,
  optionCases: (x: tf.Tensor, p: Affine) => Promise<void>,
  base: Record<string, unknown> = {},
) {
  it(`${name}: bad x, params and options are refused`, async () => {
    const x = tf.zeros(shape);
    const p = { gamma: tf.ones([C]), beta: tf.zeros([C]) };
    await refusesBadTensors(badInput(minRank, shape), (b) => op(b, p, base), `${name}: x`, p);
    for (const key of ['gamma', 'beta'] as const) {
      await refusesBadTensors(
        badTensor([C], true),
        (b) => op(x, { [key]: b }, base),
        `${name}: params.${key}`,
      );
    }
    await refusesBadRecord((r) => op(x, r, base), p, ['gamma', 'beta'], `${name}: params`, p);
    await refusesBadRecord((o) => op(x, p, o), base, Object.keys(base), `${name} options`, p);
    await refusesValues(
      badNumber({ min: 0, minExclusive: true }),
      (e) => op(x, p, { ...base, epsilon: e }),
      NUM,
      `${name}.epsilon`,
      p,
    );
    await optionCases(x, p);
    tf.dispose([x, p.gamma, p.beta]);
  });
}

type Stateful = (x: unknown, params: unknown, state: unknown, options: unknown) => unknown;

/** Cases shared by batchNorm, batchRenorm and switchableNorm (`x` of `shape`, `C` channels last). */
async function statefulCases(
  name: string,
  op: Stateful,
  shape: number[],
  minRank: number,
  extra: Record<string, tf.Tensor>,
  more: (call: (o: Record<string, unknown>) => unknown, watched: Watched) => Promise<void>,
) {
  const x = tf.randomNormal(shape);
  const p = { gamma: tf.ones([C]), beta: tf.zeros([C]), ...extra };
  const state = pkg.batchNormState(C);
  const watched: Watched = [state, p];
  const train = { training: true };
  await refusesBadTensors(
    badInput(minRank, shape),
    (b) => op(b, p, state, train),
    `${name}: x`,
    watched,
  );
  for (const key of ['gamma', 'beta'] as const) {
    await refusesBadTensors(
      badTensor([C], true),
      (b) => op(x, { ...p, [key]: b }, state, train),
      `${name}: params.${key}`,
      watched,
    );
  }
  await refusesBadRecord(
    (r) => op(x, r, state, train),
    p,
    Object.keys(p),
    `${name}: params`,
    watched,
  );
  for (const key of ['mean', 'variance'] as const) {
    await refusesBadTensors(
      badTensor([C]),
      (b) => op(x, p, { ...state, [key]: b }, train),
      `${name}: state.${key}`,
      watched,
    );
  }
  await refusesBadRecord(
    (s) => op(x, p, s, train),
    state,
    ['mean', 'variance'],
    `${name}: state`,
    watched,
  );
  await refusesBadRecord(
    (o) => op(x, p, state, o),
    train,
    Object.keys(train),
    `${name} options`,
    watched,
  );
  await refusesValues(
    notABoolean,
    (t) => op(x, p, state, { training: t }),
    'BAD_HYPERPARAM',
    `${name}.training`,
    watched,
  );
  await expectBadInput(() => op(x, p, state, {}), {
    code: 'BAD_HYPERPARAM',
    mentions: [`${name}.training`],
    unchanged: watched,
  });
  await expectBadInput(() => op(x, p, state, { training: null }), {
    code: 'BAD_HYPERPARAM',
    mentions: [`${name}.training`],
    unchanged: watched,
  });
  const call = (o: Record<string, unknown>) => op(x, p, state, { training: true, ...o });
  await refusesValues(
    badNumber({ min: 0, max: 1 }),
    (m) => call({ momentum: m }),
    NUM,
    `${name}.momentum`,
    watched,
  );
  await refusesValues(
    badNumber({ min: 0, minExclusive: true }),
    (e) => call({ epsilon: e }),
    NUM,
    `${name}.epsilon`,
    watched,
  );
  const single = tf.zeros([1, ...shape.slice(1, -1).map(() => 1), C]);
  await expectBadInput(() => op(single, p, state, train), {
    code: 'SHAPE_MISMATCH',
    mentions: [`${name}: x`, 'training needs at least 2'],
    unchanged: watched,
  });
  single.dispose();
  await more(call, watched);
  pkg.disposeState(state);
  tf.dispose([x, ...Object.values(p)]);
}

const CASES: Record<string, () => void> = {
  batchNorm: () =>
    it('batchNorm: bad x, params, state and options are refused; state unchanged', async () => {
      await statefulCases(
        'batchNorm',
        pkg.batchNorm as Stateful,
        [3, 2, C],
        2,
        {},
        async (call, watched) => {
          await refusesValues(badAxis(3), (a) => call({ axis: a }), NUM, 'batchNorm.axis', watched);
          await refusesValues(
            notABoolean,
            (u) => call({ unbiasedRunningVariance: u }),
            'BAD_HYPERPARAM',
            'batchNorm.unbiasedRunningVariance',
            watched,
          );
        },
      );
    }),
  batchRenorm: () =>
    it('batchRenorm: bad x, params, state and options are refused; state unchanged', async () => {
      await statefulCases(
        'batchRenorm',
        pkg.batchRenorm as Stateful,
        [3, 2, C],
        2,
        {},
        async (call, watched) => {
          await refusesValues(
            badAxis(3),
            (a) => call({ axis: a }),
            NUM,
            'batchRenorm.axis',
            watched,
          );
          await refusesValues(
            badNumber({ min: 1 }),
            (r) => call({ rMax: r }),
            NUM,
            'batchRenorm.rMax',
            watched,
          );
          await refusesValues(
            badNumber({ min: 0 }),
            (d) => call({ dMax: d }),
            NUM,
            'batchRenorm.dMax',
            watched,
          );
          await refusesValues(
            notABoolean,
            (u) => call({ unbiasedRunningVariance: u }),
            'BAD_HYPERPARAM',
            'batchRenorm.unbiasedRunningVariance',
            watched,
          );
        },
      );
    }),
  switchableNorm: () =>
    it('switchableNorm: bad x, params (logits too), state and options are refused; state unchanged', async () => {
      const logits = { meanLogits: tf.zeros([3]), varLogits: tf.zeros([3]) };
      await statefulCases(
        'switchableNorm',
        pkg.switchableNorm as Stateful,
        [2, 3, C],
        3,
        { meanLogits: tf.zeros([3]), varLogits: tf.zeros([3]) },
        async () => {},
      );
      const x = tf.zeros([2, 3, C]);
      const state = pkg.batchNormState(C);
      for (const key of ['meanLogits', 'varLogits'] as const) {
        const other =
          key === 'meanLogits'
            ? { varLogits: logits.varLogits }
            : { meanLogits: logits.meanLogits };
        await refusesBadTensors(
          badTensor([3]),
          (b) => pkg.switchableNorm(x, { ...other, [key]: b } as never, state, { training: true }),
          `switchableNorm: params.${key}`,
          [state, logits],
        );
        await expectBadInput(
          () => pkg.switchableNorm(x, other as never, state, { training: true }),
          { code: 'BAD_ARGUMENT', mentions: [`switchableNorm: params.${key}`], unchanged: [state] },
        );
      }
      pkg.disposeState(state);
      tf.dispose([x, logits.meanLogits, logits.varLogits]);
    }),
  layerNorm: () =>
    statelessCases('layerNorm', [2, 3, C], 1, pkg.layerNorm as never, async (x, p) => {
      await refusesValues(
        badAxis(3),
        (a) => pkg.layerNorm(x, {}, { axis: a as number }),
        NUM,
        'layerNorm.axis',
        p,
      );
      await refusesValues(
        fc.constantFrom([], [1, -2], [2, 2], [0, 3]),
        (a) => pkg.layerNorm(x, {}, { axis: a as number[] }),
        'BAD_HYPERPARAM',
        'layerNorm.axis',
        p,
      );
    }),
  groupNorm: () =>
    statelessCases(
      'groupNorm',
      [2, 3, C],
      2,
      pkg.groupNorm as never,
      async (x, p) => {
        await refusesValues(
          badNumber({ integer: true, min: 1 }),
          (g) => pkg.groupNorm(x, p, { groups: g as number }),
          NUM,
          'groupNorm.groups',
          p,
        );
        await refusesValues(
          fc.constantFrom(3, 5, 8),
          (g) => pkg.groupNorm(x, p, { groups: g as number }),
          'BAD_HYPERPARAM',
          'groupNorm.groups',
          p,
        );
      },
      { groups: 2 },
    ),
  instanceNorm: () =>
    statelessCases('instanceNorm', [2, 3, C], 3, pkg.instanceNorm as never, async () => {}),
  weightNorm: () =>
    it('weightNorm: bad v, g and options are refused', async () => {
      const v = tf.ones([3, C]);
      const g = tf.ones([C]);
      await refusesBadTensors(
        badInput(2, [3, C]),
        (b) => pkg.weightNorm(b as never, g),
        'weightNorm: v',
        [g],
      );
      await refusesBadTensors(
        badTensor([C]),
        (b) => pkg.weightNorm(v, b as never),
        'weightNorm: g',
        [v],
      );
      await refusesBadRecord(
        (o) => pkg.weightNorm(v, g, o as never),
        {},
        ['axis'],
        'weightNorm options',
        [v, g],
      );
      await refusesValues(
        badAxis(2),
        (a) => pkg.weightNorm(v, g, { axis: a as number }),
        NUM,
        'weightNorm.axis',
        [v, g],
      );
      tf.dispose([v, g]);
    }),
  spectralNorm: () =>
    it('spectralNorm: bad W, state and options are refused; u unchanged', async () => {
      const W = tf.randomNormal([3, C]);
      const state = pkg.spectralNormState([3, C], new Rng(1));
      const train = { training: true };
      await refusesBadTensors(
        badInput(2, [3, C]),
        (b) => pkg.spectralNorm(b as never, state, train),
        'spectralNorm: W',
        [state],
      );
      await refusesBadTensors(
        badTensor([C]),
        (b) => pkg.spectralNorm(W, { u: b } as never, train),
        'spectralNorm: state.u',
        [W],
      );
      await refusesBadRecord(
        (s) => pkg.spectralNorm(W, s as never, train),
        state,
        ['u'],
        'spectralNorm: state',
        [state],
      );
      await refusesBadRecord(
        (o) => pkg.spectralNorm(W, state, o as never),
        train,
        ['training'],
        'spectralNorm options',
        [state],
      );
      await refusesValues(
        notABoolean,
        (t) => pkg.spectralNorm(W, state, { training: t as boolean }),
        'BAD_HYPERPARAM',
        'spectralNorm.training',
        [state],
      );
      await expectBadInput(() => pkg.spectralNorm(W, state, {} as never), {
        code: 'BAD_HYPERPARAM',
        mentions: ['spectralNorm.training'],
        unchanged: [state],
      });
      await refusesValues(
        badNumber({ integer: true, min: 0 }),
        (i) => pkg.spectralNorm(W, state, { training: true, iterations: i as number }),
        NUM,
        'spectralNorm.iterations',
        [state],
      );
      await refusesValues(
        badNumber({ min: 0, minExclusive: true }),
        (e) => pkg.spectralNorm(W, state, { training: true, epsilon: e as number }),
        NUM,
        'spectralNorm.epsilon',
        [state],
      );
      pkg.disposeState(state);
      W.dispose();
    }),
  spectralNormState: () =>
    it('spectralNormState: a bad kernel shape or rng is refused', async () => {
      const rng = new Rng(0);
      const badDim = fc.oneof(
        fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
        fc.constantFrom('3', null, [2]),
      );
      await refusesValues(
        fc.oneof(
          notAPlainObject.filter((v) => !Array.isArray(v)),
          badDim.map((d) => [3, d]),
          badDim.map((d) => [d, 3]),
        ),
        (s) => pkg.spectralNormState(s as number[], rng),
        'BAD_ARGUMENT',
        'spectralNormState: kernelShape',
      );
      await refusesValues(
        fc.constantFrom([], [4]),
        (s) => pkg.spectralNormState(s as number[], rng),
        'SHAPE_MISMATCH',
        'spectralNormState: kernelShape',
      );
      await refusesValues(
        fc.oneof(notAPlainObject, fc.constant({})),
        (r) => pkg.spectralNormState([3, C], r as Rng),
        'BAD_ARGUMENT',
        'spectralNormState: rng',
      );
    }),
  spectralNormValue: () =>
    it('spectralNormValue: bad W (non-finite values too) and options are refused', async () => {
      const W = tf.randomNormal([3, C]);
      await refusesBadTensors(
        badInput(1, [3, C]).filter((b) => b.kind !== 'dtype'),
        (b) => pkg.spectralNormValue(b as never),
        'spectralNormValue: W',
      );
      const nan = tf.tensor2d([
        [1, Number.NaN],
        [0, 1],
      ]);
      await expectBadInput(() => pkg.spectralNormValue(nan), {
        code: 'NON_FINITE',
        mentions: ['spectralNormValue: W', 'index 1'],
      });
      nan.dispose();
      await refusesBadRecord(
        (o) => pkg.spectralNormValue(W, o as never),
        {},
        ['method', 'iterations', 'tol'],
        'spectralNormValue options',
        [W],
      );
      await refusesValues(
        fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('Exact', 'svd', 1)),
        (m) => pkg.spectralNormValue(W, { method: m as 'exact' }),
        'BAD_HYPERPARAM',
        'spectralNormValue.method',
      );
      await refusesValues(
        badNumber({ integer: true, min: 1 }),
        (i) => pkg.spectralNormValue(W, { iterations: i as number }),
        NUM,
        'spectralNormValue.iterations',
      );
      await refusesValues(
        badNumber({ min: 0 }),
        (t) => pkg.spectralNormValue(W, { tol: t as number }),
        NUM,
        'spectralNormValue.tol',
      );
      W.dispose();
    }),
  lipschitzUpperBound: () =>
    it('lipschitzUpperBound: a bad model, a non-finite or vector weight and bad options are refused', async () => {
      const model = mlp([3, 4, 2], 0);
      await refusesValues(
        notAPlainObject,
        (m) => pkg.lipschitzUpperBound(m as never),
        'BAD_ARGUMENT',
        'lipschitzUpperBound: model',
        [model.params],
      );
      await refusesBadRecord(
        (o) => pkg.lipschitzUpperBound(model, o as never),
        {},
        ['method', 'iterations', 'tol'],
        'lipschitzUpperBound options',
        [model.params],
      );
      await refusesValues(
        badNumber({ min: 0 }),
        (t) => pkg.lipschitzUpperBound(model, { tol: t as number }),
        NUM,
        'lipschitzUpperBound.tol',
        [model.params],
      );
      const nan = tf.fill([4, 2], Number.NaN);
      const withNan = { ...model, params: { ...model.params, 'dense2/kernel': nan } };
      await expectBadInput(() => pkg.lipschitzUpperBound(withNan), {
        code: 'NON_FINITE',
        mentions: ['dense2/kernel'],
        unchanged: [model.params],
      });
      const asVector = {
        ...model,
        info: { ...model.info, 'dense1/bias': { ...model.info['dense1/bias'], role: 'weight' } },
      };
      await expectBadInput(() => pkg.lipschitzUpperBound(asVector as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['dense1/bias'],
      });
      tf.dispose([nan, ...Object.values(model.params)]);
    }),
  batchNormState: () =>
    it('batchNormState: a bad channel count is refused', async () => {
      await refusesValues(
        badNumber({ integer: true, min: 1, max: 2 ** 24 }),
        (c) => pkg.batchNormState(c as number),
        NUM,
        'batchNormState: channels',
      );
    }),
  checkBatchNormState: () =>
    it('checkBatchNormState: bad structure, channels and values are refused', async () => {
      const state = pkg.batchNormState(C);
      await refusesBadRecord(
        (s) => pkg.checkBatchNormState(s as never),
        state,
        ['mean', 'variance'],
        'checkBatchNormState: state',
        [state],
      );
      for (const key of ['mean', 'variance'] as const) {
        await refusesBadTensors(
          badTensor([C]).filter((b) => b.kind !== 'shape' || b.shape.length === 1),
          (b) => pkg.checkBatchNormState({ ...state, [key]: b } as never, C),
          `checkBatchNormState: state.${key}`,
          [state],
        );
      }
      await refusesValues(
        badNumber({ integer: true, min: 1, max: 2 ** 24 }),
        (c) => pkg.checkBatchNormState(state, c as number),
        NUM,
        'checkBatchNormState: channels',
        [state],
      );
      await expectBadInput(() => pkg.checkBatchNormState(state, C + 1), {
        code: 'SHAPE_MISMATCH',
        mentions: ['checkBatchNormState: state.mean', `[${C + 1}]`],
      });
      const nanMean = { mean: tf.tensor1d([0, Number.NaN, 0, 0]), variance: state.variance };
      await expectBadInput(() => pkg.checkBatchNormState(nanMean), {
        code: 'NON_FINITE',
        mentions: ['state.mean', 'index 1'],
      });
      nanMean.mean.dispose();
      pkg.disposeState(state);
    }),
  disposeState: () =>
    it('disposeState: a non-object state is refused', async () => {
      const t = tf.zeros([2]);
      await refusesValues(
        fc.oneof(notAPlainObject, fc.constant(t)),
        (s) => pkg.disposeState(s as object),
        'BAD_ARGUMENT',
        'disposeState: state',
        [t],
      );
      t.dispose();
    }),
  keepState: () =>
    it('keepState: a non-object state is refused', async () => {
      const t = tf.zeros([2]);
      await refusesValues(
        fc.oneof(notAPlainObject, fc.constant(t)),
        (s) => pkg.keepState(s as object),
        'BAD_ARGUMENT',
        'keepState: state',
        [t],
      );
      t.dispose();
    }),
};

it('every callable export has bad-input cases', () => {
  expectExportsCovered(pkg, CASES, {});
});

forEachBackend(
  'bad input',
  () => {
    for (const cases of Object.values(CASES)) cases();
    regressions();
  },
  { backends: ['cpu', 'wasm'] },
);

function regressions() {
  it('regression: batchNormState(1e10) is refused with a DescentError naming channels', async () => {
    await expectBadInput(() => pkg.batchNormState(1e10), {
      code: 'BAD_HYPERPARAM',
      mentions: ['batchNormState: channels', '10000000000'],
    });
    await expectBadInput(() => pkg.spectralNormState([3, 1e10], new Rng(0)), {
      code: 'BAD_ARGUMENT',
      mentions: ['spectralNormState: kernelShape'],
    });
  });

  it('regression: a negative running variance (batchNorm inference gave NaN) is refused by checkBatchNormState', async () => {
    const state = { mean: tf.zeros([C]), variance: tf.tensor1d([1, 1, -2, 1]) };
    await expectBadInput(() => pkg.checkBatchNormState(state, C), {
      code: 'BAD_ARGUMENT',
      mentions: ['checkBatchNormState: state.variance', '-2', 'index 2'],
      unchanged: [state],
    });
    const fresh = pkg.batchNormState(C);
    await expect(pkg.checkBatchNormState(fresh, C)).resolves.toBeUndefined();
    tf.dispose([state.mean, state.variance]);
    pkg.disposeState(fresh);
  });

  it('regression: spectralNorm with an all-zero u (0/0 before) restarts from the uniform unit vector', async () => {
    const W = tf.tensor2d([
      [3, 0],
      [4, 5],
    ]);
    const zero = { u: tf.zeros([2]) };
    const uniform = { u: tf.fill([2], Math.SQRT1_2) };
    for (const training of [true, false]) {
      const a = pkg.spectralNorm(W, zero, { training, iterations: 2 });
      const b = pkg.spectralNorm(W, uniform, { training, iterations: 2 });
      await expectClose(a.w, b.w, { rtol: 0, atol: 0 });
      if (training) await expectClose(a.state.u, b.state.u, { rtol: 0, atol: 0 });
      const values = await a.w.data();
      expect(values.every((v) => Number.isFinite(v))).toBe(true);
      for (const r of [a, b]) {
        r.w.dispose();
        pkg.disposeState(r.state);
      }
    }
    tf.dispose([W, zero.u, uniform.u]);
  });

  it('regression: groupNorm / instanceNorm of an empty batch give an empty result with zero gradients on every backend', async () => {
    const x = tf.zeros([0, 2, 2, C]);
    const gamma = tf.ones([C]);
    const beta = tf.zeros([C]);
    const ops: [string, (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
      ['groupNorm', (x, g, b) => pkg.groupNorm(x, { gamma: g, beta: b }, { groups: 2 })],
      ['instanceNorm', (x, g, b) => pkg.instanceNorm(x, { gamma: g, beta: b })],
      ['layerNorm', (x, g, b) => pkg.layerNorm(x, { gamma: g, beta: b })],
    ];
    const before = tf.memory().numTensors;
    for (const [name, op] of ops) {
      const y = op(x, gamma, beta);
      expect(y.shape, name).toEqual([0, 2, 2, C]);
      const [dx, dg, db] = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(op(a, g, b)),
      )([x, gamma, beta]);
      expect(dx?.shape, name).toEqual([0, 2, 2, C]);
      await expectClose(dg as tf.Tensor, [0, 0, 0, 0], { rtol: 0, atol: 0 });
      await expectClose(db as tf.Tensor, [0, 0, 0, 0], { rtol: 0, atol: 0 });
      tf.dispose([y, dx as tf.Tensor, dg as tf.Tensor, db as tf.Tensor]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta]);
  });
}
