import { type ChainLayout, elementState } from '../transform/named-chain';
import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** The update count of the named chain element `name` (0 when the chain has none), which drives its schedules. */
export function elementCount(state: TransformState, layout: ChainLayout, name: string): number {
  return elementState(state, layout, name)?.scalars.count ?? 0;
}

/**
 * A named chain's state after `steps` steps (default one) that fused kernels took for it: every
 * element's update count advances by `steps` and the element `slotsAt` gets its new per-parameter
 * slots. Elements named in `unchanged` (stateless pass-throughs) keep their state as it is.
 */
export function advanceChain(
  state: TransformState,
  layout: ChainLayout,
  slotsAt: string,
  slots: Record<string, Readonly<Record<string, SlotValue>>>,
  unchanged: readonly string[] = [],
  steps = 1,
): TransformState {
  const names = Object.keys(layout);
  const inner = state.inner.map((s, i) => {
    const name = names[i] as string;
    if (unchanged.includes(name)) return s;
    const count = (s.scalars.count ?? 0) + steps;
    return name === slotsAt
      ? makeState({ slots, scalars: { count } })
      : makeState({ ...s, scalars: { ...s.scalars, count } });
  });
  return makeState({ ...state, inner });
}
