import { DescentError, OptionReader, describeValue, isPlainObject } from '@descent/core';
import { formatCompact } from './compact-number';
import { escapeXml } from './escape-xml';
import { headings, num, readText } from './svg-parts';
import { type TickAxis, linearTicks, logTicks } from './nice-ticks';

/** How an axis maps data to pixels. */
export type AxisScale = 'linear' | 'log';

/** How a series is drawn: a line through its points, a marker at each point, or both. */
export type SeriesStyle = 'line' | 'points' | 'line+points';

/** One named series of {@link lineChartSvg}. */
export interface ChartSeries {
  /** The name in the legend. */
  name: string;
  /** `[x, y]` pairs, drawn in this order; pairs with NaN or ±Infinity are left out. */
  points: Array<[number, number]>;
  /** `'line'`, `'points'` or `'line+points'` (default). */
  style?: SeriesStyle;
  /** A dashed line (e.g. a prediction next to a measurement); default false. */
  dashed?: boolean;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** The heading above the chart. */
  title: string;
  /** A smaller second line under the title; none by default. */
  subtitle?: string;
  /** The x axis label. */
  xLabel: string;
  /** The y axis label. */
  yLabel: string;
  /** `'linear'` (default) or `'log'`. */
  xScale?: AxisScale;
  /** `'linear'` (default) or `'log'`. */
  yScale?: AxisScale;
  /** Width in pixels, an integer ≥ 360 (default 720). */
  width?: number;
  /** Height in pixels, an integer ≥ 240 (default 440). */
  height?: number;
  /** At least one series; at least one point with finite x and y among them all. */
  series: ChartSeries[];
}

/** Okabe–Ito colours, told apart with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const SCALES: readonly AxisScale[] = ['linear', 'log'];
const STYLES: readonly SeriesStyle[] = ['line', 'points', 'line+points'];
/** Average widths of a sans-serif character at 12 px (legend) and 11 px (tick labels). */
const CHAR_WIDTH = 7.5;
const TICK_CHAR_WIDTH = 6.6;
/** Smallest gap in pixels between two x tick labels; a closer one keeps its tick, not its label. */
const MIN_LABEL_GAP = 8;
/** Pixels between the frame and the outermost ticks, so markers at the ends stay inside. */
const INSET = 10;
const MARGIN = { top: 48, topWithSubtitle: 66, bottom: 56, minLeft: 56 };
const DASH = '6 4';

/** The plot area in pixels: x from `left` to `right`, y from `top` to `bottom`. */
interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A series after checking: its drawable points (finite, `null` where one was left out). */
interface ReadSeries {
  name: string;
  points: ([number, number] | null)[];
  style: SeriesStyle;
  dashed: boolean;
}

/** A series in pixels. */
interface SeriesGeometry {
  name: string;
  colour: string;
  style: SeriesStyle;
  dashed: boolean;
  points: ([number, number] | null)[];
}

