import {
  DescentError,
  type Fans,
  type ParamLayout,
  PARAM_LAYOUTS,
  Rng,
  checkOptions,
  computeFans,
  describeValue,
  formatShape,
} from '@descent/core';

/** The largest number of elements a scheme fills (a JS typed array's limit). */
const MAX_SIZE = 2147483647;

/**
 * Where a random scheme gets its numbers: give **exactly one** of `rng` or `seed`.
 *
 * - `rng`: a {@link Rng} from `@descent/core`; the scheme draws from it and advances it, so two
 *   calls with the same generator give different tensors (use `rng.child(name)` for one stream
 *   per parameter that does not depend on the order of initialization).
 * - `seed`: a number in [0, 2⁵³) or a string; the scheme uses a fresh `new Rng(seed)`, so the same
 *   seed always gives the same tensor.
 *
 * Either way the values are computed in JavaScript (float64, then rounded to float32) and uploaded
 * once, so they are bit-identical on cpu, wasm and webgpu.
 */
export interface RandomOptions {
  /** The generator to draw from (advanced by the call). */
  rng?: Rng;
  /** A seed for a fresh generator (`new Rng(seed)`). */
  seed?: number | string;
}

/** The tensor layout of the parameter being initialized. */
export interface LayoutOptions {
  /**
   * How the axes are laid out (tfjs order: dense `[in, out]`, conv2d `[kh, kw, in, out]`, vector
   * `[n]`); fans come from `computeFans(shape, layout)`. Default: inferred from the rank (2 →
   * `'dense'`, 4 → `'conv2d'`, 0 or 1 → `'vector'`; other ranks need fans and are rejected by
   * fan-based schemes).
   */
  layout?: ParamLayout;
}

/** Options every random scheme accepts. */
export interface SchemeOptions extends RandomOptions, LayoutOptions {}

/** Keys of {@link SchemeOptions}. */
export const SCHEME_KEYS = ['rng', 'seed', 'layout'] as const;

/**
 * Asserts `options` is a plain object (or undefined) with only `known` keys (core's
 * `checkOptions`, named after `fn`); returns it, `{}` for undefined.
 */
export function readOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  checkOptions(fn, options, known);
  return options;
}

/** Asserts `shape` is a list of non-negative integers of at most 2³¹ − 1 elements; returns its size. */
export function checkShapeArg(fn: string, shape: unknown): number {
  const ok =
    Array.isArray(shape) &&
    shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
  const size = ok ? (shape as number[]).reduce((a, b) => a * b, 1) : Number.NaN;
  if (!ok || size > MAX_SIZE) {
    const shown = Array.isArray(shape) ? JSON.stringify(shape) : describeValue(shape);
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: shape must be an array of non-negative integers with at most ${MAX_SIZE} elements, got ${shown}.`,
    );
  }
  return size;
}

/** The layout for `shape`: the given one (validated) or the one inferred from the rank. */
export function resolveLayout(
  fn: string,
  shape: readonly number[],
  layout: unknown,
): ParamLayout | undefined {
  if (layout !== undefined && !PARAM_LAYOUTS.includes(layout as ParamLayout)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: layout must be one of ${PARAM_LAYOUTS.map((l) => `'${l}'`).join(', ')}, got ${JSON.stringify(layout)}.`,
    );
  }
  if (layout !== undefined) return layout as ParamLayout;
  if (shape.length <= 1) return 'vector';
  if (shape.length === 2) return 'dense';
  if (shape.length === 4) return 'conv2d';
  return undefined;
}

/** Fans of `shape` in `layout` (given or inferred); `SHAPE_MISMATCH` naming the scheme otherwise. */
export function resolveFans(fn: string, shape: readonly number[], layout: unknown): Fans {
  const resolved = resolveLayout(fn, shape, layout);
  if (resolved === undefined) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: cannot compute fans of shape ${formatShape(shape)} (rank ${shape.length}); ` +
        "fan-based schemes need a dense [in, out], conv2d [kh, kw, in, out] or vector [n] shape (or the 'layout' option).",
    );
  }
  try {
    return computeFans(shape, resolved);
  } catch (error) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: shape ${formatShape(shape)} does not fit layout '${resolved}' ` +
        '(dense [in, out], conv2d [kh, kw, in, out], vector [n] or []).',
      { cause: error },
    );
  }
}

/** Checks a layout option against the shape even where fans are not needed. */
export function checkLayoutFits(fn: string, shape: readonly number[], layout: unknown): void {
  if (layout !== undefined) resolveFans(fn, shape, layout);
}

/** The generator of a random scheme's options: `rng` itself, or `new Rng(seed)`. */
export function resolveRng(fn: string, options: RandomOptions): Rng {
  const { rng, seed } = options;
  if (rng !== undefined && seed !== undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: give either options.rng or options.seed, not both.`,
    );
  }
  if (rng !== undefined) {
    if (!isRng(rng)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: options.rng must be an Rng from @descent/core, got ${describeValue(rng)}.`,
      );
    }
    return rng;
  }
  if (seed === undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: a random scheme needs options.rng (an Rng) or options.seed (a number or string).`,
    );
  }
  try {
    return new Rng(seed);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? (error as DescentError).code
        : 'BAD_ARGUMENT';
    throw new DescentError(code, `${fn}: options.seed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Duck-typed Rng check (no `instanceof` across packages). */
export function isRng(value: unknown): value is Rng {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Rng>;
  return (
    typeof r.normalArray === 'function' &&
    typeof r.uniformArray === 'function' &&
    typeof r.truncatedNormalArray === 'function' &&
    typeof r.child === 'function'
  );
}
