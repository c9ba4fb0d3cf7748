import { DescentError, formatShape } from '@descent/core';

/**
 * Resolves a possibly negative axis of a rank-`rank` tensor to `0…rank−1`.
 *
 * @throws DescentError `BAD_HYPERPARAM` naming `name`, the axis and the shape.
 */
export function resolveAxis(name: string, axis: unknown, shape: readonly number[]): number {
  const rank = shape.length;
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} must be an integer axis in [${-rank}, ${rank - 1}] for a tensor of shape ` +
        `${formatShape(shape)}, got ${String(axis)}.`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Resolves one axis or a list of axes; returns them sorted, without duplicates. */
export function resolveAxes(name: string, axes: unknown, shape: readonly number[]): number[] {
  const list = Array.isArray(axes) ? axes : [axes];
  if (list.length === 0) {
    throw new DescentError('BAD_HYPERPARAM', `${name} must name at least one axis, got [].`);
  }
  const resolved = list.map((a, i) =>
    resolveAxis(Array.isArray(axes) ? `${name}[${i}]` : name, a, shape),
  );
  const unique = [...new Set(resolved)].sort((a, b) => a - b);
  if (unique.length !== resolved.length) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} names the same axis twice (${JSON.stringify(axes)} for shape ${formatShape(shape)}).`,
    );
  }
  return unique;
}

/** The shape of `shape` with every axis not in `keep` set to 1 (for broadcasting per-axis parameters). */
export function broadcastShape(shape: readonly number[], keep: readonly number[]): number[] {
  return shape.map((d, i) => (keep.includes(i) ? d : 1));
}

/** Product of the dimensions at `axes`. */
export function sizeOver(shape: readonly number[], axes: readonly number[]): number {
  return axes.reduce((p, a) => p * (shape[a] as number), 1);
}

/** `0…rank−1` without `exclude`. */
export function otherAxes(rank: number, exclude: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !exclude.includes(i));
}
