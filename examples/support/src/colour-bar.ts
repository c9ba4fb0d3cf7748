import * as Plot from '@observablehq/plot';
import { formatCompact } from './compact-number';
import { type ColourRange, colourScaleOptions, fractionOf, inkOn, valueAt } from './colour-range';
import { plotDocument } from './figure';
import { tickLabel } from './tick-label';

/** Options of {@link colourBar}. */
export interface ColourBarOptions {
  range: ColourRange;
  /** Contour levels inside the range: a line across the bar each, labelled on its left. */
  levels: number[];
  valueLabel: string;
  /** Whether some value is not finite: a grey swatch labelled `not finite` under the bar. */
  hasNonFinite: boolean;
  notFiniteFill: string;
  height: number;
  marginTop: number;
  marginBottom: number;
}

/** The bar's width, its slices (enough that steps in colour do not show) and the ticks asked for. */
const BAR_WIDTH = 14;
const SLICES = 64;
const TICKS = 6;
/** Average widths of a sans-serif character at 11 px (ticks) and 9 px (level labels). */
const TICK_CHAR_WIDTH = 6.6;
const LEVEL_CHAR_WIDTH = 5.4;
/** Smallest gap in pixels between two level labels; a closer one keeps its line, not its label. */
const MIN_LEVEL_GAP = 10;
const NOT_FINITE_LABEL = 'not finite';

/**
 * A vertical colour bar drawn by Observable Plot (whose own ramp legend needs a canvas): the
 * viridis ramp over the value range in thin slices, value ticks and the value label on the
 * right, a line across it at each contour level (in the contour's ink) with the level written
 * on its left.
 */
export function colourBar(options: ColourBarOptions): { svg: SVGSVGElement; width: number } {
  const { range, levels } = options;
  const labelled = labelledLevels(options);
  const marginLeft = Math.ceil(
    4 + LEVEL_CHAR_WIDTH * Math.max(0, ...labelled.map((l) => formatCompact(l).length)),
  );
  const tickChars = Math.max(
    ...[range.lo, range.hi, valueAt(range, 0.5)].map((v) => formatCompact(v).length),
  );
  const marginRight = Math.ceil(
    Math.max(
      12 + TICK_CHAR_WIDTH * tickChars + 20,
      options.hasNonFinite ? 12 + TICK_CHAR_WIDTH * NOT_FINITE_LABEL.length : 0,
    ),
  );
  const slices = Array.from({ length: SLICES }, (_, k) => k);
  const ink = (level: number) => inkOn(range, level);
  const width = marginLeft + BAR_WIDTH + marginRight;
  const svg = Plot.plot({
    document: plotDocument(),
    width,
    height: options.height,
    marginTop: options.marginTop,
    marginBottom: options.marginBottom,
    marginLeft,
    marginRight,
    x: { domain: [0, 1], axis: null },
    y: {
      type: range.kind,
      domain: [range.lo, range.hi],
      axis: 'right',
      ticks: TICKS,
      tickFormat: tickLabel,
      label: options.valueLabel,
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: marginRight - 4,
    },
    color: colourScaleOptions(range),
    marks: [
      Plot.rect(slices, {
        x1: 0,
        x2: 1,
        y1: (k: number) => valueAt(range, k / SLICES),
        y2: (k: number) => valueAt(range, (k + 1) / SLICES),
        fill: (k: number) => valueAt(range, (k + 0.5) / SLICES),
        shapeRendering: 'crispEdges',
      }),
      ...(['#ffffff', '#000000'] as const).map((colour) =>
        Plot.ruleY(
          levels.filter((l) => ink(l) === colour),
          { x1: 0, x2: 1, stroke: colour },
        ),
      ),
      Plot.text(labelled, {
        y: Plot.identity,
        frameAnchor: 'left',
        dx: -4,
        text: (level: number) => formatCompact(level),
        textAnchor: 'end',
        fontSize: 9,
        fill: '#333333',
      }),
      Plot.frame({ stroke: '#999999' }),
      ...(options.hasNonFinite ? notFiniteSwatch(options.notFiniteFill) : []),
    ],
  }) as SVGSVGElement;
  return { svg, width };
}

/** The levels whose labels fit: from the top down, each at least `MIN_LEVEL_GAP` below the last. */
function labelledLevels(options: ColourBarOptions): number[] {
  const height = options.height - options.marginTop - options.marginBottom;
  const labelled: number[] = [];
  let lastY = Number.NEGATIVE_INFINITY;
  for (const level of [...options.levels].sort((a, b) => b - a)) {
    const y = (1 - fractionOf(options.range, level)) * height;
    if (y >= lastY + MIN_LEVEL_GAP) {
      labelled.push(level);
      lastY = y;
    }
  }
  return labelled;
}

function notFiniteSwatch(fill: string): Plot.Markish[] {
  return [
    Plot.dot([NOT_FINITE_LABEL], {
      frameAnchor: 'bottom',
      dy: 20,
      symbol: 'square',
      r: 6,
      fill,
      stroke: '#999999',
    }),
    Plot.text([NOT_FINITE_LABEL], {
      frameAnchor: 'bottom',
      dx: 12,
      dy: 20,
      text: Plot.identity,
      textAnchor: 'start',
    }),
  ];
}
