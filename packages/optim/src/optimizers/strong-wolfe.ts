import type * as tf from '@tensorflow/tfjs-core';
import type { NamedVector } from './named-vectors';

/**
 * A computation that needs to read values back from the backend: it yields a 1-D tensor of
 * scalars and is resumed with their values. A driver answers synchronously (`dataSync`) or
 * asynchronously (`await data()`), so one algorithm serves `step` and `stepAsync`.
 */
export type Reader<T> = Generator<tf.Tensor, T, number[]>;

/** The loss and gradient at one point, with what the line search and L-BFGS read of them. */
export interface Evaluation {
  /** `f(x)`. */
  loss: number;
  /** `∇f(x)`, one piece per variable. */
  grad: NamedVector;
  /** `max |∇f(x)|`. */
  maxAbs: number;
  /** `Σ |∇f(x)|`. */
  sumAbs: number;
  /** `∇f(x)ᵀd` for the direction the evaluation was asked about (NaN without one). */
  gtd: number;
}

/** Options of {@link strongWolfe}: torch.optim.LBFGS's constants. */
export interface StrongWolfeOptions {
  /** Sufficient-decrease constant. Default 1e-4. */
  c1?: number;
  /** Curvature constant. Default 0.9. */
  c2?: number;
  /** Stop zooming when the bracket times `max |d|` falls below this. Default 1e-9. */
  toleranceChange?: number;
  /** Most function evaluations. Default 25. */
  maxLs?: number;
}

/**
 * The minimizer of the cubic interpolating `(x1, f1, g1)` and `(x2, f2, g2)`, clamped to `bounds`
 * (default: between the two points); the midpoint of the bounds when the cubic has no minimum.
 * torch.optim.LBFGS's `_cubic_interpolate` (after minFunc's `polyinterp`; Nocedal & Wright, eq. 3.59).
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** One point of the line search: step length and evaluation. */
interface Point {
  t: number;
  f: number;
  gtd: number;
  ev: Evaluation;
}

/**
 * A line search along `d` for a step length satisfying the strong Wolfe conditions
 * (Nocedal & Wright, Algorithms 3.5–3.6), exactly as torch.optim.LBFGS's `_strong_wolfe`:
 *
 * ```
 * f(x + t·d) ≤ f(x) + c₁·t·∇f(x)ᵀd          |∇f(x + t·d)ᵀd| ≤ −c₂·∇f(x)ᵀd
 * ```
 *
 * First it brackets an acceptable step, extrapolating with cubic interpolation (steps in
 * `[t + 0.01(t − t_prev), 10t]`), then zooms in on the bracket by cubic interpolation, keeping
 * trial points at least a tenth of the bracket away from its ends when progress stalls.
 *
 * @param evaluateAt - evaluates `f` and `∇f` at `x + t·d` (and `∇fᵀd`), leaving the variables at `x`.
 * @param t - the initial trial step.
 * @param start - the evaluation at `x` (with `gtd = ∇f(x)ᵀd < 0`).
 * @param dMax - `max |d|`.
 * @param sweep - called after each evaluation with the evaluations still needed, so the caller can
 *   free the others.
 * @returns the accepted step `t`, its evaluation and the number of evaluations made.
 */
export function* strongWolfe(
  evaluateAt: (t: number) => Reader<Evaluation>,
  t: number,
  start: Evaluation,
  dMax: number,
  sweep: (live: readonly Evaluation[]) => void,
  options: StrongWolfeOptions = {},
): Reader<{ t: number; ev: Evaluation; evals: number }> {
  const { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25 } = options;
  const f = start.loss;
  const gtd = start.gtd;
  const at = function* (step: number): Reader<Point> {
    const ev = yield* evaluateAt(step);
    return { t: step, f: ev.loss, gtd: ev.gtd, ev };
  };

  let next = yield* at(t);
  let evals = 1;
  let prev: Point = { t: 0, f, gtd, ev: start };
  let bracket: Point[] | undefined;
  let done = false;
  let lsIter = 0;
  while (lsIter < maxLs) {
    if (next.f > f + c1 * next.t * gtd || (lsIter > 1 && next.f >= prev.f)) {
      bracket = [prev, next];
      break;
    }
    if (Math.abs(next.gtd) <= -c2 * gtd) {
      bracket = [next];
      done = true;
      break;
    }
    if (next.gtd >= 0) {
      bracket = [prev, next];
      break;
    }
    // Extrapolate.
    const minStep = next.t + 0.01 * (next.t - prev.t);
    const maxStep = next.t * 10;
    const trial = cubicInterpolate(prev.t, prev.f, prev.gtd, next.t, next.f, next.gtd, [
      minStep,
      maxStep,
    ]);
    prev = next;
    sweep([start, prev.ev]);
    next = yield* at(trial);
    evals += 1;
    lsIter += 1;
  }
  if (lsIter === maxLs) bracket = [{ t: 0, f, gtd, ev: start }, next];
  const b = bracket as Point[];
  sweep([start, ...b.map((p) => p.ev)]);

  // Zoom: refine the bracket until a point satisfies the conditions.
  let insufficientProgress = false;
  let [low, high] = (b[0] as Point).f <= (b[b.length - 1] as Point).f ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    const b0 = b[0] as Point;
    const b1 = b[1] as Point;
    if (Math.abs(b1.t - b0.t) * dMax < toleranceChange) break;
    let trial = cubicInterpolate(b0.t, b0.f, b0.gtd, b1.t, b1.f, b1.gtd);
    const bMax = Math.max(b0.t, b1.t);
    const bMin = Math.min(b0.t, b1.t);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - trial, trial - bMin) < eps) {
      if (insufficientProgress || trial >= bMax || trial <= bMin) {
        trial = Math.abs(trial - bMax) < Math.abs(trial - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }
    const point = yield* at(trial);
    evals += 1;
    lsIter += 1;
    const lowPoint = b[low] as Point;
    if (point.f > f + c1 * point.t * gtd || point.f >= lowPoint.f) {
      b[high] = point;
      [low, high] = (b[0] as Point).f <= (b[1] as Point).f ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(point.gtd) <= -c2 * gtd) {
        done = true;
      } else if (point.gtd * ((b[high] as Point).t - lowPoint.t) >= 0) {
        b[high] = lowPoint;
      }
      b[low] = point;
    }
    sweep([start, ...b.map((p) => p.ev)]);
  }
  const best = b[low] as Point;
  return { t: best.t, ev: best.ev, evals };
}
