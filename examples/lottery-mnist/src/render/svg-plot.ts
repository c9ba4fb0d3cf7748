import { OptionReader } from '@descent/core';
import { escapeXml, headings, num, readText, round2 } from '@descent/example-support';
import { type Curve, checkCurves, summarize } from './curves';

/** Options of {@link renderSvg}. */
export interface SvgPlotOptions {
  /** The heading above the plot (required). */
  title: string;
  /** A smaller second line under the title, e.g. the network, data and seeds; none by default. */
  subtitle?: string;
  /** Width in pixels, an integer ≥ 360 (default 720). */
  width?: number;
  /** Height in pixels, an integer ≥ 240 (default 440). */
  height?: number;
}

/** Okabe–Ito colours, told apart with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
/** Candidate y steps in accuracy points; the first that needs at most `MAX_Y_STEPS` steps wins. */
const Y_STEPS = [0.5, 1, 2, 5, 10, 20];
const MAX_Y_STEPS = 8;
/** Smallest gap in pixels between two x tick labels; closer ones keep their tick, not their label. */
const MIN_LABEL_GAP = 36;
/** Average width of a 12 px sans-serif character, to size the legend. */
const CHAR_WIDTH = 7.5;
const MARGIN = { left: 64, bottom: 56, top: 48, topWithSubtitle: 66 };

/** The plot area in pixels: x from `left` to `right`, y from `top` to `bottom`. */
interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A nice y axis in accuracy points: ticks from `lo` to `hi` every `step`. */
interface YAxis {
  lo: number;
  hi: number;
  step: number;
  ticks: number[];
}

/** A curve reduced to pixels: mean, min and max per point. */
interface CurveGeometry {
  name: string;
  colour: string;
  seeds: number;
  mean: [number, number][];
  low: [number, number][];
  high: [number, number][];
}

/**
 * A standalone SVG of test accuracy against the weights remaining, in the style of Frankle &
 * Carbin (2019, Fig. 4): density (percent of weights remaining) on a log x axis running from
 * 100 % on the left to the lowest density on the right, with a tick (one decimal) at every
 * density of the points; test accuracy in percent on the y axis, with ticks every 0.5, 1 or 2
 * points (5, 10, 20 for wide ranges) covering all per-seed accuracies plus a small margin.
 *
 * Each curve is its mean over seeds as a line with circle markers, over a translucent band from
 * the min to the max seed when it has two seeds or more, in its own colour-blind-safe colour
 * (`#0072B2`, `#D55E00`, `#009E73`, `#CC79A7`, …), named in a legend at the right. The SVG has
 * a white background, `font-family="sans-serif"`, no scripts and no external resources; text is
 * XML-escaped and numbers are rounded to 2 decimals, so the same curves give the same bytes.
 *
 * @param curves - At least one curve (see {@link checkCurves}).
 * @param options - `title` (required), `subtitle`, `width` (720), `height` (440).
 * @returns the SVG document as a string (write it to a `.svg` file).
 * @throws DescentError `BAD_ARGUMENT` (bad curves, options that are not a plain object, a
 *   title or subtitle that is not a string), `BAD_HYPERPARAM` (width or height not an integer
 *   in range), `NON_FINITE`, `UNKNOWN_PARAM` (an unknown option).
 * @example
 * ```ts
 * writeFileSync('lottery-mnist.svg', renderSvg(curves, {
 *   title: 'Lottery tickets: LeNet-300-100 on MNIST',
 *   subtitle: 'iterative magnitude pruning, 20 % per round, 3 seeds',
 * }));
 * ```
 */
