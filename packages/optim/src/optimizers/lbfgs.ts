import * as tf from '@tensorflow/tfjs-core';
import {
  checkNumber,
  checkOptions,
  copyTensor,
  DescentError,
  formatShape,
  type HyperParameter,
  hyperValue,
} from '@descent/core';
import { fromOptionsConfig, optionsToConfig } from './config-codec';
import { readWeights, type StateEntry, WeightSnapshots } from './state-codec';
import { decodeNumber } from './state-weights';
import { lossGradients } from './loss-gradients';
import { checkRestoredValues, type RestoredBound } from './restored-state';
import {
  lookupVariable,
  type NamedTensor,
  registeredVariables,
  resolveVariables,
  toGradientMap,
  trainableVariables,
} from './gradient-input';
import {
  freshHistory,
  historyTensors,
  type LbfgsHistory,
  type LbfgsProblem,
  type LbfgsSettings,
  lbfgsStep,
  Scratch,
} from './lbfgs-algorithm';
import { dot, mapVector, maxAbs, type NamedVector, pieceOf, sumAbs } from './named-vectors';
import { registerOptimizer } from './named-optimizer';

import type { Evaluation, Reader } from './strong-wolfe';
import { renamedVariables, takeoverCandidates } from './variable-renames';

/** Options of {@link lbfgs}: torch.optim.LBFGS's, camel-cased. */
export interface LbfgsOptions {
  /** `η` > 0: the step length (the line search's first trial). A number or a schedule of the step count. Default 1. */
  learningRate?: HyperParameter;
  /** Most iterations per step (integer ≥ 1). Default 20. */
  maxIter?: number;
  /** Most function evaluations per step (integer ≥ 1). Default `⌊1.25·maxIter⌋`. */
  maxEval?: number;
  /** Stop when `max |∇f| ≤ toleranceGrad` (≥ 0). Default 1e-7. */
  toleranceGrad?: number;
  /** Stop when the step, the loss change or the directional derivative falls below this (≥ 0). Default 1e-9. */
  toleranceChange?: number;
  /** How many `(s, y)` pairs to remember (integer ≥ 1). Default 100. */
  historySize?: number;
  /** `'strong_wolfe'` for a strong-Wolfe line search, `null` for fixed steps `η`. Default null. */
  lineSearchFn?: 'strong_wolfe' | null;
}

const KNOWN_OPTIONS = [
  'learningRate',
  'maxIter',
  'maxEval',
  'toleranceGrad',
  'toleranceChange',
  'historySize',
  'lineSearchFn',
];
/** `η` when none is given (torch's). */
const DEFAULT_LEARNING_RATE = 1;
const SCALARS = '__descent__/lbfgs';

/** The memory's numbers that are not simply finite: counts, and the loss (NaN after `applyGradients`). */
const SCALAR_BOUNDS: Readonly<Record<string, RestoredBound>> = {
  n_iter: 'count',
  func_evals: 'count',
  prev_loss: 'any',
};

