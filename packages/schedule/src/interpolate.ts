/** Linear interpolation `start + (end − start)·pct` (optax's and torch's `_annealing_linear`). */
export function linearInterpolate(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/**
 * Cosine interpolation `end + (start − end)/2 · (cos(π·pct) + 1)` (optax's `_cosine_interpolate`,
 * torch's `_annealing_cos`): `start` at `pct = 0`, `end` at `pct = 1`, flat at both ends.
 */
export function cosineInterpolate(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}
