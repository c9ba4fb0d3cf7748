import { DescentError, OptionReader, describeValue, isPlainObject } from '@descent/core';
import { formatCompact } from './compact-number';
import { type Grid, type Polyline, checkGrid, traceContours } from './contours';
import { escapeXml } from './escape-xml';
import { headings, num, readText, round2 } from './svg-parts';
import { type TickAxis, linearTicks, logTicks } from './nice-ticks';

/** How values map to colours: linearly, or linearly in `log₁₀ v` (for values spanning decades). */
export type ColorScale = 'linear' | 'log';

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
  /** The x axis label. */
  xLabel: string;
  /** The y axis label. */
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

/** Viridis at 0, 1/16, …, 1 (matplotlib's table); colours in between are interpolated in sRGB. */
const VIRIDIS = [
  '#440154',
  '#48186a',
  '#472d7b',
  '#424086',
  '#3b528b',
  '#33638d',
  '#2c728e',
  '#26828e',
  '#21918c',
  '#1f9f88',
  '#27ad81',
  '#3dbc74',
  '#5cc863',
  '#81d34d',
  '#aadc32',
  '#d5e21a',
  '#fde725',
];
const VIRIDIS_RGB = VIRIDIS.map(hexToRgb);
const NOT_FINITE_FILL = '#c8c8c8';
const NOT_FINITE_LABEL = 'not finite';
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
/** Relative luminance where black and white contrast equally with a colour: contours switch there. */
const LUMINANCE_SPLIT = 0.179;
/** Average widths of a sans-serif character at 11 px (tick labels) and 9 px (level labels). */
const TICK_CHAR_WIDTH = 6.6;
const LEVEL_CHAR_WIDTH = 5.4;
/** Smallest gap in pixels between two x tick labels, and between two level labels. */
const MIN_LABEL_GAP = 8;
const MIN_LEVEL_GAP = 10;
const MARGIN = { top: 48, topWithSubtitle: 66, bottom: 56, minLeft: 56 };
const BAR = { gap: 12, width: 14, swatch: 12, swatchGap: 12 };
const GRADIENT_ID = 'heatmap-colour-bar';
const MARK_RADIUS = 4;

/** The plot area in pixels: x from `left` to `right`, y from `top` to `bottom`. */
interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A closed interval of data values. */
interface Extent {
  lo: number;
  hi: number;
}

/** The value range that spans the colour map, and how values are placed in it. */
interface ColourRange extends Extent {
  kind: ColorScale;
}

/** A tick value with its label. */
interface Tick {
  value: number;
  label: string;
}

/** The colour bar in pixels, with what it shows. */
interface ColourBar {
  left: number;
  top: number;
  bottom: number;
  ticks: Tick[];
  levels: number[];
  valueLabel: string;
  labelX: number;
  hasNonFinite: boolean;
}