/**
 * L-BFGS (Liu & Nocedal, 1989; survey §5.5) as a `tf.Optimizer`, with torch.optim.LBFGS's
 * algorithm: each {@link LBFGS.step} re-evaluates the loss through a closure up to `maxIter` times,
 * moving along quasi-Newton directions from the two-loop recursion:
 *
 * ```
 * y = g_k − g_{k−1},  s = t·d_{k−1};  keep (s, y) if yᵀs > 1e-10 (the last historySize pairs), γ = yᵀs / yᵀy
 * d_k = −H_k g_k   (two-loop recursion, H₀ = γI; d = −g at the very first iteration)
 * t = η·min(1, 1/‖g‖₁) at the very first iteration, else η;  or a strong-Wolfe line search from there
 * θ ← θ + t·d_k
 * ```
 *
 * and stops early when `max|g| ≤ toleranceGrad`, `gᵀd > −toleranceChange`, `max|t·d| ≤ toleranceChange`,
 * `|Δf| < toleranceChange` or after `maxEval` evaluations. Defaults as torch: η = 1, maxIter 20,
 * maxEval 25, toleranceGrad 1e-7, toleranceChange 1e-9, historySize 100, no line search.
 *
 * Three ways to drive it:
 * - `step(lossFn, varList?)` → the loss before the step (torch's `step(closure)`), synchronous;
 * - `await stepAsync(lossFn, varList?)`: the same, reading values asynchronously — the one to use
 *   on webgpu in Node, where synchronous reads are impossible;
 * - `minimize(f, returnCost, varList)` (what tfjs calls): one `step`.
 *
 * `applyGradients(grads)` runs a single fixed-step iteration with the given gradients (torch's
 * step with `maxIter: 1` and no line search), for stochastic use.
 *
 * The memory (directions, gradient differences, `ρ`, `γ`) is kept per **variable name**, so the
 * order of `varList` does not matter; a step over a different set of variables starts a new
 * memory. `getWeights`/`setWeights` save and restore it (`<variable>/lbfgs_y_<i>`, …). Each step
 * reads a few scalars back from the backend per iteration (the loss, `yᵀs`, `gᵀd`, …), as torch
 * does. An error in the first evaluation (non-finite loss or gradient, a non-scalar loss) leaves
 * everything untouched; an error later leaves the variables where they got to and clears the memory.
 *
 * Differences: torch keeps the memory as one flat vector over its parameter list, here it is keyed
 * by name; `ρ`, `γ` and `t` are rounded to float32 (so that saved state resumes exactly).
 * tfjs and Keras have no L-BFGS optimizer; optax's `lbfgs` keeps 10 pairs, runs one iteration per
 * update and uses a zoom line search by default.
 *
 * @example
 * ```ts
 * const opt = lbfgs({ lineSearchFn: 'strong_wolfe' });
 * for (let i = 0; i < 5; i++) opt.step(() => loss(model));
 * ```
 *
 * Liu & Nocedal, "On the limited memory BFGS method for large scale optimization", Math.
 * Programming 45 (1989); Nocedal & Wright, "Numerical Optimization" (2006), Algorithms 3.5–3.6, 7.4–7.5.
 */
export class LBFGS extends tf.Optimizer {
  static get className(): string {
    return 'descent.LBFGS';
  }

  /** The options as given (before defaults); a new `learningRate` is reflected here. */
  options: Readonly<LbfgsOptions>;
  private readonly settings: Omit<LbfgsSettings, 'learningRate' | 'checkLoss'>;
  private history: LbfgsHistory | undefined;
  private readonly snapshots = new WeightSnapshots();

