import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type HyperParameter, hyperValue, type NumberRange } from '@descent/core';
import { tensorSlot } from '../transform/per-parameter';
import type { SlotValue } from '../transform/transform-state';

/** `[0, 1)`: the range of the decay rates `β₁` and `β₂`. */
const DECAY_RANGE: NumberRange = { min: 0, max: 1, maxExclusive: true };

type Slots = Readonly<Record<string, SlotValue>>;

/**
 * Checks, at construction, the options the Adam family shares: `β₁` (a number, or a schedule at
 * step 0) and `β₂` in [0, 1), `ε` ≥ 0.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` naming the option.
 */
export function checkAdamOptions(beta1: HyperParameter, beta2: number, epsilon: number): void {
  hyperValue('beta1', beta1, 0, DECAY_RANGE);
  checkNumber('beta2', beta2, DECAY_RANGE);
  checkNumber('epsilon', epsilon, { min: 0 });
}

/** `β₁` at update `count`, checked in [0, 1) (a schedule may leave its range at any step). */
export function beta1At(beta1: HyperParameter, count: number): number {
  return hyperValue('beta1', beta1, count, DECAY_RANGE);
}

/** The first moment `m ← β₁·m + (1 − β₁)·g` from slot `m` (inside the caller's `tf.tidy`). */
export function firstMoment(slots: Slots, g: tf.Tensor, beta1: number): tf.Tensor {
  return tf.add(tf.mul(tensorSlot(slots, 'm'), beta1), tf.mul(g, 1 - beta1));
}

/** The second moment `v ← β₂·v + (1 − β₂)·g²` from slot `v` (inside the caller's `tf.tidy`). */
export function secondMoment(slots: Slots, g: tf.Tensor, beta2: number): tf.Tensor {
  return tf.add(tf.mul(tensorSlot(slots, 'v'), beta2), tf.mul(tf.square(g), 1 - beta2));
}
