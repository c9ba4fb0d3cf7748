import { DescentError, type OptionReader, describeValue } from '@descent/core';
import { escapeXml } from './escape-xml';

/** A coordinate rounded to 2 decimals, without a trailing `.00` or a `-0`. */
export function num(value: number): string {
  return String(round2(value));
}

/** `value` rounded to 2 decimals, `-0` made `0`. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100 + 0;
}

/** A chart's title (bold, centred) and optional subtitle, as SVG text lines. */
export function headings(title: string, subtitle: string | undefined, width: number): string[] {
  const lines = [
    `<text x="${num(width / 2)}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  if (subtitle !== undefined) {
    lines.push(
      `<text x="${num(width / 2)}" y="44" text-anchor="middle" font-size="12" fill="#555555">${escapeXml(subtitle)}</text>`,
    );
  }
  return lines;
}

/**
 * A string option of a chart (title, labels), required unless `required` is false.
 *
 * @throws DescentError `BAD_ARGUMENT` naming the option when it is no string.
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
