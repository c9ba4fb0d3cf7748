import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  checkOptions,
  checkTensor,
  DescentError,
  describeValue,
  isPlainObject,
} from '@descent/core';
import type { Masks } from '@descent/lottery';
import { type MaskTarget, resolveMaskTargets } from './mask-targets';

/** Options of {@link PruningCallback}. */
export interface PruningCallbackOptions {
  /**
   * The weight each mask prunes, by mask key, for masks whose keys are not the weights' names
   * (e.g. masks saved from another model). Default: none — masks are matched by name (see
   * {@link PruningCallback}).
   */
  names?: Record<string, string>;
}

const WHAT = 'PruningCallback';

/**
 * Keeps pruned weights at exactly 0 during `model.fit`: on train begin it checks every mask
 * against the model's weights and sets `w ← w ⊙ m`; after every batch it sets it again, so
 * whatever the optimizer does to a pruned entry in between (momentum, Adam's moments, decoupled
 * weight decay) is undone before the next batch reads it, and `fit` ends with exact zeros
 * (`w · 0`: +0 or −0).
 *
 * Masks are `@descent/lottery` {@link Masks}: 0/1 tensors keyed by weight name
 * (`model.weights[i].name`, e.g. `dense_Dense1/kernel` — the keys `prune()` gives on
 * `fromLayersModel(model)`), each shaped like its weight. A key is matched to the weight of that
 * exact name first, else to the one weight whose name before tfjs-layers' uniquifying suffix
 * (`originalName`: `dense_Dense1/kernel` for `dense_Dense1/kernel_1`, as in a model loaded while
 * the original still exists) is the key; `options.names` maps keys to weight names explicitly.
 * Weights without a mask are left alone.
 *
 * Cost per batch: one multiply and one assign per masked weight, in one `tidy`.
 *
 * **With a descent optimizer.** `adamw({ …, masks })` (any optimizer of `@descent/optim`)
 * multiplies every update (weight decay included) by its mask inside the step, so pruned weights
 * never move; this callback then zeroes them once at train begin and its per-batch multiply is a
 * guard that changes nothing. Either way the optimizer's per-weight state (momentum, moments) of
 * pruned entries keeps following their gradients and is never applied to them; this callback
 * does not change the optimizer's state (it cannot reach it by name for every optimizer, and
 * zeroing it would matter only if the masks were later lifted).
 *
 * The callback owns float32 copies of the masks: `dispose()` frees them. The masks' values are
 * read once, on the first train begin, to check they are 0 or 1.
 *
 * @example
 * ```ts
 * const pruning = new PruningCallback(masks);
 * await model.fit(xs, ys, { epochs: 5, callbacks: [pruning] });
 * pruning.dispose();
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019.
 */
export class PruningCallback extends tfl.Callback {
  private readonly masks: Record<string, tf.Tensor>;
  private readonly names: Readonly<Record<string, string>>;
  private targets: MaskTarget[] = [];
  private valuesChecked = false;
  private disposed = false;

  /**
   * @param masks - 0/1 masks by weight name (float32, int32 or bool; copied as float32).
   * @param options - See {@link PruningCallbackOptions}.
   * @throws DescentError `BAD_ARGUMENT` (masks not a non-empty map of tensors, bad options),
   *   `DISPOSED` (a disposed mask), `UNKNOWN_PARAM` (an unknown option).
   */
  constructor(masks: Masks, options: PruningCallbackOptions = {}) {
    super();
    checkMasks(masks);
    checkOptions(WHAT, options, ['names']);
    const names = options.names ?? {};
    checkNames(names);
    this.names = Object.freeze({ ...names });
    this.masks = tf.tidy(() =>
      Object.fromEntries(
        Object.entries(masks).map(([key, m]) => [key, tf.keep(floatCopy(m))] as const),
      ),
    );
  }

  /** The mask keys, in the order given. */
  get keys(): string[] {
    return Object.keys(this.masks);
  }

  /**
   * Checks every mask against the model (all of them, before any weight changes), then sets
   * `w ← w ⊙ m`.
   *
   * @throws DescentError `DISPOSED` (after `dispose()`), `UNKNOWN_PARAM`, `SHAPE_MISMATCH`,
   *   `DTYPE_MISMATCH`, `BAD_ARGUMENT` (two masks for one weight, a value other than 0 or 1).
   */
  override async onTrainBegin(): Promise<void> {
    this.assertLive();
    const targets = resolveMaskTargets(WHAT, this.model, this.masks, this.names);
    if (!this.valuesChecked) {
      await checkZeroOne(targets);
      this.valuesChecked = true;
    }
    this.targets = targets;
    this.applyMasks();
  }

  /** Re-applies the masks after the optimizer's step. */
  override async onBatchEnd(): Promise<void> {
    this.applyMasks();
  }

  override async onTrainEnd(): Promise<void> {
    this.targets = [];
  }

  /** Frees the callback's copies of the masks; it cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.targets = [];
    tf.dispose(Object.values(this.masks));
  }

  private applyMasks(): void {
    tf.tidy(() => {
      for (const { weight, mask } of this.targets) {
        const w = weight.read() as tf.Variable;
        w.assign(tf.mul(w, mask));
      }
    });
  }

  private assertLive(): void {
    if (this.disposed) {
      throw new DescentError('DISPOSED', `${WHAT} was disposed; make a new one to prune again.`);
    }
  }
}

function checkMasks(masks: unknown): asserts masks is Masks {
  if (!isPlainObject(masks) || Object.keys(masks).length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${WHAT}: masks must be a non-empty map of tensors by weight name, got ${describeValue(masks)}.`,
    );
  }
  for (const [key, m] of Object.entries(masks)) {
    checkTensor(`${WHAT}: masks[${JSON.stringify(key)}]`, m);
    if (m.dtype !== 'float32' && m.dtype !== 'int32' && m.dtype !== 'bool') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${WHAT}: masks[${JSON.stringify(key)}] must be float32, int32 or bool, got ${m.dtype}.`,
      );
    }
  }
}

function checkNames(names: unknown): asserts names is Record<string, string> {
  const ok = isPlainObject(names) && Object.values(names).every((v) => typeof v === 'string');
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${WHAT}: options.names must map mask keys to weight names (strings), got ${describeValue(names)}.`,
    );
  }
}

function floatCopy(m: tf.Tensor): tf.Tensor {
  return m.dtype === 'float32' ? tf.clone(m) : tf.cast(m, 'float32');
}

async function checkZeroOne(targets: readonly MaskTarget[]): Promise<void> {
  for (const { key, mask } of targets) {
    const values = await mask.data();
    const i = values.findIndex((v) => v !== 0 && v !== 1);
    if (i >= 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${WHAT}: masks[${JSON.stringify(key)}] must hold only 0s and 1s, got ${values[i]} at flat index ${i}.`,
      );
    }
  }
}
