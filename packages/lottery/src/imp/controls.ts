import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  type Params,
  type Rng,
  checkDtype,
  checkParams,
  formatShape,
  sameShape,
} from '@descent/core';
import type { Masks } from '../masks';
import { Ticket } from '../ticket/ticket';
import { checkTicket } from './check-ticket';

/**
 * The random-reinitialization control of the lottery-ticket experiments: the ticket's masks with
 * other initial weights (e.g. a fresh draw of the same initializer), to be trained from step 0.
 * A winning ticket beats it: its initialization matters, not only its structure.
 *
 * @param ticket - The ticket whose masks to keep.
 * @param params - The new initial weights, keyed and shaped like the ticket's; read, not disposed.
 * @returns a `Promise` of a ticket of the same round with `rewindStep` 0.
 * @throws DescentError what `Ticket.fromTensors` throws for `params` (keys, shapes, dtypes).
 * @example
 * ```ts
 * const fresh = lenet300100({ seed: 1 });
 * const control = await randomReinit(ticket, fresh.params);
 * disposeParams(fresh.params);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019 (§2, random reinitialization).
 */
export async function randomReinit(ticket: Ticket, params: Params): Promise<Ticket> {
  return reinitTicket('randomReinit', ticket, params);
}

/**
 * {@link randomReinit}, whose errors name `label` (`imp.controls.randomReinit` inside imp).
 *
 * @throws DescentError `BAD_ARGUMENT`, `UNKNOWN_PARAM` (a key missing or extra),
 *   `SHAPE_MISMATCH`, `DTYPE_MISMATCH`, `DISPOSED`, `NON_FINITE`, before anything is read.
 */
export async function reinitTicket(
  label: string,
  ticket: unknown,
  params: Params,
): Promise<Ticket> {
  checkTicket(label, ticket);
  checkLikeTicket(`${label}: params`, params, ticket);
  const masks = ticket.masks();
  try {
    return await Ticket.fromTensors(params, masks, { round: ticket.round, rewindStep: 0 });
  } finally {
    tf.dispose(Object.values(masks));
  }
}

/** Asserts `params` has exactly the ticket's keys, each a float32 tensor of the ticket's shape. */
function checkLikeTicket(label: string, params: unknown, ticket: Ticket): asserts params is Params {
  checkParams(label, params);
  const keys = ticket.keys;
  for (const key of Object.keys(params)) {
    if (!keys.includes(key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${label}[${JSON.stringify(key)}] is no parameter of the ticket (it has ${keys.map((k) => JSON.stringify(k)).join(', ')}).`,
      );
    }
  }
  for (const key of keys) {
    const value = params[key];
    if (value === undefined) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${label} has no ${JSON.stringify(key)}; it must have every parameter of the ticket.`,
      );
    }
    checkDtype(`${label}[${JSON.stringify(key)}]`, value, 'float32');
    if (!sameShape(value.shape, ticket.shape(key))) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${label}[${JSON.stringify(key)}] has shape ${formatShape(value.shape)} but the ticket's has ${formatShape(ticket.shape(key))}.`,
      );
    }
  }
}

/** Options of {@link randomPruning}. */
export interface RandomPruningOptions {
  /** The generator the kept positions are drawn from (required); it advances. */
  rng: Rng;
}

/**
 * The random-pruning control of the lottery-ticket experiments: the ticket's weights with random
 * masks that keep exactly as many weights of every parameter as the ticket's masks do (the same
 * layerwise density), the positions drawn uniformly by `rng.permutation` — the same on every
 * backend for the same seed.
 *
 * @param ticket - The ticket whose weights and per-parameter kept counts to keep.
 * @param options - `rng` (required).
 * @returns a `Promise` of a ticket with the same round and rewind step.
 * @throws DescentError `BAD_ARGUMENT` (not a ticket, `rng` not an `Rng`), `UNKNOWN_PARAM`.
 * @example
 * ```ts
 * const control = await randomPruning(ticket, { rng: new Rng(0) });
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019 (§2, random pruning).
 */
export async function randomPruning(
  ticket: Ticket,
  options: RandomPruningOptions,
): Promise<Ticket> {
  checkTicket('randomPruning', ticket);
  const read = new OptionReader('randomPruning', options, ['rng']);
  const rng = read.generator('rng');
  const { perParameter } = ticket.density();
  const masks: Masks = {};
  for (const key of ticket.maskedKeys) {
    const { kept, total } = perParameter[key] as { kept: number; total: number };
    masks[key] = tf.tensor(randomMask(rng, total, kept), ticket.shape(key), 'float32');
  }
  const params = ticket.params();
  try {
    return await Ticket.fromTensors(params, masks, {
      round: ticket.round,
      rewindStep: ticket.rewindStep,
    });
  } finally {
    tf.dispose([...Object.values(params), ...Object.values(masks)]);
  }
}

/** `kept` ones at the first `kept` positions of a random permutation of `total`. */
function randomMask(rng: Rng, total: number, kept: number): Float32Array {
  const mask = new Float32Array(total);
  const order = rng.permutation(total);
  for (let i = 0; i < kept; i++) mask[order[i] as number] = 1;
  return mask;
}