/**
 * A standalone SVG line chart: one or more named series of `[x, y]` points on linear or log
 * axes, with a legend on the right.
 *
 * - **Axes.** Each axis covers every finite point. Linear ticks step by `1, 2, 5 × 10^k` (at
 *   most 8 intervals); log ticks are powers of ten (every 1, 2, 3, 5, … decades for wide data)
 *   or, when the data span under two decades, `1, 2, 5 × 10^k`. The outermost ticks sit at the
 *   ends of the axis, a few pixels inside the frame. Tick labels come from `formatCompact`
 *   (`0.001`, `0.5`, `2.5k`, `1e-6`); x labels that would overlap are left out (their tick
 *   stays).
 * - **Series.** Series `i` takes colour `i mod 7` of the Okabe–Ito palette (`#0072B2`,
 *   `#D55E00`, `#009E73`, `#CC79A7`, `#E69F00`, `#56B4E9`, `#000000`), readable with the common
 *   colour-vision deficiencies. A line is one `<path>` through the points in the given order,
 *   broken where a point was left out; markers are `<circle>`s of radius 3.
 * - **Bad points.** Pairs with NaN or ±Infinity are left out (a diverged run leaves a gap). On
 *   a log axis a finite value ≤ 0 is an error, not left out: it has no place on the axis, and
 *   dropping it quietly would hide it — filter such points first if that is what you mean.
 * - **Output.** A white background, `font-family="sans-serif"`, no scripts, styles or external
 *   resources; text is XML-escaped and numbers are rounded to 2 decimals, so the same options
 *   give the same bytes.
 *
 * @param options - `title`, `xLabel`, `yLabel` and `series` (required); `subtitle`, `xScale`
 *   and `yScale` (`'linear'`), `width` (720), `height` (440).
 * @returns the SVG document as a string (write it to a `.svg` file).
 * @throws DescentError `BAD_ARGUMENT` (options or a series not a plain object, a text that is
 *   not a string, no series, a point that is not a pair of numbers, a value ≤ 0 on a log axis,
 *   no finite point at all), `BAD_HYPERPARAM` (a bad scale, style, `dashed`, width or height),
 *   `UNKNOWN_PARAM` (an unknown option or series key).
 * @example
 * ```ts
 * writeFileSync('loss.svg', lineChartSvg({
 *   title: 'Training loss',
 *   subtitle: 'MLP of width 512, full batch',
 *   xLabel: 'step',
 *   yLabel: 'mean squared error',
 *   xScale: 'log',
 *   yScale: 'log',
 *   series: [
 *     { name: 'network', points: steps.map((t, i) => [t, loss[i]]) },
 *     { name: 'NTK prediction', points: steps.map((t, i) => [t, predicted[i]]), style: 'line', dashed: true },
 *   ],
 * }));
 * ```
 */
export function lineChartSvg(options: LineChartOptions): string {
  const read = new OptionReader('lineChartSvg', options, [
    'title',
    'subtitle',
    'xLabel',
    'yLabel',
    'xScale',
    'yScale',
    'width',
    'height',
    'series',
  ]);
  const title = readText(read, 'title')!;
  const subtitle = readText(read, 'subtitle', false);
  const xLabel = readText(read, 'xLabel')!;
  const yLabel = readText(read, 'yLabel')!;
  const xScale = read.oneOf('xScale', SCALES, 'linear');
  const yScale = read.oneOf('yScale', SCALES, 'linear');
  const width = read.integer('width', 720, { min: 360 });
  const height = read.integer('height', 440, { min: 240 });
  const series = readSeries(read, xScale, yScale);

  const xAxis = axisOf(series, 0, xScale);
  const yAxis = axisOf(series, 1, yScale);
  const legendWidth = Math.min(
    Math.max(120, 50 + CHAR_WIDTH * Math.max(...series.map((s) => s.name.length))),
    width / 3,
  );
  const frame: Frame = {
    left: Math.max(MARGIN.minLeft, Math.ceil(44 + TICK_CHAR_WIDTH * longestLabel(yAxis))),
    right: width - legendWidth,
    top: subtitle === undefined ? MARGIN.top : MARGIN.topWithSubtitle,
    bottom: height - MARGIN.bottom,
  };
  const x = pixelScale(xAxis, xScale, frame.left + INSET, frame.right - INSET);
  const y = pixelScale(yAxis, yScale, frame.bottom - INSET, frame.top + INSET);
  const geometry = series.map((s, i) => seriesGeometry(s, i, x, y));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    ...headings(title, subtitle, width),
    ...xAxisLines(xAxis, x, frame, xLabel),
    ...yAxisLines(yAxis, y, frame, yLabel),
    `<rect x="${num(frame.left)}" y="${num(frame.top)}" width="${num(frame.right - frame.left)}" height="${num(frame.bottom - frame.top)}" fill="none" stroke="#999999"/>`,
    ...geometry.flatMap(seriesLines),
    ...legend(geometry, frame, legendWidth),
    '</svg>',
    '',
  ].join('\n');
}

function readSeries(read: OptionReader, xScale: AxisScale, yScale: AxisScale): ReadSeries[] {
  const all = read.raw('series');
  if (!Array.isArray(all) || all.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('series')} must be a non-empty array of series, got ${describeValue(all)}.`,
    );
  }
  const series = all.map((s, i) =>
    readOneSeries(`${read.name('series')}[${i}]`, s, [xScale, yScale]),
  );
  if (series.every((s) => s.points.every((p) => p === null))) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('series')} has no point with finite x and y, so there is nothing to draw.`,
    );
  }
  return series;
}

