import { DescentError } from '../errors/descent-error';

/**
 * Formats a shape the way every descent error message prints it: `[2, 3]`, `[]` for a scalar.
 *
 * @throws DescentError `BAD_ARGUMENT` if `shape` is not an array.
 */
export function formatShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `formatShape: shape must be an array of dimensions, got ${shape === null ? 'null' : typeof shape === 'object' ? 'an object' : `${typeof shape} ${String(shape)}`}.`,
    );
  }
  return `[${shape.join(', ')}]`;
}
