import { DescentError, checkNumber, checkOptions, describeValue } from '@descent/core';
import type { Dataset } from '../dataset';
import { checkCount, rngFromSeed, type Seed } from '../options';
import { portableSin } from '../portable-trig';

/** Options of {@link sinusoid}. */
export interface SinusoidOptions {
  /** Number of points (an integer ≥ 1). */
  n: number;
  /** Amplitude A. Default 1. */
  amplitude?: number;
  /** Phase φ (radians). Default 0. */
  phase?: number;
  /** Inputs are uniform on `[lo, hi)`. Default `[-5, 5]`. */
  xRange?: [number, number];
  /** Standard deviation σ of Gaussian noise added to the targets. Default 0. */
  noise?: number;
  /** Seed of the `Rng` that draws the data (integer or string). Default 0. */
  seed?: Seed;
}

const KNOWN = ['n', 'amplitude', 'phase', 'xRange', 'noise', 'seed'];

/**
 * A 1-D regression problem, `y = A·sin(x − φ) + σ·ε`, the sinusoid tasks of MAML (Finn et al.,
 * 2017; there A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5]). `x` float32 `[n, 1]`, `y` float32
 * `[n, 1]` (`yShape = [1]`), no `numClasses`.
 *
 * **Generating process.** With `rng = new Rng(seed)`: `x = rng.uniformArray(n, lo, hi)`, then
 * `ε = rng.normalArray(n)`, and `yᵢ = A·sin(xᵢ − φ) + σ·εᵢ` (computed in float64 with a portable
 * sine, stored as float32). So `E[x] = (lo + hi)/2`, `Var x = (hi − lo)²/12`, and the residual
 * `y − A·sin(x − φ)` has mean 0 and standard deviation σ.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad option (`xRange` needs
 *   `lo < hi`, both within ±10⁶), `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const ds = sinusoid({ n: 200, amplitude: 2, phase: 0.5, noise: 0.1, seed: 3 });
 * ```
 * @see C. Finn, P. Abbeel & S. Levine, _Model-Agnostic Meta-Learning for Fast Adaptation of Deep
 *   Networks_, ICML 2017, §5.1.
 */
export function sinusoid(options: SinusoidOptions): Dataset {
  checkOptions('sinusoid', options, KNOWN);
  const { n, amplitude = 1, phase = 0, xRange = [-5, 5], noise = 0, seed = 0 } = options;
  checkCount('sinusoid.n', n);
  checkNumber('sinusoid.amplitude', amplitude);
  checkNumber('sinusoid.phase', phase, { min: -1e6, max: 1e6 });
  checkNumber('sinusoid.noise', noise, { min: 0 });
  if (!Array.isArray(xRange) || xRange.length !== 2) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `sinusoid.xRange must be a pair [lo, hi], got ${describeValue(xRange)}.`,
    );
  }
  const [lo, hi] = xRange;
  checkNumber('sinusoid.xRange[0]', lo, { min: -1e6, max: 1e6 });
  checkNumber('sinusoid.xRange[1]', hi, { min: lo, minExclusive: true, max: 1e6 });
  const rng = rngFromSeed('sinusoid.seed', seed);
  const x = rng.uniformArray(n, lo, hi);
  const eps = rng.normalArray(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = amplitude * portableSin((x[i] as number) - phase) + noise * (eps[i] as number);
  }
  return { x, xShape: [1], y, yShape: [1], n };
}
