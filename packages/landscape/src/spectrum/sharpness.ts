import * as tf from '@tensorflow/tfjs-core';
import { DescentError, OptionReader, type Params, Rng } from '@descent/core';
import { type LossFn, guardedLoss, lossValue, throwIfFailed } from '../loss/loss-fn';
import { FLAT_KEY, type FlatProblem, flatProblem } from './flat-operator';
import { rademacherArray } from './flat-vectors';
import { readChoice } from './read-choice';

/** The boxes of {@link sharpness}. */
export type SharpnessBox = 'relative' | 'absolute';

const BOXES: readonly SharpnessBox[] = ['relative', 'absolute'];

/** Options of {@link sharpness}. */
export interface SharpnessOptions {
  /** The box size `ε`, `> 0` (default `1e-3`). */
  epsilon?: number;
  /** `'relative'` (default, Keskar's): `|y_i| ≤ ε(|θ_i| + 1)`; `'absolute'`: `|y_i| ≤ ε`. */
  box?: SharpnessBox;
  /** Sign-gradient ascent steps, an integer `≥ 1` (default 20). */
  steps?: number;
  /** The generator of the signs where the first gradient is exactly zero (default `new Rng(0)`). */
  rng?: Rng;
}

/** What {@link sharpness} returns. */
export interface Sharpness {
  /** `φ = (maxLoss − loss) / (1 + loss) × 100`, `≥ 0`. */
  sharpness: number;
  /** `L(θ)`. */
  loss: number;
  /** The largest `L(θ + y)` found in the box (at least `L(θ)`). */
  maxLoss: number;
  /** Ascent steps taken. */
  steps: number;
}

const KNOWN_KEYS = ['epsilon', 'box', 'steps', 'rng'];

/**
 * Keskar et al.'s ε-sharpness: how much the loss can rise within a small box around `θ`,
 * relative to `1 + L(θ)`, in percent:
 * `φ = (max_{y ∈ C_ε} L(θ + y) − L(θ)) / (1 + L(θ)) × 100` with
 * `C_ε = { y : |y_i| ≤ ε(|θ_i| + 1) }` (`'relative'`, Keskar's; the full space, no random
 * subspace) or `{ y : |y_i| ≤ ε }` (`'absolute'`).
 *
 * The inner maximization (Keskar used L-BFGS-B) is projected sign-gradient ascent, the steepest
 * ascent for a box: from `y = 0`, step `t = 0 … T−1` moves every coordinate by
 * `(1 − t/T)·b_i` (`b_i` the box's half-width) in the direction of the gradient's sign and
 * projects back onto the box. The first step therefore goes to the corner `b ⊙ sign(∇L(θ))`, the
 * maximizer of the linearized loss; where that gradient is exactly zero (at a critical point of a
 * quadratic, say) the sign is drawn from `rng`. Later steps shrink linearly, so the ascent can
 * settle inside the box where the loss curves down. The largest loss seen — at `θ`, at every
 * iterate and at the final point — is the estimate: a lower bound on the true maximum (finding
 * it is NP-hard in general, e.g. for a convex quadratic), so `φ ≥ 0` always. One gradient per
 * step and one loss evaluation before and after; one device read at the start and one at the end.
 *
 * @param loss - `(params) => L`, a float32 scalar tensor made from `params`; Keskar's measure
 *   assumes `L ≥ 0` (it needs `1 + L(θ) > 0`).
 * @param params - `θ`, a non-empty map of float32 tensors (not modified).
 * @param options - `epsilon` (`1e-3`), `box` (`'relative'`), `steps` (20), `rng` (`new Rng(0)`).
 * @returns `{ sharpness, loss, maxLoss, steps }`.
 * @throws DescentError `BAD_HYPERPARAM` (`epsilon ≤ 0`, `steps` not an integer `≥ 1`),
 *   `BAD_ARGUMENT` (unknown `box`, `rng` not an `Rng`, options not an object, loss not a
 *   function or returning no tensor, params not a non-empty map of tensors, `1 + L(θ) ≤ 0`),
 *   `NON_FINITE` (a non-finite option, a NaN or infinite loss at `θ` or inside the box),
 *   `UNKNOWN_PARAM` (an unknown option), `SHAPE_MISMATCH` (the loss is not a float32 scalar),
 *   `DTYPE_MISMATCH` (non-float32 params), `DISPOSED`. An exception the loss itself throws
 *   passes through unchanged, with every tensor freed.
 * @example
 * ```ts
 * const { sharpness: phi } = await sharpness(loss, net.params, { epsilon: 5e-4 });
 * ```
 * @see N. S. Keskar, D. Mudigere, J. Nocedal, M. Smelyanskiy and P. T. P. Tang, On Large-Batch
 *   Training for Deep Learning: Generalization Gap and Sharp Minima, ICLR 2017, Metric 2.1.
 */
