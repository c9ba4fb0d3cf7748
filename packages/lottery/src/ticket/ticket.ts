import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  type Params,
  checkDtype,
  checkParams,
  describeValue,
  formatShape,
  isPlainObject,
} from '@descent/core';
import type { DensityCount, DensityReport } from '../density-report';
import { type Masks, checkMask, checkMaskValues } from '../masks';
import { type TicketJSON, encodeTicket } from './ticket-json';

/** Which round of iterative magnitude pruning made a ticket, and where its weights come from. */
export interface TicketMeta {
  /** The pruning round, an integer ≥ 0 (0 = the dense network, before any pruning). */
  round: number;
  /** The training step its weights come from, an integer ≥ 0 (0 = the initialization θ₀). */
  rewindStep: number;
}

/**
 * A mask packed 8 weights to a byte — bit `i` (least significant first) of byte `j` is weight
 * `8j + i` — with its number of set bits. Bits past the last weight are 0.
 */
export interface PackedMask {
  readonly bits: Uint8Array;
  readonly kept: number;
}

/** One parameter of a ticket, on the host. */
export interface TicketEntry {
  readonly key: string;
  readonly shape: readonly number[];
  readonly weights: Float32Array;
  /** `undefined` for a parameter that is not pruned. */
  readonly mask: PackedMask | undefined;
}

/** Everything a ticket holds, validated; entries in the parameters' key order. */
export interface TicketState extends TicketMeta {
  readonly entries: readonly TicketEntry[];
}

const META_KEYS = ['round', 'rewindStep'];
const COUNT = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true };

let construct: (state: TicketState) => Ticket;

/**
 * A lottery ticket: a pruning mask and the weights to train it from — the initialization θ₀
 * (Frankle & Carbin 2019) or θ_k, the weights after `k` steps of dense training ("rewinding",
 * Frankle et al. 2020). Training `θ ⊙ m` from there is what the lottery-ticket experiments do;
 * {@link Ticket.withParams} (a random reinitialization) and {@link Ticket.withMasks} (a random
 * mask of the same density) build their controls.
 *
 * A ticket holds no tensors: its weights are host `Float32Array`s and its masks packed bits, so it
 * needs no `dispose` and cannot leak. It is immutable; `params()`, `masks()` and `maskedParams()`
 * build new tensors on the active backend at each call, which the caller disposes. `toJSON()`
 * writes it bit for bit ({@link TicketJSON}); {@link ticketFromJSON} reads it back.
 *
 * @example
 * ```ts
 * const masks = await prune(magnitudeScores(trained), { info: net.info, rate: 0.2 });
 * const ticket = await Ticket.fromTensors(initialParams, masks, { round: 1, rewindStep: 0 });
 * const text = JSON.stringify(ticket);           // save it
 * const again = ticketFromJSON(text);            // load it
 * const start = again.maskedParams();            // θ₀ ⊙ m, to assign into the variables
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019; J. Frankle,
 *   G. K. Dziugaite, D. M. Roy, M. Carbin, Linear Mode Connectivity and the Lottery Ticket
 *   Hypothesis, ICML 2020.
 */
export class Ticket {
  /** The round of iterative magnitude pruning that made it (0 = the dense network). */
  readonly round: number;
  /** The training step its weights come from (0 = the initialization). */
  readonly rewindStep: number;
  readonly #entries: readonly TicketEntry[];

  static {
    construct = (state) => new Ticket(state);
  }

  private constructor(state: TicketState) {
    this.round = state.round;
    this.rewindStep = state.rewindStep;
    this.#entries = state.entries;
  }