/**
 * A standalone SVG heatmap of a function sampled on a grid, with contour lines, a colour bar
 * and marked points: the picture of a two-dimensional loss surface `L(θ + αd₁ + βd₂)`.
 *
 * - **Cells.** One `<rect>` per value, centred on its sample: cell edges sit halfway between
 *   neighbouring `xs` (and `ys`), the outer ones half a step beyond the first and last
 *   samples; the axes span exactly the cells. `values[i][j]` is drawn at column `xs[i]`, row
 *   `ys[j]` (`ys` grow upwards).
 * - **Colours.** Viridis, perceptually uniform and readable in greyscale and with the common
 *   colour-vision deficiencies: `t = (v − min) / (max − min)` over the finite values
 *   (`log v` in place of `v` with `colorScale: 'log'`), interpolated between 17 control
 *   colours. NaN and ±Infinity are grey cells, with a grey swatch labelled `not finite` under
 *   the colour bar.
 * - **Contours.** `contours: n` draws `n` levels evenly spaced in the colour scale strictly
 *   between min and max, `min + k (max − min) / (n + 1)` (geometric with `'log'`); an array
 *   gives the levels (sorted, repeats dropped). Lines come from {@link contourLines}, one
 *   `<path>` per level, black on light colours and white on dark ones. Each level is a line
 *   across the colour bar, its value written to the bar's left (labels that would overlap are
 *   left out).
 * - **Ticks.** Axes and colour bar get `1, 2, 5 × 10^k` ticks inside their range (powers of
 *   ten on a log colour bar), labelled by `formatCompact`.
 * - **Output.** A white background, `font-family="sans-serif"`, no scripts or external
 *   resources (the colour bar is a gradient defined in the document); text is XML-escaped and
 *   coordinates are rounded to 2 decimals, so the same options give the same bytes.
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

  const xTicks = ticksWithin(linearTicks(xExtent.lo, xExtent.hi), xExtent);
  const yTicks = ticksWithin(linearTicks(yExtent.lo, yExtent.hi), yExtent);
  const barTicks = ticksWithin(
    kind === 'log' ? logTicks(range.lo, range.hi, 6) : linearTicks(range.lo, range.hi, 6),
    range,
  );
  const barLevels = levels.filter((level) => level >= range.lo && level <= range.hi);
  const hasNonFinite = grid.values.some((row) => !row.every(Number.isFinite));
  const levelColumn = columnWidth(barLevels.map(levelLabel), LEVEL_CHAR_WIDTH, 4);
  const tickColumn = columnWidth(
    [...barTicks.map((t) => t.label), ...(hasNonFinite ? [NOT_FINITE_LABEL] : [])],
    TICK_CHAR_WIDTH,
    0,
  );
  const top = subtitle === undefined ? MARGIN.top : MARGIN.topWithSubtitle;
  const frame: Frame = {
    left: Math.max(MARGIN.minLeft, Math.ceil(44 + TICK_CHAR_WIDTH * longest(yTicks))),
    right: width - (BAR.gap + levelColumn + BAR.width + 7 + tickColumn + 26),
    top,
    bottom: height - MARGIN.bottom,
  };
  const x = pixelScale(xExtent, frame.left, frame.right);
  const y = pixelScale(yExtent, frame.bottom, frame.top);
  const bar: ColourBar = {
    left: frame.right + BAR.gap + levelColumn,
    top: frame.top,
    bottom: frame.bottom - (hasNonFinite ? BAR.swatch + BAR.swatchGap : 0),
    ticks: barTicks,
    levels: barLevels,
    valueLabel,
    labelX: frame.right + BAR.gap + levelColumn + BAR.width + 7 + tickColumn + 14,
    hasNonFinite,
  };

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    ...headings(title, subtitle, width),
    ...gradientDefinition(),
    ...cellLines(grid, range, x, y),
    ...levels.flatMap((level) => contourPath(traceContours(grid, level), level, range, x, y)),
    `<rect x="${num(frame.left)}" y="${num(frame.top)}" width="${num(frame.right - frame.left)}" height="${num(frame.bottom - frame.top)}" fill="none" stroke="#999999"/>`,
    ...xAxisLines(xTicks, x, frame, xLabel),
    ...yAxisLines(yTicks, y, frame, yLabel),
    ...colourBarLines(bar, range, frame),
    ...marks.flatMap((m) => markLines(m, x(m.x), y(m.y), frame)),
    '</svg>',
    '',
  ].join('\n');
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

/** The finite values' range; a single value is widened to the range of its ticks. */
function colourRangeOf(grid: Grid, kind: ColorScale): ColourRange {
  const finite = grid.values.flatMap((row) => row.filter(Number.isFinite));
  const lo = finite.reduce((a, b) => Math.min(a, b));
  const hi = finite.reduce((a, b) => Math.max(a, b));
  if (lo < hi) return { lo, hi, kind };
  const axis = kind === 'log' ? logTicks(lo, hi) : linearTicks(lo, hi);
  return { lo: axis.lo, hi: axis.hi, kind };
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

/** The axis's ticks inside `extent`; its two ends when fewer than two ticks fall inside. */
function ticksWithin(axis: TickAxis, extent: Extent): Tick[] {
  const slack = 1e-9 * (extent.hi - extent.lo);
  const inside = axis.ticks.filter(
    (t) => t.value >= extent.lo - slack && t.value <= extent.hi + slack,
  );
  if (inside.length >= 2) {
    return inside.map((t) => ({ value: t.value, label: formatCompact(t.value, t.resolution) }));
  }
  return [extent.lo, extent.hi].map((value) => ({ value, label: formatCompact(value) }));
}

function longest(ticks: Tick[]): number {
  return Math.max(...ticks.map((t) => t.label.length));
}

function columnWidth(labels: string[], charWidth: number, gap: number): number {
  return labels.length === 0 ? 0 : gap + charWidth * Math.max(...labels.map((l) => l.length));
}

function levelLabel(level: number): string {
  return formatCompact(level);
}

/** Data to pixels: `lo` of the extent at pixel `from`, `hi` at pixel `to`. */
function pixelScale(extent: Extent, from: number, to: number): (value: number) => number {
  return (value) => from + ((value - extent.lo) / (extent.hi - extent.lo)) * (to - from);
}

/** Where a value sits in the colour range, from 0 at `lo` to 1 at `hi` (not clamped). */
function fractionOf(range: ColourRange, value: number): number {
  if (range.kind === 'log') {
    return Math.log(value / range.lo) / Math.log(range.hi / range.lo);
  }
  return (value - range.lo) / (range.hi - range.lo);
}

/** The value at fraction `t` of the colour range. */
function valueAt(range: ColourRange, t: number): number {
  if (range.kind === 'log') return range.lo * (range.hi / range.lo) ** t;
  return range.lo + t * (range.hi - range.lo);
}

/** Viridis at `t ∈ [0, 1]` (clamped), as `#rrggbb`. */
function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS_RGB.length - 1);
  const k = Math.min(VIRIDIS_RGB.length - 2, Math.floor(u));
  const a = VIRIDIS_RGB[k]!;
  const b = VIRIDIS_RGB[k + 1]!;
  return rgbToHex(a.map((c, n) => c + (u - k) * (b[n]! - c)));
}

