/**
 * Test support (not exported): bad tensor arguments for the bad-input suite. The arbitraries only
 * describe a bad argument (fast-check must not allocate tensors); `makeBad` builds it in the test
 * body and says which code the refusal must carry.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DescentErrorCode } from '@descent/core';
import { notATensor, otherShape } from '@descent/core/testing';
import fc from 'fast-check';

/** A description of a bad tensor argument. */
export type BadTensor =
  | { kind: 'value'; value: unknown }
  | { kind: 'shape'; shape: number[] }
  | { kind: 'dtype'; shape: number[] }
  | { kind: 'disposed'; shape: number[] };

/**
 * Not a tensor, another shape than `shape`, an int32 tensor of `shape`, or a disposed one. For an
 * `optional` tensor, `undefined` (absent) is left out.
 */
export function badTensor(shape: readonly number[], optional = false): fc.Arbitrary<BadTensor> {
  return fc.oneof(
    notATensor
      .filter((v) => !optional || v !== undefined)
      .map((value): BadTensor => ({ kind: 'value', value })),
    otherShape(shape).map((s): BadTensor => ({ kind: 'shape', shape: s })),
    fc.constant<BadTensor>({ kind: 'dtype', shape: [...shape] }),
    fc.constant<BadTensor>({ kind: 'disposed', shape: [...shape] }),
  );
}

/** Not a tensor, a tensor of rank below `minRank`, an int32 or a disposed tensor (for inputs of any shape ≥ `minRank`). */
export function badInput(minRank: number, shape: readonly number[]): fc.Arbitrary<BadTensor> {
  const lowRank = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: minRank - 1 });
  return fc.oneof(
    notATensor.map((value): BadTensor => ({ kind: 'value', value })),
    lowRank.map((s): BadTensor => ({ kind: 'shape', shape: s })),
    fc.constant<BadTensor>({ kind: 'dtype', shape: [...shape] }),
    fc.constant<BadTensor>({ kind: 'disposed', shape: [...shape] }),
  );
}

const CODES: Record<BadTensor['kind'], DescentErrorCode> = {
  value: 'BAD_ARGUMENT',
  shape: 'SHAPE_MISMATCH',
  dtype: 'DTYPE_MISMATCH',
  disposed: 'DISPOSED',
};

/** The bad argument, the code its refusal carries, and a cleanup to call after the check. */
export function makeBad(bad: BadTensor): {
  arg: unknown;
  code: DescentErrorCode;
  dispose: () => void;
} {
  const code = CODES[bad.kind];
  if (bad.kind === 'value') return { arg: bad.value, code, dispose: () => {} };
  const t = bad.kind === 'dtype' ? tf.zeros(bad.shape, 'int32') : tf.zeros(bad.shape);
  if (bad.kind === 'disposed') t.dispose();
  return { arg: t, code, dispose: () => t.dispose() };
}
