import * as Plot from '@observablehq/plot';

/** How values map to colours: linearly, or linearly in `log₁₀ v` (for values spanning decades). */
export type ColorScale = 'linear' | 'log';

/** The value range that spans the colour map, and how values are placed in it. */
export interface ColourRange {
  lo: number;
  hi: number;
  kind: ColorScale;
}

/** Relative luminance where black and white contrast equally with a colour: contours switch there. */
const LUMINANCE_SPLIT = 0.179;

/** Plot's colour scale options for the range: viridis over `[lo, hi]`. */
export function colourScaleOptions(range: ColourRange): Plot.ScaleOptions {
  return { type: range.kind, scheme: 'viridis', domain: [range.lo, range.hi] };
}

/** Where a value sits in the colour range, from 0 at `lo` to 1 at `hi` (not clamped). */
export function fractionOf(range: ColourRange, value: number): number {
  if (range.kind === 'log') return Math.log(value / range.lo) / Math.log(range.hi / range.lo);
  return (value - range.lo) / (range.hi - range.lo);
}

/** The value at fraction `t` of the colour range (geometric with `'log'`). */
export function valueAt(range: ColourRange, t: number): number {
  if (range.kind === 'log') return range.lo * (range.hi / range.lo) ** t;
  return range.lo + t * (range.hi - range.lo);
}

/**
 * Black on colours lighter than the split, white on darker ones, for a line drawn over the
 * colour of `value` (WCAG relative luminance of Plot's viridis colour).
 */
export function inkOn(range: ColourRange, value: number): '#000000' | '#ffffff' {
  const colour = String(Plot.scale({ color: colourScaleOptions(range) }).apply(value));
  const linear = rgbOf(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return luminance > LUMINANCE_SPLIT ? '#000000' : '#ffffff';
}

/** `#rrggbb` or `rgb(r, g, b)` as `[r, g, b]`. */
function rgbOf(colour: string): number[] {
  if (colour.startsWith('#')) {
    return [1, 3, 5].map((k) => Number.parseInt(colour.slice(k, k + 2), 16));
  }
  return (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
}
