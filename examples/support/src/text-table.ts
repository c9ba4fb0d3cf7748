import { DescentError, OptionReader, describeValue } from '@descent/core';

/** How a column's cells sit in its width. */
export type ColumnAlign = 'left' | 'right';

/** Options of {@link renderTextTable}. */
export interface TextTableOptions {
  /**
   * One alignment per column; by default the first column is left-aligned (a label) and the
   * others right-aligned (numbers).
   */
  align?: ColumnAlign[];
}

const SEPARATOR = ' | ';
const RULE_SEPARATOR = '-+-';
const ALIGNS: readonly ColumnAlign[] = ['left', 'right'];

/**
 * A monospaced table: the header, a dashed rule with `-+-` under each separator, then one line
 * per row, cells separated by ` | ` and padded to the widest cell of their column (width in code
 * points, so `±` or `×` counts as one column). There are no colours, so it reads the same in a
 * terminal and in a CI log. Trailing spaces are trimmed; a row shorter than the header leaves
 * its last cells blank (a run still going).
 *
 * @param header - The column names, at least one.
 * @param rows - The rows, each an array of at most `header.length` strings.
 * @param options - `align`: `'left'` or `'right'` per column (default: first column left, the
 *   others right).
 * @returns the table, lines joined by `"\n"`, without a trailing newline.
 * @throws DescentError `BAD_ARGUMENT` (a header that is not a non-empty array of strings, rows
 *   that are not arrays of strings, a row longer than the header, options that are not a plain
 *   object, `align` not one `'left'` / `'right'` per column), `UNKNOWN_PARAM` (an unknown option).
 * @example
 * ```ts
 * console.log(renderTextTable(['width', 'test loss', 'ntk loss'], [
 *   ['64', '0.0412', '0.0398'],
 *   ['1024', '0.0301', '0.0300'],
 * ]));
 * // width | test loss | ntk loss
 * // ------+-----------+---------
 * // 64    |    0.0412 |   0.0398
 * // 1024  |    0.0301 |   0.0300
 * ```
 */
export function renderTextTable(
  header: string[],
  rows: string[][],
  options: TextTableOptions = {},
): string {
  checkHeader(header);
  checkRows(rows, header.length);
  const align = readAlign(options, header.length);
  const table = [header, ...rows];
  const widths = header.map((_, col) => Math.max(...table.map((row) => width(row[col] ?? ''))));
  const line = (row: string[]) =>
    widths
      .map((w, col) => pad(row[col] ?? '', w, align[col]!))
      .join(SEPARATOR)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(RULE_SEPARATOR);
  return [line(header), rule, ...rows.map(line)].join('\n');
}

function checkHeader(header: unknown): asserts header is string[] {
  if (!Array.isArray(header) || header.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `renderTextTable: header must be a non-empty array of strings, got ${describeValue(header)}.`,
    );
  }
  checkCells('renderTextTable: header', header);
}

function checkRows(rows: unknown, columns: number): asserts rows is string[][] {
  if (!Array.isArray(rows)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `renderTextTable: rows must be an array of rows, got ${describeValue(rows)}.`,
    );
  }
  for (const [r, row] of rows.entries()) {
    const label = `renderTextTable: rows[${r}]`;
    if (!Array.isArray(row)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} must be an array of strings, got ${describeValue(row)}.`,
      );
    }
    if (row.length > columns) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} has ${row.length} cells, but the header has ${columns} columns.`,
      );
    }
    checkCells(label, row);
  }
}

function checkCells(label: string, cells: unknown[]): void {
  for (const [c, cell] of cells.entries()) {
    if (typeof cell !== 'string') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${c}] must be a string, got ${describeValue(cell)}.`,
      );
    }
  }
}

function readAlign(options: TextTableOptions, columns: number): ColumnAlign[] {
  const read = new OptionReader('renderTextTable', options, ['align']);
  const align = read.raw('align');
  if (align === undefined) {
    return Array.from({ length: columns }, (_, col) => (col === 0 ? 'left' : 'right'));
  }
  const valid =
    Array.isArray(align) &&
    align.length === columns &&
    align.every((a) => (ALIGNS as readonly unknown[]).includes(a));
  if (!valid) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('align')} must be an array of ${columns} 'left' / 'right' (one per column), got ${describeValue(align)}.`,
    );
  }
  return align;
}

/** Width in code points, so `±` counts as one column. */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, to: number, align: ColumnAlign): string {
  const fill = ' '.repeat(to - width(text));
  return align === 'left' ? text + fill : fill + text;
}
