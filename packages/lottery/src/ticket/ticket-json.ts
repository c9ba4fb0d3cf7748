import { DescentError, checkNumber, describeValue, isPlainObject } from '@descent/core';
import { decodeBase64, encodeBase64 } from './base64';
import {
  type PackedMask,
  type Ticket,
  type TicketEntry,
  type TicketState,
  countBits,
  ticketFromState,
} from './ticket';

/** The `format` tag of every {@link TicketJSON}. */
const FORMAT = 'descent-lottery-ticket';
/** The versions {@link ticketFromJSON} reads. */
const KNOWN_VERSIONS: readonly number[] = [1];
const TOP_KEYS = ['format', 'version', 'round', 'rewindStep', 'params', 'masks'];
const PARAM_KEYS = ['shape', 'float32'];
const MASK_KEYS = ['kept', 'bits'];
const COUNT = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true };
const WHAT = 'ticketFromJSON';

/** One parameter's weights in a {@link TicketJSON}. */
export interface TicketParamJSON {
  /** The tensor's shape, e.g. `[784, 300]` (`[]` for a scalar). */
  shape: number[];
  /** Base64 (RFC 4648, padded) of the weights as little-endian float32, 4 bytes each, row-major. */
  float32: string;
}

/** One parameter's mask in a {@link TicketJSON}. */
export interface TicketMaskJSON {
  /** The number of kept weights (set bits). */
  kept: number;
  /**
   * Base64 of the packed mask: bit `i` (least significant first) of byte `j` is weight `8j + i`
   * in row-major order, 1 = kept; `ceil(size / 8)` bytes, and the bits past the last weight are 0.
   */
  bits: string;
}

/**
 * A {@link Ticket} as JSON, version 1 — what `JSON.stringify(ticket)` writes and
 * {@link ticketFromJSON} reads:
 *
 * ```json
 * { "format": "descent-lottery-ticket", "version": 1, "round": 3, "rewindStep": 0,
 *   "params": { "dense1/kernel": { "shape": [784, 300], "float32": "<base64>" }, … },
 *   "masks":  { "dense1/kernel": { "kept": 150528, "bits": "<base64>" }, … } }
 * ```
 *
 * - `format` is always `"descent-lottery-ticket"`; `version` is `1`. A reader refuses other
 *   versions rather than guess.
 * - `round` (the pruning round, 0 = dense) and `rewindStep` (the training step of the weights,
 *   0 = initialization) are integers ≥ 0.
 * - `params` holds every parameter, in the ticket's key order: its `shape` and its weights θ
 *   (not masked) as base64 of little-endian float32 bytes — exact, bit for bit (`-0` and
 *   subnormals included); the weights are finite.
 * - `masks` holds one entry per masked parameter (a key of `params`): `kept`, the number of 1s,
 *   and `bits`, base64 of the mask packed 8 weights to a byte, weight `8j + i` at bit `i` of byte
 *   `j`, least significant bit first; `ceil(size / 8)` bytes whose bits past the last weight are
 *   0. A parameter without an entry is not pruned.
 *
 * Base64 is the standard alphabet of RFC 4648 §4 with `=` padding, no line breaks.
 *
 * @example
 * ```ts
 * const json: TicketJSON = ticket.toJSON();
 * localStorage.setItem('ticket', JSON.stringify(json));
 * ```
 */
export interface TicketJSON {
  format: 'descent-lottery-ticket';
  version: 1;
  round: number;
  rewindStep: number;
  params: Record<string, TicketParamJSON>;
  masks: Record<string, TicketMaskJSON>;
}

/**
 * Writes a ticket's state as {@link TicketJSON} (what `Ticket.toJSON` returns). Little-endian is
 * written explicitly, so the text is the same on every platform.
 */
export function encodeTicket(state: TicketState): TicketJSON {
  const params = Object.fromEntries(
    state.entries.map((e) => [e.key, { shape: [...e.shape], float32: encodeWeights(e.weights) }]),
  );
  const masks = Object.fromEntries(
    state.entries
      .filter((e) => e.mask !== undefined)
      .map((e) => {
        const mask = e.mask as PackedMask;
        return [e.key, { kept: mask.kept, bits: encodeBase64(mask.bits) }];
      }),
  );
  return {
    format: FORMAT,
    version: 1,
    round: state.round,
    rewindStep: state.rewindStep,
    params,
    masks,
  };
}

/**
 * Reads a {@link Ticket} from its {@link TicketJSON} (the object, or the text
 * `JSON.stringify` made of it), checking every field; synchronous, and no tensor is made.
 *
 * @param json - A `TicketJSON` object or its JSON text.
 * @returns a new ticket, bit-identical to the one written.
 * @throws DescentError naming the field (e.g. `ticketFromJSON: masks["dense1/kernel"].bits`):
 *   `BAD_ARGUMENT` (not JSON or not an object, a wrong `format`, a missing, unknown or malformed
 *   field, bad base64, a byte length unlike the shape's, a `kept` unlike the number of set bits,
 *   a bit set past the last weight); `BAD_HYPERPARAM` (an unknown `version`, a `round` or
 *   `rewindStep` that is no integer ≥ 0); `UNKNOWN_PARAM` (a mask for no parameter);
 *   `NON_FINITE` (a NaN or ±∞ weight, naming its flat index).
 * @example
 * ```ts
 * const ticket = ticketFromJSON(await fs.readFile('ticket-round3.json', 'utf8'));
 * const start = ticket.maskedParams();
 * ```
 */