function colourOf(range: ColourRange, value: number): string {
  return Number.isFinite(value) ? viridis(fractionOf(range, value)) : NOT_FINITE_FILL;
}

/** Black on colours lighter than the split, white on darker ones (WCAG relative luminance). */
function contourColour(range: ColourRange, level: number): string {
  const linear = hexToRgb(viridis(fractionOf(range, level))).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return luminance > LUMINANCE_SPLIT ? '#000000' : '#ffffff';
}

function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16));
}

function rgbToHex(rgb: number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour bar's fill: the viridis control colours from bottom to top. */
function gradientDefinition(): string[] {
  return [
    '<defs>',
    `<linearGradient id="${GRADIENT_ID}" x1="0" y1="1" x2="0" y2="0">`,
    ...VIRIDIS.map(
      (colour, k) => `<stop offset="${(k / (VIRIDIS.length - 1)) * 100}%" stop-color="${colour}"/>`,
    ),
    '</linearGradient>',
    '</defs>',
  ];
}

/** One rect per value; edges rounded before widths, so neighbours tile without gaps. */
function cellLines(
  grid: Grid,
  range: ColourRange,
  x: (value: number) => number,
  y: (value: number) => number,
): string[] {
  const xEdges = cellEdges(grid.xs).map((v) => round2(x(v)));
  const yEdges = cellEdges(grid.ys).map((v) => round2(y(v)));
  const cells = grid.xs.flatMap((_, i) =>
    grid.ys.map(
      (_, j) =>
        `<rect x="${num(xEdges[i]!)}" y="${num(yEdges[j + 1]!)}" width="${num(xEdges[i + 1]! - xEdges[i]!)}" height="${num(yEdges[j]! - yEdges[j + 1]!)}" fill="${colourOf(range, grid.values[i]![j]!)}"/>`,
    ),
  );
  return ['<g shape-rendering="crispEdges">', ...cells, '</g>'];
}

function contourPath(
  lines: Polyline[],
  level: number,
  range: ColourRange,
  x: (value: number) => number,
  y: (value: number) => number,
): string[] {
  if (lines.length === 0) return [];
  const d = lines.map((line) => pathData(line.map(([u, v]) => [x(u), y(v)]))).join(' ');
  return [
    `<path d="${d}" fill="none" stroke="${contourColour(range, level)}" stroke-width="1" stroke-linejoin="round"/>`,
  ];
}

/** `M x y L x y …`, ending with `Z` instead of the repeated first point of a closed line. */
function pathData(points: [number, number][]): string {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const closed = points.length > 2 && first[0] === last[0] && first[1] === last[1];
  const drawn = closed ? points.slice(0, -1) : points;
  const commands = drawn.map((p, k) => `${k === 0 ? 'M' : 'L'}${num(p[0])} ${num(p[1])}`);
  return closed ? `${commands.join(' ')} Z` : commands.join(' ');
}

function xAxisLines(
  ticks: Tick[],
  x: (value: number) => number,
  frame: Frame,
  label: string,
): string[] {
  const lines: string[] = [];
  let lastLabelEnd = Number.NEGATIVE_INFINITY;
  for (const tick of ticks) {
    const px = x(tick.value);
    lines.push(
      `<line x1="${num(px)}" y1="${num(frame.bottom)}" x2="${num(px)}" y2="${num(frame.bottom + 5)}" stroke="#333333"/>`,
    );
    const halfWidth = (TICK_CHAR_WIDTH * tick.label.length) / 2;
    if (px - halfWidth >= lastLabelEnd + MIN_LABEL_GAP) {
      lines.push(
        `<text x="${num(px)}" y="${num(frame.bottom + 18)}" text-anchor="middle" font-size="11">${escapeXml(tick.label)}</text>`,
      );
      lastLabelEnd = px + halfWidth;
    }
  }
  lines.push(
    `<text x="${num((frame.left + frame.right) / 2)}" y="${num(frame.bottom + 42)}" text-anchor="middle" font-size="12">${escapeXml(label)}</text>`,
  );
  return lines;
}

function yAxisLines(
  ticks: Tick[],
  y: (value: number) => number,
  frame: Frame,
  label: string,
): string[] {
  const lines = ticks.flatMap((tick) => {
    const py = y(tick.value);
    return [
      `<line x1="${num(frame.left - 5)}" y1="${num(py)}" x2="${num(frame.left)}" y2="${num(py)}" stroke="#333333"/>`,
      `<text x="${num(frame.left - 8)}" y="${num(py + 4)}" text-anchor="end" font-size="11">${escapeXml(tick.label)}</text>`,
    ];
  });
  const midY = num((frame.top + frame.bottom) / 2);
  lines.push(
    `<text x="18" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${midY})">${escapeXml(label)}</text>`,
  );
  return lines;
}

/**
 * The bar, a line across it at each contour level with the level written on its left, value
 * ticks on its right, the value label, and the grey swatch when some value is not finite.
 */
function colourBarLines(bar: ColourBar, range: ColourRange, frame: Frame): string[] {
  const right = bar.left + BAR.width;
  const y = (value: number) => bar.bottom - fractionOf(range, value) * (bar.bottom - bar.top);
  const lines = [
    `<rect x="${num(bar.left)}" y="${num(bar.top)}" width="${BAR.width}" height="${num(bar.bottom - bar.top)}" fill="url(#${GRADIENT_ID})" stroke="#999999"/>`,
    ...levelMarks(bar, range, y),
    ...bar.ticks.flatMap((tick) => {
      const py = y(tick.value);
      return [
        `<line x1="${num(right)}" y1="${num(py)}" x2="${num(right + 4)}" y2="${num(py)}" stroke="#333333"/>`,
        `<text x="${num(right + 7)}" y="${num(py + 4)}" text-anchor="start" font-size="11">${escapeXml(tick.label)}</text>`,
      ];
    }),
  ];
  if (bar.hasNonFinite) {
    const top = frame.bottom - BAR.swatch;
    lines.push(
      `<rect x="${num(bar.left)}" y="${num(top)}" width="${BAR.width}" height="${BAR.swatch}" fill="${NOT_FINITE_FILL}" stroke="#999999"/>`,
      `<text x="${num(right + 7)}" y="${num(top + 10)}" text-anchor="start" font-size="11">${NOT_FINITE_LABEL}</text>`,
    );
  }
  const midY = num((frame.top + frame.bottom) / 2);
  const labelX = num(bar.labelX);
  lines.push(
    `<text x="${labelX}" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 ${labelX} ${midY})">${escapeXml(bar.valueLabel)}</text>`,
  );
  return lines;
}

/** Level lines across the bar, top level first so overlapping labels keep the higher one. */
function levelMarks(bar: ColourBar, range: ColourRange, y: (value: number) => number): string[] {
  const lines: string[] = [];
  let lastLabelY = Number.NEGATIVE_INFINITY;
  for (const level of [...bar.levels].reverse()) {
    const py = y(level);
    lines.push(
      `<line x1="${num(bar.left)}" y1="${num(py)}" x2="${num(bar.left + BAR.width)}" y2="${num(py)}" stroke="${contourColour(range, level)}"/>`,
    );
    if (py >= lastLabelY + MIN_LEVEL_GAP) {
      lines.push(
        `<text x="${num(bar.left - 4)}" y="${num(py + 3)}" text-anchor="end" font-size="9" fill="#333333">${escapeXml(levelLabel(level))}</text>`,
      );
      lastLabelY = py;
    }
  }
  return lines;
}

/** A white circle with a dark ring, its label to the right (to the left near the frame's edge). */
function markLines(mark: HeatmapMark, px: number, py: number, frame: Frame): string[] {
  const lines = [
    `<circle cx="${num(px)}" cy="${num(py)}" r="${MARK_RADIUS}" fill="white" stroke="#000000" stroke-width="1.5"/>`,
  ];
  if (mark.label === '') return lines;
  const fitsRight = px + 7 + TICK_CHAR_WIDTH * [...mark.label].length <= frame.right;
  lines.push(
    `<text x="${num(fitsRight ? px + 7 : px - 7)}" y="${num(py + 4)}" text-anchor="${fitsRight ? 'start' : 'end'}" font-size="11" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(mark.label)}</text>`,
  );
  return lines;
}
