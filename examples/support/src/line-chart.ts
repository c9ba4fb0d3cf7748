import * as Plot from '@observablehq/plot';
import { DescentError, OptionReader, describeValue, isPlainObject } from '@descent/core';
import { figureSvg, headingHeight, plotDocument } from './figure';
import { readText } from './read-text';
import { type LegendEntry, seriesLegend } from './series-legend';
import { tickLabel } from './tick-label';

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
  /**
   * A translucent band in the series' colour, `[x, low, high]` triples in x order (e.g. the
   * min and max over seeds around their mean); triples with NaN or ±Infinity are left out.
   * None by default.
   */
  band?: Array<[number, number, number]>;
}

/** Options of {@link lineChartSvg}. */
export interface LineChartOptions {
  /** The heading above the chart. */
  title: string;
  /** A smaller second line under the title; none by default. */
  subtitle?: string;
  /** The x axis label, with its unit. */
  xLabel: string;
  /** The y axis label, with its unit. */
  yLabel: string;
  /** `'linear'` (default) or `'log'`. */
  xScale?: AxisScale;
  /** `'linear'` (default) or `'log'`. */
  yScale?: AxisScale;
  /** Run the x axis from high on the left to low on the right; default false. */
  xReverse?: boolean;
  /** The x ticks, e.g. the values measured at; by default the scale chooses them. */
  xTicks?: number[];
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
const KNOWN_KEYS = [
  'title',
  'subtitle',
  'xLabel',
  'yLabel',
  'xScale',
  'yScale',
  'xReverse',
  'xTicks',
  'width',
  'height',
  'series',
];
/** Average width of a 12 px sans-serif character, to size the legend. */
const CHAR_WIDTH = 7.5;
const MARGIN = { top: 12, right: 16, bottom: 44, left: 64 };
/** Pixels between the frame and the data's extremes, so markers at the ends stay inside. */
const INSET = 8;
const DASH = '6 4';
const BAND_OPACITY = 0.18;

/** A series after checking: drawable points, NaN pairs where one was left out. */
interface ReadSeries {
  name: string;
  points: [number, number][];
  style: SeriesStyle;
  dashed: boolean;
  band: [number, number, number][];
}

/**
 * A standalone SVG line chart, drawn by Observable Plot: one or more named series of `[x, y]`
 * points on linear or log axes, with a legend on the right.
 *
 * - **Axes.** Each axis covers every finite point (and band). A linear axis is extended to
 *   round ticks at both ends (Plot's `nice`), so its ticks cover the data; a log axis spans
 *   the data, ticked at powers of ten (with 2…9 between them when it spans few decades,
 *   labelled where there is room). Tick labels come from `formatCompact` (`0.001`, `0.5`,
 *   `2.5k`, `1e-6`). Light grid lines run at every tick.
 * - **Series.** Series `i` takes colour `i mod 7` of the Okabe–Ito palette (`#0072B2`,
 *   `#D55E00`, `#009E73`, `#CC79A7`, `#E69F00`, `#56B4E9`, `#000000`), readable with the common
 *   colour-vision deficiencies. A line is one `<path>` through the points in the given order,
 *   broken where a point was left out; markers are circles of radius 3; a band is a
 *   translucent area from `low` to `high`.
 * - **Legend.** On the right, one row per series with a sample of its line and marker; names
 *   too long for the legend end with `…`.
 * - **Bad points.** Pairs with NaN or ±Infinity are left out (a diverged run leaves a gap). On
 *   a log axis a finite value ≤ 0 is an error, not left out: it has no place on the axis, and
 *   dropping it quietly would hide it — filter such points first if that is what you mean.
 * - **Output.** One standalone SVG: a white background, the title and subtitle, the chart and
 *   the legend; no scripts or external resources; text is XML-escaped and coordinates are
 *   rounded to 2 decimals, so the same options give the same bytes.
 *
 * @param options - `title`, `xLabel`, `yLabel` and `series` (required); `subtitle`, `xScale`
 *   and `yScale` (`'linear'`), `xReverse` (false), `xTicks` (chosen by the scale), `width`
 *   (720), `height` (440).
 * @returns the SVG document as a string (write it to a `.svg` file).
 * @throws DescentError `BAD_ARGUMENT` (options or a series not a plain object, a text that is
 *   not a string, no series, a point that is not a pair of numbers, a band entry that is not
 *   a triple of numbers, a value ≤ 0 on a log axis, no finite point at all, `xTicks` not an
 *   array of finite numbers), `BAD_HYPERPARAM` (a bad scale, style, `dashed`, `xReverse`,
 *   width or height), `UNKNOWN_PARAM` (an unknown option or series key).
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
 * @see Observable Plot, https://observablehq.com/plot/ (the renderer); M. Okabe, K. Ito,
 *   Color Universal Design, 2008 (the palette).
 */
export function lineChartSvg(options: LineChartOptions): string {
  const read = new OptionReader('lineChartSvg', options, KNOWN_KEYS);
  const title = readText(read, 'title')!;
  const subtitle = readText(read, 'subtitle', false);
  const xLabel = readText(read, 'xLabel')!;
  const yLabel = readText(read, 'yLabel')!;
  const xScale = read.oneOf('xScale', SCALES, 'linear');
  const yScale = read.oneOf('yScale', SCALES, 'linear');
  const xReverse = read.boolean('xReverse', false);
  const width = read.integer('width', 720, { min: 360 });
  const height = read.integer('height', 440, { min: 240 });
  const series = readSeries(read, xScale, yScale);
  const xTicks = readTicks(read, xScale);

  const legendWidth = Math.min(
    Math.max(120, 50 + CHAR_WIDTH * Math.max(...series.map((s) => s.name.length))),
    width / 3,
  );
  const top = headingHeight(subtitle);
  const chartWidth = Math.round(width - legendWidth);
  const entries: LegendEntry[] = series.map((s, i) => ({
    name: s.name,
    colour: colourOf(i),
    line: s.style !== 'points',
    marker: s.style !== 'line',
    dashed: s.dashed,
  }));
  const chart = Plot.plot({
    document: plotDocument(),
    width: chartWidth,
    height: height - top,
    ...marginsOf(MARGIN),
    x: {
      ...axisOptions(xScale, xLabel),
      reverse: xReverse,
      ...(xTicks === undefined ? {} : { ticks: xTicks }),
    },
    y: axisOptions(yScale, yLabel),
    marks: [
      Plot.frame({ stroke: '#999999' }),
      ...series.flatMap((s, i) => seriesMarks(s, colourOf(i))),
    ],
  }) as SVGSVGElement;
  const legend = seriesLegend(entries, Math.round(legendWidth));
  return figureSvg({
    title,
    subtitle,
    width,
    height,
    panels: [
      { svg: chart, x: 0, y: top },
      { svg: legend, x: chartWidth, y: top + MARGIN.top },
    ],
  });
}

function marginsOf(margin: typeof MARGIN) {
  return {
    marginTop: margin.top,
    marginRight: margin.right,
    marginBottom: margin.bottom,
    marginLeft: margin.left,
  };
}

/** An axis labelled in the middle, with grid lines and compact tick labels. */
function axisOptions(scale: AxisScale, label: string): Plot.ScaleOptions {
  return {
    type: scale,
    nice: scale === 'linear',
    inset: INSET,
    grid: true,
    label,
    labelAnchor: 'center',
    labelArrow: 'none',
    tickFormat: tickLabel,
  };
}

function colourOf(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

function seriesMarks(s: ReadSeries, colour: string): Plot.Markish[] {
  const marks: Plot.Markish[] = [];
  if (s.band.length > 0) {
    marks.push(
      Plot.areaY(s.band, { x: '0', y1: '1', y2: '2', fill: colour, fillOpacity: BAND_OPACITY }),
    );
  }
  if (s.style !== 'points') {
    marks.push(
      Plot.line(s.points, {
        x: '0',
        y: '1',
        stroke: colour,
        strokeWidth: 2,
        ...(s.dashed ? { strokeDasharray: DASH } : {}),
      }),
    );
  }
  if (s.style !== 'line') {
    marks.push(Plot.dot(s.points, { x: '0', y: '1', r: 3, fill: colour }));
  }
  return marks;
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
  if (series.every((s) => s.points.every((p) => Number.isNaN(p[0])))) {
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
      `${label} must be a series { name, points, style?, dashed?, band? }, got ${describeValue(value)}.`,
    );
  }
  const read = new OptionReader(label, value, ['name', 'points', 'style', 'dashed', 'band']);
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
    points: points
      .map(
        (p, j) =>
          readTuple(`${read.name('points')}[${j}]`, p, 2, scales) as [number, number] | null,
      )
      .map((p) => p ?? [Number.NaN, Number.NaN]),
    style: read.oneOf('style', STYLES, 'line+points'),
    dashed: read.boolean('dashed', false),
    band: readBand(read, scales),
  };
}

