import * as tf from '@tensorflow/tfjs-core';
import type { DescentErrorCode } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64';
import { Ticket } from './ticket';
import { type TicketJSON, ticketFromJSON } from './ticket-json';

const float32Base64 = (values: number[]) => {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  for (const [i, v] of values.entries()) view.setFloat32(4 * i, v, true);
  return encodeBase64(new Uint8Array(view.buffer));
};

/** A valid version-1 ticket: `w` (9 weights, 2 mask bytes) masked, `b` not. */
function valid(): TicketJSON {
  return {
    format: 'descent-lottery-ticket',
    version: 1,
    round: 2,
    rewindStep: 100,
    params: {
      w: { shape: [3, 3], float32: float32Base64([1, -2, 0.5, -0, 3, 4, 5, 6, 7]) },
      b: { shape: [2], float32: float32Base64([0.25, -0.25]) },
    },
    // elements 0, 2, 3, 7, 8 kept: bytes 0b10001101, 0b00000001
    masks: { w: { kept: 5, bits: 'jQE=' } },
  };
}

/** A ticket's JSON as a test edits it: any field may become anything. */
// biome-ignore lint/suspicious/noExplicitAny: the edits write malformed fields on purpose
type Editable = Record<string, any>;

/** `valid()` changed by `edit`. */
function tampered(edit: (json: Editable) => void): unknown {
  const json = valid() as unknown as Editable;
  edit(json);
  return json;
}

