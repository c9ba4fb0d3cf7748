import { checkNumber, DescentError } from '@descent/core';

/** Options of {@link sparkline}. */
export interface SparklineOptions {
  /** The value drawn as the lowest character. Default: the smallest value. */
  min?: number;
  /** The value drawn as the highest character. Default: the largest value. */
  max?: number;
  /** The characters from lowest to highest (≥ 2). Default `'▁▂▃▄▅▆▇█'`; `'_.-~^'` is plain ASCII. */
  chars?: string;
}

/** Options of {@link sparklineSvg}. */
export interface SparklineSvgOptions {
  /** Width of the drawing in px. Default 200. */
  width?: number;
  /** Height of the drawing in px. Default 40. */
  height?: number;
  /** The value at the bottom edge. Default: the smallest value. */
  min?: number;
  /** The value at the top edge. Default: the largest value. */
  max?: number;
  /** Line colour (any SVG paint). Default `'currentColor'`. */
  stroke?: string;
  /** Line width in px. Default 1.5. */
  strokeWidth?: number;
}

/**
 * A one-line text sparkline of `values`, one character per value, scaled linearly between
 * `min` and `max` (the values' own range by default; a flat series draws at mid height).
 *
 * @throws DescentError `NON_FINITE` for a non-finite value, `BAD_ARGUMENT` for fewer than 2 `chars`.
 *
 * @example
 * ```ts
 * sparkline(sample(cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 4 }), 17)); // '▁▃▅▆█▆▅▃▁▃▅▆█▆▅▃▁'
 * sparkline([0, 1, 2], { chars: '_.-~^' }); // '_-^'
 * ```
 */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  const chars = [...(options.chars ?? '▁▂▃▄▅▆▇█')];
  if (chars.length < 2) {
    throw new DescentError('BAD_ARGUMENT', 'sparkline chars must hold at least 2 characters.');
  }
  const unit = normalizer(values, options.min, options.max);
  const top = chars.length - 1;
  return values.map((v) => chars[Math.round(unit(v) * top)]).join('');
}

/**
 * A small standalone SVG (`<svg>…<polyline/></svg>`) of `values` as a line, for READMEs and
 * examples. The first value is at the left edge, the last at the right edge; values are scaled
 * between `min` (bottom) and `max` (top).
 *
 * @throws DescentError `NON_FINITE` for a non-finite value or option, `BAD_HYPERPARAM` for a
 *   width or height ≤ 0.
 *
 * @example
 * ```ts
 * const svg = sparklineSvg(sample(oneCycle({ maxValue: 0.1, totalSteps: 100 }), 100), { width: 120 });
 * // writeFileSync('one-cycle.svg', svg)
 * ```
 */
export function sparklineSvg(values: readonly number[], options: SparklineSvgOptions = {}): string {
  const { width = 200, height = 40, stroke = 'currentColor', strokeWidth = 1.5 } = options;
  checkNumber('sparklineSvg width', width, { min: 0, minExclusive: true });
  checkNumber('sparklineSvg height', height, { min: 0, minExclusive: true });
  checkNumber('sparklineSvg strokeWidth', strokeWidth, { min: 0 });
  const unit = normalizer(values, options.min, options.max);
  const pad = strokeWidth / 2;
  const n = values.length;
  const points = values
    .map((v, i) => {
      const x = n === 1 ? width / 2 : (i / (n - 1)) * width;
      const y = pad + (1 - unit(v)) * (height - 2 * pad);
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<polyline fill="none" stroke="${escapeXml(stroke)}" stroke-width="${strokeWidth}" ` +
    `stroke-linejoin="round" points="${points}"/></svg>`
  );
}

/** Maps values to [0, 1] (clamped) between `min` and `max` (their range by default). */
function normalizer(values: readonly number[], min?: number, max?: number): (v: number) => number {
  let smallest = Number.POSITIVE_INFINITY;
  let largest = Number.NEGATIVE_INFINITY;
  values.forEach((v, i) => {
    checkNumber(`sparkline values[${i}]`, v);
    smallest = Math.min(smallest, v);
    largest = Math.max(largest, v);
  });
  if (values.length === 0) return () => 0.5;
  const lo = min ?? smallest;
  const hi = max ?? largest;
  checkNumber('sparkline min', lo);
  checkNumber('sparkline max', hi);
  if (!(hi > lo)) return () => 0.5;
  return (v) => Math.min(Math.max((v - lo) / (hi - lo), 0), 1);
}

function round(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function escapeXml(s: string): string {
  return s.replace(
    /[<>&"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] as string,
  );
}
