import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** The update count of the chain element at `index` (0 when absent), which drives its schedules. */
export function innerCount(state: TransformState, index: number | undefined): number {
  return index === undefined ? 0 : (state.inner[index]?.scalars.count ?? 0);
}

/**
 * A chain's state after `steps` steps (default one) that fused kernels took for it: every
 * element's update count advances by `steps` and the element at `slotsAt` gets its new
 * per-parameter slots. Elements listed in `unchanged` (stateless pass-throughs) keep their state
 * as it is.
 */
export function advanceChain(
  state: TransformState,
  slotsAt: number,
  slots: Record<string, Readonly<Record<string, SlotValue>>>,
  unchanged: number | readonly number[] = [],
  steps = 1,
): TransformState {
  const keep = typeof unchanged === 'number' ? [unchanged] : unchanged;
  const inner = state.inner.map((s, i) => {
    if (keep.includes(i)) return s;
    const count = innerCount(state, i) + steps;
    return i === slotsAt
      ? makeState({ slots, scalars: { count } })
      : makeState({ ...s, scalars: { ...s.scalars, count } });
  });
  return makeState({ ...state, inner });
}
