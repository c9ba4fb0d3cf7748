import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import { formatShape } from '../validate/format-shape';

/**
 * What a parameter is for:
 * - `weight`: a dense or conv kernel (or embedding table) — pruned, decayed, fan-initialized;
 * - `bias`: an additive bias;
 * - `scale`: a normalization gain (`gamma`);
 * - `shift`: a normalization offset (`beta`);
 * - `stat`: a running statistic (`moving_mean`, `moving_variance`), not trained by gradients.
 */
export type ParamRole = 'weight' | 'bias' | 'scale' | 'shift' | 'stat';

/**
 * How a parameter's axes are laid out, in tfjs (Keras) order:
 * - `dense`: `[in, out]`;
 * - `conv2d`: `[kh, kw, in, out]` — filters (output channels) on the **last** axis;
 * - `vector`: `[n]` (biases, norm scales and shifts, statistics) or a scalar `[]`.
 */
export type ParamLayout = 'dense' | 'conv2d' | 'vector';

/** All {@link ParamRole}s, in declaration order. */
export const PARAM_ROLES: readonly ParamRole[] = ['weight', 'bias', 'scale', 'shift', 'stat'];

/** All {@link ParamLayout}s, in declaration order. */
export const PARAM_LAYOUTS: readonly ParamLayout[] = ['dense', 'conv2d', 'vector'];

/**
 * Per-parameter metadata that every technique needs and tfjs does not record. Pruning excludes
 * biases by `role`, filter-normalization finds filters by `layout` (slices along the last axis),
 * init computes fans from `fanIn`/`fanOut`, layer-wise schemes group by `layer`.
 *
 * Layouts follow tfjs (Keras), not PyTorch:
 * - dense kernel `[in, out]`: `fanIn = in`, `fanOut = out`;
 * - conv2d kernel `[kh, kw, in, out]`: `fanIn = kh·kw·in`, `fanOut = kh·kw·out` (filters on the
 *   **last** axis, unlike PyTorch's `[out, in, kh, kw]`);
 * - vector `[n]`: `fanIn = fanOut = n` (a scalar counts as `n = 1`).
 *
 * @example
 * ```ts
 * const info: ParamInfo = { role: 'weight', layer: 'conv1', layout: 'conv2d', fanIn: 25, fanOut: 150 };
 * ```
 */
export interface ParamInfo {
  /** What the parameter is for. */
  role: ParamRole;
  /** The layer it belongs to, e.g. `"dense1"` for `"dense1/kernel"`; `""` when unknown. */
  layer: string;
  /** Axis layout of the tensor. */
  layout: ParamLayout;
  /** Inputs feeding one output unit (see {@link computeFans}). */
  fanIn: number;
  /** Outputs one input unit feeds (see {@link computeFans}). */
  fanOut: number;
}

/** The fan-in and fan-out of a parameter. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fan-in and fan-out of a tensor of `shape` in `layout` (Keras' `_compute_fans`, tfjs layouts):
 * - `dense` `[in, out]` → `(in, out)`;
 * - `conv2d` `[kh, kw, in, out]` → `(kh·kw·in, kh·kw·out)`;
 * - `vector` `[n]` → `(n, n)`, and `[]` → `(1, 1)`.
 *
 * @throws DescentError `SHAPE_MISMATCH` if the rank does not fit the layout (dense 2, conv2d 4,
 * vector 0 or 1); `BAD_ARGUMENT` for an unknown layout or a shape that is not a list of
 * non-negative integers.
 *
 * @example
 * ```ts
 * computeFans([784, 300], 'dense');    // { fanIn: 784, fanOut: 300 }
 * computeFans([5, 5, 1, 6], 'conv2d'); // { fanIn: 25, fanOut: 150 }
 * ```
 */
export function computeFans(shape: readonly number[], layout: ParamLayout): Fans {
  checkShapeList('computeFans: shape', shape);
  checkOneOf('computeFans: layout', layout, PARAM_LAYOUTS);
  const expected = EXPECTED_RANK[layout];
  if (!expected.ranks.includes(shape.length)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `layout '${layout}' needs a ${expected.describe} shape, got ${formatShape(shape)} (rank ${shape.length}).`,
    );
  }
  return fansOf(shape, layout);
}

/**
 * Guesses a parameter's {@link ParamInfo} from its tfjs name and shape.
 *
 * - `role` from the last name segment (after the last `/`, ignoring a trailing `_<n>` or `:<n>`):
 *   `kernel` or `*_kernel` or `embeddings` → `weight`; `bias` or `*_bias` → `bias`;
 *   `gamma` → `scale`; `beta` → `shift`; `moving_mean`, `moving_variance` → `stat`; any other
 *   name by rank: rank ≥ 2 → `weight`, else `bias` (timm's "no decay for rank ≤ 1" convention).
 * - `layout` from the rank: 2 → `dense`, 4 → `conv2d`, 0 or 1 → `vector`.
 * - `layer` = the name up to its last `/` (`""` if it has none); fans by {@link computeFans}.
 *
 * @throws DescentError `SHAPE_MISMATCH` for ranks 3 and ≥ 5 (no layout fits: give the
 * `ParamInfo` explicitly); `BAD_ARGUMENT` for a non-string name or a malformed shape.
 *
 * @example
 * ```ts
 * inferParamInfo('conv1/kernel', [5, 5, 1, 6]);
 * // { role: 'weight', layer: 'conv1', layout: 'conv2d', fanIn: 25, fanOut: 150 }
 * ```
 */
