import { checkNumber, DescentError, describeValue, OptionReader } from '@descent/core';

/** The largest width, height or stroke width of {@link sparklineSvg}, in px. */
export const MAX_SVG_SIZE = 1e6;

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
  /** Width of the drawing in px: > 0 and ≤ 1e6. Default 200. */
  width?: number;
  /** Height of the drawing in px: > 0 and ≤ 1e6. Default 40. */
  height?: number;
  /** The value at the bottom edge. Default: the smallest value. */
  min?: number;
  /** The value at the top edge. Default: the largest value. */
  max?: number;
  /** Line colour (any SVG paint). Default `'currentColor'`. */
  stroke?: string;
  /** Line width in px: ≥ 0 and ≤ 1e6. Default 1.5. */
  strokeWidth?: number;
}

/**
 * A one-line text sparkline of `values`, one character per value, scaled linearly between
 * `min` and `max` (the values' own range by default; a flat series draws at mid height).
 *
 * @throws DescentError `BAD_ARGUMENT` if `values` is not an array of numbers, options is not a
 *   plain object or `chars` is not a string of at least 2 characters, `UNKNOWN_PARAM` for an
 *   unknown option, `NON_FINITE` for a non-finite value, `min` or `max`, `BAD_HYPERPARAM` for
 *   `min > max`.
 *
 * @example
 * ```ts
 * sparkline(sample(cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 4 }), 17)); // '▁▃▅▆█▆▅▃▁▃▅▆█▆▅▃▁'
 * sparkline([0, 1, 2], { chars: '_.-~^' }); // '_-^'
 * ```
 */
export function sparkline(values: readonly number[], options: SparklineOptions = {}): string {
  const read = new OptionReader('sparkline', options, ['min', 'max', 'chars']);
  const chars = readChars(read);
  const unit = normalizer('sparkline', values, read);
  const top = chars.length - 1;
  return values.map((v) => chars[Math.round(unit(v) * top)]).join('');
}

/**
 * A small standalone SVG (`<svg>…<polyline/></svg>`) of `values` as a line, for READMEs and
 * examples. The first value is at the left edge, the last at the right edge; values are scaled
 * between `min` (bottom) and `max` (top).
 *
 * @throws DescentError `BAD_ARGUMENT` if `values` is not an array of numbers, options is not a
 *   plain object or `stroke` is not a string, `UNKNOWN_PARAM` for an unknown option, `NON_FINITE`
 *   for a non-finite value or option, `BAD_HYPERPARAM` for a width or height outside (0, 1e6], a
 *   stroke width outside [0, 1e6] or `min > max`.
 *
 * @example
 * ```ts
 * const svg = sparklineSvg(sample(oneCycle({ maxValue: 0.1, totalSteps: 100 }), 100), { width: 120 });
 * // writeFileSync('one-cycle.svg', svg)
 * ```
 */
export function sparklineSvg(values: readonly number[], options: SparklineSvgOptions = {}): string {
  const read = new OptionReader('sparklineSvg', options, [
    'width',
    'height',
    'min',
    'max',
    'stroke',
    'strokeWidth',
  ]);
  const size = { min: 0, minExclusive: true, max: MAX_SVG_SIZE };
  const width = read.number('width', 200, size);
  const height = read.number('height', 40, size);
  const strokeWidth = read.number('strokeWidth', 1.5, { min: 0, max: MAX_SVG_SIZE });
  const stroke = read.raw('stroke') ?? 'currentColor';
  if (typeof stroke !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('stroke')} must be a string (an SVG paint), got ${describeValue(stroke)}.`,
    );
  }
  const unit = normalizer('sparklineSvg', values, read);
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

/** `chars` as code points: a string of at least 2 (default `'▁▂▃▄▅▆▇█'`). */
function readChars(read: OptionReader): string[] {
  const chars = read.raw('chars') ?? '▁▂▃▄▅▆▇█';
  if (typeof chars !== 'string' || [...chars].length < 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('chars')} must be a string of at least 2 characters, got ${describeValue(chars)}.`,
    );
  }
  return [...chars];
}

/** Asserts `values` is an array of finite numbers, naming `<what> values[i]`. */
function checkValues(what: string, values: unknown): asserts values is readonly number[] {
  if (!Array.isArray(values)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what} values must be an array of numbers, got ${describeValue(values)}.`,
    );
  }
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'number') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${what} values[${i}] must be a number, got ${describeValue(v)}.`,
      );
    }
    checkNumber(`${what} values[${i}]`, v);
  });
}

/**
 * Maps values to [0, 1] (clamped) between the options `min` and `max` (the values' range by
 * default), checking the values and both options first.
 */
function normalizer(what: string, values: unknown, read: OptionReader): (v: number) => number {
  checkValues(what, values);
  const min = read.optionalNumber('min');
  const max = read.optionalNumber('max');
  if (min !== undefined && max !== undefined && min > max) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${read.name('min')} must be ≤ ${read.name('max')}, got min ${min} and max ${max}.`,
    );
  }
  if (values.length === 0) return () => 0.5;
  // A loop, not Math.min(...values): spreading a long series overflows the call stack.
  let lo = min ?? Number.POSITIVE_INFINITY;
  let hi = max ?? Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (min === undefined) lo = Math.min(lo, v);
    if (max === undefined) hi = Math.max(hi, v);
  }
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
