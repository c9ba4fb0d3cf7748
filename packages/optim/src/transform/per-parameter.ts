import type * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  describeValue,
  formatShape,
  isPlainObject,
  isTensor,
  type Params,
  sameShape,
} from '@descent/core';
import { checkedTransformation } from './check-update';
import type { GradientTransformation } from './gradient-transformation';
import { makeState, type SlotValue, type TransformState } from './transform-state';

/** What a per-parameter rule sees besides the parameter's own update and slots. */
export interface RuleContext {
  /** The parameter's name. */
  name: string;
  /** The parameter's current value, when the caller passed `params`. */
  param: tf.Tensor | undefined;
  /** How many updates this transformation ran before this one (drives schedules). */
  count: number;
}

/** The element-wise rule of a transformation whose every parameter evolves on its own. */
export interface PerParameterRule {
  /** Initial slots of a parameter, shaped like `like` (the parameter or its first gradient). */
  initSlots(like: tf.Tensor): Record<string, SlotValue>;
  /** The new update and slots of one parameter. Called inside the caller's `tf.tidy`. */
  step(
    update: tf.Tensor,
    slots: Readonly<Record<string, SlotValue>>,
    context: RuleContext,
  ): { update: tf.Tensor; slots: Record<string, SlotValue> };
  /**
   * The shape slot `key` has for a parameter of shape `like`, when it is not `like` itself
   * (factored moments); `undefined` leaves the slot unchecked, `null` says a parameter of that
   * shape has no such slot (the state was made for another shape). By default every tensor slot
   * has the parameter's shape.
   */
  slotShape?(key: string, like: readonly number[]): readonly number[] | null | undefined;
}

/**
 * Builds a transformation from a per-parameter rule: slots are created lazily for every new name
 * (from the parameter in `init`, from the gradient in `update`), parameters absent from an update
 * keep their slots unchanged, and the scalar `count` counts updates.
 *
 * Its `init` and `update` check their arguments before computing anything (see
 * `GradientTransformation`), and `update` checks each parameter's tensor slots against the
 * update's shape ({@link PerParameterRule.slotShape}).
 *
 * @param rule - The element-wise rule.
 * @param name - The transformation's name in error messages. Default `'perParameter'`.
 * @throws DescentError `BAD_ARGUMENT` when `rule` lacks `initSlots` or `step`; its `update`
 *   throws `SHAPE_MISMATCH` for an update whose state slot has another shape, besides the codes
 *   of every transformation's argument checks.
 */
export function perParameter(
  rule: PerParameterRule,
  name = 'perParameter',
): GradientTransformation {
  checkRule(name, rule);
  return checkedTransformation(name, {
    init(params: Params): TransformState {
      const slots: Record<string, Record<string, SlotValue>> = {};
      for (const [name, p] of Object.entries(params)) slots[name] = rule.initSlots(p);
      return makeState({ slots, scalars: { count: 0 } });
    },
    update(updates: Params, state: TransformState, params?: Params) {
      const count = state.scalars.count ?? 0;
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...state.slots };
      const next: Params = {};
      for (const [key, u] of Object.entries(updates)) {
        const old = state.slots[key];
        if (old) checkSlotShapes(name, rule, key, u, old);
      }
      for (const [key, u] of Object.entries(updates)) {
        const previous = state.slots[key] ?? rule.initSlots(u);
        const result = rule.step(u, previous, { name: key, param: params?.[key], count });
        next[key] = result.update;
        slots[key] = result.slots;
      }
      return { updates: next, state: makeState({ slots, scalars: { count: count + 1 } }) };
    },
  });
}

function checkRule(name: string, rule: unknown): asserts rule is PerParameterRule {
  const r = rule as Partial<PerParameterRule> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.initSlots !== 'function' ||
    typeof r.step !== 'function' ||
    (r.slotShape !== undefined && typeof r.slotShape !== 'function')
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}: rule must be a PerParameterRule ({ initSlots, step }), got ${describeValue(rule)}.`,
    );
  }
}

/** A state slot of another shape than its update would be broadcast silently: refuse it. */
function checkSlotShapes(
  name: string,
  rule: PerParameterRule,
  key: string,
  update: tf.Tensor,
  slots: Readonly<Record<string, SlotValue>>,
): void {
  for (const [slot, value] of Object.entries(slots)) {
    if (typeof value === 'number') continue;
    const expected = rule.slotShape ? rule.slotShape(slot, update.shape) : update.shape;
    if (expected === undefined || (expected !== null && sameShape(value.shape, expected))) continue;
    const instead =
      expected === null ? 'made for another shape' : `expected ${formatShape(expected)}`;
    throw new DescentError(
      'SHAPE_MISMATCH',
      `updates["${key}"] (${name}) has shape ${formatShape(update.shape)}, but its state slot ` +
        `"${slot}" has shape ${formatShape(value.shape)} (${instead}).`,
    );
  }
}

/**
 * A slot known to hold a tensor.
 *
 * @throws DescentError `UNKNOWN_PARAM` when `slots` has no `key`, `BAD_ARGUMENT` when it holds no
 *   tensor (or `slots` is no record).
 */
export function tensorSlot(slots: Readonly<Record<string, SlotValue>>, key: string): tf.Tensor {
  const value = slotOf(slots, key);
  if (!isTensor(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `slot "${key}" must hold a tensor, got ${describeValue(value)}.`,
    );
  }
  return value;
}

/**
 * A slot known to hold a number.
 *
 * @throws DescentError `UNKNOWN_PARAM` when `slots` has no `key`, `BAD_ARGUMENT` when it holds no
 *   number (or `slots` is no record).
 */
export function numberSlot(slots: Readonly<Record<string, SlotValue>>, key: string): number {
  const value = slotOf(slots, key);
  if (typeof value !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `slot "${key}" must hold a number, got ${describeValue(value)}.`,
    );
  }
  return value;
}

function slotOf(slots: unknown, key: unknown): unknown {
  if (!isPlainObject(slots)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `slots must be a record of slots, got ${describeValue(slots)}.`,
    );
  }
  if (typeof key !== 'string' || !Object.hasOwn(slots, key)) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `slot ${typeof key === 'string' ? JSON.stringify(key) : describeValue(key)} is not in slots; slots: ${Object.keys(slots).join(', ') || '(none)'}.`,
    );
  }
  return (slots as Record<string, unknown>)[key];
}