export function inferParamInfo(name: string, shape: readonly number[]): ParamInfo {
  if (typeof name !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `inferParamInfo: name must be a string, got ${typeof name}.`,
    );
  }
  checkShapeList(`inferParamInfo: shape of ${JSON.stringify(name)}`, shape);
  const layout = layoutForRank(shape.length);
  if (layout === undefined) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `cannot infer a layout for ${JSON.stringify(name)} of shape ${formatShape(shape)} ` +
        `(rank ${shape.length}); known layouts: dense [in, out], conv2d [kh, kw, in, out], ` +
        'vector [n]. Give its ParamInfo explicitly.',
    );
  }
  const slash = name.lastIndexOf('/');
  const layer = slash < 0 ? '' : name.slice(0, slash);
  const role = roleForName(name.slice(slash + 1), shape.length);
  return { role, layer, layout, ...fansOf(shape, layout) };
}

/**
 * A boolean mask over parameter names: `true` where the parameter's role is one of `roles`.
 * E.g. weight decay or pruning that skips biases and norm parameters uses
 * `roleMask(info, ['weight'])`.
 *
 * @throws DescentError `BAD_ARGUMENT` for an unknown role in `roles` or an entry of `info` without
 * a valid role (named by key).
 *
 * @example
 * ```ts
 * roleMask(model.info, ['weight']); // { 'dense1/kernel': true, 'dense1/bias': false, … }
 * ```
 */
export function roleMask(
  info: Record<string, ParamInfo>,
  roles: readonly ParamRole[],
): Record<string, boolean> {
  checkInfoObject('roleMask: info', info);
  if (!Array.isArray(roles)) {
    throw new DescentError('BAD_ARGUMENT', 'roleMask: roles must be an array of roles.');
  }
  for (const role of roles) checkOneOf('roleMask: roles', role, PARAM_ROLES);
  const mask: Record<string, boolean> = {};
  for (const [key, entry] of Object.entries(info)) {
    const role = (entry as Partial<ParamInfo> | null)?.role;
    checkOneOf(`roleMask: info[${JSON.stringify(key)}].role`, role, PARAM_ROLES);
    mask[key] = roles.includes(role);
  }
  return mask;
}

/**
 * Asserts `info` is a well-formed {@link ParamInfo}: a known role and layout, a string layer and
 * non-negative integer fans. (Consistency with a tensor's shape is `checkModel`'s job.)
 *
 * @throws DescentError `BAD_ARGUMENT` naming the field.
 *
 * @example
 * ```ts
 * checkParamInfo('info["dense1/kernel"]', info['dense1/kernel']);
 * ```
 */
export function checkParamInfo(name: string, info: unknown): asserts info is ParamInfo {
  if (typeof info !== 'object' || info === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a ParamInfo object, got ${describeValue(info)}.`,
    );
  }
  const entry = info as Partial<Record<keyof ParamInfo, unknown>>;
  checkOneOf(`${name}.role`, entry.role, PARAM_ROLES);
  checkOneOf(`${name}.layout`, entry.layout, PARAM_LAYOUTS);
  if (typeof entry.layer !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}.layer must be a string, got ${describeValue(entry.layer)}.`,
    );
  }
  for (const field of ['fanIn', 'fanOut'] as const) {
    const value = entry[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}.${field} must be a non-negative integer, got ${describeValue(value)}.`,
      );
    }
  }
}

const EXPECTED_RANK: Record<ParamLayout, { ranks: readonly number[]; describe: string }> = {
  dense: { ranks: [2], describe: 'rank-2 [in, out]' },
  conv2d: { ranks: [4], describe: 'rank-4 [kh, kw, in, out]' },
  vector: { ranks: [0, 1], describe: 'rank-1 [n] (or scalar)' },
};

/** Fans of a shape already known to fit `layout`. */
function fansOf(shape: readonly number[], layout: ParamLayout): Fans {
  if (layout === 'vector') {
    const n = shape.length === 0 ? 1 : (shape[0] as number);
    return { fanIn: n, fanOut: n };
  }
  // Keras: the receptive field is the product of all axes but the last two.
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const inputs = shape[shape.length - 2] as number;
  const outputs = shape[shape.length - 1] as number;
  return { fanIn: receptiveField * inputs, fanOut: receptiveField * outputs };
}

function layoutForRank(rank: number): ParamLayout | undefined {
  if (rank <= 1) return 'vector';
  if (rank === 2) return 'dense';
  if (rank === 4) return 'conv2d';
  return undefined;
}

/** Keras/tfjs weight names, without a uniquifying `_<n>` or TF's `:<n>` suffix. */
function roleForName(lastSegment: string, rank: number): ParamRole {
  const base = lastSegment.replace(/:\d+$/, '').replace(/_\d+$/, '');
  if (base === 'kernel' || base.endsWith('_kernel') || base === 'embeddings') return 'weight';
  if (base === 'bias' || base.endsWith('_bias')) return 'bias';
  if (base === 'gamma') return 'scale';
  if (base === 'beta') return 'shift';
  if (base === 'moving_mean' || base === 'moving_variance') return 'stat';
  return rank >= 2 ? 'weight' : 'bias';
}

function checkShapeList(name: string, shape: unknown): asserts shape is readonly number[] {
  const ok =
    Array.isArray(shape) &&
    shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an array of non-negative integers, got ${JSON.stringify(shape)}.`,
    );
  }
}

function checkOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`,
    );
  }
}

function checkInfoObject(name: string, info: unknown): void {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object mapping names to ParamInfo, got ${describeValue(info)}.`,
    );
  }
}