  constructor(options: LbfgsOptions = {}) {
    super();
    checkOptions('lbfgs', options, KNOWN_OPTIONS);
    const {
      learningRate = DEFAULT_LEARNING_RATE,
      maxIter = 20,
      toleranceGrad = 1e-7,
      toleranceChange = 1e-9,
      historySize = 100,
      lineSearchFn = null,
    } = options;
    hyperValue('learningRate', learningRate, 0, { min: 0, minExclusive: true });
    checkNumber('maxIter', maxIter, { min: 1, integer: true });
    const maxEval = options.maxEval ?? Math.floor((maxIter * 5) / 4);
    checkNumber('maxEval', maxEval, { min: 1, integer: true });
    checkNumber('toleranceGrad', toleranceGrad, { min: 0 });
    checkNumber('toleranceChange', toleranceChange, { min: 0 });
    checkNumber('historySize', historySize, { min: 1, integer: true });
    if (lineSearchFn !== null && lineSearchFn !== 'strong_wolfe') {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `lineSearchFn must be 'strong_wolfe' or null, got ${JSON.stringify(lineSearchFn)}.`,
      );
    }
    this.options = Object.freeze({ ...options });
    this.settings = {
      maxIter,
      maxEval,
      toleranceGrad,
      toleranceChange,
      historySize,
      lineSearch: lineSearchFn === 'strong_wolfe',
    };
  }

  /** `η`, the step size (a number or a schedule of the step count). Assigning it is {@link setLearningRate}. */
  get learningRate(): HyperParameter {
    return this.options.learningRate ?? DEFAULT_LEARNING_RATE;
  }

  set learningRate(value: HyperParameter) {
    this.setLearningRate(value);
  }

  /**
   * Sets `η` (> 0, a number or a schedule) from the next step on, as `tf.train.sgd`'s
   * `setLearningRate`; the memory stays, and `getConfig()` holds the new value.
   *
   * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` / `BAD_ARGUMENT`; nothing changes then.
   */
  setLearningRate(value: HyperParameter): void {
    hyperValue('learningRate', value, 0, { min: 0, minExclusive: true });
    this.options = Object.freeze({ ...this.options, learningRate: value });
  }

  /**
   * One L-BFGS step with a closure that computes the loss (torch's `step(closure)`): returns the
   * loss before the step. The closure is called several times (up to `maxEval`); it must build
   * its graph from the variables each time. `varList` defaults to every trainable variable.
   *
   * @throws DescentError `NON_FINITE` (first loss or gradient), `BAD_ARGUMENT` (not a function, a
   *   result that is not a float32 scalar tensor, no variable reaches the loss, or a synchronous read
   *   impossible on this backend: use {@link stepAsync}), `DISPOSED`.
   */
  step(lossFn: () => tf.Scalar, varList?: tf.Variable[]): number {
    return this.run(this.closureProblem(lossFn, varList), {}, runSync);
  }

  /** {@link step}, reading values back asynchronously (works on every backend, webgpu in Node included). */
  async stepAsync(lossFn: () => tf.Scalar, varList?: tf.Variable[]): Promise<number> {
    const problem = this.closureProblem(lossFn, varList);
    return this.run(problem, {}, runAsync);
  }

  /** One {@link step}; returns the loss before it as a new scalar when `returnCost` is true. */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    const loss = this.step(f, varList);
    return returnCost ? tf.scalar(loss) : null;
  }

  /**
   * One L-BFGS iteration with these gradients and a fixed step `η` (torch's step with
   * `maxIter: 1`, no line search): updates the memory with the change since the last gradient,
   * then moves along the new direction. Gradients are validated before anything changes.
   */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const grads = toGradientMap(variableGradients);
    const variables = resolveVariables(grads);
    const names = Object.keys(variables).sort();
    if (names.length === 0) return;
    let evaluated = false;
    const problem = this.variableProblem(names, variables, function* () {
      if (evaluated) throw new Error('L-BFGS: applyGradients evaluates once.');
      evaluated = true;
      const grad = mapVector(names, (n) => tf.clone(pieceOf(grads, n)));
      return yield* readEvaluation(names, grad, tf.scalar(Number.NaN));
    });
    this.run(problem, { maxIter: 1, maxEval: 1, lineSearch: false, checkLoss: false }, runSync);
  }

  /**
   * `[iter, …memory]`: the step count, then a snapshot of the memory — per variable
   * `<variable>/lbfgs_d`, `…/lbfgs_prev_grad`, `…/lbfgs_y_<i>`, `…/lbfgs_s_<i>` (oldest pair first),
   * and the numbers as float32 scalars `__descent__/lbfgs/<key>`. The tensors belong to the
   * optimizer and stay valid until the next `getWeights()` or `dispose()`; do not dispose them.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    const h = this.history;
    if (!h?.d || !h.prevGrad) return this.snapshots.take(this.iterations, []);
    const { d, prevGrad } = h;
    const entries: StateEntry[] = [];
    for (const name of h.names) {
      entries.push({ name: `${name}/lbfgs_d`, value: pieceOf(d, name) });
      entries.push({ name: `${name}/lbfgs_prev_grad`, value: pieceOf(prevGrad, name) });
      h.dirs.forEach((y, i) => {
        entries.push({ name: `${name}/lbfgs_y_${i}`, value: pieceOf(y, name) });
      });
      h.steps.forEach((s, i) => {
        entries.push({ name: `${name}/lbfgs_s_${i}`, value: pieceOf(s, name) });
      });
    }
    const numbers: [string, number][] = [
      ['n_iter', h.nIter],
      ['func_evals', h.funcEvals],
      ['t', h.t],
      ['prev_loss', h.prevLoss],
      ['h_diag', h.hDiag],
      ...h.ro.map((r, i): [string, number] => [`ro_${i}`, r]),
    ];
    for (const [key, value] of numbers) entries.push({ name: `${SCALARS}/${key}`, value });
    return this.snapshots.take(this.iterations, entries);
  }

  /**
   * Restores what {@link getWeights} returned (from this optimizer or a model saved with
   * `{ includeOptimizer: true }`). Each variable named must exist with the saved shape — under that
   * name, or one differing only by tfjs-layers' `_<n>` suffix (a reloaded model), which then takes
   * the memory over at its next step. Everything is checked before the memory changes; tensors are
   * copied, so the caller keeps its own.
   *
   * @throws DescentError `BAD_ARGUMENT` (not a list of named tensors, a name twice, a step count
   *   that is not an integer ≥ 0), `UNKNOWN_PARAM` (not an L-BFGS memory, an unknown variable),
   *   `SHAPE_MISMATCH`, `DISPOSED`, `NON_FINITE` (a NaN or infinite value in the memory).
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const { iterations, weights } = await readWeights(weightValues);
    const scalars = new Map<string, number>();
    const pieces = new Map<string, Map<string, tf.Tensor>>();
    for (const [name, tensor] of weights) {
      if (name.startsWith(`${SCALARS}/`)) {
        scalars.set(name.slice(SCALARS.length + 1), await decodeNumber(name, tensor));
      } else {
        const cut = name.lastIndexOf('/');
        const slot = name.slice(cut + 1);
        if (cut < 0 || !/^lbfgs_(d|prev_grad|[ys]_\d+)$/.test(slot)) {
          throw new DescentError(
            'UNKNOWN_PARAM',
            `optimizer weight ${name} is not an L-BFGS weight.`,
          );
        }
        const variable = name.slice(0, cut);
        const v = restoreTarget(variable, tensor.shape, `optimizer weight ${name}`);
        if (formatShape(tensor.shape) !== formatShape(v.shape)) {
          throw new DescentError(
            'SHAPE_MISMATCH',
            `optimizer weight ${name} has shape ${formatShape(tensor.shape)}, the variable ${formatShape(v.shape)}.`,
          );
        }
        const slots = pieces.get(slot) ?? new Map<string, tf.Tensor>();
        pieces.set(slot, slots);
        slots.set(variable, tensor);
      }
    }
    const names = [...(pieces.get('lbfgs_d')?.keys() ?? [])].sort();
    const k = scalars.size > 0 ? [...scalars.keys()].filter((s) => s.startsWith('ro_')).length : 0;
    const expectedSlots = ['lbfgs_d', 'lbfgs_prev_grad'];
    for (let i = 0; i < k; i++) expectedSlots.push(`lbfgs_y_${i}`, `lbfgs_s_${i}`);
    const complete =
      pieces.size === (names.length > 0 ? expectedSlots.length : 0) &&
      expectedSlots.every(
        (slot) => names.length === 0 || pieces.get(slot)?.size === names.length,
      ) &&
      [...pieces.values()].every((m) => names.every((n) => m.has(n))) &&
      (names.length === 0 ||
        ['n_iter', 'func_evals', 't', 'prev_loss', 'h_diag'].every((s) => scalars.has(s)));
    if (!complete) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `optimizer weights do not form an L-BFGS memory (variables ${names.slice(0, 6).join(', ')}; slots ${[...pieces.keys()].slice(0, 6).join(', ')}).`,
      );
    }
    await checkRestoredValues([
      ...[...pieces].flatMap(([slot, byVariable]) =>
        [...byVariable].map(([variable, value]) => ({ name: `${variable}/${slot}`, value })),
      ),
      ...[...scalars].map(([key, value]) => ({
        name: `${SCALARS}/${key}`,
        value,
        bound: SCALAR_BOUNDS[key] ?? 'finite',
      })),
    ]);
    let restored: LbfgsHistory | undefined;
    if (names.length > 0) {
      const vector = (slot: string) =>
        mapVector(names, (n) =>
          copyTensor(pieces.get(slot)?.get(n) as tf.Tensor, `optimizer weight ${n}/${slot}`),
        );
      const get = (s: string) => scalars.get(s) as number;
      restored = {
        names,
        nIter: get('n_iter'),
        funcEvals: get('func_evals'),
        d: vector('lbfgs_d'),
        t: get('t'),
        prevGrad: vector('lbfgs_prev_grad'),
        prevLoss: get('prev_loss'),
        dirs: Array.from({ length: k }, (_, i) => vector(`lbfgs_y_${i}`)),
        steps: Array.from({ length: k }, (_, i) => vector(`lbfgs_s_${i}`)),
        ro: Array.from({ length: k }, (_, i) => get(`ro_${i}`)),
        hDiag: get('h_diag'),
      };
    }
    if (restored) for (const t of historyTensors(restored)) tf.keep(t);
    this.disposeHistory();
    this.history = restored;
    this.iterations_ = iterations;
  }

  /** Frees the memory (and the tensors handed out by the last `getWeights`). */
  override dispose(): void {
    this.disposeHistory();
    this.snapshots.dispose();
  }

  /**
   * The options, schedules replaced by their JSON configs. tfjs-layers turns every key and string of
   * a loaded config from snake_case to camelCase, so `_` and `%` are written as `%5F` and `%25`
   * (as the other named optimizers do) and {@link LBFGS.fromConfig} reads them back.
   */
  override getConfig(): tf.serialization.ConfigDict {
    return optionsToConfig(this.options);
  }

  /** Rebuilds an optimizer from {@link getConfig}'s output (also as tfjs-layers hands it over). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return fromOptionsConfig(cls, config);
  }

  /**
   * The memory, keyed by these variable names: as it is, or renamed when each name matches a
   * remembered one of the same shape exactly or up to tfjs-layers' `_<n>` suffix (a model saved
   * with its optimizer and loaded next to the original); `undefined` when the variables differ.
   */
  private historyFor(names: readonly string[]): LbfgsHistory | undefined {
    const h = this.history;
    if (!h?.d || h.names.length !== names.length) return undefined;
    const d = h.d;
    if (h.names.every((n, i) => n === names[i])) return h;
    const keys = new Map<string, string>();
    const used = new Set<string>();
    for (const name of names) {
      const v = registeredVariables()[name];
      const fits = (key: string) =>
        !used.has(key) &&
        v !== undefined &&
        formatShape(pieceOf(d, key).shape) === formatShape(v.shape);
      const key = h.names.includes(name)
        ? name
        : takeoverCandidates(name, h.names, (k) => names.includes(k) || !fits(k))[0];
      if (key === undefined || !fits(key)) return undefined;
      keys.set(name, key);
      used.add(key);
    }
    const rekey = (vector: NamedVector) =>
      Object.fromEntries(names.map((n) => [n, pieceOf(vector, keys.get(n) as string)]));
    return {
      ...h,
      names: [...names],
      d: rekey(d),
      prevGrad: h.prevGrad && rekey(h.prevGrad),
      dirs: h.dirs.map(rekey),
      steps: h.steps.map(rekey),
    };
  }

  private disposeHistory(): void {
    if (this.history) tf.dispose([...historyTensors(this.history)]);
    this.history = undefined;
  }

  /** Runs one step of the algorithm and commits its memory; see the class comment for failures. */
  private run<R extends number | Promise<number>>(
    problem: LbfgsProblem & { touched: () => boolean },
    overrides: Partial<LbfgsSettings>,
    drive: (reader: Reader<{ loss: number; history: LbfgsHistory }>, done: Done) => R,
  ): R {
    const learningRate = hyperValue('learningRate', this.learningRate, this.iterations, {
      min: 0,
      minExclusive: true,
    });
    const settings: LbfgsSettings = {
      ...this.settings,
      learningRate,
      checkLoss: true,
      ...overrides,
    };
    const previous = this.historyFor(problem.names) ?? freshHistory(problem.names);
    const scratch = new Scratch();
    return drive(lbfgsStep(problem, settings, previous, scratch), {
      success: ({ loss, history }) => {
        const kept = historyTensors(history);
        if (this.history) tf.dispose([...historyTensors(this.history)].filter((t) => !kept.has(t)));
        scratch.sweep(kept);
        // The memory outlives this call, also inside an enclosing tf.tidy (tfjs-layers' fit runs one).
        for (const t of kept) tf.keep(t);
        this.history = history;
        this.incrementIterations();
        return loss;
      },
      failure: (error) => {
        scratch.disposeAll();
        if (problem.touched()) this.disposeHistory();
        return error;
      },
    });
  }

  /** The problem of a closure over some variables (all trainable ones by default). */
  private closureProblem(
    lossFn: () => tf.Scalar,
    varList: tf.Variable[] | undefined,
  ): LbfgsProblem & { touched: () => boolean } {
    if (typeof lossFn !== 'function') {
      throw new DescentError('BAD_ARGUMENT', 'L-BFGS needs a loss function () => tf.Scalar.');
    }
    const variables = trainableVariables('L-BFGS', varList);
    const names = Object.keys(variables).sort();
    const list = names.map((n) => variables[n] as tf.Variable);
    return this.variableProblem(names, variables, function* (direction?: NamedVector) {
      const { value, grads } = lossGradients(lossFn, list);
      const grad: Record<string, tf.Tensor> = {};
      list.forEach((v, i) => {
        grad[v.name] = grads[i] ?? tf.zerosLike(v);
      });
      return yield* readEvaluation(names, grad, value, direction);
    });
  }

  /** A problem over named variables with a given evaluation. */
  private variableProblem(
    names: readonly string[],
    variables: Record<string, tf.Variable>,
    evaluate: (direction?: NamedVector) => Reader<Evaluation>,
  ): LbfgsProblem & { touched: () => boolean } {
    let touched = false;
    const assign = (name: string, value: tf.Tensor) => {
      (variables[name] as tf.Variable).assign(value);
    };
    return {
      names,
      evaluate,
      touched: () => touched,
      snapshot: () => mapVector(names, (n) => copyTensor(variables[n] as tf.Variable, n)),
      restore(x) {
        for (const n of names) assign(n, pieceOf(x, n));
      },
      addScaled(t, d) {
        touched = true;
        for (const n of names) {
          const next = tf.tidy(() => tf.add(variables[n] as tf.Variable, tf.mul(pieceOf(d, n), t)));
          assign(n, next);
          next.dispose(); // the variable keeps the data
        }
      },
    };
  }
}
registerOptimizer(LBFGS);

