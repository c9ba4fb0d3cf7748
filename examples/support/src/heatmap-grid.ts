import { DescentError, describeValue } from '@descent/core';

/** A checked grid: sample positions and `values[i][j]` at `(xs[i], ys[j])`. */
export interface Grid {
  xs: readonly number[];
  ys: readonly number[];
  values: readonly (readonly number[])[];
}

/**
 * Checks a grid: `xs` and `ys` at least 2 finite numbers each, strictly ascending, and
 * `values` `xs.length` arrays of `ys.length` numbers (any number, NaN included). `name(field)`
 * is how the caller names its arguments in messages.
 *
 * @throws DescentError `BAD_ARGUMENT` or `SHAPE_MISMATCH`.
 */
export function checkGrid(
  name: (field: string) => string,
  xs: unknown,
  ys: unknown,
  values: unknown,
): asserts values is number[][] {
  checkAxis(name('xs'), xs);
  checkAxis(name('ys'), ys);
  if (!Array.isArray(values) || values.length !== xs.length) {
    throw new DescentError(
      Array.isArray(values) ? 'SHAPE_MISMATCH' : 'BAD_ARGUMENT',
      `${name('values')} must be an array of xs.length = ${xs.length} rows (values[i][j] at (xs[i], ys[j])), got ${describeValue(values)}.`,
    );
  }
  values.forEach((row: unknown, i) => {
    checkRow(`${name('values')}[${i}]`, row, ys.length);
  });
}

function checkAxis(label: string, axis: unknown): asserts axis is number[] {
  if (!Array.isArray(axis) || axis.length < 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be an array of at least 2 finite numbers, got ${describeValue(axis)}.`,
    );
  }
  axis.forEach((v: unknown, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${k}] must be a finite number, got ${describeValue(v)}.`,
      );
    }
    if (k > 0 && v <= axis[k - 1]) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} must be strictly ascending, got ${label}[${k - 1}] = ${axis[k - 1]} and ${label}[${k}] = ${v}.`,
      );
    }
  });
}

function checkRow(label: string, row: unknown, length: number): void {
  if (!Array.isArray(row) || row.length !== length) {
    throw new DescentError(
      Array.isArray(row) ? 'SHAPE_MISMATCH' : 'BAD_ARGUMENT',
      `${label} must be an array of ys.length = ${length} numbers, got ${describeValue(row)}.`,
    );
  }
  row.forEach((v: unknown, j) => {
    if (typeof v !== 'number') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${j}] must be a number (NaN allowed), got ${describeValue(v)}.`,
      );
    }
  });
}
