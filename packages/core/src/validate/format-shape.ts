/** Formats a shape the way every descent error message prints it: `[2, 3]`, `[]` for a scalar. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
