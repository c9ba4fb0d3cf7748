import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '@descent/core';
import {
  axpy,
  dot,
  mapVector,
  maxAbs,
  type NamedVector,
  pieceOf,
  scaleVector,
  vectorTensors,
} from './named-vectors';
import { type Evaluation, type Reader, strongWolfe } from './strong-wolfe';

/** The L-BFGS memory carried from one step to the next (torch.optim.LBFGS's `state`), keyed by variable name. */
export interface LbfgsHistory {
  /** The variables it belongs to, sorted. */
  readonly names: readonly string[];
  /** Iterations run so far, over all steps (`n_iter`). */
  readonly nIter: number;
  /** Function evaluations so far (`func_evals`). */
  readonly funcEvals: number;
  /** The last search direction `d` (after the first iteration). */
  readonly d: NamedVector | undefined;
  /** The last step length `t`. */
  readonly t: number;
  /** The gradient at the start of the last iteration. */
  readonly prevGrad: NamedVector | undefined;
  /** The loss at the start of the last iteration. */
  readonly prevLoss: number;
  /** `y_i = g_{i+1} − g_i`, oldest first (`old_dirs`). */
  readonly dirs: readonly NamedVector[];
  /** `s_i = t_i·d_i`, oldest first (`old_stps`). */
  readonly steps: readonly NamedVector[];
  /** `ρ_i = 1 / (y_iᵀs_i)`. */
  readonly ro: readonly number[];
  /** `γ = sᵀy / yᵀy` of the newest pair: the initial inverse Hessian `γI`. */
  readonly hDiag: number;
}

/** An empty memory for these variables. */
export function freshHistory(names: readonly string[]): LbfgsHistory {
  return {
    names: [...names],
    nIter: 0,
    funcEvals: 0,
    d: undefined,
    t: Number.NaN,
    prevGrad: undefined,
    prevLoss: Number.NaN,
    dirs: [],
    steps: [],
    ro: [],
    hDiag: 1,
  };
}

/** Every tensor a memory holds. */
export function historyTensors(h: LbfgsHistory): Set<tf.Tensor> {
  return vectorTensors([h.d, h.prevGrad, ...h.dirs, ...h.steps]);
}

/** The settings of one step (numbers already validated; the learning rate already evaluated). */
export interface LbfgsSettings {
  learningRate: number;
  maxIter: number;
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearch: boolean;
  /** Whether the first evaluation's loss must be finite (false when only gradients are given). */
  checkLoss: boolean;
}

/** What L-BFGS needs of the function and the variables. */
export interface LbfgsProblem {
  /** The variable names, sorted. */
  readonly names: readonly string[];
  /** `f` and `∇f` at the variables' current values (and `∇fᵀd` when `d` is given). */
  evaluate(d?: NamedVector): Reader<Evaluation>;
  /** Copies of the variables' current values. */
  snapshot(): NamedVector;
  /** Sets the variables to `x`. */
  restore(x: NamedVector): void;
  /** `θ ← θ + t·d`. */
  addScaled(t: number, d: NamedVector): void;
}

/**
 * Tensors created during one step: the ones still referenced are kept, the rest are freed as the
 * step goes (a sweep after each iteration and each line-search evaluation), and everything left is
 * freed if the step fails. Tensors of the previous memory are never freed here.
 */
export class Scratch {
  private readonly owned = new Set<tf.Tensor>();

  /** Takes ownership of a vector's tensors. */
  own<V extends NamedVector>(v: V): V {
    for (const t of Object.values(v)) this.owned.add(t);
    return v;
  }

  /** Frees every owned tensor not in `live`. */
  sweep(live: ReadonlySet<tf.Tensor>): void {
    for (const t of this.owned) {
      if (!live.has(t)) {
        t.dispose();
        this.owned.delete(t);
      }
    }
  }

  /** Frees everything owned. */
  disposeAll(): void {
    this.sweep(new Set());
  }
}

/** Reads scalars: yields them stacked, resumes with their values. */
function* read(scalars: () => tf.Tensor[]): Reader<number[]> {
  return yield tf.tidy(() => tf.stack(scalars()));
}

