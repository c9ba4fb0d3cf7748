import { checkNumber } from '@descent/core';

/** Suffixes for thousands and up, largest first. */
const UNITS: readonly (readonly [number, string])[] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];
/** From this magnitude on, numbers get an exponent. */
const LARGEST_SUFFIXED = 1e15;
/** Below this magnitude, numbers get an exponent when plain decimals would need more than `MAX_SMALL_DECIMALS`. */
const SMALLEST_PLAIN = 1e-3;
const MAX_SMALL_DECIMALS = 4;

/**
 * A short label for a number, as on a chart axis or in a table cell:
 *
 * - from 0.001 to below 1000, plain decimals: `0.001`, `0.5`, `97.5`, `250`;
 * - from 1000 to below 10¹⁵, a suffix `k`, `M`, `G` or `T`: `1k`, `2.5k`, `16.4k` (16384),
 *   `1M`;
 * - from 10¹⁵ on, and below 0.001 where plain decimals would need more than four places, an
 *   exponent: `1e15`, `2.5e-7`, and `5e-4` for 0.0005 alone but `0.0005` at resolution 0.0005
 *   (ticks `0, 0.0005, 0.001`);
 * - `0` as `0`, negative numbers with a leading `-`.
 *
 * `resolution` says how fine the label must be: the label keeps the decimals that show a
 * multiple of `resolution`, so ticks every 0.05 read `0.05`, `0.1`, `0.15` and ticks every
 * 500 read `2k`, `2.5k`, `3k`. By default it is three significant digits of `value` (16384
 * reads `16.4k`, 1.23456 reads `1.23`). Trailing zeros are dropped either way; the exponent
 * form always shows at most three significant digits.
 *
 * @param value - A finite number.
 * @param resolution - The step the label must resolve, > 0 (default: the third significant
 *   digit of `value`).
 * @throws DescentError `NON_FINITE` (NaN or ±Infinity), `BAD_HYPERPARAM` (not a number, a
 *   resolution ≤ 0).
 * @example
 * ```ts
 * formatCompact(16384); // '16.4k'
 * formatCompact(0.001); // '0.001'
 * formatCompact(2500, 500); // '2.5k'
 * formatCompact(0.30000000000000004, 0.1); // '0.3'
 * formatCompact(0.00002); // '2e-5'
 * formatCompact(0.0005, 0.0005); // '0.0005'
 * ```
 */
export function formatCompact(value: number, resolution?: number): string {
  checkNumber('formatCompact: value', value);
  if (resolution !== undefined) {
    checkNumber('formatCompact: resolution', resolution, { min: 0, minExclusive: true });
  }
  const step = resolution ?? powerOfTen(decimalExponent(Math.abs(value)) - 2);
  // Rounded first, so that 999.96 reads 1k rather than 1000.
  const magnitude = Math.abs(Math.round(value / step) * step);
  if (magnitude === 0) return '0';
  if (magnitude >= LARGEST_SUFFIXED) return exponential(value);
  const [unit, suffix] = UNITS.find(([u]) => magnitude >= u) ?? [1, ''];
  const decimals = Math.max(0, decimalExponent(unit) - decimalExponent(step));
  if (magnitude < SMALLEST_PLAIN && decimals > MAX_SMALL_DECIMALS) return exponential(value);
  return `${trimZeros((value / unit).toFixed(Math.min(decimals, 20)))}${suffix}`;
}

/**
 * `⌊log₁₀ x⌋` for `x > 0`, corrected for the rounding of `Math.log10` next to powers of ten
 * (0 for `x = 0`).
 */
export function decimalExponent(x: number): number {
  if (x === 0) return 0;
  let k = Math.floor(Math.log10(x));
  if (powerOfTen(k + 1) <= x) k++;
  if (powerOfTen(k) > x) k--;
  return k;
}

/**
 * `10^k` for an integer `k`, as the double nearest the decimal: parsed from `1e<k>`, since
 * `10 ** k` and `1 / 10 ** -k` are a rounding off for some `k` (`1 / 10 ** 30` is not `1e-30`).
 */
export function powerOfTen(k: number): number {
  return Number(`1e${k}`);
}

/** Three significant digits at most, trailing zeros dropped: `2.5e-7`, `1e15`. */
function exponential(value: number): string {
  const [mantissa, exponent] = value.toExponential(2).split('e');
  return `${trimZeros(mantissa!)}e${Number(exponent)}`;
}

/** `'2.50'` → `'2.5'`, `'3.00'` → `'3'`; integers stay as they are. */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
