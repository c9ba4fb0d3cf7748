import { OptionReader } from '@descent/core';
import { type ChartSeries, lineChartSvg, readText } from '@descent/example-support';
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

/**
 * A standalone SVG of test accuracy against the weights remaining, in the style of Frankle &
 * Carbin (2019, Fig. 4), drawn by `lineChartSvg` (Observable Plot): density (percent of
 * weights remaining) on a log x axis running from 100 % on the left to the lowest density on
 * the right, with a tick (one decimal) at every density of the points; test accuracy in
 * percent on the y axis.
 *
 * Each curve is its mean over seeds as a line with circle markers, over a translucent band from
 * the min to the max seed when it has two seeds or more, in its own colour-blind-safe colour
 * (`#0072B2`, `#D55E00`, `#009E73`, `#CC79A7`, …), named in a legend at the right. The same
 * curves give the same bytes.
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
 *   subtitle: 'iterative magnitude pruning, 20 % per round, 3 seeds, band min–max',
 * }));
 * ```
 */
export function renderSvg(curves: Curve[], options: SvgPlotOptions): string {
  checkCurves('renderSvg: curves', curves);
  const read = new OptionReader('renderSvg', options, ['title', 'subtitle', 'width', 'height']);
  const title = readText(read, 'title')!;
  const subtitle = readText(read, 'subtitle', false);
  const width = read.integer('width', 720, { min: 360 });
  const height = read.integer('height', 440, { min: 240 });
  return lineChartSvg({
    title,
    ...(subtitle === undefined ? {} : { subtitle }),
    xLabel: 'Weights remaining (%, log scale)',
    yLabel: 'Test accuracy (%)',
    xScale: 'log',
    xReverse: true,
    xTicks: densityTicks(curves),
    width,
    height,
    series: curves.map(seriesOf),
  });
}

/** The mean over seeds as a line with markers, with a min-to-max band for two seeds or more. */
function seriesOf(curve: Curve): ChartSeries {
  const summaries = curve.points.map((p) => ({
    x: 100 * p.density,
    seeds: p.accuracies.length,
    s: summarize(p.accuracies),
  }));
  const banded = summaries.some((p) => p.seeds >= 2);
  return {
    name: curve.name,
    points: summaries.map(({ x, s }): [number, number] => [x, 100 * s.mean]),
    ...(banded
      ? {
          band: summaries.map(({ x, s }): [number, number, number] => [
            x,
            100 * s.min,
            100 * s.max,
          ]),
        }
      : {}),
  };
}

/** Every density of every point in percent, one per one-decimal label, highest first. */
function densityTicks(curves: Curve[]): number[] {
  const percents = curves.flatMap((c) => c.points.map((p) => Number((100 * p.density).toFixed(1))));
  return [...new Set(percents)].sort((a, b) => b - a);
}
