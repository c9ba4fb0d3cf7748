import { DescentError } from '../../errors/descent-error';
import { describeValue } from '../../validate/describe-value';
import { formatShape } from '../../validate/format-shape';
import { checkKnownKeys } from '../../validate/number-checks';

/**
 * How {@link segmentNorm} views its input: `x` as `[outer, spatial, groups, groupSize]`
 * (`[A, S, B, L]`) row-major, `C = groups·groupSize` channels. A segment `(a, b)` is the
 * `spatial·groupSize` elements `x[a, s, b, j]`; channel `c = b·groupSize + j`.
 *
 * - layer norm over the last axis of `[rows, C]`: `{ outer: rows, spatial: 1, groups: 1, groupSize: C }`
 * - group norm of NHWC with `G` groups: `{ outer: N, spatial: H·W, groups: G, groupSize: C/G }`
 */
export interface SegmentNormLayout {
  /** `A`: independent leading blocks (samples, rows). */
  outer: number;
  /** `S`: positions reduced over, between the outer axis and the channels (H·W; 1 for layer norm). */
  spatial: number;
  /** `B`: segments per outer block (the groups). */
  groups: number;
  /** `L`: consecutive channels per group. */
  groupSize: number;
}

const FIELDS = ['outer', 'spatial', 'groups', 'groupSize'] as const;

/** Asserts a layout of positive integers whose product is `size`; returns `C = groups·groupSize`. */
export function checkSegmentLayout(
  name: string,
  layout: unknown,
  size: number,
  shape: readonly number[],
): number {
  if (typeof layout !== 'object' || layout === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an object { outer, spatial, groups, groupSize }, got ${describeValue(layout)}.`,
    );
  }
  const l = layout as Record<string, unknown>;
  checkKnownKeys(name, Object.keys(l), FIELDS);
  for (const key of FIELDS) {
    const v = l[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}.${key} must be an integer ≥ 1, got ${describeValue(v)}.`,
      );
    }
  }
  const { outer, spatial, groups, groupSize } = layout as SegmentNormLayout;
  if (outer * spatial * groups * groupSize !== size) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} [A ${outer}, S ${spatial}, B ${groups}, L ${groupSize}] covers ` +
        `${outer * spatial * groups * groupSize} elements but x ${formatShape(shape)} has ${size}.`,
    );
  }
  return groups * groupSize;
}
