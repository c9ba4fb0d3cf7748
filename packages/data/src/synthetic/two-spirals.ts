import { checkNumber, checkOptions } from '@descent/core';
import type { Dataset } from '../dataset';
import { checkCount, rngFromSeed, type Seed } from '../options';
import { portableSinCos } from '../portable-trig';

/** Options of {@link twoSpirals}. */
export interface TwoSpiralsOptions {
  /** Number of points (an integer ≥ 1); classes alternate, so each has ⌈n/2⌉ or ⌊n/2⌋. */
  n: number;
  /** Standard deviation σ of the isotropic Gaussian noise added to each point. Default 0. */
  noise?: number;
  /** Turns T of each spiral (a number > 0). Default 1.5. */
  turns?: number;
  /** Seed of the `Rng` that draws the data (integer or string). Default 0. */
  seed?: Seed;
}

const KNOWN = ['n', 'noise', 'turns', 'seed'];

/**
 * Two interleaved spirals in the plane, a classic non-linearly separable binary problem
 * (Lang & Witbrock, 1988). `x` float32 `[n, 2]`, `y` int32 labels 0/1, `numClasses` 2.
 *
 * **Generating process.** With `rng = new Rng(seed)`: `t = rng.uniformArray(n)` (uniform on
 * [0, 1)), then `z = rng.normalArray(2n)`. Example `i` has label `cᵢ = i mod 2` and
 * ```
 * θᵢ = 2π·T·tᵢ,   xᵢ = sᵢ · tᵢ · (cos θᵢ, sin θᵢ) + σ · (z₂ᵢ, z₂ᵢ₊₁),   sᵢ = +1 if cᵢ = 0, −1 if cᵢ = 1
 * ```
 * so class 1 is class 0 rotated by π, the radius grows linearly from 0 to 1 over `T` turns, and
 * `E‖x‖² = 1/3 + 2σ²`. Sine and cosine are computed portably, so a seed gives the same bits on
 * every engine.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad `n`, `noise`, `turns` or
 *   `seed`; `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const ds = twoSpirals({ n: 1000, noise: 0.05, seed: 1 });
 * ```
 * @see K. J. Lang & M. J. Witbrock, _Learning to tell two spirals apart_, Proc. Connectionist
 *   Models Summer School, 1988.
 */
export function twoSpirals(options: TwoSpiralsOptions): Dataset {
  checkOptions('twoSpirals', options, KNOWN);
  const { n, noise = 0, turns = 1.5, seed = 0 } = options;
  checkCount('twoSpirals.n', n);
  checkNumber('twoSpirals.noise', noise, { min: 0 });
  checkNumber('twoSpirals.turns', turns, { min: 0, minExclusive: true, max: 1e4 });
  const rng = rngFromSeed('twoSpirals.seed', seed);
  const t = rng.uniformArray(n);
  const z = rng.normalArray(2 * n);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ti = t[i] as number;
    const [sin, cos] = portableSinCos(2 * Math.PI * turns * ti);
    const sign = i % 2 === 0 ? 1 : -1;
    y[i] = i % 2;
    x[2 * i] = sign * ti * cos + noise * (z[2 * i] as number);
    x[2 * i + 1] = sign * ti * sin + noise * (z[2 * i + 1] as number);
  }
  return { x, xShape: [2], y, yShape: [], n, numClasses: 2 };
}