  /**
   * A ticket of `params` (the weights to start from, not masked) and `masks`, read into host
   * copies with `await data()` (which works on every backend, webgpu in Node included). The
   * tensors passed in are neither disposed nor changed.
   *
   * @param params - The weights θ₀ or θ_k: a non-empty record of float32 tensors, all finite.
   * @param masks - Float32 0/1 masks keyed like some of `params` and shaped like them.
   * @param meta - `round` and `rewindStep`, integers ≥ 0.
   * @throws DescentError before reading anything: `BAD_ARGUMENT` (not records, empty params,
   *   meta no object), `DISPOSED`, `DTYPE_MISMATCH` (a param or mask not float32),
   *   `UNKNOWN_PARAM` (a mask for no parameter, an unknown meta field), `SHAPE_MISMATCH` (a mask
   *   unlike its parameter), `BAD_HYPERPARAM` / `NON_FINITE` (round or rewindStep not an integer
   *   ≥ 0); after reading: `BAD_ARGUMENT` (a mask value other than 0 or 1), `NON_FINITE` (a NaN
   *   or ±∞ weight, naming its key and flat index).
   * @example
   * ```ts
   * const ticket = await Ticket.fromTensors(theta0, masks, { round: 3, rewindStep: 0 });
   * ```
   */
  static async fromTensors(params: Params, masks: Masks, meta: TicketMeta): Promise<Ticket> {
    const what = 'Ticket.fromTensors';
    checkWeights(`${what}: params`, params);
    checkMasks(`${what}: masks`, masks, params);
    const read = new OptionReader(`${what}: meta`, meta, META_KEYS);
    const round = read.integer('round', undefined, COUNT);
    const rewindStep = read.integer('rewindStep', undefined, COUNT);
    const weights = await readWeights(`${what}: params`, params);
    const packed = await readMasks(`${what}: masks`, masks);
    const entries = Object.keys(params).map((key) => ({
      key,
      shape: [...(params[key] as tf.Tensor).shape],
      weights: weights[key] as Float32Array,
      mask: packed[key],
    }));
    return new Ticket({ round, rewindStep, entries });
  }

  /** The parameter names, in the key order of the params the ticket was made from. */
  get keys(): string[] {
    return this.#entries.map((e) => e.key);
  }

  /** The names of the parameters that have a mask, in the same order as {@link Ticket.keys}. */
  get maskedKeys(): string[] {
    return this.#entries.filter((e) => e.mask !== undefined).map((e) => e.key);
  }

