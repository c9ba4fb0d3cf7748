import * as Plot from '@observablehq/plot';
import { DescentError, OptionReader, describeValue, isPlainObject } from '@descent/core';
import { colourBar } from './colour-bar';
import {
  type ColorScale,
  type ColourRange,
  colourScaleOptions,
  inkOn,
  valueAt,
} from './colour-range';
import { figureSvg, headingHeight, plotDocument } from './figure';
import { type Grid, checkGrid } from './heatmap-grid';
import { readText } from './read-text';
import { tickLabel } from './tick-label';

export type { ColorScale } from './colour-range';

/** A point marked on a {@link heatmapSvg} with a circle and a label (e.g. the minimum). */
export interface HeatmapMark {
  /** Position on the x axis, inside the drawn cells. */
  x: number;
  /** Position on the y axis, inside the drawn cells. */
  y: number;
  /** The text next to the circle; `''` for none. */
  label: string;
}

/** Options of {@link heatmapSvg}. */
export interface HeatmapOptions {
  /** The heading above the chart. */
  title: string;
  /** A smaller second line under the title; none by default. */
  subtitle?: string;
  /** The x axis label, with its unit. */
  xLabel: string;
  /** The y axis label, with its unit. */
  yLabel: string;
  /** The colour bar's label: what the values are. */
  valueLabel: string;
  /** Column positions: at least 2 finite numbers, strictly ascending. */
  xs: number[];
  /** Row positions: at least 2 finite numbers, strictly ascending. */
  ys: number[];
  /**
   * `values[i][j]` at `(xs[i], ys[j])`: first index along x, as in `L(θ + αᵢd₁ + βⱼd₂)`.
   * NaN and ±Infinity are drawn grey; at least one value must be finite.
   */
  values: number[][];
  /** A count of evenly spaced levels (default 10, 0 for none) or the levels themselves. */
  contours?: number | number[];
  /** `'linear'` (default) or `'log'` (every finite value > 0). */
  colorScale?: ColorScale;
  /** Points to mark; none by default. */
  marks?: HeatmapMark[];
  /** Width in pixels, an integer ≥ 360 (default 680). */
  width?: number;
  /** Height in pixels, an integer ≥ 240 (default 560). */
  height?: number;
}

const NOT_FINITE_FILL = '#c8c8c8';
const SCALES: readonly ColorScale[] = ['linear', 'log'];
const KNOWN_KEYS = [
  'title',
  'subtitle',
  'xLabel',
  'yLabel',
  'valueLabel',
  'xs',
  'ys',
  'values',
  'contours',
  'colorScale',
  'marks',
  'width',
  'height',
];
const DEFAULT_CONTOURS = 10;
const MAX_CONTOURS = 100;
const MARGIN = { top: 12, right: 12, bottom: 44, left: 64 };
/** Average width of an 11 px sans-serif character, to keep mark labels inside the frame. */
const CHAR_WIDTH = 6.6;
const MARK_RADIUS = 4;
/** Relative spread of the steps below which an axis counts as evenly spaced. */
const EVEN_TOLERANCE = 1e-6;

/** A closed interval of data values. */
interface Extent {
  lo: number;
  hi: number;
}

/** One cell: its edges and value. */
interface Cell {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  value: number;
}