/**
 * One step of torch.optim.LBFGS (at most `maxIter` iterations), as a {@link Reader}. Returns the
 * loss of the first evaluation and the new memory; the caller commits the memory, frees the old
 * one's tensors not carried over, and frees what `scratch` still owns that the new memory lacks.
 *
 * ```
 * if max|g| ≤ toleranceGrad: stop
 * repeat (at most maxIter):
 *   y = g − g_prev,  s = t·d;  if yᵀs > 1e-10: remember (y, s, ρ = 1/yᵀs) (dropping the oldest past historySize), γ = yᵀs/yᵀy
 *   d = −H·g by the two-loop recursion with H₀ = γI           (d = −g at the very first iteration)
 *   t = lr·min(1, 1/Σ|g|) at the very first iteration, else lr
 *   if gᵀd > −toleranceChange: stop
 *   t = strongWolfe(…) or keep t;  θ ← θ + t·d;  re-evaluate (skipped after the last iteration without line search)
 *   stop if: maxIter or maxEval reached, max|g| ≤ toleranceGrad, max|t·d| ≤ toleranceChange, |f − f_prev| < toleranceChange
 * ```
 */
export function* lbfgsStep(
  problem: LbfgsProblem,
  settings: LbfgsSettings,
  previous: LbfgsHistory,
  scratch: Scratch,
): Reader<{ loss: number; history: LbfgsHistory }> {
  const { names } = problem;
  const { learningRate: lr, maxIter, maxEval, toleranceGrad, toleranceChange } = settings;

  let ev = yield* problem.evaluate();
  scratch.own(ev.grad);
  const origLoss = ev.loss;
  if ((settings.checkLoss && !Number.isFinite(ev.loss)) || !Number.isFinite(ev.sumAbs)) {
    throw new DescentError(
      'NON_FINITE',
      `L-BFGS: the ${settings.checkLoss ? 'loss or its ' : ''}gradient is not finite (loss ${ev.loss}, Σ|g| ${ev.sumAbs}); nothing was changed.`,
    );
  }
  let funcEvals = previous.funcEvals + 1;
  if (ev.maxAbs <= toleranceGrad) {
    return { loss: origLoss, history: { ...previous, funcEvals } };
  }

  let nIterTotal = previous.nIter;
  let d = previous.d;
  let t = previous.t;
  let prevGrad = previous.prevGrad;
  let prevLoss = previous.prevLoss;
  let dirs = [...previous.dirs];
  let steps = [...previous.steps];
  let ro = [...previous.ro];
  let hDiag = previous.hDiag;

  let loss = ev.loss;
  let g = ev.grad;
  let gSumAbs = ev.sumAbs;
  let currentEvals = 1;
  let nIter = 0;
  const live = (...extra: (NamedVector | undefined)[]) =>
    vectorTensors([d, prevGrad, g, ...dirs, ...steps, ...extra]);

  while (nIter < maxIter) {
    nIter += 1;
    nIterTotal += 1;

    // Direction.
    if (nIterTotal === 1 || !d || !prevGrad) {
      d = scratch.own(scaleVector(names, -1, g));
      dirs = [];
      steps = [];
      ro = [];
      hDiag = 1;
    } else {
      const y = scratch.own(axpy(names, g, -1, prevGrad));
      const s = scratch.own(scaleVector(names, t, d));
      const [ys, yy] = yield* read(() => [dot(names, y, s), dot(names, y, y)]);
      if ((ys as number) > 1e-10) {
        if (dirs.length === settings.historySize) {
          dirs = dirs.slice(1);
          steps = steps.slice(1);
          ro = ro.slice(1);
        }
        dirs.push(y);
        steps.push(s);
        ro.push(Math.fround(1 / (ys as number)));
        hDiag = Math.fround((ys as number) / (yy as number));
      }
      d = scratch.own(twoLoop(names, g, dirs, steps, ro, hDiag));
    }
    prevGrad = g;
    prevLoss = loss;

    // Step length.
    t = Math.fround(nIterTotal === 1 ? Math.min(1, 1 / gSumAbs) * lr : lr);
    const direction = d;
    const [gtd, dMax] = yield* read(() => [dot(names, g, direction), maxAbs(names, direction)]);
    scratch.sweep(live());
    if ((gtd as number) > -toleranceChange) break;

    let lsEvals = 0;
    let optCond = false;
    if (settings.lineSearch) {
      const x = scratch.own(problem.snapshot());
      const start: Evaluation = { ...ev, loss, grad: g, gtd: gtd as number };
      const evaluateAt = function* (step: number): Reader<Evaluation> {
        problem.addScaled(step, direction);
        try {
          const e = yield* problem.evaluate(direction);
          scratch.own(e.grad);
          return e;
        } finally {
          problem.restore(x);
        }
      };
      const sweep = (keep: readonly Evaluation[]) =>
        scratch.sweep(live(x, ...keep.map((k) => k.grad)));
      const result = yield* strongWolfe(evaluateAt, t, start, dMax as number, sweep, {
        toleranceChange,
      });
      t = Math.fround(result.t);
      ev = result.ev;
      loss = ev.loss;
      g = ev.grad;
      gSumAbs = ev.sumAbs;
      lsEvals = result.evals;
      problem.addScaled(t, direction);
      optCond = ev.maxAbs <= toleranceGrad;
    } else {
      problem.addScaled(t, direction);
      if (nIter !== maxIter) {
        ev = yield* problem.evaluate();
        scratch.own(ev.grad);
        loss = ev.loss;
        g = ev.grad;
        gSumAbs = ev.sumAbs;
        optCond = ev.maxAbs <= toleranceGrad;
        lsEvals = 1;
      }
    }
    scratch.sweep(live());
    currentEvals += lsEvals;
    funcEvals += lsEvals;

    if (nIter === maxIter) break;
    if (currentEvals >= maxEval) break;
    if (optCond) break;
    if ((dMax as number) * Math.abs(t) <= toleranceChange) break;
    if (Math.abs(loss - prevLoss) < toleranceChange) break;
  }

  const history: LbfgsHistory = {
    names: previous.names,
    nIter: nIterTotal,
    funcEvals,
    d,
    t,
    prevGrad,
    prevLoss,
    dirs,
    steps,
    ro,
    hDiag,
  };
  return { loss: origLoss, history };
}

