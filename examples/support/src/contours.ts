import { DescentError, describeValue } from '@descent/core';

/** A polyline in data coordinates; a closed one ends with a copy of its first point. */
export type Polyline = Array<[number, number]>;

/** The four edges of a cell: bottom, right, top, left. */
type Side = 'B' | 'R' | 'T' | 'L';

/**
 * The edge pairs joined in a cell, by case: bit 1 for the bottom-left corner above the level,
 * 2 bottom-right, 4 top-right, 8 top-left. Saddles (5 and 10) are resolved separately.
 */
const SEGMENTS: readonly (readonly [Side, Side])[][] = [
  [],
  [['L', 'B']],
  [['B', 'R']],
  [['L', 'R']],
  [['R', 'T']],
  [],
  [['B', 'T']],
  [['L', 'T']],
  [['T', 'L']],
  [['B', 'T']],
  [],
  [['R', 'T']],
  [['L', 'R']],
  [['B', 'R']],
  [['L', 'B']],
  [],
];
/** Saddle segments when the centre is above the level: the above corners stay connected. */
const SADDLE_CENTRE_ABOVE: Record<5 | 10, [Side, Side][]> = {
  5: [
    ['B', 'R'],
    ['T', 'L'],
  ],
  10: [
    ['L', 'B'],
    ['R', 'T'],
  ],
};
const SADDLE_CENTRE_BELOW: Record<5 | 10, [Side, Side][]> = {
  5: SADDLE_CENTRE_ABOVE[10],
  10: SADDLE_CENTRE_ABOVE[5],
};
/** Where a side's edge starts, relative to the cell's lower-left grid point, and whether it is vertical. */
const EDGE_OFFSETS: Record<Side, readonly [number, number, 0 | 1]> = {
  B: [0, 0, 0],
  R: [1, 0, 1],
  T: [0, 1, 0],
  L: [0, 0, 1],
};

/** A checked grid: sample positions and `values[i][j]` at `(xs[i], ys[j])`. */
export interface Grid {
  xs: readonly number[];
  ys: readonly number[];
  values: readonly (readonly number[])[];
}

/**
 * The contour lines `f = level` of a function sampled on a rectangular grid, by marching
 * squares: each grid cell is classified by which of its corners are at or above the level, the
 * crossing on each edge between a corner above and one below is placed by linear
 * interpolation, `x = x₀ + (level − f₀) / (f₁ − f₀) · (x₁ − x₀)`, and the segments of
 * neighbouring cells are joined through their shared edge points into polylines.
 *
 * - A saddle cell (two diagonal corners above, the other two below) is resolved by the
 *   average of its four corners: when that is at or above the level, the two corners above
 *   stay connected through the centre.
 * - A value exactly at the level counts as above, so a crossing may sit on a grid point.
 * - Cells with a NaN or ±Infinity corner are skipped: lines stop at their border.
 * - A closed line (a loop, e.g. around a minimum) ends with a copy of its first point; an
 *   open one runs from border to border of the drawable area. Consecutive repeated points are
 *   dropped.
 *
 * Linear interpolation along edges is exact for a function linear along each grid line; for a
 * smooth `f` the vertices sit `O(h²)` from the true contour (`h` the grid spacing): for
 * `f = x² + y²` every vertex satisfies `|x² + y² − level| ≤ h² / 4`.
 *
 * @param xs - Column positions, at least 2 finite numbers, strictly ascending.
 * @param ys - Row positions, at least 2 finite numbers, strictly ascending.
 * @param values - `values[i][j]` = `f(xs[i], ys[j])`: `xs.length` rows of `ys.length` numbers
 *   (NaN and ±Infinity allowed, skipped).
 * @param level - The contour value, a finite number.
 * @returns the polylines in data coordinates: open lines first, then loops, each in the order
 *   its first crossing is met (columns left to right, each bottom to top); `[]` when the level
 *   is never crossed.
 * @throws DescentError `BAD_ARGUMENT` (an axis not an array of at least 2 finite numbers, not
 *   strictly ascending, a value that is not a number, a level that is not a number),
 *   `SHAPE_MISMATCH` (`values` not `xs.length × ys.length`), `NON_FINITE` (a NaN or infinite
 *   level).
 * @example
 * ```ts
 * const xs = [-1, -0.5, 0, 0.5, 1];
 * const values = xs.map((x) => xs.map((y) => x * x + y * y));
 * const [loop] = contourLines(xs, xs, values, 0.6);
 * // 12 points just inside the circle of radius √0.6 ([-0.5, -0.567], [-0.567, -0.5], …),
 * // then the first again: loop.length === 13
 * ```
 * @see W. E. Lorensen, H. E. Cline, Marching cubes: a high resolution 3D surface construction
 *   algorithm, SIGGRAPH 1987 (marching squares is its two-dimensional case).
 */
