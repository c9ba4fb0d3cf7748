import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type Polyline, contourLines } from './contours';

/** `n + 1` points from `lo` to `hi`, computed as `lo + k·h` from integers. */
function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, k) => lo + (k * (hi - lo)) / n);
}

function sample(xs: number[], ys: number[], f: (x: number, y: number) => number): number[][] {
  return xs.map((x) => ys.map((y) => f(x, y)));
}

function isClosed(line: Polyline): boolean {
  const first = line[0]!;
  const last = line[line.length - 1]!;
  return line.length > 3 && first[0] === last[0] && first[1] === last[1];
}

/** Twice the signed area (shoelace) of a closed polyline. */
function area(line: Polyline): number {
  let twice = 0;
  for (let k = 0; k + 1 < line.length; k++) {
    twice += line[k]![0] * line[k + 1]![1] - line[k + 1]![0] * line[k]![1];
  }
  return Math.abs(twice) / 2;
}

/** Edges of the grid whose two ends lie on different sides of the level (≥ counts as above). */
function crossedEdges(values: number[][], level: number): number {
  const above = (v: number) => v >= level;
  let count = 0;
  values.forEach((row, i) => {
    row.forEach((v, j) => {
      if (i + 1 < values.length && above(v) !== above(values[i + 1]![j]!)) count++;
      if (j + 1 < row.length && above(v) !== above(row[j + 1]!)) count++;
    });
  });
  return count;
}

/** Segments of the polylines as sorted point pairs, for comparisons that ignore direction. */
function segments(lines: Polyline[]): string[] {
  return lines
    .flatMap((line) =>
      line.slice(1).map((p, k) =>
        [line[k]!, p]
          .map(([x, y]) => `${x.toFixed(12)},${y.toFixed(12)}`)
          .sort()
          .join(' – '),
      ),
    )
    .sort();
}