describe('ticketFromJSON', () => {
  it('writes little-endian float32 and LSB-first bits (known answers)', () => {
    const ticket = ticketFromJSON({
      format: 'descent-lottery-ticket',
      version: 1,
      round: 0,
      rewindStep: 0,
      params: { x: { shape: [2], float32: 'AACAPwAAAMA=' } }, // 1, -2: 00 00 80 3f 00 00 00 c0
      masks: { x: { kept: 1, bits: 'Ag==' } }, // 0b10: element 1 kept
    });
    expect(ticket.density().perParameter.x).toEqual({ kept: 1, total: 2, density: 0.5 });
    expect(JSON.stringify(ticket)).toBe(
      '{"format":"descent-lottery-ticket","version":1,"round":0,"rewindStep":0,' +
        '"params":{"x":{"shape":[2],"float32":"AACAPwAAAMA="}},"masks":{"x":{"kept":1,"bits":"Ag=="}}}',
    );
  });

  it('reads the object and its text alike, and writes back exactly what it read', () => {
    const json = valid();
    const fromObject = ticketFromJSON(json);
    const fromText = ticketFromJSON(JSON.stringify(json));
    expect(fromObject.toJSON()).toEqual(json);
    expect(JSON.stringify(fromText)).toBe(JSON.stringify(json));
    expect([fromText.round, fromText.rewindStep]).toEqual([2, 100]);
    expect(fromText.keys).toEqual(['w', 'b']);
    expect(fromText.maskedKeys).toEqual(['w']);
    expect(fromText.shape('w')).toEqual([3, 3]);
    expect(fromText.density().overall).toEqual({ kept: 5, total: 9, density: 5 / 9 });
    expect(json).toEqual(valid()); // the input is not changed
  });

  it('keeps the params key order, whatever the masks order', () => {
    const json = valid();
    json.masks = { b: { kept: 1, bits: 'Ag==' }, w: { kept: 5, bits: 'jQE=' } };
    const ticket = ticketFromJSON(json);
    expect(ticket.maskedKeys).toEqual(['w', 'b']);
    expect(Object.keys(ticket.toJSON().masks)).toEqual(['w', 'b']);
  });

  const refusals: [string, (json: Editable) => void, DescentErrorCode, string[]][] = [
    ['a wrong format tag', (j) => (j.format = 'descent-ticket'), 'BAD_ARGUMENT', ['format']],
    ['no format', (j) => delete j.format, 'BAD_ARGUMENT', ['"format"']],
    ['an unknown field', (j) => (j.seed = 1), 'BAD_ARGUMENT', ['"seed"']],
    ['version 2', (j) => (j.version = 2), 'BAD_HYPERPARAM', ['version', 'known versions are 1']],
    ['version "1"', (j) => (j.version = '1'), 'BAD_HYPERPARAM', ['version', '"1"']],
    ['a fractional round', (j) => (j.round = 1.5), 'BAD_HYPERPARAM', ['ticketFromJSON: round']],
    ['a negative round', (j) => (j.round = -1), 'BAD_HYPERPARAM', ['ticketFromJSON: round']],
    ['a string rewindStep', (j) => (j.rewindStep = '0'), 'BAD_HYPERPARAM', ['rewindStep']],
    ['a huge rewindStep', (j) => (j.rewindStep = 1e300), 'BAD_HYPERPARAM', ['rewindStep']],
    ['params an array', (j) => (j.params = []), 'BAD_ARGUMENT', ['ticketFromJSON: params']],
    ['no params', (j) => (j.params = {}), 'BAD_ARGUMENT', ['ticketFromJSON: params']],
    ['masks null', (j) => (j.masks = null), 'BAD_ARGUMENT', ['ticketFromJSON: masks']],
    ['a param entry a string', (j) => (j.params.b = 'x'), 'BAD_ARGUMENT', ['params["b"]']],
    ['a shape a string', (j) => (j.params.w.shape = '3,3'), 'BAD_ARGUMENT', ['params["w"].shape']],
    ['a negative dimension', (j) => (j.params.w.shape = [-3, -3]), 'BAD_ARGUMENT', ['["w"].shape']],
    ['a fractional dimension', (j) => (j.params.w.shape = [4.5, 2]), 'BAD_ARGUMENT', ['.shape']],
    ['no float32', (j) => delete j.params.b.float32, 'BAD_ARGUMENT', ['params["b"]', 'float32']],
    [
      'float32 not a string',
      (j) => (j.params.b.float32 = [0.25, -0.25]),
      'BAD_ARGUMENT',
      ['params["b"].float32'],
    ],
    [
      'float32 not base64',
      (j) => (j.params.b.float32 = 'AACAPw-AAMA='),
      'BAD_ARGUMENT',
      ['ticketFromJSON: params["b"].float32', 'character 6'],
    ],
    [
      'too few bytes for the shape',
      (j) => (j.params.w.shape = [2, 5]),
      'BAD_ARGUMENT',
      ['params["w"].float32', '36 bytes', 'needs 40'],
    ],
    [
      'a NaN weight',
      (j) => (j.params.b.float32 = float32Base64([0.25, Number.NaN])),
      'NON_FINITE',
      ['params["b"].float32', 'NaN', 'flat index 1'],
    ],
    [
      'an infinite weight',
      (j) => (j.params.b.float32 = float32Base64([Number.POSITIVE_INFINITY, 0])),
      'NON_FINITE',
      ['params["b"].float32', 'Infinity', 'flat index 0'],
    ],
    [
      'a mask without a parameter',
      (j) => (j.masks['dense9/kernel'] = { kept: 0, bits: 'AA==' }),
      'UNKNOWN_PARAM',
      ['ticketFromJSON: masks["dense9/kernel"]'],
    ],
    ['a mask entry null', (j) => (j.masks.w = null), 'BAD_ARGUMENT', ['masks["w"]']],
    ['an unknown mask field', (j) => (j.masks.w.shape = [3, 3]), 'BAD_ARGUMENT', ['"shape"']],
    ['no bits', (j) => delete j.masks.w.bits, 'BAD_ARGUMENT', ['masks["w"]', '"bits"']],
    ['a tampered kept', (j) => (j.masks.w.kept = 6), 'BAD_ARGUMENT', ['masks["w"].kept', '5']],
    ['a negative kept', (j) => (j.masks.w.kept = -1), 'BAD_ARGUMENT', ['masks["w"].kept']],
    ['a string kept', (j) => (j.masks.w.kept = '5'), 'BAD_ARGUMENT', ['masks["w"].kept']],
    [
      'bits not base64',
      (j) => (j.masks.w.bits = 'jQE'),
      'BAD_ARGUMENT',
      ['ticketFromJSON: masks["w"].bits'],
    ],
    [
      'a bit set past the last weight',
      (j) => (j.masks.w.bits = 'jQM='), // 0b11 in byte 1: element 9 of 9
      'BAD_ARGUMENT',
      ['masks["w"].bits', 'past', 'flat index 8'],
    ],
    [
      'a byte more than the mask needs',
      (j) => (j.masks.w.bits = 'jQEA'),
      'BAD_ARGUMENT',
      ['masks["w"].bits', '3 bytes', 'need 2'],
    ],
    [
      'a byte less than the mask needs',
      (j) => (j.masks.w.bits = 'jQ=='),
      'BAD_ARGUMENT',
      ['masks["w"].bits', '1 bytes', 'need 2'],
    ],
  ];

  for (const [what, edit, code, mentions] of refusals) {
    it(`refuses ${what} (${code}), naming the field`, () => {
      const json = tampered(edit);
      expectDescentError(() => ticketFromJSON(json as TicketJSON), code, ...mentions);
      expectDescentError(() => ticketFromJSON(JSON.stringify(json)), code, ...mentions);
    });
  }

  it('refuses text that is no JSON and values that are no object', () => {
    expectDescentError(() => ticketFromJSON('{"format": '), 'BAD_ARGUMENT', 'ticketFromJSON: json');
    for (const bad of [null, 42, [], '[]', '"ticket"', undefined]) {
      expectDescentError(
        () => ticketFromJSON(bad as never),
        'BAD_ARGUMENT',
        'ticketFromJSON: json',
      );
    }
  });
});