export function contourLines(
  xs: number[],
  ys: number[],
  values: number[][],
  level: number,
): Polyline[] {
  checkGrid((field) => `contourLines: ${field}`, xs, ys, values);
  checkLevel(level);
  return traceContours({ xs, ys, values }, level);
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

/**
 * Traces the contour lines of a checked grid (see {@link contourLines}).
 */
export function traceContours(grid: Grid, level: number): Polyline[] {
  const graph = new EdgeGraph(grid, level);
  for (let i = 0; i + 1 < grid.xs.length; i++) {
    for (let j = 0; j + 1 < grid.ys.length; j++) {
      for (const [a, b] of cellSegments(grid.values, i, j, level)) {
        graph.connect(graph.edgeId(i, j, a), graph.edgeId(i, j, b));
      }
    }
  }
  return graph.polylines();
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

function checkLevel(level: unknown): asserts level is number {
  if (typeof level !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `contourLines: level must be a finite number, got ${describeValue(level)}.`,
    );
  }
  if (!Number.isFinite(level)) {
    throw new DescentError('NON_FINITE', `contourLines: level must be finite, got ${level}.`);
  }
}

/** The edge pairs to join in cell `(i, j)`; none when a corner is not finite. */
function cellSegments(
  values: Grid['values'],
  i: number,
  j: number,
  level: number,
): readonly (readonly [Side, Side])[] {
  const corners = [values[i]![j]!, values[i + 1]![j]!, values[i + 1]![j + 1]!, values[i]![j + 1]!];
  if (!corners.every(Number.isFinite)) return [];
  const index = corners.reduce((bits, v, k) => bits | (v >= level ? 1 << k : 0), 0);
  if (index !== 5 && index !== 10) return SEGMENTS[index]!;
  const centre = (corners[0]! + corners[1]! + corners[2]! + corners[3]!) / 4;
  return (centre >= level ? SADDLE_CENTRE_ABOVE : SADDLE_CENTRE_BELOW)[index];
}

/**
 * Crossing points on grid edges, joined by segments. Each edge point belongs to at most two
 * cells and to one segment in each, so the graph is a set of disjoint paths and cycles.
 */
class EdgeGraph {
  private readonly neighbours = new Map<number, number[]>();
  private readonly ny: number;

  constructor(
    private readonly grid: Grid,
    private readonly level: number,
  ) {
    this.ny = grid.ys.length;
  }

  /** Edges from grid point `(i, j)`: `2k` to `(i + 1, j)`, `2k + 1` to `(i, j + 1)`. */
  edgeId(i: number, j: number, side: Side): number {
    const [di, dj, vertical] = EDGE_OFFSETS[side];
    return 2 * ((i + di) * this.ny + (j + dj)) + vertical;
  }

  connect(a: number, b: number): void {
    this.link(a, b);
    this.link(b, a);
  }

  /** Open paths first (from their ends), then the loops, each closed by its first point. */
  polylines(): Polyline[] {
    const visited = new Set<number>();
    const lines: Polyline[] = [];
    for (const [start, next] of this.neighbours) {
      if (next.length === 1 && !visited.has(start)) lines.push(this.walk(start, visited, false));
    }
    for (const start of this.neighbours.keys()) {
      if (!visited.has(start)) lines.push(this.walk(start, visited, true));
    }
    return lines.map(withoutRepeats).filter((line) => line.length >= 2);
  }

  private link(from: number, to: number): void {
    const list = this.neighbours.get(from);
    if (list === undefined) this.neighbours.set(from, [to]);
    else list.push(to);
  }

  private walk(start: number, visited: Set<number>, closed: boolean): Polyline {
    const line: Polyline = [];
    let current: number | undefined = start;
    while (current !== undefined) {
      visited.add(current);
      line.push(this.point(current));
      current = this.neighbours.get(current)!.find((n) => !visited.has(n));
    }
    if (closed) line.push([...line[0]!]);
    return line;
  }

  /** The crossing on an edge, interpolated from its lower-left end. */
  private point(edge: number): [number, number] {
    const vertical = edge % 2;
    const k = (edge - vertical) / 2;
    const i = Math.floor(k / this.ny);
    const j = k % this.ny;
    const { xs, ys, values } = this.grid;
    const [i1, j1] = vertical ? [i, j + 1] : [i + 1, j];
    const f0 = values[i]![j]!;
    const t = (this.level - f0) / (values[i1]![j1]! - f0);
    return [xs[i]! + t * (xs[i1]! - xs[i]!), ys[j]! + t * (ys[j1]! - ys[j]!)];
  }
}

/** Drops a point equal to the one before it (crossings that meet at a grid point). */
function withoutRepeats(line: Polyline): Polyline {
  return line.filter((p, k) => k === 0 || p[0] !== line[k - 1]![0] || p[1] !== line[k - 1]![1]);
}