/**
 * L-BFGS as a `tf.Optimizer`, with torch.optim.LBFGS's algorithm; see {@link LBFGS}.
 *
 * @example
 * ```ts
 * const opt = lbfgs({ historySize: 10, lineSearchFn: 'strong_wolfe' });
 * const loss = opt.step(() => tf.losses.meanSquaredError(y, model(x)) as tf.Scalar);
 * ```
 */
export function lbfgs(options: LbfgsOptions = {}): LBFGS {
  return new LBFGS(options);
}

/** Reads an evaluation's loss and gradient statistics (and `gᵀd`), disposing `value`. */
function* readEvaluation(
  names: readonly string[],
  grad: Record<string, tf.Tensor>,
  value: tf.Tensor,
  direction?: NamedVector,
): Reader<Evaluation> {
  let stats: tf.Tensor;
  try {
    stats = tf.tidy(() =>
      tf.stack([
        tf.reshape(value, []),
        maxAbs(names, grad),
        sumAbs(names, grad),
        direction ? dot(names, grad, direction) : tf.scalar(Number.NaN),
      ]),
    );
  } finally {
    value.dispose();
  }
  let values: number[];
  try {
    values = yield stats;
  } catch (e) {
    tf.dispose(Object.values(grad));
    throw e;
  }
  const [loss, gMax, gSum, gtd] = values as [number, number, number, number];
  return { loss, grad, maxAbs: gMax, sumAbs: gSum, gtd };
}