/**
 * A standalone SVG heatmap of a function sampled on a grid, drawn by Observable Plot, with
 * contour lines, a colour bar and marked points: the picture of a two-dimensional loss
 * surface `L(θ + αd₁ + βd₂)`.
 *
 * - **Cells.** One rect per value, centred on its sample: cell edges sit halfway between
 *   neighbouring `xs` (and `ys`), the outer ones half a step beyond the first and last
 *   samples; the axes span exactly the cells. `values[i][j]` is drawn at column `xs[i]`, row
 *   `ys[j]` (`ys` grow upwards).
 * - **Colours.** Viridis (Plot's scheme), perceptually uniform and readable in greyscale and
 *   with the common colour-vision deficiencies: `t = (v − min) / (max − min)` over the finite
 *   values (`log v` in place of `v` with `colorScale: 'log'`). A single finite value is drawn
 *   mid-scale. NaN and ±Infinity are grey cells, with a grey swatch labelled `not finite`
 *   under the colour bar.
 * - **Contours.** `contours: n` draws `n` levels evenly spaced in the colour scale strictly
 *   between min and max, `min + k (max − min) / (n + 1)` (geometric with `'log'`); an array
 *   gives the levels (sorted, repeats dropped). Lines come from Plot's `contour` mark (marching
 *   squares, by d3-contour): on evenly spaced `xs` and `ys` it traces the grid itself, each
 *   value at its cell's centre; on uneven ones it traces a linear (barycentric) interpolation
 *   of the samples. Lines are black on light colours and white on dark ones, and stop at
 *   non-finite values on an even grid. Each level is a line across the colour bar, its value
 *   written to the bar's left (labels that would overlap are left out).
 * - **Ticks.** Axes and colour bar get Plot's `1, 2, 5 × 10^k` ticks inside their range
 *   (powers of ten on a log colour bar), labelled by `formatCompact`.
 * - **Output.** One standalone SVG: a white background, the title and subtitle, the heatmap
 *   and the colour bar; no scripts or external resources; text is XML-escaped and coordinates
 *   are rounded to 2 decimals, so the same options give the same bytes.
 *
 * @param options - `title`, `xLabel`, `yLabel`, `valueLabel`, `xs`, `ys`, `values`
 *   (required); `subtitle`, `contours` (10), `colorScale` (`'linear'`), `marks` (none),
 *   `width` (680), `height` (560).
 * @returns the SVG document as a string (write it to a `.svg` file).
 * @throws DescentError `BAD_ARGUMENT` (options or a mark not a plain object, a text that is
 *   not a string, an axis not strictly ascending or with fewer than 2 finite numbers, a value
 *   that is not a number, no finite value, a value or level ≤ 0 with `'log'`, a mark outside
 *   the cells), `SHAPE_MISMATCH` (`values` not `xs.length × ys.length`), `BAD_HYPERPARAM`
 *   (a bad scale, contour count, width or height), `NON_FINITE` (a non-finite level or mark
 *   position), `UNKNOWN_PARAM` (an unknown option or mark key).
 * @example
 * ```ts
 * const alphas = Array.from({ length: 41 }, (_, i) => -1 + i / 20);
 * writeFileSync('surface.svg', heatmapSvg({
 *   title: 'Loss surface around the trained weights',
 *   xLabel: 'α (filter-normalised direction 1)',
 *   yLabel: 'β (filter-normalised direction 2)',
 *   valueLabel: 'training loss',
 *   xs: alphas,
 *   ys: alphas,
 *   values: alphas.map((a) => alphas.map((b) => surface(a, b))),
 *   colorScale: 'log',
 *   marks: [{ x: 0, y: 0, label: 'θ*' }],
 * }));
 * ```
 * @see S. van der Walt, N. Smith, A better default colormap for Matplotlib, SciPy 2015
 *   (viridis); H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, Visualizing the Loss
 *   Landscape of Neural Nets, NeurIPS 2018 (the surfaces this draws).
 */
