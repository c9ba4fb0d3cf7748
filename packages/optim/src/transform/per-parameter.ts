import type * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
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
}

/**
 * Builds a transformation from a per-parameter rule: slots are created lazily for every new name
 * (from the parameter in `init`, from the gradient in `update`), parameters absent from an update
 * keep their slots unchanged, and the scalar `count` counts updates.
 */
export function perParameter(rule: PerParameterRule): GradientTransformation {
  return {
    init(params: Params): TransformState {
      const slots: Record<string, Record<string, SlotValue>> = {};
      for (const [name, p] of Object.entries(params)) slots[name] = rule.initSlots(p);
      return makeState({ slots, scalars: { count: 0 } });
    },
    update(updates: Params, state: TransformState, params?: Params) {
      const count = state.scalars.count ?? 0;
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...state.slots };
      const next: Params = {};
      for (const [name, u] of Object.entries(updates)) {
        const previous = state.slots[name] ?? rule.initSlots(u);
        const result = rule.step(u, previous, { name, param: params?.[name], count });
        next[name] = result.update;
        slots[name] = result.slots;
      }
      return { updates: next, state: makeState({ slots, scalars: { count: count + 1 } }) };
    },
  };
}

/** A slot known to hold a tensor. */
export function tensorSlot(slots: Readonly<Record<string, SlotValue>>, key: string): tf.Tensor {
  return slots[key] as tf.Tensor;
}

/** A slot known to hold a number. */
export function numberSlot(slots: Readonly<Record<string, SlotValue>>, key: string): number {
  return slots[key] as number;
}
