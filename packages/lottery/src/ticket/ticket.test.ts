import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams } from '@descent/core';
import { expectBadInput, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { densityReport } from '../density-report';
import type { Masks } from '../masks';
import { Ticket } from './ticket';
import { ticketFromJSON } from './ticket-json';

const W = 'dense1/kernel';
const B = 'dense1/bias';
const S = 'scale';
const TINY = 1e-45; // rounds to 2^-149, the smallest float32 subnormal
/** Float32 values that a lossy format would change: -0, subnormals, the extremes. */
const SPECIAL = [
  -0,
  TINY,
  -TINY,
  1e-40,
  -3e-39,
  3.4e38,
  -3.4e38,
  3.4028234663852886e38,
  1.1754942e-38,
  0.1,
  -1.5,
  0,
];
const KERNEL = [...SPECIAL, 2, -7.25, 1e-7, -0, 12345.678, 1, -1, 0.5]; // [5, 4]
const BIAS = [-0, TINY, 0.25, -3.4e38];
const KERNEL_MASK = [1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0]; // 10 of 20 kept
const BIAS_MASK = [0, 1, 1, 0];

/** The float32 bit patterns of values, so -0 and 0 (and every subnormal) differ. */
const bitsOf = (values: ArrayLike<number>) =>
  Array.from(new Uint32Array(Float32Array.from(values).buffer));

function makeParams(): Params {
  return {
    [W]: tf.tensor(KERNEL, [5, 4], 'float32'),
    [B]: tf.tensor(BIAS, [4], 'float32'),
    [S]: tf.scalar(-0, 'float32'),
  };
}

function makeMasks(): Masks {
  return {
    [B]: tf.tensor(BIAS_MASK, [4], 'float32'),
    [W]: tf.tensor(KERNEL_MASK, [5, 4], 'float32'),
  };
}

async function readAll(params: Params): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [key, t] of Object.entries(params)) out[key] = bitsOf(await t.data());
  return out;
}