/** What a driver does at the end: commit, or clean up and pass the error on. */
interface Done {
  success(result: { loss: number; history: LbfgsHistory }): number;
  failure(error: unknown): unknown;
}

/** Drives a reader with synchronous reads (`dataSync`). */
function runSync(reader: Reader<{ loss: number; history: LbfgsHistory }>, done: Done): number {
  let result: { loss: number; history: LbfgsHistory };
  try {
    let r = reader.next();
    while (!r.done) {
      const t = r.value;
      let values: number[] | undefined;
      let error: unknown;
      try {
        values = Array.from(t.dataSync());
      } catch (e) {
        error = new DescentError(
          'BAD_ARGUMENT',
          `L-BFGS could not read values synchronously on the ${tf.getBackend()} backend (${(e as Error).message}); use await optimizer.stepAsync(lossFn) instead.`,
        );
      } finally {
        t.dispose();
      }
      r = error === undefined ? reader.next(values as number[]) : reader.throw(error);
    }
    result = r.value;
  } catch (e) {
    throw done.failure(e);
  }
  return done.success(result);
}

/** Drives a reader with asynchronous reads (`await data()`). */
async function runAsync(
  reader: Reader<{ loss: number; history: LbfgsHistory }>,
  done: Done,
): Promise<number> {
  let result: { loss: number; history: LbfgsHistory };
  try {
    let r = reader.next();
    while (!r.done) {
      const t = r.value;
      let values: number[];
      try {
        values = Array.from(await t.data());
      } finally {
        t.dispose();
      }
      r = reader.next(values);
    }
    result = r.value;
  } catch (e) {
    throw done.failure(e);
  }
  return done.success(result);
}

/**
 * The variable a saved memory piece belongs to: the one of that name, or else the one live
 * variable of the same shape whose name differs only by a tfjs-layers `_<n>` suffix.
 */
function restoreTarget(name: string, shape: readonly number[], what: string): tf.Variable {
  const candidates = registeredVariables()[name]
    ? []
    : renamedVariables(name).filter((v) => formatShape(v.shape) === formatShape(shape));
  return candidates.length === 1 ? (candidates[0] as tf.Variable) : lookupVariable(name, what);
}