function readBand(read: OptionReader, scales: [AxisScale, AxisScale]): [number, number, number][] {
  const band = read.raw('band');
  if (band === undefined) return [];
  if (!Array.isArray(band)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('band')} must be an array of [x, low, high] triples, got ${describeValue(band)}.`,
    );
  }
  return band.flatMap((entry, j) => {
    const triple = readTuple(`${read.name('band')}[${j}]`, entry, 3, [
      scales[0],
      scales[1],
      scales[1],
    ]);
    return triple === null ? [] : [triple as [number, number, number]];
  });
}

/**
 * A pair `[x, y]` or triple `[x, low, high]` of numbers, or `null` when one is NaN or
 * ±Infinity; refuses a finite value ≤ 0 on a log axis.
 */
function readTuple(
  label: string,
  tuple: unknown,
  length: 2 | 3,
  scales: AxisScale[],
): number[] | null {
  if (
    !Array.isArray(tuple) ||
    tuple.length !== length ||
    !tuple.every((v) => typeof v === 'number')
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be ${length === 2 ? 'a pair [x, y]' : 'a triple [x, low, high]'} of numbers, got ${describeValue(tuple)}.`,
    );
  }
  const values = tuple as number[];
  if (!values.every(Number.isFinite)) return null;
  values.forEach((v, axis) => {
    if (scales[axis] === 'log' && v <= 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}[${axis}] must be > 0 on the log ${axis === 0 ? 'x' : 'y'} axis, got ${v}.`,
      );
    }
  });
  return [...values];
}

function readTicks(read: OptionReader, scale: AxisScale): number[] | undefined {
  const ticks = read.raw('xTicks');
  if (ticks === undefined) return undefined;
  if (
    !Array.isArray(ticks) ||
    !ticks.every((t) => typeof t === 'number' && Number.isFinite(t) && (scale !== 'log' || t > 0))
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('xTicks')} must be an array of finite numbers${scale === 'log' ? ' > 0' : ''}, got ${describeValue(ticks)}.`,
    );
  }
  return [...ticks];
}