export function heatmapSvg(options: HeatmapOptions): string {
  const read = new OptionReader('heatmapSvg', options, KNOWN_KEYS);
  const title = readText(read, 'title')!;
  const subtitle = readText(read, 'subtitle', false);
  const xLabel = readText(read, 'xLabel')!;
  const yLabel = readText(read, 'yLabel')!;
  const valueLabel = readText(read, 'valueLabel')!;
  const kind = read.oneOf('colorScale', SCALES, 'linear');
  const width = read.integer('width', 680, { min: 360 });
  const height = read.integer('height', 560, { min: 240 });
  const grid = readGrid(read, kind);
  const range = colourRangeOf(grid, kind);
  const levels = readLevels(read, range);
  const xExtent = cellExtent(grid.xs);
  const yExtent = cellExtent(grid.ys);
  const marks = readMarks(read, xExtent, yExtent);

  const top = headingHeight(subtitle);
  const panelHeight = height - top;
  const bar = colourBar({
    range,
    levels: levels.filter((level) => level >= range.lo && level <= range.hi),
    valueLabel,
    hasNonFinite: grid.values.some((row) => !row.every(Number.isFinite)),
    notFiniteFill: NOT_FINITE_FILL,
    height: panelHeight,
    marginTop: MARGIN.top,
    marginBottom: MARGIN.bottom,
  });
  const chartWidth = width - bar.width;
  const frameWidth = chartWidth - MARGIN.left - MARGIN.right;
  const cells = cellsOf(grid);
  const chart = Plot.plot({
    document: plotDocument(),
    width: chartWidth,
    height: panelHeight,
    marginTop: MARGIN.top,
    marginRight: MARGIN.right,
    marginBottom: MARGIN.bottom,
    marginLeft: MARGIN.left,
    x: axisOptions(xExtent, xLabel),
    y: axisOptions(yExtent, yLabel),
    color: colourScaleOptions(range),
    marks: [
      Plot.rect(
        cells.filter((c) => Number.isFinite(c.value)),
        { ...cellChannels(), fill: 'value', shapeRendering: 'crispEdges' },
      ),
      Plot.rect(
        cells.filter((c) => !Number.isFinite(c.value)),
        { ...cellChannels(), fill: NOT_FINITE_FILL, shapeRendering: 'crispEdges' },
      ),
      ...contourMarks(grid, levels, range, frameWidth),
      Plot.frame({ stroke: '#999999' }),
      ...markMarks(marks, xExtent, frameWidth),
    ],
  }) as SVGSVGElement;
  return figureSvg({
    title,
    subtitle,
    width,
    height,
    panels: [
      { svg: chart, x: 0, y: top },
      { svg: bar.svg, x: chartWidth, y: top },
    ],
  });
}

function axisOptions(extent: Extent, label: string): Plot.ScaleOptions {
  return {
    domain: [extent.lo, extent.hi],
    label,
    labelAnchor: 'center',
    labelArrow: 'none',
    tickFormat: tickLabel,
  };
}