describe('contourLines', () => {
  it('traces x² + y² = r² as one closed loop with |x² + y² − r²| ≤ h²/4 at every vertex', () => {
    const h = 0.05;
    const xs = grid(-2, 2, 80);
    const values = sample(xs, xs, (x, y) => x * x + y * y);
    for (const r of [0.4, 1.23, 1.9]) {
      const lines = contourLines(xs, xs, values, r * r);
      expect(lines).toHaveLength(1);
      const loop = lines[0]!;
      expect(isClosed(loop)).toBe(true);
      // One vertex per crossed grid edge, plus the repeated first point.
      expect(loop).toHaveLength(crossedEdges(values, r * r) + 1);
      for (const [x, y] of loop) {
        // On a grid edge, f is x² (or y²) plus a constant: its chord lies above it by at
        // most h²/4, so the crossing of the chord is inside the circle by at most that.
        const excess = x * x + y * y - r * r;
        expect(excess).toBeLessThanOrEqual(1e-12);
        expect(excess).toBeGreaterThanOrEqual(-(h * h) / 4 - 1e-12);
        const onGridLine = [x, y].some((c) => Math.abs(c / h - Math.round(c / h)) < 1e-9);
        expect(onGridLine).toBe(true);
      }
      // The polygon lies inside the circle; it misses at most h²/(4r²) of its area radially
      // and (chords ≤ h√2 long) at most h²/(3r²) in the circular segments.
      const deficit = 1 - area(loop) / (Math.PI * r * r);
      expect(deficit).toBeGreaterThan(0);
      expect(deficit).toBeLessThan((7 * h * h) / (12 * r * r));
    }
  });

  it('traces a plane f = x as the vertical line x = level through every row', () => {
    const xs = [-1, -0.6, -0.2, 0.3, 0.7, 1];
    const ys = [-2, -1.5, 0, 0.25, 3];
    const values = sample(xs, ys, (x) => x);
    const lines = contourLines(xs, ys, values, 0.1);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    for (const [x] of line) expect(Math.abs(x - 0.1)).toBeLessThanOrEqual(1e-15);
    expect(line.map(([, y]) => y).sort((a, b) => a - b)).toEqual(ys);
    // A level on a grid column: the line runs along that column, with no repeated points.
    const integers = [0, 1, 2, 3, 4];
    const onColumn = contourLines(
      integers,
      ys,
      sample(integers, ys, (x) => x),
      2,
    );
    expect(onColumn).toEqual([ys.map((y) => [2, y])]);
    // Levels outside the values' range cross nothing.
    expect(contourLines(xs, ys, values, 1.5)).toEqual([]);
    expect(contourLines(xs, ys, values, -1.01)).toEqual([]);
  });

  it('is exact for any plane: a x + b y = level at every vertex, border to border', () => {
    const xs = grid(-1, 1, 10);
    const ys = grid(0, 2, 7);
    const values = sample(xs, ys, (x, y) => 2 * x - 3 * y);
    const lines = contourLines(xs, ys, values, -2.2);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(isClosed(line)).toBe(false);
    for (const [x, y] of line) expect(Math.abs(2 * x - 3 * y + 2.2)).toBeLessThan(1e-12);
    const onBorder = ([x, y]: [number, number]) =>
      [x + 1, x - 1, y, y - 2].some((d) => Math.abs(d) < 1e-12);
    expect(onBorder(line[0]!)).toBe(true);
    expect(onBorder(line[line.length - 1]!)).toBe(true);
    // Monotone along the line: the vertices are joined in order.
    const xsAlong = line.map(([x]) => x);
    const sorted = [...xsAlong].sort((a, b) => a - b);
    expect(xsAlong[0]! < xsAlong[1]! ? xsAlong : xsAlong.reverse()).toEqual(sorted);
  });

  it('resolves a saddle cell by the average of its corners', () => {
    // Corners: (0,0) = 1, (1,0) = 0, (1,1) = 1, (0,1) = 0; the centre average is 0.5.
    const values = [
      [1, 0],
      [0, 1],
    ];
    // Level 0.5: the centre counts as above, so the corners above stay connected and the
    // lines cut off the corners below, (1, 0) and (0, 1).
    expect(segments(contourLines([0, 1], [0, 1], values, 0.5))).toEqual(
      segments([
        [
          [0.5, 0],
          [1, 0.5],
        ],
        [
          [0.5, 1],
          [0, 0.5],
        ],
      ]),
    );
    // Level 0.6: the centre is below, so the lines cut off the corners above instead.
    expect(segments(contourLines([0, 1], [0, 1], values, 0.6))).toEqual(
      segments([
        [
          [0, 0.4],
          [0.4, 0],
        ],
        [
          [1, 0.6],
          [0.6, 1],
        ],
      ]),
    );
  });

  it('closes separate loops around two minima', () => {
    const xs = grid(-2, 2, 40);
    const ys = grid(-1, 1, 20);
    const lines = contourLines(
      xs,
      ys,
      sample(xs, ys, (x, y) => (x * x - 1) ** 2 + y * y),
      0.3,
    );
    expect(lines).toHaveLength(2);
    const centres = lines.map((line) => {
      expect(isClosed(line)).toBe(true);
      return line.slice(1).reduce((s, [x]) => s + x, 0) / (line.length - 1);
    });
    expect(centres.map(Math.sign).sort()).toEqual([-1, 1]);
    for (const c of centres) expect(Math.abs(Math.abs(c) - 1)).toBeLessThan(0.1);
  });

  it('skips cells with a NaN or infinite corner, breaking the line there', () => {
    const xs = [0, 1, 2, 3];
    const ys = [0, 1, 2, 3, 4];
    const values = sample(xs, ys, (x) => x);
    values[1]![2] = Number.NaN;
    expect(contourLines(xs, ys, values, 1.5)).toEqual([
      [
        [1.5, 0],
        [1.5, 1],
      ],
      [
        [1.5, 3],
        [1.5, 4],
      ],
    ]);
    values[1]![2] = Number.POSITIVE_INFINITY;
    expect(contourLines(xs, ys, values, 1.5)).toHaveLength(2);
    const allNaN = sample(xs, ys, () => Number.NaN);
    expect(contourLines(xs, ys, allNaN, 0)).toEqual([]);
  });

  it('refuses bad grids and levels, naming the argument', () => {
    const xs = [0, 1, 2];
    const ys = [0, 1];
    const values = sample(xs, ys, (x, y) => x + y);
    expectDescentError(
      () => contourLines([], ys, [], 0),
      'BAD_ARGUMENT',
      'contourLines: xs must be an array of at least 2 finite numbers',
      'length 0',
    );
    expectDescentError(
      () => contourLines([0, 2, 1], ys, values, 0),
      'BAD_ARGUMENT',
      'contourLines: xs must be strictly ascending',
      'xs[1] = 2 and contourLines: xs[2] = 1',
    );
    expectDescentError(
      () => contourLines(xs, [0, 0], values, 0),
      'BAD_ARGUMENT',
      'contourLines: ys must be strictly ascending',
    );
    expectDescentError(
      () => contourLines(xs, [0, Number.NaN], values, 0),
      'BAD_ARGUMENT',
      'contourLines: ys[1] must be a finite number',
      'NaN',
    );
    expectDescentError(
      () => contourLines(xs, ys, [values[0]!, [1, 2, 3], values[2]!], 0),
      'SHAPE_MISMATCH',
      'contourLines: values[1] must be an array of ys.length = 2 numbers',
      'length 3',
    );
    expectDescentError(
      () => contourLines(xs, ys, values.slice(1), 0),
      'SHAPE_MISMATCH',
      'contourLines: values must be an array of xs.length = 3 rows',
    );
    expectDescentError(
      () => contourLines(xs, ys, 'grid' as never, 0),
      'BAD_ARGUMENT',
      'contourLines: values',
    );
    expectDescentError(
      () => contourLines(xs, ys, [values[0]!, [1, '2' as never], values[2]!], 0),
      'BAD_ARGUMENT',
      'contourLines: values[1][1] must be a number',
    );
    expectDescentError(
      () => contourLines(xs, ys, values, Number.NaN),
      'NON_FINITE',
      'contourLines: level',
    );
    expectDescentError(
      () => contourLines(xs, ys, values, '1' as never),
      'BAD_ARGUMENT',
      'contourLines: level must be a finite number',
    );
  });
});
