import * as Plot from '@observablehq/plot';
import { plotDocument } from './figure';

/** One row of a {@link seriesLegend}. */
export interface LegendEntry {
  name: string;
  colour: string;
  /** A line sample, dashed or solid. */
  line: boolean;
  dashed: boolean;
  /** A marker on the sample. */
  marker: boolean;
}

const ROW_HEIGHT = 20;
/** Where the sample starts and ends, and where the name starts, in pixels from the left. */
const SAMPLE = { from: 14, to: 36, text: 42 };
/** Average width of a 12 px sans-serif character, to shorten names that do not fit. */
const CHAR_WIDTH = 7.5;

/**
 * The legend of a line chart as an SVG drawn by Observable Plot (whose own colour legend is
 * HTML): one row per series, top to bottom in series order, with a sample of its line and
 * marker and its name, cut with `…` when wider than `width`.
 */
export function seriesLegend(entries: LegendEntry[], width: number): SVGSVGElement {
  const rows = entries.map((_, i) => String(i));
  const maxChars = Math.max(4, Math.floor((width - SAMPLE.text - 4) / CHAR_WIDTH));
  return Plot.plot({
    document: plotDocument(),
    width,
    height: ROW_HEIGHT * entries.length,
    margin: 0,
    x: { type: 'identity', axis: null },
    y: { type: 'point', domain: rows, padding: 0.5, axis: null },
    marks: entries.flatMap((entry, i) => {
      const row = [rows[i]!];
      const marks: Plot.Markish[] = [];
      if (entry.line) {
        marks.push(
          Plot.ruleY(row, {
            y: Plot.identity,
            x1: SAMPLE.from,
            x2: SAMPLE.to,
            stroke: entry.colour,
            strokeWidth: 2,
            ...(entry.dashed ? { strokeDasharray: '6 4' } : {}),
          }),
        );
      }
      if (entry.marker) {
        marks.push(
          Plot.dot(row, {
            y: Plot.identity,
            x: (SAMPLE.from + SAMPLE.to) / 2,
            r: 3,
            fill: entry.colour,
          }),
        );
      }
      marks.push(
        Plot.text(row, {
          y: Plot.identity,
          x: SAMPLE.text,
          text: () => shortened(entry.name, maxChars),
          textAnchor: 'start',
          fontSize: 12,
        }),
      );
      return marks;
    }),
  }) as SVGSVGElement;
}

/** The name cut to `maxChars` code points, ending with `…` when cut. */
function shortened(name: string, maxChars: number): string {
  const chars = [...name];
  return chars.length <= maxChars ? name : `${chars.slice(0, maxChars - 1).join('')}…`;
}