  /**
   * The shape of parameter `key` (a copy).
   *
   * @throws DescentError `UNKNOWN_PARAM` for a name that is no parameter of the ticket.
   */
  shape(key: string): number[] {
    return [...this.#entry('Ticket.shape', key).shape];
  }

  /**
   * The weights θ the ticket starts from, as new float32 tensors (not masked; see
   * {@link Ticket.maskedParams}), keyed like {@link Ticket.keys}. The caller disposes them.
   *
   * @example
   * ```ts
   * const theta = ticket.params();
   * disposeParams(theta);
   * ```
   */
  params(): Params {
    return this.#build(this.#entries, (e) => e.weights.slice());
  }

  /**
   * The masks as new float32 tensors of 0s and 1s, one per masked parameter, keyed like
   * {@link Ticket.maskedKeys}. The caller disposes them.
   *
   * @example
   * ```ts
   * const masks = ticket.masks(); // the `masks` option of descent's optimizers
   * ```
   */
  masks(): Masks {
    const masked = this.#entries.filter((e) => e.mask !== undefined);
    return this.#build(masked, (e) => unpackMask(e.mask as PackedMask, e.weights.length));
  }

  /**
   * The masked weights `θ ⊙ m` as new float32 tensors, computed exactly on the host (a pruned
   * weight becomes `0`, or `-0` where θ was negative, as `tf.mul` gives); parameters without a
   * mask are copied as they are. The caller disposes them.
   *
   * @example
   * ```ts
   * const start = ticket.maskedParams(); // assign into the model's variables, then train
   * ```
   */
  maskedParams(): Params {
    return this.#build(this.#entries, (e) => maskedWeights(e));
  }

  /**
   * The kept fraction of the masked weights, per parameter and overall — the same numbers as
   * `densityReport(ticket.masks())`, without tensors (so synchronous).
   *
   * @example
   * ```ts
   * console.log(`${(100 * ticket.density().overall.density).toFixed(1)} % of weights remain`);
   * ```
   */
  density(): DensityReport {
    const perParameter: Record<string, DensityCount> = {};
    let kept = 0;
    let total = 0;
    for (const e of this.#entries) {
      if (e.mask === undefined) continue;
      perParameter[e.key] = densityCount(e.mask.kept, e.weights.length);
      kept += e.mask.kept;
      total += e.weights.length;
    }
    return { overall: densityCount(kept, total), perParameter };
  }

  /**
   * The same masks and meta with other weights, e.g. a random reinitialization (the control of
   * Frankle & Carbin 2019). The tensors are read with `await data()`, neither disposed nor
   * changed; the ticket keeps its key order.
   *
   * @param params - Float32 tensors with exactly the ticket's keys and shapes, all finite.
   * @throws DescentError before reading: `BAD_ARGUMENT` (not a record), `DISPOSED`,
   *   `DTYPE_MISMATCH`, `UNKNOWN_PARAM` (a missing or extra key), `SHAPE_MISMATCH`; after:
   *   `NON_FINITE`.
   * @example
   * ```ts
   * const reinit = await ticket.withParams(lenet300100({ seed: 1 }).params);
   * ```
   */
  async withParams(params: Params): Promise<Ticket> {
    const label = 'Ticket.withParams: params';
    checkWeights(label, params);
    this.#checkSameKeys(label, params);
    for (const e of this.#entries) {
      checkShapeOf(`${label}[${JSON.stringify(e.key)}]`, params[e.key] as tf.Tensor, e.shape);
    }
    const weights = await readWeights(label, params);
    const entries = this.#entries.map((e) => ({ ...e, weights: weights[e.key] as Float32Array }));
    return new Ticket({ round: this.round, rewindStep: this.rewindStep, entries });
  }

  /**
   * The same weights and meta with other masks, e.g. random ones of the same density (the
   * random-pruning control). The tensors are read with `await data()`, neither disposed nor
   * changed. A parameter absent from `masks` is not pruned in the new ticket.
   *
   * @param masks - Float32 0/1 masks keyed like some of the ticket's parameters, shaped like them.
   * @throws DescentError before reading: `BAD_ARGUMENT` (not a record), `DISPOSED`,
   *   `DTYPE_MISMATCH`, `UNKNOWN_PARAM` (a mask for no parameter), `SHAPE_MISMATCH`; after:
   *   `BAD_ARGUMENT` (a value other than 0 or 1).
   * @example
   * ```ts
   * const random = await prune(randomScores(params, { rng }), { info, density: d });
   * const control = await ticket.withMasks(random);
   * ```
   */
  async withMasks(masks: Masks): Promise<Ticket> {
    const label = 'Ticket.withMasks: masks';
    const shapes = Object.fromEntries(this.#entries.map((e) => [e.key, e.shape]));
    checkMaskRecord(label, masks, shapes);
    const packed = await readMasks(label, masks);
    const entries = this.#entries.map((e) => ({ ...e, mask: packed[e.key] }));
    return new Ticket({ round: this.round, rewindStep: this.rewindStep, entries });
  }

  /**
   * The ticket as {@link TicketJSON} (version 1): weights bit for bit, masks as packed bits.
   * `JSON.stringify(ticket)` calls it.
   *
   * @example
   * ```ts
   * const text = JSON.stringify(ticket);
   * ```
   */
  toJSON(): TicketJSON {
    return encodeTicket({ round: this.round, rewindStep: this.rewindStep, entries: this.#entries });
  }

  #entry(what: string, key: unknown): TicketEntry {
    const entry = this.#entries.find((e) => e.key === key);
    if (entry === undefined) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${what}: ${describeValue(key)} is no parameter of the ticket; its parameters are ${listKeys(this.keys)}.`,
      );
    }
    return entry;
  }

  #checkSameKeys(label: string, params: Params): void {
    const known = this.keys;
    const missing = known.filter((k) => !Object.hasOwn(params, k));
    const extra = Object.keys(params).filter((k) => !known.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length > 0 ? `missing ${listKeys(missing)}` : '',
        extra.length > 0 ? `extra ${listKeys(extra)}` : '',
      ].filter(Boolean);
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${label} must have exactly the ticket's parameter names: ${parts.join('; ')}.`,
      );
    }
  }

  #build(entries: readonly TicketEntry[], values: (e: TicketEntry) => Float32Array): Params {
    return Object.fromEntries(
      entries.map((e) => [e.key, tf.tensor(values(e), e.shape as number[], 'float32')]),
    );
  }
}

