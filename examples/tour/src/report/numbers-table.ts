import type { JsonValue } from '../section';

/** Longest list of plain values shown in one cell; longer ones end with how many there are. */
const LIST_LIMIT = 12;

/**
 * A section's numbers as `[path, value]` rows for a table: nested objects give dotted paths
 * (`schemes.he.finalLoss`), lists of objects give indexed ones (`runs[2].stable`), and a list of
 * plain values is one row (its first {@link LIST_LIMIT} values, then `… (200 values)`). Numbers
 * keep 4 significant digits; null (NaN or ±Infinity in report.json) reads `—`.
 */
export function numberRows(numbers: { [key: string]: JsonValue }): Array<[string, string]> {
  return Object.entries(numbers).flatMap(([key, value]) => rowsOf(key, value));
}

function rowsOf(path: string, value: JsonValue): Array<[string, string]> {
  if (Array.isArray(value)) {
    if (value.some((v) => v !== null && typeof v === 'object')) {
      return value.flatMap((v, i) => rowsOf(`${path}[${i}]`, v));
    }
    const shown = value.slice(0, LIST_LIMIT).map(plain).join(', ');
    const more = value.length > LIST_LIMIT ? `, … (${value.length} values)` : '';
    return [[path, `[${shown}${more}]`]];
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => rowsOf(`${path}.${key}`, v));
  }
  return [[path, plain(value)]];
}

/** One plain value as text. */
export function plain(value: JsonValue): string {
  if (value === null) return '—';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '—';
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  return String(value);
}
