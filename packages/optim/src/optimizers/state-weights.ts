import * as tf from '@tensorflow/tfjs-core';
import { copyTensor, DescentError, formatShape } from '@descent/core';
import { isNonNegativeSlot } from '../transform/slot-bounds';
import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';
import { checkRestoredValues } from './restored-state';

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
 * Lists a state's leaves with stable names: first the per-parameter slots as `<param>/<slot>`
 * (e.g. `dense1/kernel/m`), then the transformation-wide scalars as `__descent__/<path>/<key>`
 * (`<path>`: the position in nested chains, `0.1`, or `root`), each in depth-first order. A slot
 * name used by two transformations of one chain gets `#<path>` appended the second time.
 */
export function stateLeaves(state: TransformState): Leaf[] {
  const slots: Leaf[] = [];
  const scalars: Leaf[] = [];
  const used = new Set<string>();
  const visit = (s: TransformState, inner: number[]) => {
    const where = inner.join('.');
    for (const [param, values] of Object.entries(s.slots)) {
      for (const [key, value] of Object.entries(values)) {
        let name = `${param}/${key}`;
        if (used.has(name)) name = `${name}#${where}`;
        used.add(name);
        slots.push({ name, value, path: { inner, kind: 'slot', param, key } });
      }
    }
    for (const [key, value] of Object.entries(s.scalars)) {
      const name = `${SCALAR_PREFIX}/${where || 'root'}/${key}`;
      scalars.push({ name, value, path: { inner, kind: 'scalar', key } });
    }
    s.inner.forEach((child, i) => {
      visit(child, [...inner, i]);
    });
  };
  visit(state, []);
  return [...slots, ...scalars];
}

/**
 * The parameter a weight name of {@link stateLeaves} belongs to (`dense1/kernel/m` → `dense1/kernel`),
 * or `undefined` for a transformation-wide scalar.
 */
export function leafParam(name: string): string | undefined {
  if (name.startsWith(`${SCALAR_PREFIX}/`)) return undefined;
  const slash = name.lastIndexOf('/');
  return slash > 0 ? name.slice(0, slash) : undefined;
}

/** Every parameter name that has slots anywhere in a state (inner states included). */
export function stateParams(state: TransformState, into: Set<string> = new Set()): Set<string> {
  for (const name of Object.keys(state.slots)) into.add(name);
  for (const inner of state.inner) stateParams(inner, into);
  return into;
}

/**
 * A numeric state leaf (a step count, a running product) as a tensor that survives `tf.io` weight
 * encoding exactly: an `int32` scalar for integers in int32 range, otherwise the number's float64
 * bits as an `int32` tensor of shape `[2]` (little-endian words). {@link decodeNumber} inverts it.
 */
export function encodeNumber(value: number): tf.Tensor {
  if (Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1) return tf.scalar(value, 'int32');
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return tf.tensor1d([view.getInt32(0, true), view.getInt32(4, true)], 'int32');
}

/**
 * Reads a numeric state leaf written by {@link encodeNumber} (or any scalar tensor).
 *
 * @throws DescentError `SHAPE_MISMATCH` for any other shape.
 */
export async function decodeNumber(name: string, tensor: tf.Tensor): Promise<number> {
  const data = await tensor.data();
  if (tensor.rank === 0) return data[0] as number;
  if (tensor.dtype === 'int32' && tensor.rank === 1 && tensor.size === 2) {
    const view = new DataView(new ArrayBuffer(8));
    view.setInt32(0, data[0] as number, true);
    view.setInt32(4, data[1] as number, true);
    return view.getFloat64(0, true);
  }
  throw new DescentError(
    'SHAPE_MISMATCH',
    `optimizer weight ${name} holds a number and must be a scalar (or an int32 tensor of shape [2] ` +
      `holding float64 bits), got ${tensor.dtype} of shape ${formatShape(tensor.shape)}.`,
  );
}

/**
 * Builds a state of `template`'s structure (e.g. from `init`) from saved values by leaf name:
 * tensors are copied (the caller keeps its own), numbers decoded with {@link decodeNumber}.
 * Everything is checked before the first copy is made, so a failure allocates nothing.
 *
 * @throws DescentError `UNKNOWN_PARAM` for a saved name the template has no leaf for, or a leaf
 *   with no saved value; `SHAPE_MISMATCH` / `DTYPE_MISMATCH` for a tensor unlike the template's;
 *   `NON_FINITE` / `BAD_ARGUMENT` for values outside their bounds (see `checkRestoredValues`:
 *   slots declared with `nonNegativeSlot` must hold no negative value).
 */
export async function fillState(
  template: TransformState,
  saved: ReadonlyMap<string, tf.Tensor>,
): Promise<TransformState> {
  const leaves = stateLeaves(template);
  const known = new Set(leaves.map((l) => l.name));
  const unknown = [...saved.keys()].filter((n) => !known.has(n));
  const missing = leaves.filter((l) => !saved.has(l.name)).map((l) => l.name);
  if (unknown.length > 0 || missing.length > 0) {
    const list = (names: string[]) =>
      `${names.slice(0, 6).join(', ')}${names.length > 6 ? `, … (${names.length} in all)` : ''}`;
    throw new DescentError(
      'UNKNOWN_PARAM',
      `optimizer weights do not match this optimizer (another optimizer or other options saved them?): ${[
        unknown.length ? `unknown ${list(unknown)}` : '',
        missing.length ? `missing ${list(missing)}` : '',
      ]
        .filter(Boolean)
        .join('; ')}.`,
    );
  }
  const numbers = new Map<string, number>();
  for (const leaf of leaves) {
    const value = saved.get(leaf.name) as tf.Tensor;
    if (typeof leaf.value === 'number') {
      numbers.set(leaf.name, await decodeNumber(leaf.name, value));
      continue;
    }
    if (formatShape(value.shape) !== formatShape(leaf.value.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `optimizer weight ${leaf.name} has shape ${formatShape(value.shape)}, expected ${formatShape(leaf.value.shape)}.`,
      );
    }
    if (value.dtype !== leaf.value.dtype) {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `optimizer weight ${leaf.name} (shape ${formatShape(value.shape)}) has dtype ${value.dtype}, expected ${leaf.value.dtype}.`,
      );
    }
  }
  await checkRestoredValues(
    leaves.map((leaf) =>
      typeof leaf.value === 'number'
        ? { name: leaf.name, value: numbers.get(leaf.name) as number }
        : {
            name: leaf.name,
            value: saved.get(leaf.name) as tf.Tensor,
            bound: isNonNegativeSlot(leaf.value) ? 'nonNegative' : 'finite',
          },
    ),
  );
  let state = template;
  for (const leaf of leaves) {
    const next =
      typeof leaf.value === 'number'
        ? (numbers.get(leaf.name) as number)
        : copyTensor(saved.get(leaf.name) as tf.Tensor, `optimizer weight ${leaf.name}`);
    state = withLeaf(state, leaf.path, next);
  }
  return state;
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
