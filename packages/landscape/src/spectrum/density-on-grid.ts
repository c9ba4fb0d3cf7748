import { DescentError, OptionReader, describeValue, isPlainObject } from '@descent/core';
import type { SpectralDensity } from './hessian-density';

/** Options of {@link densityOnGrid}. */
export interface DensityOnGridOptions {
  /**
   * Where to evaluate: explicit points (a non-empty array of finite numbers), or a point count
   * `≥ 2` (default 1000) spread evenly over `[min θ − pad, max θ + pad]`, `pad = max(0.01·R, 5σ)`.
   */
  grid?: number | readonly number[];
  /** The Gaussian's standard deviation, `> 0` (default `0.002·R`, so the default pad is `5σ`). */
  sigma?: number;
}

/** A smoothed density sampled on a grid. */
export interface GridDensity {
  /** The evaluation points `t_j`. */
  grid: number[];
  /** `ρ(t_j)`. */
  density: number[];
}

const KNOWN_KEYS = ['grid', 'sigma'];
const DEFAULT_POINTS = 1000;
/** Default `σ` as a fraction of the node range `R`. */
const SIGMA_FRACTION = 0.002;
/** Minimum grid padding beyond the extreme nodes, as a fraction of `R`. */
const PAD_FRACTION = 0.01;
/** Minimum padding in units of `σ`: a Gaussian loses under 3e-7 of its mass beyond 5σ. */
const PAD_SIGMAS = 5;

/**
 * The Gaussian-smoothed spectral density `ρ(t) = Σ_i w_i · N(t; θ_i, σ²)`,
 * `N(t; θ, σ²) = exp(−(t − θ)²/(2σ²)) / (σ√(2π))`, of a discrete density (the output of
 * {@link hessianDensity}), evaluated on a grid. Host-side, no tensors.
 *
 * `R = max θ − min θ` is the range of the nodes (taken as `max(1, |θ|)` when all nodes are
 * equal). Default `σ = 0.002·R`; the default grid holds 1000 points from `min θ − pad` to
 * `max θ + pad` with `pad = max(0.01·R, 5σ)` (PyHessian pads by 0.01 and uses
 * `σ² = 1e-5·max(1, R)`, which for ranges past about 1 is narrower than its grid spacing and is
 * renormalized by the grid sum; here nothing is renormalized). With the defaults the grid
 * spacing is about `σ/2` and the padding `5σ`, so the trapezoid rule over the grid gives
 * `∫ρ = Σ w_i` (1 for `hessianDensity`) to about `1e-6`.
 *
 * @param density - `{ eigenvalues, weights }`: equally long non-empty arrays of finite numbers,
 *   the weights `≥ 0`.
 * @param options - `grid` (1000 points), `sigma` (`0.002·R`).
 * @returns `{ grid, density }`, equally long.
 * @throws DescentError `BAD_ARGUMENT` (`density` not an object of two arrays, a weight `< 0`,
 *   a `grid` that is neither a count nor an array of numbers), `SHAPE_MISMATCH` (arrays of
 *   different lengths, or empty), `NON_FINITE` (a NaN or infinite node, weight, grid point or
 *   `sigma`), `BAD_HYPERPARAM` (`sigma ≤ 0`, a grid count `< 2` or fractional),
 *   `UNKNOWN_PARAM` (an unknown option).
 * @example
 * ```ts
 * const { grid, density } = densityOnGrid(await hessianDensity(loss, params), { grid: 500 });
 * ```
 * @see B. Ghorbani, S. Krishnan and Y. Xiao, An Investigation into Neural Net Optimization via
 *   Hessian Eigenvalue Density, ICML 2019, §2.2 (Gaussian smoothing of the quadrature);
 *   Z. Yao et al., PyHessian (IEEE BigData 2020), `density_generate`.
 */
export function densityOnGrid(
  density: SpectralDensity,
  options: DensityOnGridOptions = {},
): GridDensity {
  const fn = 'densityOnGrid';
  const { eigenvalues, weights } = checkDensity(fn, density);
  const read = new OptionReader(fn, options, KNOWN_KEYS);
  const range = nodeRange(eigenvalues);
  const sigma = read.number('sigma', SIGMA_FRACTION * range, { min: 0, minExclusive: true });
  const grid = readGrid(read, eigenvalues, range, sigma);
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI));
  const values = grid.map((t) =>
    eigenvalues.reduce(
      (sum, theta, i) => sum + weights[i]! * norm * Math.exp(-0.5 * ((t - theta) / sigma) ** 2),
      0,
    ),
  );
  return { grid, density: values };
}

function checkDensity(fn: string, density: unknown): SpectralDensity {
  if (!isPlainObject(density)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: density must be an object { eigenvalues, weights } (as hessianDensity returns), got ${describeValue(density)}.`,
    );
  }
  const eigenvalues = checkNumbers(`${fn}: density.eigenvalues`, density.eigenvalues);
  const weights = checkNumbers(`${fn}: density.weights`, density.weights);
  if (eigenvalues.length === 0 || eigenvalues.length !== weights.length) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: density.eigenvalues and density.weights must be non-empty and equally long, got lengths ${eigenvalues.length} and ${weights.length}.`,
    );
  }
  const negative = weights.findIndex((w) => w < 0);
  if (negative >= 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: density.weights[${negative}] must be ≥ 0, got ${weights[negative]}.`,
    );
  }
  return { eigenvalues, weights };
}

function checkNumbers(name: string, value: unknown): number[] {
  if (!Array.isArray(value) && !(value instanceof Float64Array || value instanceof Float32Array)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an array of numbers, got ${describeValue(value)}.`,
    );
  }
  const numbers = Array.from(value as ArrayLike<unknown>);
  numbers.forEach((v, i) => {
    if (typeof v !== 'number') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}[${i}] must be a number, got ${describeValue(v)}.`,
      );
    }
    if (!Number.isFinite(v)) {
      throw new DescentError('NON_FINITE', `${name}[${i}] must be finite, got ${v}.`);
    }
  });
  return numbers as number[];
}

/** `max θ − min θ`, or `max(1, |θ|)` when every node is the same. */
function nodeRange(eigenvalues: readonly number[]): number {
  const lo = minimum(eigenvalues);
  const hi = maximum(eigenvalues);
  return hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
}

function readGrid(
  read: OptionReader,
  eigenvalues: readonly number[],
  range: number,
  sigma: number,
): number[] {
  const raw = read.raw('grid');
  if (raw !== undefined && typeof raw !== 'number' && !Array.isArray(raw)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('grid')} must be a point count (an integer ≥ 2) or an array of numbers, got ${describeValue(raw)}.`,
    );
  }
  if (Array.isArray(raw)) {
    const points = checkNumbers(read.name('grid'), raw);
    if (points.length === 0) {
      throw new DescentError('SHAPE_MISMATCH', `${read.name('grid')} must not be empty, got [].`);
    }
    return points;
  }
  const count = read.integer('grid', DEFAULT_POINTS, { min: 2 });
  const pad = Math.max(PAD_FRACTION * range, PAD_SIGMAS * sigma);
  const lo = minimum(eigenvalues) - pad;
  const hi = maximum(eigenvalues) + pad;
  return Array.from({ length: count }, (_, j) => lo + ((hi - lo) * j) / (count - 1));
}

function minimum(values: readonly number[]): number {
  return values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
}

function maximum(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}
