import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import { formatShape } from '../validate/format-shape';
import { checkNumber } from '../validate/number-checks';
import { murmur3x86x32, utf8 } from './murmur3';
import { philox4x32x10 } from './philox';
import { portableLog } from './portable-log';

/**
 * The generator behind every {@link Rng}, recorded in {@link RngState} so that a state is never
 * resumed by another algorithm.
 */
export const RNG_ALGORITHM = 'philox4x32-10';

/**
 * Everything needed to resume an {@link Rng} exactly: plain numbers, safe for `JSON.stringify`.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(rng.state());
 * const resumed = Rng.fromState(JSON.parse(saved)); // draws what rng would have drawn next
 * ```
 */
export interface RngState {
  /** Always {@link RNG_ALGORITHM}. */
  readonly algorithm: typeof RNG_ALGORITHM;
  /** The generator's numeric seed, an integer in [0, 2⁵³). */
  readonly seed: number;
  /** How many 32-bit words the stream has produced. */
  readonly position: number;
  /** How many generators {@link Rng.split} has handed out. */
  readonly splits: number;
  /** The unused second value of the last polar pair drawn by the scalar {@link Rng.normal}. */
  readonly spareNormal: number | null;
}

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;
const INV_TWO24 = 1 / 16777216;
const INV_TWO31 = 1 / 2147483648;
const MAX_ARRAY_SIZE = 2147483647;
/** Below this, rejecting values beyond ±bound keeps fewer than 8 % of the draws. */
const MIN_TRUNCATION_BOUND = 0.1;
/** A second MurmurHash3 seed (the one of the reference test vectors), for a 64-bit name hash. */
const NAME_HASH_SEED = 0x9747b28c;

// The third Philox counter word separates what a key encrypts: the draw stream, the seeds of
// split() and child(), and string seeds never share a counter block.
const DOMAIN_SPLIT = 1;
const DOMAIN_CHILD = 2;
const DOMAIN_STRING_SEED = 3;

const scratch = new Uint32Array(4);

/**
 * A seeded, splittable random number generator that produces the same numbers on every platform
 * and every tfjs backend: all draws are computed in JavaScript and uploaded as data.
 *
 * **Algorithm.** Philox4x32-10 (Salmon et al., SC'11; Random123), the counter-based generator
 * used by TensorFlow's stateless random ops and by cuRAND (PyTorch on CUDA): word `i` of the
 * stream is word `i mod 4` of Philox encrypting the 128-bit counter
 * `(⌊i/4⌋ mod 2³², ⌊i/2³⁴⌋, 0, 0)` under the 64-bit key `(seed mod 2³², ⌊seed / 2³²⌋)`. It was
 * chosen because it passes TestU01's BigCrush, needs only 32-bit multiplies (exact in
 * JavaScript with `Math.imul` and float64), gives any position directly (so {@link Rng.state}
 * is a few integers) and makes splitting safe: different keys are different bijections, not
 * overlapping pieces of one sequence.
 *
 * **Seeds.** An integer in [0, 2⁵³) is the key itself; a string is hashed (UTF-8, MurmurHash3
 * x86_32 twice, then Philox) to such an integer, readable as {@link Rng.seed}.
 *
 * **Determinism.** Only integer arithmetic, IEEE-754 basic operations, `Math.sqrt` (correctly
 * rounded by the specification) and `portableLog`, a logarithm built from those same
 * operations, are used; `Math.random`, `Math.log` and the trigonometric functions are not.
 *
 * @example
 * ```ts
 * const rng = new Rng(42);
 * const w = rng.child('dense1/kernel').truncatedNormal([784, 128], 0, 0.05);
 * const order = rng.permutation(60000);
 * const [a, b] = rng.split(2);
 * ```
 */
export class Rng {
  /** The numeric seed this generator was created from: the integer itself, or a string's hash. */
  readonly seed: number;
  private readonly key0: number;
  private readonly key1: number;
  /** Counter-block outputs; holds block ⌊position/4⌋ whenever position is not a multiple of 4. */
  private readonly block = new Uint32Array(4);
  private position = 0;
  private splits = 0;
  private spareNormal: number | null = null;