function cellChannels() {
  return { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2' } as const;
}

/** One cell per value, between the edges halfway to its neighbours. */
function cellsOf(grid: Grid): Cell[] {
  const xEdges = cellEdges(grid.xs);
  const yEdges = cellEdges(grid.ys);
  return grid.xs.flatMap((_, i) =>
    grid.ys.map((_, j) => ({
      x1: xEdges[i]!,
      x2: xEdges[i + 1]!,
      y1: yEdges[j]!,
      y2: yEdges[j + 1]!,
      value: grid.values[i]![j]!,
    })),
  );
}

/**
 * The contour lines of the levels the values cross, one Plot `contour` mark per ink (white
 * over dark colours, black over light ones). Even grids are traced as they are; uneven ones through a barycentric
 * interpolation on a raster twice as fine as the grid.
 */
function contourMarks(
  grid: Grid,
  levels: number[],
  range: ColourRange,
  frameWidth: number,
): Plot.Markish[] {
  const sampling =
    isEven(grid.xs) && isEven(grid.ys) ? denseGrid(grid) : scattered(grid, frameWidth);
  const finite = grid.values.flatMap((row) => row.filter(Number.isFinite));
  const [lo, hi] = [Math.min(...finite), Math.max(...finite)];
  const crossed = levels.filter((level) => level > lo && level < hi);
  return (['#ffffff', '#000000'] as const).flatMap((ink) => {
    const thresholds = crossed.filter((level) => inkOn(range, level) === ink);
    if (thresholds.length === 0) return [];
    return [
      Plot.contour(sampling.data, {
        ...sampling.options,
        thresholds,
        fill: 'none',
        stroke: ink,
        strokeWidth: 1,
        strokeLinejoin: 'round',
        clip: 'frame',
      }),
    ];
  });
}

/**
 * The values row by row from the lowest y (Plot's dense-grid order), with a ring of copies of
 * the outer values around them: the lines d3-contour draws along the grid's border then fall a
 * cell outside the frame, where the clip hides them.
 */
function denseGrid(grid: Grid): { data: number[]; options: Plot.ContourOptions } {
  const padded = (axis: readonly number[]) => [-1, ...axis.map((_, k) => k), axis.length];
  const clampIndex = (k: number, n: number) => Math.min(n - 1, Math.max(0, k));
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const xExtent = paddedExtent(grid.xs);
  const yExtent = paddedExtent(grid.ys);
  return {
    data: padded(grid.ys).flatMap((j) =>
      padded(grid.xs).map((i) => grid.values[clampIndex(i, nx)]![clampIndex(j, ny)]!),
    ),
    options: {
      width: nx + 2,
      height: ny + 2,
      x1: xExtent.lo,
      x2: xExtent.hi,
      y1: yExtent.lo,
      y2: yExtent.hi,
    },
  };
}

/** The cells' extent widened by one cell on each side. */
function paddedExtent(axis: readonly number[]): Extent {
  const { lo, hi } = cellExtent(axis);
  const cell = (hi - lo) / axis.length;
  return { lo: lo - cell, hi: hi + cell };
}

/**
 * The finite samples with a ring of copies of the outer ones a cell beyond the frame (so the
 * interpolation covers the frame and the border lines fall outside it), interpolated on a
 * raster twice as fine as the grid.
 */
function scattered(
  grid: Grid,
  frameWidth: number,
): { data: [number, number, number][]; options: Plot.ContourOptions } {
  const xExtent = paddedExtent(grid.xs);
  const yExtent = paddedExtent(grid.ys);
  const ring = (axis: readonly number[], extent: Extent) => [extent.lo, ...axis, extent.hi];
  const clampIndex = (k: number, n: number) => Math.min(n - 1, Math.max(0, k - 1));
  const xs = ring(grid.xs, xExtent);
  const ys = ring(grid.ys, yExtent);
  const data = xs.flatMap((x, i) =>
    ys.flatMap((y, j): [number, number, number][] => {
      const value = grid.values[clampIndex(i, grid.xs.length)]![clampIndex(j, grid.ys.length)]!;
      return Number.isFinite(value) ? [[x, y, value]] : [];
    }),
  );
  return {
    data,
    options: {
      x: '0',
      y: '1',
      value: '2',
      x1: xExtent.lo,
      x2: xExtent.hi,
      y1: yExtent.lo,
      y2: yExtent.hi,
      interpolate: 'barycentric',
      pixelSize: Math.max(1, frameWidth / (2 * grid.xs.length)),
    },
  };
}

function isEven(axis: readonly number[]): boolean {
  const steps = axis.slice(1).map((v, k) => v - axis[k]!);
  const mean = (axis[axis.length - 1]! - axis[0]!) / steps.length;
  return steps.every((step) => Math.abs(step - mean) <= EVEN_TOLERANCE * mean);
}

/** White circles with a dark ring; labels to the right, or to the left where they would not fit. */
function markMarks(marks: HeatmapMark[], xExtent: Extent, frameWidth: number): Plot.Markish[] {
  const fitsRight = (m: HeatmapMark) =>
    ((m.x - xExtent.lo) / (xExtent.hi - xExtent.lo)) * frameWidth +
      7 +
      CHAR_WIDTH * [...m.label].length <=
    frameWidth;
  const label = (side: HeatmapMark[], dx: number, textAnchor: 'start' | 'end') =>
    Plot.text(side, {
      x: 'x',
      y: 'y',
      text: 'label',
      dx,
      textAnchor,
      fill: '#000000',
      stroke: 'white',
      strokeWidth: 3,
    });
  const labelled = marks.filter((m) => m.label !== '');
  return [
    Plot.dot(marks, {
      x: 'x',
      y: 'y',
      r: MARK_RADIUS,
      fill: 'white',
      stroke: '#000000',
      strokeWidth: 1.5,
    }),
    label(labelled.filter(fitsRight), 7, 'start'),
    label(
      labelled.filter((m) => !fitsRight(m)),
      -7,
      'end',
    ),
  ];
}

/** The finite values' range; a single value is widened around it, so it is drawn mid-scale. */
function colourRangeOf(grid: Grid, kind: ColorScale): ColourRange {
  const finite = grid.values.flatMap((row) => row.filter(Number.isFinite));
  const lo = finite.reduce((a, b) => Math.min(a, b));
  const hi = finite.reduce((a, b) => Math.max(a, b));
  if (lo < hi) return { lo, hi, kind };
  if (kind === 'log') return { lo: lo / 2, hi: lo * 2, kind };
  const half = lo === 0 ? 1 : Math.abs(lo) / 2;
  return { lo: lo - half, hi: lo + half, kind };
}

function readGrid(read: OptionReader, kind: ColorScale): Grid {
  const [xs, ys, values] = [read.raw('xs'), read.raw('ys'), read.raw('values')];
  checkGrid((field) => read.name(field), xs, ys, values);
  const grid = { xs: xs as number[], ys: ys as number[], values };
  if (!values.some((row) => row.some(Number.isFinite))) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('values')} has no finite value, so there is nothing to colour.`,
    );
  }
  if (kind === 'log') checkPositive(read.name('values'), values);
  return grid;
}

function checkPositive(label: string, values: number[][]): void {
  values.forEach((row, i) => {
    const j = row.findIndex((v) => Number.isFinite(v) && v <= 0);
    if (j >= 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${i}][${j}] must be > 0 with colorScale 'log', got ${row[j]}; make it NaN to draw it grey.`,
      );
    }
  });
}

