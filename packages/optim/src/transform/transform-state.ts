import * as tf from '@tensorflow/tfjs-core';

/** One per-parameter state entry: a tensor (a moment, a trace) or a number (a step count). */
export type SlotValue = tf.Tensor | number;

/**
 * The state of a {@link GradientTransformation}, in one shape for every transformation so that
 * optimizers can create it lazily per parameter, save it by name and restore it:
 *
 * - `slots[name][slot]`: per-parameter state keyed by the parameter's name (`"dense1/kernel"`) —
 *   created the first time a gradient of that name arrives, so any subset or order of parameters
 *   is updated without mixing state;
 * - `scalars[key]`: transformation-wide numbers (the update count that drives schedules, skip counters);
 * - `inner`: the states of wrapped transformations (`chain`, `partition`, `multiSteps`, …).
 *
 * States are values: an update returns a new state and never mutates the old one.
 */
export interface TransformState {
  readonly slots: Readonly<Record<string, Readonly<Record<string, SlotValue>>>>;
  readonly scalars: Readonly<Record<string, number>>;
  readonly inner: readonly TransformState[];
}

/** A state with nothing in it (stateless transformations return it). */
export const EMPTY_STATE: TransformState = Object.freeze({
  slots: Object.freeze({}),
  scalars: Object.freeze({}),
  inner: Object.freeze([]),
});

/** Builds a state, defaulting the parts not given. */
export function makeState(parts: Partial<TransformState>): TransformState {
  return { slots: parts.slots ?? {}, scalars: parts.scalars ?? {}, inner: parts.inner ?? [] };
}

/** Every tensor held by a state, inner states included. */
export function stateTensors(
  state: TransformState,
  into: Set<tf.Tensor> = new Set(),
): Set<tf.Tensor> {
  for (const slots of Object.values(state.slots)) {
    for (const value of Object.values(slots)) if (typeof value !== 'number') into.add(value);
  }
  for (const inner of state.inner) stateTensors(inner, into);
  return into;
}

/** Disposes every tensor of a state. */
export function disposeState(state: TransformState): void {
  tf.dispose([...stateTensors(state)]);
}

/**
 * Disposes the tensors of `previous` that `next` no longer holds: after an update, the state
 * tensors it replaced. Tensors carried over unchanged (parameters not in this step) survive.
 */
export function disposeReplaced(
  previous: TransformState,
  next: TransformState,
  kept: ReadonlySet<tf.Tensor> = stateTensors(next),
): void {
  tf.dispose([...stateTensors(previous)].filter((t) => !kept.has(t)));
}
