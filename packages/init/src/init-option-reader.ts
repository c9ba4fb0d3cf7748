import {
  DescentError,
  type NumberRange,
  OptionReader,
  PARAM_LAYOUTS,
  type ParamLayout,
  Rng,
  describeValue,
  isRng,
} from '@descent/core';
import { checkFitsFloat32, checkFloat32 } from './float32-range';
import { nonlinearityGain } from './gain';

/**
 * The option reader of every function of the package: core's `OptionReader` (fields named
 * `<function>.<field>` in errors, `null` read as absent) plus the readers init needs — float32
 * values, choices, the layout, the generator and a nonlinearity's gain. Omitted options
 * (`undefined`) read as `{}`. Internal to the package.
 */
export class InitOptionReader extends OptionReader {
  constructor(what: string, options: unknown, known: readonly string[]) {
    super(what, options === undefined ? {} : options, known);
  }

  /**
   * A finite number within ±float32's largest value and `range`; `fallback` when absent.
   *
   * @throws DescentError `NON_FINITE` or `BAD_HYPERPARAM` naming the field.
   */
  float32(field: string, fallback: number, range: NumberRange = {}): number {
    const v = this.raw(field) ?? fallback;
    checkFloat32(this.name(field), v, range);
    return v as number;
  }

  /**
   * Asserts the draws a field's `value` leads to fit in float32 (`largest`: their largest
   * magnitude).
   *
   * @throws DescentError `BAD_HYPERPARAM` naming the field and its value.
   */
  fitsFloat32(field: string, value: number, largest: number): void {
    checkFitsFloat32(this.name(field), value, largest);
  }

  /**
   * One of the strings in `allowed`; `fallback` when absent. Unlike core's `oneOf` (a
   * hyperparameter), a choice of scheme is an argument: `BAD_ARGUMENT`.
   */
  choice<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(field) ?? fallback;
    if (!(allowed as readonly unknown[]).includes(v)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.name(field)} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(v)}.`,
      );
    }
    return v as T;
  }

  /** The `layout` option: one of core's `PARAM_LAYOUTS`, or `undefined` when absent. */
  layout(): ParamLayout | undefined {
    return this.raw('layout') === undefined
      ? undefined
      : this.choice('layout', PARAM_LAYOUTS, 'dense');
  }

  /**
   * The gain of the nonlinearity in `field` (default `'relu'`) with the leakyRelu slope in
   * `slopeField` (core of {@link nonlinearityGain}).
   */
  gain(field: string, slopeField: string): number {
    return nonlinearityGain(
      { nonlinearity: this.name(field), slope: this.name(slopeField) },
      this.raw(field) ?? 'relu',
      this.raw(slopeField),
    );
  }

  /**
   * Checks the generator options (`rng` xor `seed`) now and returns where each call gets its
   * generator: `rng` itself (advanced by every call), or a fresh `new Rng(seed)` (the same values
   * every call).
   *
   * @throws DescentError `BAD_ARGUMENT` for both, neither, a non-Rng `rng` or a bad `seed`
   *   (or the code `new Rng` throws).
   */
  rng(): () => Rng {
    const rng = this.raw('rng');
    const seed = this.raw('seed');
    if (rng !== undefined && seed !== undefined) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.what}: give either ${this.name('rng')} or ${this.name('seed')}, not both.`,
      );
    }
    if (rng !== undefined) {
      if (!isRng(rng)) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${this.name('rng')} must be an Rng from @descent/core, got ${describeValue(rng)}.`,
        );
      }
      return () => rng;
    }
    if (seed === undefined) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${this.what}: a random scheme needs ${this.name('rng')} (an Rng) or ${this.name('seed')} (a number or string).`,
      );
    }
    checkSeed(this.name('seed'), seed);
    return () => new Rng(seed as number | string);
  }
}

/** Asserts `new Rng(seed)` accepts `seed`, naming the option `name` in the error. */
function checkSeed(name: string, seed: unknown): void {
  try {
    new Rng(seed as number | string);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error
        ? (error as DescentError).code
        : 'BAD_ARGUMENT';
    throw new DescentError(code, `${name}: ${(error as Error).message}`, { cause: error });
  }
}
