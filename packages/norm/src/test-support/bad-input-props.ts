/**
 * Test support (not exported): the properties the bad-input suite runs for every op, written once.
 */
import type { DescentErrorCode } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  type Watched,
  expectBadInput,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { type BadTensor, makeBad } from './bad-input-tensors';

/** Runs `body` for `BAD_INPUT_RUNS` values of `arb`. */
export async function forAll<T>(
  arb: fc.Arbitrary<T>,
  body: (v: T) => Promise<void>,
): Promise<void> {
  await fc.assert(fc.asyncProperty(arb, body), { numRuns: BAD_INPUT_RUNS });
}

/** Every bad tensor from `arb`, passed by `call`, is refused with its code, naming `mention`. */
export async function refusesBadTensors(
  arb: fc.Arbitrary<BadTensor>,
  call: (bad: unknown) => unknown,
  mention: string,
  unchanged?: Watched,
): Promise<void> {
  await forAll(arb, async (desc) => {
    const { arg, code, dispose } = makeBad(desc);
    try {
      await expectBadInput(() => call(arg), { code, mentions: [mention], unchanged });
    } finally {
      dispose();
    }
  });
}

/** Every value from `arb` is refused with one of `code`, naming `mention`. */
export async function refusesValues(
  arb: fc.Arbitrary<unknown>,
  call: (bad: unknown) => unknown,
  code: DescentErrorCode | readonly DescentErrorCode[],
  mention: string,
  unchanged?: Watched,
): Promise<void> {
  await forAll(arb, async (v) => {
    await expectBadInput(() => call(v), { code, mentions: [mention], unchanged });
  });
}

/** A non-object where an object of `known` keys goes, and an unknown key in it, are refused. */
export async function refusesBadRecord(
  call: (record: unknown) => unknown,
  valid: Record<string, unknown>,
  known: readonly string[],
  mention: string,
  unchanged?: Watched,
): Promise<void> {
  await refusesValues(notAPlainObject, call, 'BAD_ARGUMENT', mention, unchanged);
  await forAll(unknownName(known), async (key) => {
    await expectBadInput(() => call({ ...valid, [key]: 1 }), {
      code: 'UNKNOWN_PARAM',
      mentions: [mention, JSON.stringify(key)],
      unchanged,
    });
  });
}