  /**
   * Creates a generator from `seed`: an integer in [0, 2⁵³) or any string (hashed to such an
   * integer, so `new Rng('mnist-run-3')` works). Equal seeds give identical streams everywhere.
   *
   * @throws DescentError `NON_FINITE` for NaN or ±Infinity; `BAD_HYPERPARAM` for a negative,
   *   fractional or too large number; `BAD_ARGUMENT` for anything that is neither a number nor
   *   a string.
   * @example
   * ```ts
   * new Rng(0).nextUint32() === new Rng(0).nextUint32(); // true
   * ```
   */
  constructor(seed: number | string) {
    this.seed = toSeed(seed);
    this.key0 = this.seed >>> 0;
    this.key1 = Math.floor(this.seed / TWO32);
  }

  /**
   * Resumes a generator from {@link Rng.state}: the result draws exactly what the saved
   * generator would have drawn next, and splits and children continue the same way.
   *
   * @throws DescentError `BAD_ARGUMENT` if `state` is not an object of another algorithm,
   *   `NON_FINITE` or `BAD_HYPERPARAM` naming the field if one of its numbers is NaN or ±Infinity
   *   or out of range.
   * @example
   * ```ts
   * const copy = Rng.fromState(rng.state());
   * copy.float() === rng.float(); // true
   * ```
   */
  static fromState(state: RngState): Rng {
    if (typeof state !== 'object' || state === null || state.algorithm !== RNG_ALGORITHM) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `state must be an RngState of algorithm "${RNG_ALGORITHM}", got ${describeValue(state)}.`,
      );
    }
    checkNumber('state.seed', state.seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
    checkNumber('state.position', state.position, {
      integer: true,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    checkNumber('state.splits', state.splits, {
      integer: true,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    if (state.spareNormal !== null) checkNumber('state.spareNormal', state.spareNormal);
    const rng = new Rng(state.seed);
    rng.position = state.position;
    rng.splits = state.splits;
    rng.spareNormal = state.spareNormal;
    if (rng.position % 4 !== 0) rng.refill(Math.floor(rng.position / 4));
    return rng;
  }

  /**
   * A JSON-serializable snapshot of this generator; {@link Rng.fromState} resumes it exactly.
   *
   * @example
   * ```ts
   * localStorage.rng = JSON.stringify(rng.state());
   * ```
   */
  state(): RngState {
    return {
      algorithm: RNG_ALGORITHM,
      seed: this.seed,
      position: this.position,
      splits: this.splits,
      spareNormal: this.spareNormal,
    };
  }

  /**
   * Returns a new, independent generator and counts the split, so successive calls differ.
   * The child's seed is Philox, under this generator's key, of the split index (a separate
   * counter domain), so splitting never shifts this generator's own draws. `split(n)` returns
   * the next `n` such generators.
   *
   * @throws DescentError `BAD_HYPERPARAM` if `n` is not a non-negative integer.
   * @example
   * ```ts
   * const [init, data, dropout] = new Rng(7).split(3);
   * ```
   */
  split(): Rng;
  split(n: number): Rng[];
  split(n?: number): Rng | Rng[] {
    if (n === undefined) return this.splitOne();
    checkNumber('n', n, { integer: true, min: 0, max: MAX_ARRAY_SIZE });
    return Array.from({ length: n }, () => this.splitOne());
  }

  /**
   * A 32-bit seed (uint32) for `name`, from this generator's seed only: it neither reads nor
   * advances the stream, so the same seed and name give the same number in every run. It is
   * the low word of {@link Rng.child}'s seed; use it where a plain number is wanted (another
   * library, a worker); prefer `child(name)`, which keeps 53 bits.
   *
   * @throws DescentError `BAD_ARGUMENT` if `name` is not a string.
   * @example
   * ```ts
   * new Rng(1).seedFor('dropout') === new Rng(1).seedFor('dropout'); // true
   * ```
   */
  seedFor(name: string): number {
    return this.childSeed(name) >>> 0;
  }

  /**
   * The generator named `name` under this one: `new Rng(s)` where `s` (53 bits) is Philox,
   * under this generator's key, of the 64-bit MurmurHash3 of `name`. It depends only on the
   * seed and the name, never on draws or splits made before, so adding a layer does not change
   * the initialization of the others.
   *
   * @throws DescentError `BAD_ARGUMENT` if `name` is not a string.
   * @example
   * ```ts
   * const kernel = rng.child('dense1/kernel').normal([784, 128], 0, 0.05);
   * ```
   */
  child(name: string): Rng {
    return new Rng(this.childSeed(name));
  }

  /**
   * The next 32-bit word of the stream, an integer in [0, 2³²).
   *
   * @example
   * ```ts
   * const word = rng.nextUint32();
   * ```
   */
  nextUint32(): number {
    const lane = this.position % 4;
    if (lane === 0) this.refill(this.position / 4);
    this.position++;
    return this.block[lane]!;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, `(⌊a/2⁵⌋·2²⁶ + ⌊b/2⁶⌋) / 2⁵³` from two words
   * `a`, `b`: every multiple of 2⁻⁵³ in [0, 1) equally likely.
   *
   * @example
   * ```ts
   * const p = rng.float(); // 0 ≤ p < 1
   * ```
   */
  float(): number {
    return this.next53() / TWO53;
  }

  /**
   * A uniform integer in [lo, hi) (`hi` excluded), unbiased: words at or above the largest
   * multiple of `hi − lo` are rejected and redrawn before taking the remainder. Uses one word per
   * try for ranges up to 2³², two (53 bits) for ranges up to 2⁵³.
   *
   * @throws DescentError `NON_FINITE` if `lo` or `hi` is NaN or ±Infinity, otherwise
   *   `BAD_HYPERPARAM` unless they are safe integers with `lo < hi ≤ lo + 2⁵³`.
   * @example
   * ```ts
   * const die = rng.int(1, 7); // 1, 2, …, 6
   * ```
   */
  int(lo: number, hi: number): number {
    const safe = { integer: true, min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
    checkNumber('lo', lo, safe);
    checkNumber('hi', hi, { ...safe, min: lo, minExclusive: true });
    const range = hi - lo;
    // An inexact difference (true range above 2⁵³) does not add back to hi.
    if (!(range <= TWO53 && lo + range === hi)) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `hi − lo must be at most 2^53, got lo ${lo} and hi ${hi}.`,
      );
    }
    return lo + this.below(range);
  }

  /**
   * A standard normal draw (mean 0, std 1, float64) by Marsaglia's polar method: draw `u`, `v`
   * uniform in [−1, 1) (53 bits each) until `0 < s = u² + v² < 1`, then `u·√(−2 ln s / s)` and
   * `v·√(−2 ln s / s)` are independent N(0, 1); the second is kept for the next call.
   *
   * With a `shape`, returns a float32 tensor instead: `mean + std·z` element-wise, as
   * {@link Rng.normalArray} (defaults `mean = 0`, `std = 1`).
   *
   * @throws DescentError `BAD_ARGUMENT` for a bad shape, `NON_FINITE` for a non-finite mean or
   *   std, `BAD_HYPERPARAM` for a negative std.
   * @example
   * ```ts
   * const z = rng.normal(); // a number
   * const t = rng.normal([3, 4], 0, 0.1); // a tf.Tensor of shape [3, 4]
   * ```
   */
  normal(): number;
  normal(shape: readonly number[], mean?: number, std?: number): tf.Tensor;
  normal(shape?: readonly number[], mean = 0, std = 1): number | tf.Tensor {
    if (shape === undefined) return this.scalarNormal();
    const size = sizeOf(shape);
    return tf.tensor(this.normalArray(size, mean, std), [...shape], 'float32');
  }

  /**
   * Shuffles `array` in place by Fisher–Yates (for `i` from the end, swap element `i` with a
   * uniform `j ≤ i`) and returns it; all `n!` orders are equally likely. Works on arrays and
   * typed arrays.
   *
   * @throws DescentError `BAD_ARGUMENT` if `array` is not an array-like object with a length in
   *   [0, 2³¹).
   * @example
   * ```ts
   * rng.shuffle([1, 2, 3, 4]); // e.g. [3, 1, 4, 2]
   * ```
   */
  shuffle<A extends { length: number; [index: number]: unknown }>(array: A): A {
    const length = typeof array === 'object' && array !== null ? array.length : undefined;
    if (
      !Number.isInteger(length) ||
      (length as number) < 0 ||
      (length as number) > MAX_ARRAY_SIZE
    ) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `array must be an array or typed array, got ${describeValue(array)}.`,
      );
    }
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /**
   * A uniformly random permutation of `0, 1, …, n − 1` (Fisher–Yates on the identity).
   *
   * @throws DescentError `BAD_HYPERPARAM` if `n` is not an integer in [0, 2³¹).
   * @example
   * ```ts
   * const order = rng.permutation(5); // e.g. Int32Array [2, 0, 4, 1, 3]
   * ```
   */
  permutation(n: number): Int32Array {
    checkNumber('n', n, { integer: true, min: 0, max: MAX_ARRAY_SIZE });
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /**
   * `size` uniform draws `lo + (hi − lo)·u` as float32, `u = ⌊w/2⁸⌋·2⁻²⁴` from one word `w`
   * each (24 bits, exactly representable in float32). Defaults: `lo = 0`, `hi = 1`. With the
   * defaults every value lies in [0, 1); for other bounds, rounding to float32 can return `hi`
   * itself (as in `tf.randomUniform`).
   *
   * @throws DescentError `NON_FINITE` for non-finite bounds (or `hi − lo` overflowing),
   *   `BAD_HYPERPARAM` for a bad size or `hi ≤ lo`.
   * @example
   * ```ts
   * const noise = rng.uniformArray(100, -0.5, 0.5);
   * ```
   */
  uniformArray(size: number, lo = 0, hi = 1): Float32Array {
    checkSize(size);
    checkBounds(lo, hi);
    const out = new Float32Array(size);
    const width = hi - lo;
    for (let i = 0; i < size; i++) out[i] = lo + width * ((this.nextUint32() >>> 8) * INV_TWO24);
    return out;
  }

  /**
   * `size` normal draws `mean + std·z` as float32, `z` from Marsaglia's polar method on 32-bit
   * uniforms `u = w·2⁻³¹ − 1` (see {@link Rng.normal}); both values of each pair are used, and
   * an odd size discards the last one. Defaults: `mean = 0`, `std = 1`.
   *
   * @throws DescentError `NON_FINITE` for a non-finite mean or std, `BAD_HYPERPARAM` for a bad
   *   size or a negative std.
   * @example
   * ```ts
   * const w = rng.normalArray(784 * 128, 0, Math.sqrt(2 / 784)); // He initialization
   * ```
   */
  normalArray(size: number, mean = 0, std = 1): Float32Array {
    checkSize(size);
    checkNormal(mean, std);
    return this.fillNormal(new Float32Array(size), mean, std, Number.POSITIVE_INFINITY);
  }

  /**
   * `size` truncated normal draws as float32: standard normals `z` with `|z| > bound` are
   * dropped and redrawn, then `mean + std·z` is stored. This is the TensorFlow/Keras convention
   * (`tf.truncatedNormal`, Keras' `TruncatedNormal`): `std` is that of the normal *before*
   * truncation, so for the default `bound = 2` the result's standard deviation is
   * `√(1 − 2·b·φ(b) / (2Φ(b) − 1))·std ≈ 0.8796·std`. Defaults: `mean = 0`, `std = 1`,
   * `bound = 2`.
   *
   * @throws DescentError `NON_FINITE` for a non-finite mean, std or bound, `BAD_HYPERPARAM` for
   *   a bad size, a negative std or `bound < 0.1` (below that, fewer than 8 % of the draws would
   *   be kept).
   * @example
   * ```ts
   * const w = rng.truncatedNormalArray(1000, 0, 0.05); // every value within ±0.1
   * ```
   */
  truncatedNormalArray(size: number, mean = 0, std = 1, bound = 2): Float32Array {
    checkSize(size);
    checkNormal(mean, std);
    checkNumber('bound', bound, { min: MIN_TRUNCATION_BOUND });
    return this.fillNormal(new Float32Array(size), mean, std, bound);
  }

  /**
   * `size` Bernoulli draws as float32 0/1 values: 1 where a word `w` has `w < p·2³²`, so
   * `P(1) = ⌈p·2³²⌉ / 2³²` (exactly `p` to 2⁻³²; `p = 0` never and `p = 1` always gives 1).
   *
   * @throws DescentError `BAD_HYPERPARAM` for a bad size or `p` outside [0, 1].
   * @example
   * ```ts
   * const keep = rng.bernoulliArray(128, 0.9); // a dropout mask
   * ```
   */
  bernoulliArray(size: number, p: number): Float32Array {
    checkSize(size);
    checkNumber('p', p, { min: 0, max: 1 });
    const threshold = p * TWO32;
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = this.nextUint32() < threshold ? 1 : 0;
    return out;
  }

  /**
   * A float32 tensor of uniform draws between `lo` and `hi`, the values of {@link Rng.uniformArray}
   * (defaults `lo = 0`, `hi = 1`), identical on every backend. The caller disposes it.
   *
   * @throws DescentError `BAD_ARGUMENT` for a bad shape, `NON_FINITE` or `BAD_HYPERPARAM` for
   *   bad bounds.
   * @example
   * ```ts
   * const b = rng.uniform([128], -0.1, 0.1);
   * ```
   */
  uniform(shape: readonly number[], lo = 0, hi = 1): tf.Tensor {
    const size = sizeOf(shape);
    return tf.tensor(this.uniformArray(size, lo, hi), [...shape], 'float32');
  }

  /**
   * A float32 tensor of truncated normal draws, the values of {@link Rng.truncatedNormalArray}
   * (defaults `mean = 0`, `std = 1`, `bound = 2`; result std ≈ 0.8796·std), identical on every
   * backend. The caller disposes it.
   *
   * @throws DescentError `BAD_ARGUMENT` for a bad shape, `NON_FINITE` or `BAD_HYPERPARAM` for
   *   bad parameters.
   * @example
   * ```ts
   * const kernel = rng.truncatedNormal([3, 3, 16, 32], 0, 0.05);
   * ```
   */
  truncatedNormal(shape: readonly number[], mean = 0, std = 1, bound = 2): tf.Tensor {
    const size = sizeOf(shape);
    return tf.tensor(this.truncatedNormalArray(size, mean, std, bound), [...shape], 'float32');
  }

  private refill(blockIndex: number): void {
    philox4x32x10(
      blockIndex >>> 0,
      Math.floor(blockIndex / TWO32),
      0,
      0,
      this.key0,
      this.key1,
      this.block,
    );
  }

  /** An integer in [0, 2⁵³) from two words. */
  private next53(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return a * 67108864 + b;
  }

  /** An unbiased integer in [0, range) for an integer `range` in [1, 2⁵³]. */
  private below(range: number): number {
    if (range <= TWO32) {
      const limit = TWO32 - (TWO32 % range);
      let u = this.nextUint32();
      while (u >= limit) u = this.nextUint32();
      return u % range;
    }
    const limit = TWO53 - (TWO53 % range);
    let u = this.next53();
    while (u >= limit) u = this.next53();
    return u % range;
  }

  private scalarNormal(): number {
    const spare = this.spareNormal;
    if (spare !== null) {
      this.spareNormal = null;
      return spare;
    }
    for (;;) {
      const u = 2 * this.float() - 1;
      const v = 2 * this.float() - 1;
      const s = u * u + v * v;
      if (s < 1 && s > 0) {
        const f = Math.sqrt((-2 * portableLog(s)) / s);
        this.spareNormal = v * f;
        return u * f;
      }
    }
  }

  /** Fills `out` with `mean + std·z`, polar-method `z` with `|z| ≤ bound` (others redrawn). */
  private fillNormal(out: Float32Array, mean: number, std: number, bound: number): Float32Array {
    const n = out.length;
    let i = 0;
    while (i < n) {
      const u = this.nextUint32() * INV_TWO31 - 1;
      const v = this.nextUint32() * INV_TWO31 - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * portableLog(s)) / s);
      const z0 = u * f;
      if (Math.abs(z0) <= bound) out[i++] = mean + std * z0;
      const z1 = v * f;
      if (i < n && Math.abs(z1) <= bound) out[i++] = mean + std * z1;
    }
    return out;
  }

  private splitOne(): Rng {
    const index = this.splits++;
    return new Rng(
      derive(this.key0, this.key1, index >>> 0, Math.floor(index / TWO32), DOMAIN_SPLIT),
    );
  }

  private childSeed(name: string): number {
    const [h0, h1] = hashName('name', name);
    return derive(this.key0, this.key1, h0, h1, DOMAIN_CHILD);
  }
}

/** A 53-bit seed: Philox of counter `(c0, c1, domain, 0)` under key `(k0, k1)`, words 0 and 1. */
function derive(k0: number, k1: number, c0: number, c1: number, domain: number): number {
  philox4x32x10(c0, c1, domain, 0, k0, k1, scratch);
  return scratch[0]! + (scratch[1]! & 0x1fffff) * TWO32;
}

/** Two MurmurHash3 x86_32 of the UTF-8 bytes of `text` (seeds 0 and 0x9747b28c). */
function hashName(name: string, text: unknown): [number, number] {
  if (typeof text !== 'string') {
    throw new DescentError('BAD_ARGUMENT', `${name} must be a string, got ${describeValue(text)}.`);
  }
  const bytes = utf8(text);
  return [murmur3x86x32(bytes, 0), murmur3x86x32(bytes, NAME_HASH_SEED)];
}

function toSeed(seed: unknown): number {
  if (typeof seed === 'string') {
    const [h0, h1] = hashName('seed', seed);
    return derive(0, 0, h0, h1, DOMAIN_STRING_SEED);
  }
  if (typeof seed !== 'number') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `seed must be an integer in [0, 2^53) or a string, got ${describeValue(seed)}.`,
    );
  }
  checkNumber('seed', seed, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
  return seed === 0 ? 0 : seed; // folds −0 into 0
}

function sizeOf(shape: unknown): number {
  const ok =
    Array.isArray(shape) &&
    shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
  const size = ok ? (shape as number[]).reduce((a, b) => a * b, 1) : Number.NaN;
  if (!ok || size > MAX_ARRAY_SIZE) {
    const shown = Array.isArray(shape) ? formatShape(shape) : describeValue(shape);
    throw new DescentError(
      'BAD_ARGUMENT',
      `shape must be an array of non-negative integers with at most ${MAX_ARRAY_SIZE} ` +
        `elements in all, got ${shown}.`,
    );
  }
  return size;
}

function checkSize(size: number): void {
  checkNumber('size', size, { integer: true, min: 0, max: MAX_ARRAY_SIZE });
}

function checkBounds(lo: number, hi: number): void {
  checkNumber('lo', lo);
  checkNumber('hi', hi, { min: lo, minExclusive: true });
  checkNumber('hi − lo', hi - lo);
}

function checkNormal(mean: number, std: number): void {
  checkNumber('mean', mean);
  checkNumber('std', std, { min: 0 });
}
