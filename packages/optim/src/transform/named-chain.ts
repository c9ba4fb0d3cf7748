import type { GradientTransformation } from './gradient-transformation';
import { chain } from './chain';
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
 * @example
 * ```ts
 * const adamw = namedChain({ rule: scaleByAdam(), decay: addDecayedWeights(1e-2), rate: scaleByLearningRate(1e-3) });
 * adamw.layout; // { rule: 0, decay: 1, rate: 2 }
 * ```
 */
export function namedChain(
  elements: Readonly<Record<string, GradientTransformation | undefined>>,
): NamedChain {
  const present = Object.entries(elements).filter(
    (entry): entry is [string, GradientTransformation] => entry[1] !== undefined,
  );
  const layout = Object.fromEntries(present.map(([name], i) => [name, i]));
  return { ...chain(...present.map(([, t]) => t)), layout };
}

/** The state of the element `name` of a named chain's state (`undefined` when it has none). */
export function elementState(
  state: TransformState,
  layout: ChainLayout,
  name: string,
): TransformState | undefined {
  const at = layout[name];
  return at === undefined ? undefined : state.inner[at];
}

/**
 * A named chain's state carried over to another chain of the same names (after an option
 * changed): each element keeps its state by name; an element new to `to` starts from its `init`.
 */
export function relayoutState(
  state: TransformState,
  from: ChainLayout,
  to: NamedChain,
): TransformState {
  const fresh = to.init({});
  const inner = Object.entries(to.layout).map(
    ([name, i]) => elementState(state, from, name) ?? (fresh.inner[i] as TransformState),
  );
  return makeState({ ...state, inner });
}