export async function sharpness(
  loss: LossFn,
  params: Params,
  options: SharpnessOptions = {},
): Promise<Sharpness> {
  const fn = 'sharpness';
  const read = new OptionReader(fn, options, KNOWN_KEYS);
  const epsilon = read.number('epsilon', 1e-3, { min: 0, minExclusive: true });
  const box = readChoice(read, 'box', BOXES, 'relative');
  const steps = read.integer('steps', 20, { min: 1 });
  const rng = read.generator('rng', new Rng(0));
  const problem = flatProblem(fn, loss, params);
  try {
    const base = await lossValue(fn, problem.loss, { [FLAT_KEY]: problem.theta });
    checkBaseLoss(fn, base);
    const highest = await ascend(fn, problem, { epsilon, box, steps, rng });
    if (!Number.isFinite(highest)) {
      throw new DescentError(
        'NON_FINITE',
        `${fn}: the loss is ${highest} at a point of the box (epsilon = ${epsilon}, box '${box}').`,
      );
    }
    const maxLoss = Math.max(base, highest);
    return { sharpness: ((maxLoss - base) / (1 + base)) * 100, loss: base, maxLoss, steps };
  } finally {
    problem.dispose();
  }
}

function checkBaseLoss(fn: string, base: number): void {
  if (!Number.isFinite(base)) {
    throw new DescentError('NON_FINITE', `${fn}: the loss at params is ${base}.`);
  }
  if (1 + base <= 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: 1 + L(params) must be positive (the measure assumes a non-negative loss), got L = ${base}.`,
    );
  }
}

interface AscentOptions {
  epsilon: number;
  box: SharpnessBox;
  steps: number;
  rng: Rng;
}

/** The largest loss seen along the projected sign-gradient ascent (see {@link sharpness}). */
async function ascend(fn: string, problem: FlatProblem, options: AscentOptions): Promise<number> {
  const { theta } = problem;
  const half = tf.tidy(() =>
    options.box === 'relative'
      ? tf.mul(tf.add(tf.abs(theta), 1), options.epsilon)
      : tf.fill(theta.shape, options.epsilon),
  );
  const tieBreak = tf.tensor1d(rademacherArray(options.rng, problem.size), 'float32');
  let y: tf.Tensor = tf.zerosLike(theta);
  let best: tf.Tensor = tf.scalar(Number.NEGATIVE_INFINITY);
  try {
    for (let t = 0; t < options.steps; t++) {
      const fraction = 1 - t / options.steps;
      const next = ascentStep(fn, problem, y, {
        half,
        tieBreak: t === 0 ? tieBreak : undefined,
        fraction,
      });
      const seen = tf.maximum(best, next.value);
      tf.dispose([y, best, next.value]);
      y = next.y;
      best = seen;
    }
    const last = tf.tidy(() => tf.maximum(best, lossAt(fn, problem, y)));
    best.dispose();
    best = last;
    return (await best.data())[0] as number;
  } finally {
    tf.dispose([half, tieBreak, y, best]);
  }
}

/**
 * One step from `y`: `L(θ + y)` and `y' = clip(y + fraction·half ⊙ sign(∇L(θ + y)), ±half)`,
 * zero gradient entries taking `tieBreak`'s signs when it is given.
 */
function ascentStep(
  fn: string,
  problem: FlatProblem,
  y: tf.Tensor,
  step: { half: tf.Tensor; tieBreak: tf.Tensor | undefined; fraction: number },
): { value: tf.Scalar; y: tf.Tensor } {
  const failure: { error?: unknown } = {};
  const out = tf.tidy(() => {
    const f = guardedLoss(fn, problem.loss, [FLAT_KEY], failure);
    const { value, grads } = tf.valueAndGrads(f)([tf.add(problem.theta, y)]);
    const g = grads[0] as tf.Tensor;
    const sign = step.tieBreak ? tf.where(tf.equal(g, 0), step.tieBreak, tf.sign(g)) : tf.sign(g);
    const moved = tf.add(y, tf.mul(tf.mul(step.half, step.fraction), sign));
    return { value, y: tf.minimum(tf.maximum(moved, tf.neg(step.half)), step.half) };
  });
  if (failure.error !== undefined) tf.dispose([out.value, out.y]);
  throwIfFailed(failure);
  return out;
}

/** `L(θ + y)` as a scalar tensor. */
function lossAt(fn: string, problem: FlatProblem, y: tf.Tensor): tf.Scalar {
  const failure: { error?: unknown } = {};
  const value = tf.tidy(() =>
    guardedLoss(fn, problem.loss, [FLAT_KEY], failure)(tf.add(problem.theta, y)),
  );
  if (failure.error !== undefined) value.dispose();
  throwIfFailed(failure);
  return value;
}