export function renderSvg(curves: Curve[], options: SvgPlotOptions): string {
  checkCurves('renderSvg: curves', curves);
  const read = new OptionReader('renderSvg', options, ['title', 'subtitle', 'width', 'height']);
  const title = readText(read, 'title', true)!;
  const subtitle = readText(read, 'subtitle', false);
  const width = read.integer('width', 720, { min: 360 });
  const height = read.integer('height', 440, { min: 240 });

  const legendWidth = Math.min(
    Math.max(120, 50 + CHAR_WIDTH * Math.max(...curves.map((c) => c.name.length))),
    width / 3,
  );
  const frame: Frame = {
    left: MARGIN.left,
    right: width - legendWidth,
    top: subtitle === undefined ? MARGIN.top : MARGIN.topWithSubtitle,
    bottom: height - MARGIN.bottom,
  };
  const densities = distinctDensities(curves);
  const x = logDensityScale(densities, frame);
  const yAxis = niceYAxis(curves);
  const y = (points: number) =>
    frame.bottom - ((points - yAxis.lo) / (yAxis.hi - yAxis.lo)) * (frame.bottom - frame.top);
  const geometry = curves.map((curve, i) => curveGeometry(curve, i, x, y));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="white"/>`,
    ...headings(title, subtitle, width),
    ...xAxis(densities, x, frame),
    ...yAxisLines(yAxis, y, frame),
    ...geometry.filter((g) => g.seeds >= 2).map(band),
    ...geometry.flatMap(meanLine),
    ...legend(geometry, frame),
    '</svg>',
    '',
  ].join('\n');
}

/** Every density of every point, highest first, one per one-decimal label. */
function distinctDensities(curves: Curve[]): number[] {
  const byLabel = new Map<string, number>();
  for (const curve of curves) {
    for (const { density } of curve.points) {
      const label = densityLabel(density);
      if (!byLabel.has(label)) byLabel.set(label, density);
    }
  }
  return [...byLabel.values()].sort((a, b) => b - a);
}

/**
 * `x(d)`, linear in `ln d`: 100 % at the left (after a small inset) and the lowest density at the
 * right; when every density is 100 %, the right end stands for 50 %.
 */
function logDensityScale(densities: number[], frame: Frame): (density: number) => number {
  const lowest = Math.min(...densities);
  const span = Math.log(1 / (lowest < 1 ? lowest : 0.5));
  const inset = 0.04 * (frame.right - frame.left);
  const usable = frame.right - frame.left - 2 * inset;
  return (density) => frame.left + inset + (usable * Math.log(1 / density)) / span;
}

/** Accuracy ticks (in points) covering every seed's accuracy with a margin, within [0, 100]. */
function niceYAxis(curves: Curve[]): YAxis {
  const all = curves.flatMap((c) => c.points.flatMap((p) => p.accuracies)).map((a) => 100 * a);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const margin = Math.max(0.2, 0.05 * (max - min));
  const axes = Y_STEPS.map((step) => axisWithStep(min - margin, max + margin, step));
  return axes.find((a) => a.ticks.length - 1 <= MAX_Y_STEPS) ?? axes[axes.length - 1]!;
}

function axisWithStep(from: number, to: number, step: number): YAxis {
  const lo = Math.max(0, Math.floor(from / step) * step);
  const hi = Math.min(100, Math.ceil(to / step) * step);
  const count = Math.round((hi - lo) / step);
  const ticks = Array.from({ length: count + 1 }, (_, i) => round2(lo + i * step));
  return { lo, hi, step, ticks };
}

function curveGeometry(
  curve: Curve,
  index: number,
  x: (density: number) => number,
  y: (points: number) => number,
): CurveGeometry {
  const summaries = curve.points.map((p) => ({ x: x(p.density), s: summarize(p.accuracies) }));
  return {
    name: curve.name,
    colour: PALETTE[index % PALETTE.length]!,
    seeds: Math.max(...curve.points.map((p) => p.accuracies.length)),
    mean: summaries.map(({ x: px, s }) => [px, y(100 * s.mean)]),
    low: summaries.map(({ x: px, s }) => [px, y(100 * s.min)]),
    high: summaries.map(({ x: px, s }) => [px, y(100 * s.max)]),
  };
}

function xAxis(densities: number[], x: (density: number) => number, frame: Frame): string[] {
  const lines = [
    `<rect x="${num(frame.left)}" y="${num(frame.top)}" width="${num(frame.right - frame.left)}" height="${num(frame.bottom - frame.top)}" fill="none" stroke="#999999"/>`,
  ];
  let lastLabelX = Number.NEGATIVE_INFINITY;
  for (const density of densities) {
    const px = num(x(density));
    lines.push(
      `<line x1="${px}" y1="${num(frame.top)}" x2="${px}" y2="${num(frame.bottom)}" stroke="#e6e6e6"/>`,
      `<line x1="${px}" y1="${num(frame.bottom)}" x2="${px}" y2="${num(frame.bottom + 5)}" stroke="#333333"/>`,
    );
    if (x(density) - lastLabelX >= MIN_LABEL_GAP) {
      lines.push(
        `<text x="${px}" y="${num(frame.bottom + 18)}" text-anchor="middle" font-size="11">${densityLabel(density)}</text>`,
      );
      lastLabelX = x(density);
    }
  }
  lines.push(
    `<text x="${num((frame.left + frame.right) / 2)}" y="${num(frame.bottom + 42)}" text-anchor="middle" font-size="12">Weights remaining (%, log scale)</text>`,
  );
  return lines;
}

function yAxisLines(axis: YAxis, y: (points: number) => number, frame: Frame): string[] {
  const decimals = axis.step < 1 ? 1 : 0;
  const lines = axis.ticks.flatMap((tick) => {
    const py = num(y(tick));
    return [
      `<line x1="${num(frame.left)}" y1="${py}" x2="${num(frame.right)}" y2="${py}" stroke="#e6e6e6"/>`,
      `<line x1="${num(frame.left - 5)}" y1="${py}" x2="${num(frame.left)}" y2="${py}" stroke="#333333"/>`,
      `<text x="${num(frame.left - 8)}" y="${num(y(tick) + 4)}" text-anchor="end" font-size="11">${tick.toFixed(decimals)}</text>`,
    ];
  });
  const midY = num((frame.top + frame.bottom) / 2);
  lines.push(
    `<text x="18" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${midY})">Test accuracy (%)</text>`,
  );
  return lines;
}