/** Masks of sizes 1, 7, 8, 9 and 1000 with hand-packed bits (element 8j + i at bit i of byte j). */
const PACKED: { pattern: number[]; kept: number; bits: string }[] = [
  { pattern: [1], kept: 1, bits: 'AQ==' }, // 0x01
  { pattern: [0, 1, 1, 0, 1, 0, 1], kept: 4, bits: 'Vg==' }, // 0x56
  { pattern: [1, 0, 0, 0, 0, 0, 0, 1], kept: 2, bits: 'gQ==' }, // 0x81
  { pattern: [1, 0, 1, 1, 0, 0, 0, 1, 1], kept: 5, bits: 'jQE=' }, // 0x8d 0x01
  {
    // every third element kept: bytes 0x49 0x92 0x24 repeated, 125 bytes in all
    pattern: Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    kept: 334,
    bits: `${'SZIk'.repeat(41)}SZI=`,
  },
];

forEachBackend('Ticket JSON masks', () => {
  it('packs masks of 1, 7, 8, 9 and 1000 weights into the documented bits, and unpacks them', async () => {
    await expectNoLeaks(async () => {
      for (const { pattern, kept, bits } of PACKED) {
        const n = pattern.length;
        const theta = tf.tensor(
          Array.from({ length: n }, (_, i) => i - 3),
          [n],
        );
        const mask = tf.tensor(pattern, [n]);
        const ticket = await Ticket.fromTensors(
          { m: theta },
          { m: mask },
          { round: 1, rewindStep: 0 },
        );
        const json = ticket.toJSON();
        expect(json.masks.m, `size ${n}`).toEqual({ kept, bits });
        const again = ticketFromJSON(JSON.stringify(json));
        const masks = again.masks();
        expect(Array.from(await (masks.m as tf.Tensor).data()), `size ${n}`).toEqual(pattern);
        expect(again.density().perParameter.m).toEqual({ kept, total: n, density: kept / n });
        tf.dispose([theta, mask, masks.m as tf.Tensor]);
      }
    });
  });

  it('reads a mask from hand-written JSON with its bits in the documented order', async () => {
    const json = valid();
    const masks = ticketFromJSON(json).masks();
    expect(Array.from(await (masks.w as tf.Tensor).data())).toEqual([1, 0, 1, 1, 0, 0, 0, 1, 1]);
    expect((masks.w as tf.Tensor).shape).toEqual([3, 3]);
    tf.dispose(masks.w as tf.Tensor);
  });
});
