import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** The update count of the chain element at `index` (0 when absent), which drives its schedules. */
export function innerCount(state: TransformState, index: number | undefined): number {
  return index === undefined ? 0 : (state.inner[index]?.scalars.count ?? 0);
}

/**
 * A chain's state after one step that a fused kernel took for it: every element's update count
 * advances by one and the element at `slotsAt` gets its new per-parameter slots. An element at
 * `unchangedAt` (a stateless pass-through) keeps its state as it is.
 */
export function advanceChain(
  state: TransformState,
  slotsAt: number,
  slots: Record<string, Readonly<Record<string, SlotValue>>>,
  unchangedAt?: number,
): TransformState {
  const inner = state.inner.map((s, i) => {
    if (i === unchangedAt) return s;
    const count = innerCount(state, i) + 1;
    return i === slotsAt
      ? makeState({ slots, scalars: { count } })
      : makeState({ ...s, scalars: { ...s.scalars, count } });
  });
  return makeState({ ...state, inner });
}