export function ticketFromJSON(json: TicketJSON | string): Ticket {
  const root = parseRoot(json);
  checkFields(WHAT, root, TOP_KEYS);
  if (root.format !== FORMAT) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${WHAT}: format must be ${JSON.stringify(FORMAT)}, got ${describeValue(root.format)}.`,
    );
  }
  if (!KNOWN_VERSIONS.includes(root.version as number)) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${WHAT}: version ${describeValue(root.version)} is unknown; the known versions are ${KNOWN_VERSIONS.join(', ')}.`,
    );
  }
  checkNumber(`${WHAT}: round`, root.round, COUNT);
  checkNumber(`${WHAT}: rewindStep`, root.rewindStep, COUNT);
  const params = readRecord('params', root.params);
  if (Object.keys(params).length === 0) {
    throw new DescentError('BAD_ARGUMENT', `${WHAT}: params must hold at least one parameter.`);
  }
  const masks = readRecord('masks', root.masks);
  for (const key of Object.keys(masks)) {
    if (!Object.hasOwn(params, key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${WHAT}: masks[${JSON.stringify(key)}] masks no parameter; params has no key ${JSON.stringify(key)}.`,
      );
    }
  }
  const entries: TicketEntry[] = Object.keys(params).map((key) => {
    const { shape, weights } = readParam(key, params[key]);
    const mask = Object.hasOwn(masks, key) ? readMask(key, masks[key], weights.length) : undefined;
    return { key, shape, weights, mask };
  });
  return ticketFromState({ round: root.round, rewindStep: root.rewindStep, entries });
}

function parseRoot(json: unknown): Record<string, unknown> {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${WHAT}: json is a string that is not valid JSON (${(e as Error).message}).`,
      );
    }
  }
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${WHAT}: json must be a TicketJSON object or its JSON text, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/** Every field of `known` present (not `undefined`) and no other. */
function checkFields(label: string, value: Record<string, unknown>, known: readonly string[]) {
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} has unknown field ${JSON.stringify(unknown[0])}; version 1 has exactly ${known.map((k) => JSON.stringify(k)).join(', ')}.`,
    );
  }
  const missing = known.find((k) => value[k] === undefined);
  if (missing !== undefined) {
    throw new DescentError('BAD_ARGUMENT', `${label} has no field ${JSON.stringify(missing)}.`);
  }
}

function readRecord(field: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${WHAT}: ${field} must be an object keyed by parameter name, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function readParam(key: string, value: unknown): { shape: number[]; weights: Float32Array } {
  const label = `${WHAT}: params[${JSON.stringify(key)}]`;
  const entry = readEntry(label, value, PARAM_KEYS);
  const shape = readShape(`${label}.shape`, entry.shape);
  const size = shape.reduce((a, b) => a * b, 1);
  const bytes = decodeBase64(`${label}.float32`, readString(`${label}.float32`, entry.float32));
  if (bytes.length !== 4 * size) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.float32 holds ${bytes.length} bytes but shape [${shape.join(', ')}] needs ${4 * size} (4 per weight).`,
    );
  }
  return { shape, weights: decodeWeights(`${label}.float32`, bytes) };
}

function readMask(key: string, value: unknown, size: number): PackedMask {
  const label = `${WHAT}: masks[${JSON.stringify(key)}]`;
  const entry = readEntry(label, value, MASK_KEYS);
  if (typeof entry.kept !== 'number' || !Number.isSafeInteger(entry.kept) || entry.kept < 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.kept must be an integer ≥ 0, got ${describeValue(entry.kept)}.`,
    );
  }
  const bits = decodeBase64(`${label}.bits`, readString(`${label}.bits`, entry.bits));
  const bytes = Math.ceil(size / 8);
  if (bits.length !== bytes) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.bits holds ${bits.length} bytes but its parameter's ${size} weights need ${bytes} (8 per byte).`,
    );
  }
  const stray = size % 8 === 0 ? 0 : (bits[bytes - 1] as number) >> (size % 8);
  if (stray !== 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.bits sets bits past its parameter's last weight (flat index ${size - 1}); they must be 0.`,
    );
  }
  const kept = countBits(bits);
  if (entry.kept !== kept) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}.kept is ${entry.kept} but bits has ${kept} set; they must agree.`,
    );
  }
  return { bits, kept };
}

function readEntry(
  label: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be an object with fields ${known.join(', ')}, got ${describeValue(value)}.`,
    );
  }
  checkFields(label, value, known);
  return value;
}

function readShape(label: string, value: unknown): number[] {
  const ok =
    Array.isArray(value) && value.every((d) => typeof d === 'number' && Number.isSafeInteger(d));
  if (!ok || value.some((d: number) => d < 0)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be an array of integer dimensions ≥ 0, got ${describeValue(value)}${Array.isArray(value) ? ` ${JSON.stringify(value)}` : ''}.`,
    );
  }
  return value.map((d: number) => (Object.is(d, -0) ? 0 : d));
}

function readString(label: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a base64 string, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function encodeWeights(weights: Float32Array): string {
  const bytes = new Uint8Array(4 * weights.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < weights.length; i++) view.setFloat32(4 * i, weights[i] as number, true);
  return encodeBase64(bytes);
}

function decodeWeights(label: string, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Float32Array(bytes.length / 4);
  for (let i = 0; i < weights.length; i++) {
    const w = view.getFloat32(4 * i, true);
    if (!Number.isFinite(w)) {
      throw new DescentError(
        'NON_FINITE',
        `${label} holds ${w} at flat index ${i}; a ticket's weights must be finite.`,
      );
    }
    weights[i] = w;
  }
  return weights;
}