function readLevels(read: OptionReader, range: ColourRange): number[] {
  const given = read.raw('contours');
  if (!Array.isArray(given)) {
    const count = read.integer('contours', DEFAULT_CONTOURS, { min: 0, max: MAX_CONTOURS });
    return Array.from({ length: count }, (_, k) => valueAt(range, (k + 1) / (count + 1)));
  }
  given.forEach((level: unknown, k) => {
    checkLevel(`${read.name('contours')}[${k}]`, level, range);
  });
  return [...new Set(given as number[])].sort((a, b) => a - b);
}

function checkLevel(label: string, level: unknown, range: ColourRange): void {
  if (typeof level !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a finite number, got ${describeValue(level)}.`,
    );
  }
  if (!Number.isFinite(level)) {
    throw new DescentError('NON_FINITE', `${label} must be finite, got ${level}.`);
  }
  if (range.kind === 'log' && level <= 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be > 0 with colorScale 'log', got ${level}.`,
    );
  }
}

function readMarks(read: OptionReader, xExtent: Extent, yExtent: Extent): HeatmapMark[] {
  const marks = read.raw('marks') ?? [];
  if (!Array.isArray(marks)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('marks')} must be an array of { x, y, label }, got ${describeValue(marks)}.`,
    );
  }
  return marks.map((mark: unknown, k) =>
    readMark(`${read.name('marks')}[${k}]`, mark, xExtent, yExtent),
  );
}

function readMark(label: string, mark: unknown, xExtent: Extent, yExtent: Extent): HeatmapMark {
  if (!isPlainObject(mark)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a mark { x, y, label }, got ${describeValue(mark)}.`,
    );
  }
  const read = new OptionReader(label, mark, ['x', 'y', 'label']);
  return {
    x: readPosition(read, 'x', xExtent),
    y: readPosition(read, 'y', yExtent),
    label: readText(read, 'label')!,
  };
}

function readPosition(read: OptionReader, field: 'x' | 'y', extent: Extent): number {
  const value = read.raw(field);
  if (typeof value !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name(field)} must be a finite number, got ${describeValue(value)}.`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new DescentError('NON_FINITE', `${read.name(field)} must be finite, got ${value}.`);
  }
  if (value < extent.lo || value > extent.hi) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name(field)} must lie within the cells, [${extent.lo}, ${extent.hi}], got ${value}.`,
    );
  }
  return value;
}

/** Cell edges: halfway between samples, and half a step beyond the outer ones. */
function cellEdges(axis: readonly number[]): number[] {
  const n = axis.length;
  return [
    axis[0]! - (axis[1]! - axis[0]!) / 2,
    ...axis.slice(1).map((v, k) => (axis[k]! + v) / 2),
    axis[n - 1]! + (axis[n - 1]! - axis[n - 2]!) / 2,
  ];
}

function cellExtent(axis: readonly number[]): Extent {
  const edges = cellEdges(axis);
  return { lo: edges[0]!, hi: edges[edges.length - 1]! };
}
