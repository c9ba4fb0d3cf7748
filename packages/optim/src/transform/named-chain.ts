import { DescentError, describeValue } from '@descent/core';
import type { GradientTransformation } from './gradient-transformation';
import { chain } from './chain';
import { checkTransformState } from './check-state';
import { checkTransformation } from './check-transformation';
import { makeState, type TransformState } from './transform-state';

/** Where each named element of a {@link namedChain} keeps its state: `state.inner[layout[name]]`. */
export type ChainLayout = Readonly<Record<string, number>>;

/** A {@link chain} whose elements have names, and the layout of its state by those names. */
export interface NamedChain extends GradientTransformation {
  readonly layout: ChainLayout;
}

/**
 * `chain` of the given elements in their key order, skipping `undefined` ones (optax's
 * `named_chain`): code that reads an element's state finds it by name through `layout`, never by
 * a position written by hand. The state is a `chain`'s, so it saves and restores the same way.
 *
 * @throws DescentError `BAD_ARGUMENT` when `elements` is no record or an element is neither a
 *   transformation nor `undefined` (naming it).
 *
 * @example
 * ```ts
 * const adamw = namedChain({ rule: scaleByAdam(), decay: addDecayedWeights(1e-2), rate: scaleByLearningRate(1e-3) });
 * adamw.layout; // { rule: 0, decay: 1, rate: 2 }
 * ```
 */
export function namedChain(
  elements: Readonly<Record<string, GradientTransformation | undefined>>,
): NamedChain {
  if (!isRecord(elements)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `namedChain: elements must be a record of transformations by name, got ${describeValue(elements)}.`,
    );
  }
  for (const [name, t] of Object.entries(elements)) {
    if (t !== undefined) checkTransformation(`namedChain: elements[${JSON.stringify(name)}]`, t);
  }
  const present = Object.entries(elements).filter(
    (entry): entry is [string, GradientTransformation] => entry[1] !== undefined,
  );
  const layout = Object.fromEntries(present.map(([name], i) => [name, i]));
  return { ...chain(...present.map(([, t]) => t)), layout };
}

/**
 * The state of the element `name` of a named chain's state (`undefined` when it has none).
 *
 * @throws DescentError `BAD_ARGUMENT` for a `state` that is no {@link TransformState}, a `layout`
 *   that is no record of indices or a `name` that is no string.
 */
export function elementState(
  state: TransformState,
  layout: ChainLayout,
  name: string,
): TransformState | undefined {
  checkTransformState('elementState: state', state);
  checkLayout('elementState: layout', layout);
  if (typeof name !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `elementState: name must be a string, got ${describeValue(name)}.`,
    );
  }
  const at = layout[name];
  return at === undefined ? undefined : state.inner[at];
}

/**
 * A named chain's state carried over to another chain of the same names (after an option
 * changed): each element keeps its state by name; an element new to `to` starts from its `init`.
 *
 * @throws DescentError `BAD_ARGUMENT` for a `state` that is no {@link TransformState}, a `from`
 *   that is no layout or a `to` that is no named chain.
 */
export function relayoutState(
  state: TransformState,
  from: ChainLayout,
  to: NamedChain,
): TransformState {
  checkTransformState('relayoutState: state', state);
  checkLayout('relayoutState: from', from);
  checkTransformation('relayoutState: to', to);
  checkLayout('relayoutState: to.layout', (to as Partial<NamedChain>).layout);
  const fresh = to.init({});
  const inner = Object.entries(to.layout).map(
    ([name, i]) => elementState(state, from, name) ?? (fresh.inner[i] as TransformState),
  );
  return makeState({ ...state, inner });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkLayout(name: string, layout: unknown): asserts layout is ChainLayout {
  const ok =
    isRecord(layout) &&
    Object.values(layout).every((i) => typeof i === 'number' && Number.isInteger(i) && i >= 0);
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a record of element indices (integers ≥ 0) by name, got ${describeValue(layout)}.`,
    );
  }
}