forEachBackend('Ticket', (backend) => {
  it('survives tensors → Ticket → JSON text → ticketFromJSON → tensors bit for bit, leaking nothing', async () => {
    await expectNoLeaks(async () => {
      const params = makeParams();
      const masks = makeMasks();
      const ticket = await Ticket.fromTensors(params, masks, { round: 3, rewindStep: 500 });
      const text = JSON.stringify(ticket);
      const again = ticketFromJSON(text);
      expect([again.round, again.rewindStep]).toEqual([3, 500]);
      expect(again.keys).toEqual([W, B, S]);
      expect(again.maskedKeys).toEqual([W, B]);
      expect(again.shape(W)).toEqual([5, 4]);
      expect(again.shape(S)).toEqual([]);
      const theta = again.params();
      expect(Object.keys(theta)).toEqual([W, B, S]);
      expect(theta[W]?.shape).toEqual([5, 4]);
      expect(await readAll(theta)).toEqual({
        [W]: bitsOf(KERNEL),
        [B]: bitsOf(BIAS),
        [S]: [0x80000000],
      });
      const m = again.masks();
      expect(Object.keys(m)).toEqual([W, B]);
      expect(Array.from(await (m[W] as tf.Tensor).data())).toEqual(KERNEL_MASK);
      expect(Array.from(await (m[B] as tf.Tensor).data())).toEqual(BIAS_MASK);
      expect((m[W] as tf.Tensor).dtype).toBe('float32');
      expect(JSON.stringify(again)).toBe(text);
      // The tensors passed in are untouched and still alive.
      expect(await readAll(params)).toEqual({
        [W]: bitsOf(KERNEL),
        [B]: bitsOf(BIAS),
        [S]: [0x80000000],
      });
      disposeParams(theta);
      disposeParams(m);
      disposeParams(params);
      disposeParams(masks);
    });
  });

  it('maskedParams is θ ⊙ m exactly (-0 where a negative weight is pruned), unmasked params copied', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 1, rewindStep: 0 });
    disposeParams(params);
    disposeParams(masks);
    await expectNoLeaks(async () => {
      const masked = ticket.maskedParams();
      const got = await readAll(masked);
      expect(got[W]).toEqual(bitsOf(KERNEL.map((v, i) => v * (KERNEL_MASK[i] as number))));
      expect(got[B]).toEqual(bitsOf([-0, TINY, 0.25, -0]));
      expect(got[S]).toEqual([0x80000000]);
      // Spot checks of the sign rule: -3e-39 (index 4) and -1.5 (index 10) are pruned.
      expect((got[W] as number[])[4]).toBe(0x80000000);
      expect((got[W] as number[])[10]).toBe(0x80000000);
      expect((got[W] as number[])[1]).toBe(0);
      disposeParams(masked);
    });
  });

  it('density() equals densityReport(masks), without tensors', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 1, rewindStep: 0 });
    const fromMasks = await densityReport(masks);
    const fromTicketMasks = ticket.masks();
    expect(ticket.density()).toEqual(fromMasks);
    expect(ticket.density()).toEqual(await densityReport(fromTicketMasks));
    expect(ticket.density()).toEqual({
      overall: { kept: 12, total: 24, density: 0.5 },
      perParameter: {
        [W]: { kept: 10, total: 20, density: 0.5 },
        [B]: { kept: 2, total: 4, density: 0.5 },
      },
    });
    expect(Object.keys(ticket.density().perParameter)).toEqual([W, B]);
    const dense = await Ticket.fromTensors(params, {}, { round: 0, rewindStep: 0 });
    expect(dense.density()).toEqual({
      overall: { kept: 0, total: 0, density: 1 },
      perParameter: {},
    });
    expect(dense.maskedKeys).toEqual([]);
    disposeParams(fromTicketMasks);
    disposeParams(params);
    disposeParams(masks);
  });

  it('holds host copies: disposing the inputs or writing into returned tensors changes nothing', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 2, rewindStep: 10 });
    if (backend === 'cpu') {
      // On cpu, dataSync() hands out the tensor's own storage.
      (params[W] as tf.Tensor).dataSync()[0] = 42;
      (masks[W] as tf.Tensor).dataSync()[1] = 1;
    }
    disposeParams(params);
    disposeParams(masks);
    const first = ticket.params();
    if (backend === 'cpu') (first[W] as tf.Tensor).dataSync()[2] = 42;
    const second = ticket.params();
    expect((await readAll(second))[W]).toEqual(bitsOf(KERNEL));
    const shape = ticket.shape(W);
    shape[0] = 99;
    expect(ticket.shape(W)).toEqual([5, 4]);
    const keys = ticket.keys;
    keys.pop();
    expect(ticket.keys).toEqual([W, B, S]);
    expect(ticket.density().perParameter[W]?.kept).toBe(10);
    disposeParams(first);
    disposeParams(second);
  });

  it('withParams swaps the weights and keeps masks, meta and key order', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 4, rewindStep: 7 });
    const other: Params = {
      [S]: tf.scalar(2),
      [B]: tf.tensor([1, 2, 3, 4]),
      [W]: tf.tensor(
        Array.from({ length: 20 }, (_, i) => i),
        [5, 4],
      ),
    };
    const swapped = await expectNoLeaks(() => ticket.withParams(other));
    expect([swapped.round, swapped.rewindStep]).toEqual([4, 7]);
    expect(swapped.keys).toEqual([W, B, S]);
    expect(swapped.density()).toEqual(ticket.density());
    const theta = swapped.params();
    expect(await readAll(theta)).toEqual({
      [W]: bitsOf(Array.from({ length: 20 }, (_, i) => i)),
      [B]: bitsOf([1, 2, 3, 4]),
      [S]: bitsOf([2]),
    });
    const m = swapped.masks();
    expect(Array.from(await (m[W] as tf.Tensor).data())).toEqual(KERNEL_MASK);
    // The original is unchanged.
    const original = ticket.params();
    expect((await readAll(original))[W]).toEqual(bitsOf(KERNEL));
    disposeParams(theta);
    disposeParams(m);
    disposeParams(original);
    disposeParams(other);
    disposeParams(params);
    disposeParams(masks);
  });

  it('withMasks swaps the masks and keeps weights and meta; no mask means not pruned', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 4, rewindStep: 7 });
    const ones = tf.ones([4]);
    const swapped = await expectNoLeaks(() => ticket.withMasks({ [B]: ones }));
    expect([swapped.round, swapped.rewindStep]).toEqual([4, 7]);
    expect(swapped.maskedKeys).toEqual([B]);
    expect(swapped.density()).toEqual({
      overall: { kept: 4, total: 4, density: 1 },
      perParameter: { [B]: { kept: 4, total: 4, density: 1 } },
    });
    const theta = swapped.params();
    const masked = swapped.maskedParams();
    expect(await readAll(theta)).toEqual(await readAll(masked));
    expect((await readAll(theta))[W]).toEqual(bitsOf(KERNEL));
    expect(ticket.maskedKeys).toEqual([W, B]);
    tf.dispose(ones);
    disposeParams(theta);
    disposeParams(masked);
    disposeParams(params);
    disposeParams(masks);
  });

  it('withParams and withMasks refuse other keys, shapes, dtypes and values, changing nothing', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const ticket = await Ticket.fromTensors(params, masks, { round: 1, rewindStep: 0 });
    const before = JSON.stringify(ticket);
    const b3 = tf.zeros([3]);
    const bInt = tf.zeros([4], 'int32');
    const bNaN = tf.tensor([0, 1, Number.NaN, 2]);
    const w = params[W] as tf.Tensor;
    const s = params[S] as tf.Tensor;
    const unchanged = [params, masks, b3, bInt, bNaN];
    const withParams = (p: Record<string, unknown>) => () => ticket.withParams(p as Params);
    const label = 'Ticket.withParams: params';
    await expectBadInput(withParams({ [W]: w, [S]: s }), {
      code: 'UNKNOWN_PARAM',
      mentions: [label, `missing "${B}"`],
      unchanged,
    });
    await expectBadInput(withParams({ [W]: w, [B]: params[B], [S]: s, extra: s }), {
      code: 'UNKNOWN_PARAM',
      mentions: [label, 'extra "extra"'],
      unchanged,
    });
    await expectBadInput(withParams({ [W]: w, [B]: b3, [S]: s }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`${label}["${B}"]`, '[3]', '[4]'],
      unchanged,
    });
    await expectBadInput(withParams({ [W]: w, [B]: bInt, [S]: s }), {
      code: 'DTYPE_MISMATCH',
      mentions: [`${label}["${B}"]`, 'int32'],
      unchanged,
    });
    await expectBadInput(withParams({ [W]: w, [B]: bNaN, [S]: s }), {
      code: 'NON_FINITE',
      mentions: [`${label}["${B}"]`, 'NaN', 'flat index 2'],
      unchanged,
    });
    await expectBadInput(withParams({}), { code: 'BAD_ARGUMENT', mentions: [label] });
    await expectBadInput(() => ticket.withParams(w as never), {
      code: 'BAD_ARGUMENT',
      mentions: [label],
    });
    const mLabel = 'Ticket.withMasks: masks';
    const withMasks = (m: Record<string, unknown>) => () => ticket.withMasks(m as Masks);
    await expectBadInput(withMasks({ nope: b3 }), {
      code: 'UNKNOWN_PARAM',
      mentions: [`${mLabel}["nope"]`],
      unchanged,
    });
    await expectBadInput(withMasks({ [B]: b3 }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`${mLabel}["${B}"]`, '[3]', '[4]'],
      unchanged,
    });
    await expectBadInput(withMasks({ [B]: bInt }), {
      code: 'DTYPE_MISMATCH',
      mentions: [`${mLabel}["${B}"]`],
      unchanged,
    });
    await expectBadInput(withMasks({ [B]: bNaN }), {
      code: 'BAD_ARGUMENT',
      mentions: [`${mLabel}["${B}"]`, 'NaN', 'flat index 2'],
      unchanged,
    });
    await expectBadInput(() => ticket.withMasks(null as never), {
      code: 'BAD_ARGUMENT',
      mentions: [mLabel],
    });
    expect(JSON.stringify(ticket)).toBe(before);
    tf.dispose([b3, bInt, bNaN]);
    disposeParams(params);
    disposeParams(masks);
  });

  it('fromTensors refuses bad params, masks and meta, naming them, before reading', async () => {
    const params = makeParams();
    const masks = makeMasks();
    const w = params[W] as tf.Tensor;
    const wInt = tf.zeros([5, 4], 'int32');
    const wNaN = tf.tensor(
      KERNEL.map((v, i) => (i === 13 ? Number.NEGATIVE_INFINITY : v)),
      [5, 4],
    );
    const m3 = tf.ones([3]);
    const mHalf = tf.fill([4], 0.5);
    const gone = tf.ones([4]);
    gone.dispose();
    const unchanged = [params, masks, wInt, wNaN, m3, mHalf];
    const meta = { round: 1, rewindStep: 0 };
    const from =
      (p: unknown, m: unknown, x: unknown = meta) =>
      () =>
        Ticket.fromTensors(p as Params, m as Masks, x as never);
    const P = 'Ticket.fromTensors: params';
    const M = 'Ticket.fromTensors: masks';
    for (const bad of [null, 3, [w], w, new Map()]) {
      await expectBadInput(from(bad, {}), { code: 'BAD_ARGUMENT', mentions: [P], unchanged });
      await expectBadInput(from(params, bad), { code: 'BAD_ARGUMENT', mentions: [M], unchanged });
    }
    await expectBadInput(from({}, {}), { code: 'BAD_ARGUMENT', mentions: [P, 'at least one'] });
    await expectBadInput(from({ [W]: 'w' }, {}), {
      code: 'BAD_ARGUMENT',
      mentions: [`${P}["${W}"]`],
    });
    await expectBadInput(from({ [W]: wInt }, {}), {
      code: 'DTYPE_MISMATCH',
      mentions: [`${P}["${W}"]`, 'int32', 'float32'],
      unchanged,
    });
    await expectBadInput(from({ [W]: w, [B]: gone }, {}), {
      code: 'DISPOSED',
      mentions: [`${P}["${B}"]`],
      unchanged,
    });
    await expectBadInput(from({ [W]: wNaN }, {}), {
      code: 'NON_FINITE',
      mentions: [`${P}["${W}"]`, '-Infinity', 'flat index 13'],
      unchanged,
    });
    await expectBadInput(from(params, { 'dense2/kernel': masks[W] }), {
      code: 'UNKNOWN_PARAM',
      mentions: [`${M}["dense2/kernel"]`],
      unchanged,
    });
    await expectBadInput(from(params, { [B]: m3 }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`${M}["${B}"]`, '[3]', '[4]'],
      unchanged,
    });
    await expectBadInput(from(params, { [B]: wInt }), {
      code: 'DTYPE_MISMATCH',
      mentions: [`${M}["${B}"]`],
      unchanged,
    });
    await expectBadInput(from(params, { [B]: gone }), {
      code: 'DISPOSED',
      mentions: [`${M}["${B}"]`],
    });
    await expectBadInput(from(params, { [B]: mHalf }), {
      code: 'BAD_ARGUMENT',
      mentions: [`${M}["${B}"]`, '0.5', 'flat index 0'],
      unchanged,
    });
    const metaCases: [unknown, string, string][] = [
      [{ round: 1.5, rewindStep: 0 }, 'BAD_HYPERPARAM', 'meta.round'],
      [{ round: -1, rewindStep: 0 }, 'BAD_HYPERPARAM', 'meta.round'],
      [{ round: '3', rewindStep: 0 }, 'BAD_HYPERPARAM', 'meta.round'],
      [{ rewindStep: 0 }, 'BAD_HYPERPARAM', 'meta.round'],
      [{ round: 1, rewindStep: -5 }, 'BAD_HYPERPARAM', 'meta.rewindStep'],
      [{ round: 1, rewindStep: 2 ** 53 }, 'BAD_HYPERPARAM', 'meta.rewindStep'],
      [{ round: 1, rewindStep: Number.NaN }, 'NON_FINITE', 'meta.rewindStep'],
      [{ round: 1, rewindStep: 0, rewind: 3 }, 'UNKNOWN_PARAM', '"rewind"'],
      [null, 'BAD_ARGUMENT', 'meta'],
      [7, 'BAD_ARGUMENT', 'meta'],
    ];
    for (const [bad, code, mention] of metaCases) {
      await expectBadInput(from(params, masks, bad), {
        code: code as 'BAD_HYPERPARAM',
        mentions: ['Ticket.fromTensors', mention],
        unchanged,
      });
    }
    tf.dispose([wInt, wNaN, m3, mHalf]);
    disposeParams(params);
    disposeParams(masks);
  });

  it('shape() refuses a name that is no parameter', async () => {
    const params = makeParams();
    const ticket = await Ticket.fromTensors(params, {}, { round: 0, rewindStep: 0 });
    await expectBadInput(() => ticket.shape('dense9/kernel'), {
      code: 'UNKNOWN_PARAM',
      mentions: ['Ticket.shape', '"dense9/kernel"', `"${W}"`],
    });
    disposeParams(params);
  });
});