function readOneSeries(label: string, value: unknown, scales: [AxisScale, AxisScale]): ReadSeries {
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a series { name, points, style?, dashed? }, got ${describeValue(value)}.`,
    );
  }
  const read = new OptionReader(label, value, ['name', 'points', 'style', 'dashed']);
  const name = readText(read, 'name')!;
  const points = read.raw('points');
  if (!Array.isArray(points)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('points')} must be an array of [x, y] pairs, got ${describeValue(points)}.`,
    );
  }
  return {
    name,
    points: points.map((p, j) => readPoint(`${read.name('points')}[${j}]`, p, scales)),
    style: read.oneOf('style', STYLES, 'line+points'),
    dashed: read.boolean('dashed', false),
  };
}

/** The pair, or `null` when x or y is NaN or ±Infinity; refuses a finite value ≤ 0 on a log axis. */
function readPoint(
  label: string,
  point: unknown,
  scales: [AxisScale, AxisScale],
): [number, number] | null {
  if (
    !Array.isArray(point) ||
    point.length !== 2 ||
    typeof point[0] !== 'number' ||
    typeof point[1] !== 'number'
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a pair [x, y] of numbers, got ${describeValue(point)}.`,
    );
  }
  const pair: [number, number] = [point[0], point[1]];
  if (!pair.every(Number.isFinite)) return null;
  for (const axis of [0, 1] as const) {
    if (scales[axis] === 'log' && pair[axis] <= 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${axis}] must be > 0 on the log ${axis === 0 ? 'x' : 'y'} axis, got ${pair[axis]}.`,
      );
    }
  }
  return pair;
}

function axisOf(series: ReadSeries[], axis: 0 | 1, scale: AxisScale): TickAxis {
  const values = series.flatMap((s) => s.points.flatMap((p) => (p === null ? [] : [p[axis]])));
  const min = Math.min(...values);
  const max = Math.max(...values);
  return scale === 'log' ? logTicks(min, max) : linearTicks(min, max);
}

/** Data to pixels: `lo` of the axis at pixel `from`, `hi` at pixel `to`, linear in `v` or `log v`. */
function pixelScale(
  axis: TickAxis,
  scale: AxisScale,
  from: number,
  to: number,
): (value: number) => number {
  const t = scale === 'log' ? Math.log10 : (v: number) => v;
  const lo = t(axis.lo);
  const span = t(axis.hi) - lo;
  return (value) => from + ((t(value) - lo) / span) * (to - from);
}

function tickLabels(axis: TickAxis): string[] {
  return axis.ticks.map((tick) => formatCompact(tick.value, tick.resolution));
}

function longestLabel(axis: TickAxis): number {
  return Math.max(...tickLabels(axis).map((label) => label.length));
}

function seriesGeometry(
  s: ReadSeries,
  index: number,
  x: (value: number) => number,
  y: (value: number) => number,
): SeriesGeometry {
  return {
    name: s.name,
    colour: PALETTE[index % PALETTE.length]!,
    style: s.style,
    dashed: s.dashed,
    points: s.points.map((p) => (p === null ? null : [x(p[0]), y(p[1])])),
  };
}

function xAxisLines(
  axis: TickAxis,
  x: (value: number) => number,
  frame: Frame,
  label: string,
): string[] {
  const lines: string[] = [];
  let lastLabelEnd = Number.NEGATIVE_INFINITY;
  const labels = tickLabels(axis);
  axis.ticks.forEach((tick, i) => {
    const px = x(tick.value);
    lines.push(
      `<line x1="${num(px)}" y1="${num(frame.top)}" x2="${num(px)}" y2="${num(frame.bottom)}" stroke="#e6e6e6"/>`,
      `<line x1="${num(px)}" y1="${num(frame.bottom)}" x2="${num(px)}" y2="${num(frame.bottom + 5)}" stroke="#333333"/>`,
    );
    const halfWidth = (TICK_CHAR_WIDTH * labels[i]!.length) / 2;
    if (px - halfWidth >= lastLabelEnd + MIN_LABEL_GAP) {
      lines.push(
        `<text x="${num(px)}" y="${num(frame.bottom + 18)}" text-anchor="middle" font-size="11">${escapeXml(labels[i]!)}</text>`,
      );
      lastLabelEnd = px + halfWidth;
    }
  });
  lines.push(
    `<text x="${num((frame.left + frame.right) / 2)}" y="${num(frame.bottom + 42)}" text-anchor="middle" font-size="12">${escapeXml(label)}</text>`,
  );
  return lines;
}