function band(g: CurveGeometry): string {
  const outline = [...g.high, ...[...g.low].reverse()];
  return `<polygon points="${pointList(outline)}" fill="${g.colour}" fill-opacity="0.18" stroke="none"/>`;
}

function meanLine(g: CurveGeometry): string[] {
  return [
    `<polyline points="${pointList(g.mean)}" fill="none" stroke="${g.colour}" stroke-width="2"/>`,
    ...g.mean.map(
      ([cx, cy]) => `<circle cx="${num(cx)}" cy="${num(cy)}" r="3" fill="${g.colour}"/>`,
    ),
  ];
}

function legend(geometry: CurveGeometry[], frame: Frame): string[] {
  const left = frame.right + 14;
  const lines = geometry.flatMap((g, i) => {
    const cy = frame.top + 10 + 20 * i;
    return [
      `<line x1="${num(left)}" y1="${num(cy)}" x2="${num(left + 22)}" y2="${num(cy)}" stroke="${g.colour}" stroke-width="2"/>`,
      `<circle cx="${num(left + 11)}" cy="${num(cy)}" r="3" fill="${g.colour}"/>`,
      `<text x="${num(left + 28)}" y="${num(cy + 4)}" font-size="12">${escapeXml(g.name)}</text>`,
    ];
  });
  const seeds = Math.max(...geometry.map((g) => g.seeds));
  if (seeds >= 2) {
    const y = frame.top + 10 + 20 * geometry.length + 6;
    lines.push(
      `<text x="${num(left)}" y="${num(y)}" font-size="10" fill="#555555">line: mean of ${seeds} seeds</text>`,
      `<text x="${num(left)}" y="${num(y + 13)}" font-size="10" fill="#555555">band: min to max</text>`,
    );
  }
  return lines;
}

function densityLabel(density: number): string {
  return (100 * density).toFixed(1);
}

function pointList(points: [number, number][]): string {
  return points.map(([px, py]) => `${num(px)},${num(py)}`).join(' ');
}
