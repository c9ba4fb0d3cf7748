import { DescentError, type OptionReader, describeValue } from '@descent/core';

/**
 * A string option of a chart (a title, an axis label), required unless `required` is false.
 *
 * @param read - The reader of the chart's options.
 * @param field - The option's name.
 * @param required - Whether a missing option is an error (default true); when false, a missing
 *   option reads as `undefined`.
 * @throws DescentError `BAD_ARGUMENT` naming the option when it is no string.
 * @example
 * ```ts
 * const read = new OptionReader('renderSvg', options, ['title', 'subtitle']);
 * const title = readText(read, 'title')!;
 * const subtitle = readText(read, 'subtitle', false);
 * ```
 */
export function readText(read: OptionReader, field: string, required = true): string | undefined {
  const value = read.raw(field);
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name(field)} must be a string, got ${describeValue(value)}.`,
    );
  }
  return value;
}