function yAxisLines(
  axis: TickAxis,
  y: (value: number) => number,
  frame: Frame,
  label: string,
): string[] {
  const labels = tickLabels(axis);
  const lines = axis.ticks.flatMap((tick, i) => {
    const py = y(tick.value);
    return [
      `<line x1="${num(frame.left)}" y1="${num(py)}" x2="${num(frame.right)}" y2="${num(py)}" stroke="#e6e6e6"/>`,
      `<line x1="${num(frame.left - 5)}" y1="${num(py)}" x2="${num(frame.left)}" y2="${num(py)}" stroke="#333333"/>`,
      `<text x="${num(frame.left - 8)}" y="${num(py + 4)}" text-anchor="end" font-size="11">${escapeXml(labels[i]!)}</text>`,
    ];
  });
  const midY = num((frame.top + frame.bottom) / 2);
  lines.push(
    `<text x="18" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${midY})">${escapeXml(label)}</text>`,
  );
  return lines;
}

function seriesLines(g: SeriesGeometry): string[] {
  const lines: string[] = [];
  const d = pathData(g.points);
  if (g.style !== 'points' && d !== '') {
    lines.push(
      `<path d="${d}" fill="none" stroke="${g.colour}" stroke-width="2" stroke-linejoin="round"${dashAttribute(g.dashed)}/>`,
    );
  }
  if (g.style !== 'line') {
    for (const p of g.points) {
      if (p !== null) lines.push(marker(p[0], p[1], g.colour));
    }
  }
  return lines;
}

/** `M x y L x y …`, starting a new subpath (`M`) after every point left out. */
function pathData(points: ([number, number] | null)[]): string {
  const commands: string[] = [];
  let drawing = false;
  for (const p of points) {
    if (p === null) {
      drawing = false;
      continue;
    }
    commands.push(`${drawing ? 'L' : 'M'}${num(p[0])} ${num(p[1])}`);
    drawing = true;
  }
  return commands.join(' ');
}

function legend(geometry: SeriesGeometry[], frame: Frame, legendWidth: number): string[] {
  const left = frame.right + 14;
  const maxChars = Math.max(4, Math.floor((legendWidth - 14 - 28 - 4) / CHAR_WIDTH));
  return geometry.flatMap((g, i) => {
    const cy = frame.top + 10 + 20 * i;
    const sample: string[] = [];
    if (g.style !== 'points') {
      sample.push(
        `<line x1="${num(left)}" y1="${num(cy)}" x2="${num(left + 22)}" y2="${num(cy)}" stroke="${g.colour}" stroke-width="2"${dashAttribute(g.dashed)}/>`,
      );
    }
    if (g.style !== 'line') sample.push(marker(left + 11, cy, g.colour));
    return [
      ...sample,
      `<text x="${num(left + 28)}" y="${num(cy + 4)}" font-size="12">${escapeXml(shortened(g.name, maxChars))}</text>`,
    ];
  });
}

function marker(cx: number, cy: number, colour: string): string {
  return `<circle cx="${num(cx)}" cy="${num(cy)}" r="3" fill="${colour}"/>`;
}

function dashAttribute(dashed: boolean): string {
  return dashed ? ` stroke-dasharray="${DASH}"` : '';
}

/** The name cut to `maxChars` code points, ending with `…` when cut. */
function shortened(name: string, maxChars: number): string {
  const chars = [...name];
  return chars.length <= maxChars ? name : `${chars.slice(0, maxChars - 1).join('')}…`;
}