/**
 * The two-loop recursion (Nocedal & Wright, Algorithm 7.4): `−H·g` for the L-BFGS inverse Hessian
 * `H` built from the pairs `(s_i, y_i)` on `H₀ = γI`. The coefficients stay on the backend.
 */
function twoLoop(
  names: readonly string[],
  g: NamedVector,
  dirs: readonly NamedVector[],
  steps: readonly NamedVector[],
  ro: readonly number[],
  hDiag: number,
): Record<string, tf.Tensor> {
  const alphas: tf.Scalar[] = [];
  let q: Record<string, tf.Tensor> = scaleVector(names, -1, g);
  for (let i = dirs.length - 1; i >= 0; i--) {
    const s = steps[i] as NamedVector;
    const y = dirs[i] as NamedVector;
    const current = q;
    const alpha = tf.tidy(() => tf.mul(dot(names, s, current), ro[i] as number) as tf.Scalar);
    alphas[i] = alpha;
    q = mapVector(names, (n) => tf.sub(pieceOf(current, n), tf.mul(pieceOf(y, n), alpha)));
    tf.dispose(Object.values(current));
  }
  let r = scaleVector(names, hDiag, q);
  tf.dispose(Object.values(q));
  for (let i = 0; i < dirs.length; i++) {
    const s = steps[i] as NamedVector;
    const y = dirs[i] as NamedVector;
    const alpha = alphas[i] as tf.Scalar;
    const current = r;
    const coefficient = tf.tidy(() =>
      tf.sub(alpha, tf.mul(dot(names, y, current), ro[i] as number)),
    );
    r = mapVector(names, (n) => tf.add(pieceOf(current, n), tf.mul(pieceOf(s, n), coefficient)));
    coefficient.dispose();
    tf.dispose(Object.values(current));
  }
  tf.dispose(alphas);
  return r;
}
