import * as tf from '@tensorflow/tfjs-core';
import { DescentError, describeValue } from '@descent/core';
import { checkTransformState } from './check-state';

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

/** The parts of a state, the only keys `makeState` accepts. */
const STATE_PARTS: readonly string[] = ['slots', 'scalars', 'inner'];

/**
 * Builds a state, defaulting the parts not given.
 *
 * @throws DescentError `BAD_ARGUMENT` when `parts` is no record, has a key other than `slots`,
 *   `scalars` and `inner` (`UNKNOWN_PARAM`), or makes no valid state.
 */
export function makeState(parts: Partial<TransformState>): TransformState {
  if (typeof parts !== 'object' || parts === null || Array.isArray(parts)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `makeState: parts must be a record of { slots, scalars, inner }, got ${describeValue(parts)}.`,
    );
  }
  const state = {
    slots: parts.slots ?? {},
    scalars: parts.scalars ?? {},
    inner: parts.inner ?? [],
  };
  const unknown = Object.keys(parts).filter((k) => !STATE_PARTS.includes(k));
  if (unknown.length > 0) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `makeState: parts has unknown name ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known: "slots", "scalars", "inner".`,
    );
  }
  checkShallowState('makeState: parts', state);
  return state;
}

/**
 * Every tensor held by a state, inner states included.
 *
 * @throws DescentError `BAD_ARGUMENT` when `state` is no {@link TransformState}.
 */
export function stateTensors(
  state: TransformState,
  into: Set<tf.Tensor> = new Set(),
): Set<tf.Tensor> {
  checkTransformState('stateTensors: state', state);
  if (!(into instanceof Set)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `stateTensors: into must be a Set, got ${describeValue(into)}.`,
    );
  }
  collectTensors(state, into);
  return into;
}

function collectTensors(state: TransformState, into: Set<tf.Tensor>): void {
  for (const slots of Object.values(state.slots)) {
    for (const value of Object.values(slots)) if (typeof value !== 'number') into.add(value);
  }
  for (const inner of state.inner) collectTensors(inner, into);
}

/**
 * Disposes every tensor of a state.
 *
 * @throws DescentError `BAD_ARGUMENT` when `state` is no {@link TransformState}.
 */
export function disposeState(state: TransformState): void {
  checkTransformState('disposeState: state', state);
  tf.dispose([...stateTensors(state)]);
}

/**
 * Disposes the tensors of `previous` that `next` no longer holds: after an update, the state
 * tensors it replaced. Tensors carried over unchanged (parameters not in this step) survive.
 *
 * @throws DescentError `BAD_ARGUMENT` when `previous` or `next` is no {@link TransformState} or
 *   `kept` is no Set; nothing is disposed then.
 */
export function disposeReplaced(
  previous: TransformState,
  next: TransformState,
  kept?: ReadonlySet<tf.Tensor>,
): void {
  checkTransformState('disposeReplaced: previous', previous);
  checkTransformState('disposeReplaced: next', next);
  if (kept !== undefined && !(kept instanceof Set)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `disposeReplaced: kept must be a Set of tensors, got ${describeValue(kept)}.`,
    );
  }
  const keep = kept ?? stateTensors(next);
  tf.dispose([...stateTensors(previous)].filter((t) => !keep.has(t)));
}

/** The parts of a state being built: their kinds only (nested states were checked when made). */
function checkShallowState(name: string, state: TransformState): void {
  checkTransformState(name, { ...state, inner: [] });
  if (!Array.isArray(state.inner)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}.inner must be an array of states, got ${describeValue(state.inner)}.`,
    );
  }
  state.inner.forEach((inner, i) => {
    if (typeof inner !== 'object' || inner === null) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}.inner[${i}] must be a TransformState, got ${describeValue(inner)}.`,
      );
    }
  });
}
