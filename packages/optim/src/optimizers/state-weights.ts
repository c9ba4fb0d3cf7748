import type * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '@descent/core';
import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** Prefix of the names of transformation-wide scalars in `getWeights()`. */
export const SCALAR_PREFIX = '__descent__';

/** A leaf of a state: where it lives and its name in `getWeights()`. */
interface Leaf {
  name: string;
  value: SlotValue;
  /** Writes a new value at this leaf of a copy of the state. */
  path:
    | { inner: number[]; kind: 'slot'; param: string; key: string }
    | { inner: number[]; kind: 'scalar'; key: string };
}

/**
 * Lists a state's leaves with stable names: per-parameter slots as `<param>/<slot>` (e.g.
 * `dense1/kernel/m`), transformation-wide scalars as `__descent__/<path>/<key>`. A slot name used by
 * two transformations of one chain gets `#<path>` appended the second time.
 */
export function stateLeaves(state: TransformState): Leaf[] {
  const leaves: Leaf[] = [];
  const used = new Set<string>();
  const visit = (s: TransformState, inner: number[]) => {
    const where = inner.join('.');
    for (const [param, slots] of Object.entries(s.slots)) {
      for (const [key, value] of Object.entries(slots)) {
        let name = `${param}/${key}`;
        if (used.has(name)) name = `${name}#${where}`;
        used.add(name);
        leaves.push({ name, value, path: { inner, kind: 'slot', param, key } });
      }
    }
    for (const [key, value] of Object.entries(s.scalars)) {
      const name = `${SCALAR_PREFIX}/${where || 'root'}/${key}`;
      used.add(name);
      leaves.push({ name, value, path: { inner, kind: 'scalar', key } });
    }
    s.inner.forEach((child, i) => visit(child, [...inner, i]));
  };
  visit(state, []);
  return leaves;
}

/**
 * Fills `template` (a state of the right structure, e.g. from `init`) with saved values by leaf
 * name. Tensors are kept (the caller hands them over); numbers are read from scalar tensors.
 *
 * @throws DescentError `UNKNOWN_PARAM` for a saved name the template has no leaf for, or a leaf
 *   with no saved value; `SHAPE_MISMATCH` for a tensor of the wrong shape.
 */
export async function fillState(
  template: TransformState,
  saved: ReadonlyMap<string, tf.Tensor>,
): Promise<{ state: TransformState; used: Set<tf.Tensor> }> {
  const leaves = stateLeaves(template);
  const known = new Set(leaves.map((l) => l.name));
  const unknown = [...saved.keys()].filter((n) => !known.has(n));
  const missing = leaves.filter((l) => !saved.has(l.name)).map((l) => l.name);
  if (unknown.length > 0 || missing.length > 0) {
    throw new DescentError(
      'UNKNOWN_PARAM',
      `optimizer weights do not match this optimizer: ${unknown.length ? `unknown ${unknown.slice(0, 6).join(', ')}` : ''}` +
        `${unknown.length && missing.length ? '; ' : ''}${missing.length ? `missing ${missing.slice(0, 6).join(', ')}` : ''}.`,
    );
  }
  let state = template;
  const used = new Set<tf.Tensor>();
  for (const leaf of leaves) {
    const value = saved.get(leaf.name) as tf.Tensor;
    let next: SlotValue;
    if (typeof leaf.value === 'number') {
      next = (await value.data())[0] as number;
    } else {
      if (value.shape.join() !== leaf.value.shape.join()) {
        throw new DescentError(
          'SHAPE_MISMATCH',
          `optimizer weight ${leaf.name} has shape [${value.shape.join(', ')}], expected [${leaf.value.shape.join(', ')}].`,
        );
      }
      next = value;
      used.add(value);
    }
    state = withLeaf(state, leaf.path, next);
  }
  return { state, used };
}

function withLeaf(state: TransformState, path: Leaf['path'], value: SlotValue): TransformState {
  const [head, ...rest] = path.inner;
  if (head !== undefined) {
    const inner = state.inner.map((child, i) =>
      i === head ? withLeaf(child, { ...path, inner: rest }, value) : child,
    );
    return makeState({ ...state, inner });
  }
  if (path.kind === 'scalar')
    return makeState({ ...state, scalars: { ...state.scalars, [path.key]: value as number } });
  const slots = { ...state.slots, [path.param]: { ...state.slots[path.param], [path.key]: value } };
  return makeState({ ...state, slots });
}
