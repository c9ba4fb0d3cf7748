import { DescentError, OptionReader, describeValue } from '@descent/core';
import { type Curve, checkCurves, formatSummary, summarize } from './curves';

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** A line printed above the table; none by default. */
  title?: string;
}

const SEPARATOR = ' | ';

/**
 * A monospaced table of the curves, one row per round:
 * `round | density % | <curve 1> | <curve 2> | …`. The density has one decimal (`64.1`); each
 * curve's cell is its accuracy summary from {@link formatSummary} (`97.93 ± 0.12 %`). Every
 * column is right-aligned and padded to its widest cell, a dashed rule separates the header,
 * and there are no colours, so it reads the same in a terminal and in a CI log.
 *
 * Row `r` takes its density from the first curve that has a point `r`; a curve with fewer
 * points leaves its later cells blank (an experiment still running).
 *
 * @param curves - At least one curve (see {@link checkCurves}).
 * @param options - `title`: a line above the table.
 * @returns the table, lines joined by `"\n"`, without a trailing newline.
 * @throws DescentError `BAD_ARGUMENT` (bad curves, options that are not a plain object, a title
 *   that is not a string), `NON_FINITE`, `UNKNOWN_PARAM` (an unknown option).
 * @example
 * ```ts
 * console.log(renderTable(curves, { title: 'LeNet-300-100 on MNIST, 3 seeds' }));
 * // LeNet-300-100 on MNIST, 3 seeds
 * // round | density % | winning ticket |  random reinit
 * // ------+-----------+----------------+---------------
 * //     0 |     100.0 | 97.80 ± 0.30 % | 97.80 ± 0.30 %
 * //     1 |      80.0 | 98.20 ± 0.20 % | 97.20 ± 0.20 %
 * ```
 */
export function renderTable(curves: Curve[], options: TableOptions = {}): string {
  checkCurves('renderTable: curves', curves);
  const read = new OptionReader('renderTable', options, ['title']);
  const title = read.raw('title');
  if (title !== undefined && typeof title !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('title')} must be a string, got ${describeValue(title)}.`,
    );
  }
  const rows = [['round', 'density %', ...curves.map((c) => c.name)], ...bodyRows(curves)];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => width(row[col]!))));
  const lines = rows.map((row) => row.map((cell, col) => padStart(cell, widths[col]!)));
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const [header, ...body] = lines.map((cells) => cells.join(SEPARATOR).trimEnd());
  return [...(title === undefined ? [] : [title]), header!, rule, ...body].join('\n');
}

function bodyRows(curves: Curve[]): string[][] {
  const rounds = Math.max(...curves.map((c) => c.points.length));
  return Array.from({ length: rounds }, (_, r) => {
    const density = curves.find((c) => c.points[r] !== undefined)!.points[r]!.density;
    const cells = curves.map((c) => {
      const point = c.points[r];
      return point === undefined
        ? ''
        : formatSummary(summarize(point.accuracies), point.accuracies.length);
    });
    return [String(r), (100 * density).toFixed(1), ...cells];
  });
}

/** Width in code points, so `±` counts as one column. */
function width(text: string): number {
  return [...text].length;
}

function padStart(text: string, to: number): string {
  return ' '.repeat(to - width(text)) + text;
}
