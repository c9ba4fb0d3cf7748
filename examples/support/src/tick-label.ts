import { decimalExponent, formatCompact, powerOfTen } from './compact-number';

/** Significant digits a tick label may keep: enough for any tick a chart chooses. */
const TICK_DIGITS = 6;

/**
 * An axis tick's label by {@link formatCompact}, fine enough for the tick's own decimals, so
 * ticks every 0.05 read `0.05`, `0.1`, `0.15` and ticks every 500 read `2k`, `2.5k`, `3k`
 * (trailing zeros dropped, floating-point noise such as `0.30000000000000004` rounded away).
 */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  return formatCompact(value, powerOfTen(decimalExponent(Math.abs(value)) - TICK_DIGITS + 1));
}
