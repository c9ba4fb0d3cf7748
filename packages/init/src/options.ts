import {
  DescentError,
  type Fans,
  type ParamLayout,
  PARAM_LAYOUTS,
  type Rng,
  computeFans,
  describeValue,
  formatShape,
} from '@descent/core';
import { InitOptionReader } from './init-option-reader';

/**
 * The largest number of elements a scheme fills: 2³⁰, 4 GiB of float32 (all the memory a wasm
 * backend can address). Larger shapes are refused before anything is allocated.
 */
export const MAX_SIZE = 2 ** 30;

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
 * Asserts `shape` is an array of non-negative integers (no holes) of at most {@link MAX_SIZE}
 * elements in all; returns its size.
 *
 * @throws DescentError `BAD_ARGUMENT` naming `fn`, the shape and the offending dimension.
 */
export function checkShapeArg(fn: string, shape: unknown): number {
  if (!Array.isArray(shape)) {
    throw badShape(fn, `got ${describeValue(shape)}`);
  }
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (!(i in shape) || typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > MAX_SIZE) {
      throw badShape(fn, `got shape[${i}] = ${i in shape ? describeValue(d) : 'a hole'}`);
    }
    size *= d;
  }
  if (size > MAX_SIZE) {
    throw badShape(fn, `got ${formatShape(shape)} (${size} elements)`);
  }
  return size;
}

function badShape(fn: string, got: string): DescentError {
  return new DescentError(
    'BAD_ARGUMENT',
    `${fn}: shape must be an array of non-negative integers with at most ${MAX_SIZE} elements in all, ${got}.`,
  );
}

/**
 * Runs `make` (which allocates the values of a tensor of `shape`), turning the `RangeError` of an
 * allocation the JavaScript engine cannot satisfy into a `DescentError`.
 *
 * @throws DescentError `BAD_ARGUMENT` naming `fn` and the shape when memory runs out.
 */
export function allocating<T>(fn: string, shape: readonly number[], make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: shape ${formatShape(shape)} is too large to allocate (${error.message}).`,
      { cause: error },
    );
  }
}

/** Asserts the `layout` option is absent or one of core's `PARAM_LAYOUTS`. */
export function checkLayoutName(fn: string, layout: unknown): void {
  if (layout !== undefined && !PARAM_LAYOUTS.includes(layout as ParamLayout)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: layout must be one of ${PARAM_LAYOUTS.map((l) => `'${l}'`).join(', ')}, got ${describeValue(layout)}.`,
    );
  }
}

/** The layout for `shape`: the given one (validated) or the one inferred from the rank. */
export function resolveLayout(
  fn: string,
  shape: readonly number[],
  layout: unknown,
): ParamLayout | undefined {
  checkLayoutName(fn, layout);
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

/**
 * Reads the options every random scheme takes — checks the options object against `known`
 * (which must include {@link SCHEME_KEYS}), the layout name and the generator — and returns the
 * reader (for the scheme's own options), the layout and the generator's source.
 *
 * @throws DescentError `BAD_ARGUMENT` (not an object, bad layout or generator), `UNKNOWN_PARAM`.
 */
export function readSchemeOptions(
  fn: string,
  options: unknown,
  known: readonly string[],
): { read: InitOptionReader; layout: ParamLayout | undefined; rng: () => Rng } {
  const read = new InitOptionReader(fn, options, known);
  return { read, layout: read.layout(), rng: read.rng() };
}