/**
 * A {@link Ticket} from validated state, for the JSON reader (not part of the package's API).
 * The state's arrays are kept, not copied: the caller must not keep or change them.
 */
export function ticketFromState(state: TicketState): Ticket {
  return construct(state);
}

/**
 * Packs 0/1 values (validated) into {@link PackedMask} bits, element `8j + i` at bit `i` of byte
 * `j`.
 */
export function packMask(values: ArrayLike<number>): PackedMask {
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  let kept = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 1) {
      bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      kept++;
    }
  }
  return { bits, kept };
}

/** The number of set bits. */
export function countBits(bits: Uint8Array): number {
  let n = 0;
  for (let j = 0; j < bits.length; j++) {
    let b = bits[j] as number;
    while (b !== 0) {
      b &= b - 1;
      n++;
    }
  }
  return n;
}

function unpackMask(mask: PackedMask, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = ((mask.bits[i >> 3] as number) >> (i & 7)) & 1;
  return out;
}

function maskedWeights(e: TicketEntry): Float32Array {
  const out = e.weights.slice();
  if (e.mask === undefined) return out;
  for (let i = 0; i < out.length; i++) {
    if ((((e.mask.bits[i >> 3] as number) >> (i & 7)) & 1) === 0) out[i] = (out[i] as number) * 0;
  }
  return out;
}

function densityCount(kept: number, total: number): DensityCount {
  return { kept, total, density: total === 0 ? 1 : kept / total };
}

/** A non-empty record of live float32 tensors. */
function checkWeights(label: string, params: unknown): asserts params is Params {
  checkParams(label, params);
  const keys = Object.keys(params);
  if (keys.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must hold at least one tensor, got an object with no keys.`,
    );
  }
  for (const key of keys) checkDtype(`${label}[${JSON.stringify(key)}]`, params[key], 'float32');
}

function checkMasks(label: string, masks: unknown, params: Params): asserts masks is Masks {
  const shapes = Object.fromEntries(
    Object.entries(params).map(([key, p]) => [key, p.shape as readonly number[]]),
  );
  checkMaskRecord(label, masks, shapes);
}

/** A record of float32 masks, each keyed and shaped like one of `shapes`. */
function checkMaskRecord(
  label: string,
  masks: unknown,
  shapes: Record<string, readonly number[]>,
): asserts masks is Masks {
  if (!isPlainObject(masks)) checkParams(label, masks);
  for (const key of Object.keys(masks as object)) {
    const entry = `${label}[${JSON.stringify(key)}]`;
    if (!Object.hasOwn(shapes, key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${entry} masks no parameter; the parameters are ${listKeys(Object.keys(shapes))}.`,
      );
    }
    checkMask(entry, (masks as Record<string, unknown>)[key], shapes[key]);
  }
}

function checkShapeOf(label: string, tensor: tf.Tensor, shape: readonly number[]): void {
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${label} has shape ${formatShape(tensor.shape)} but the ticket's parameter has shape ${formatShape(shape)}; they must match.`,
    );
  }
}

/** Host copies of every tensor, refusing a non-finite value. */
async function readWeights(label: string, params: Params): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = Object.create(null);
  for (const [key, tensor] of Object.entries(params)) {
    const values = ((await tensor.data()) as Float32Array).slice();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new DescentError(
          'NON_FINITE',
          `${label}[${JSON.stringify(key)}] holds ${values[i]} at flat index ${i}; a ticket's weights must be finite.`,
        );
      }
    }
    out[key] = values;
  }
  return out;
}

async function readMasks(label: string, masks: Masks): Promise<Record<string, PackedMask>> {
  const out: Record<string, PackedMask> = Object.create(null);
  for (const [key, mask] of Object.entries(masks)) {
    const values = await mask.data();
    checkMaskValues(`${label}[${JSON.stringify(key)}]`, values);
    out[key] = packMask(values);
  }
  return out;
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return keys.length > 8 ? `${shown.join(', ')}, … (${keys.length} in all)` : shown.join(', ');
}
