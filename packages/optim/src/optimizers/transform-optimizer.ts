import * as tf from '@tensorflow/tfjs-core';
import { checkTensor, DescentError, formatShape, type Params } from '@descent/core';
import type { FusedStep } from '../fused/fused-step';
import type { Preprocessor } from './preprocessing';
import { checkTransformation } from '../transform/check-transformation';
import type { GradientTransformation } from '../transform/gradient-transformation';
import {
  disposeReplaced,
  disposeState,
  stateTensors,
  type TransformState,
} from '../transform/transform-state';
import {
  minimizeReleasing,
  type NamedTensor,
  resolveVariables,
  toGradientMap,
} from './gradient-input';
import { readWeights, WeightSnapshots } from './state-codec';
import { fillState, leafParam, stateLeaves, stateParams } from './state-weights';
import { RepeatedSteps, sameNames } from './repeated-steps';
import { findRestoreTarget, RestoredStates } from './variable-renames';

export type { NamedTensor } from './gradient-input';

/**
 * A `tf.Optimizer` driven by a {@link GradientTransformation}: usable wherever tfjs takes an
 * optimizer (`minimize`, `applyGradients`, `model.compile`/`fit`). The state is keyed by variable
 * **name** and created lazily per variable, so `minimize` over any subset or order of variables
 * never mixes state (and step counts are per variable, as in torch.optim). Each step validates every
 * gradient (known live variable, live float32 gradient of the same shape) and every update before
 * any variable or state changes; a hyperparameter schedule that leaves its range fails the step the
 * same way.
 *
 * Named optimizers with fused kernels (on wasm and webgpu) compile their step for a variable list
 * that comes twice in a row, in the same order: later steps over that list check the gradients,
 * evaluate the hyperparameters and run every variable's kernel in one call, keeping the state
 * aside; any other step takes the general path (see the package README, "Compiled steps").
 *
 * `getWeights()` returns a snapshot `[iter, ...state]`: slots named `<variable>/<slot>` (e.g.
 * `dense_Dense1/kernel/m`), then transformation-wide numbers `__descent__/<path>/<key>`;
 * `setWeights` restores them exactly (it copies, so the caller may dispose its tensors, as
 * tfjs-layers does), also onto a model tfjs-layers renamed on loading; `dispose()` frees everything.
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3)));
 * opt.minimize(() => loss(params), false, [w, b]);
 * const saved = await opt.getWeights();        // resume later with opt2.setWeights(saved)
 * ```
 */
export class TransformOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'descent.TransformOptimizer';
  }

  protected transform: GradientTransformation;
  private state: TransformState;
  /** Copies handed out by the last `getWeights()`, freed by the next call or `dispose()`. */
  private readonly snapshots = new WeightSnapshots();
  /** States `setWeights` restored that no variable has used yet, and which variable took which over. */
  private readonly restored = new RestoredStates();
  /** Shapes of the variables this optimizer has updated, to tell a disposed one from an unknown one. */
  private readonly seen = new Map<string, readonly number[]>();

  /**
   * @param transform - The gradient transformation that makes the updates.
   * @throws DescentError `BAD_ARGUMENT` when `transform` is no `{ init, update }` transformation.
   */
  constructor(transform: GradientTransformation) {
    super();
    checkTransformation('fromTransform: transform', transform);
    this.transform = transform;
    this.state = transform.init({});
  }

  /**
   * `tf.Optimizer.minimize`, with `f`, `varList` (live variables) and the loss function's result
   * checked first; when the step fails, the gradients and the loss are disposed before the error is
   * rethrown (tfjs's own `minimize` leaks them). An exception `f` throws passes through unchanged.
   *
   * @throws DescentError `BAD_ARGUMENT` (`f` not a function, `varList` not live variables, a result
   *   that is not a float32 scalar tensor connected to the variables), `DISPOSED`; as
   *   {@link applyGradients} otherwise.
   */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    return minimizeReleasing(this, f, returnCost, varList);
  }

  /**
   * Applies one step: `θ ← θ + u` with `u` the transformation's updates of these gradients. Every
   * gradient is checked first, and nothing changes if the step fails.
   *
   * @throws DescentError `UNKNOWN_PARAM` (no variable of that name), `DISPOSED` (gradient or
   *   variable), `DTYPE_MISMATCH` (not float32), `SHAPE_MISMATCH` (gradient unlike its variable),
   *   `BAD_HYPERPARAM` / `NON_FINITE` (a schedule out of range at this step).
   */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    if (this.repeatStep(variableGradients)) return;
    this.settleState();
    const grads = toGradientMap(variableGradients);
    const variables = resolveVariables(grads, this.seen);
    let withState: Set<string> | undefined;
    const hasState = (name: string) => {
      withState ??= stateParams(this.state);
      return withState.has(name);
    };
    const stateKeys = this.restored.keysFor(variables, hasState);
    const { keys } = stateKeys;
    // The transformation sees every variable under its state key (its own name, or the name its
    // restored state was saved under), so name-based options (masks, partitions) keep matching.
    const keyedGrads: Params = {};
    const keyedParams: Record<string, tf.Variable> = {};
    for (const [name, key] of keys) {
      keyedGrads[key] = grads[name] as tf.Tensor;
      keyedParams[key] = variables[name] as tf.Variable;
    }
    const previous = this.state;
    const { state, fused } = this.step(previous, keyedGrads, keyedParams);
    // State outlives this call, also inside an enclosing tf.tidy (tfjs-layers' fit runs one).
    const kept = stateTensors(state);
    for (const t of kept) tf.keep(t);
    disposeReplaced(previous, state, kept);
    this.state = state;
    this.restored.commit(stateKeys);
    for (const name of keys.keys()) {
      if (!this.seen.has(name)) this.seen.set(name, (variables[name] as tf.Variable).shape);
    }
    this.incrementIterations();
    const names = (
      Array.isArray(variableGradients)
        ? variableGradients.map((g) => g.name)
        : Object.keys(variableGradients)
    ).filter((name) => name in grads);
    if (fused) this.compileRepeats(names, keys, variables);
    else this.lastFusedNames = undefined;
  }

  /**
   * The compiled fast path: when this step's gradients name the same variables in the same order
   * as the steps it was compiled for, one compiled fused step runs (hyperparameters and gradients
   * checked first, nothing rebuilt). Returns false for any other step.
   */
  private repeatStep(variableGradients: tf.NamedTensorMap | NamedTensor[]): boolean {
    const repeated = this.repeated;
    if (!repeated || this.fusedStep?.path() === 'reference') return false;
    const grads = repeated.match(variableGradients);
    if (!grads) return false;
    repeated.step.run(grads);
    this.incrementIterations();
    return true;
  }

  /**
   * Compiles the fused step for a variable list that came twice in a row (a model's training
   * loop), so the steps after take {@link repeatStep}. One-off lists stay on the general path.
   */
  private compileRepeats(
    names: readonly string[],
    keys: ReadonlyMap<string, string>,
    variables: Record<string, tf.Variable>,
  ): void {
    const fused = this.fusedStep;
    const repeat = sameNames(this.lastFusedNames, names);
    this.lastFusedNames = names;
    if (!repeat || !fused?.compile) return;
    const stateKeys = names.map((name) => keys.get(name) as string);
    const params = names.map((name) => variables[name] as tf.Variable);
    const step = this.preprocessor
      ? this.preprocessor.compileFused(fused, this.state, stateKeys, params)
      : fused.compile(this.state, stateKeys, params, { clip: false });
    if (step) this.repeated = new RepeatedSteps(names, params, step);
  }

  /**
   * Continues with another transformation and fused step (an option changed): the state, as
   * `carry` maps it, and the step count stay. Compiled steps are dropped, the old step's scratch
   * buffers freed.
   */
  protected replaceTransform(
    transform: GradientTransformation,
    fusedStep: FusedStep | undefined,
    carry: (state: TransformState) => TransformState,
  ): void {
    this.settleState();
    this.lastFusedNames = undefined;
    this.fusedStep?.dispose?.();
    this.transform = transform;
    this.fusedStep = fusedStep;
    this.state = carry(this.state);
  }

  /** The state as compiled steps left it, in `this.state`; the compiled steps are dropped. */
  private settleState(): void {
    const repeated = this.repeated;
    if (!repeated) return;
    this.state = repeated.step.state();
    repeated.step.dispose();
    this.repeated = undefined;
  }

  /** Fused steps (one in-place kernel per variable) where the backend has them; set by subclasses. */
  protected fusedStep: FusedStep | undefined;

  /** Gradient clipping and update masks around the transformation (named optimizers' options). */
  protected preprocessor: Preprocessor | undefined;

  /** Compiled fused steps for the variable list of the last steps (see {@link repeatStep}). */
  private repeated: RepeatedSteps | undefined;

  /** The variable names of the last step, when it was fused. */
  private lastFusedNames: readonly string[] | undefined;

  /** The fused step where the backend has it, else the transformation; `fused` says which ran. */
  private step(
    previous: TransformState,
    keyedGrads: Params,
    keyedParams: Record<string, tf.Variable>,
  ): { state: TransformState; fused: boolean } {
    const fused = this.fusedStep;
    if (!fused || fused.path() === 'reference') {
      return { state: this.stepThroughTransform(previous, keyedGrads, keyedParams), fused: false };
    }
    const state = this.preprocessor
      ? this.preprocessor.runFused(fused, previous, keyedGrads, keyedParams)
      : fused.run(previous, keyedGrads, keyedParams);
    return { state, fused: true };
  }

  /**
   * One step through the transformation (tfjs ops): its updates are checked, then added to the
   * variables. Returns the new state; on failure, frees what it made and changes nothing.
   */
  private stepThroughTransform(
    previous: TransformState,
    keyedGrads: Params,
    keyedParams: Record<string, tf.Variable>,
  ): TransformState {
    const { updates, state } = tf.tidy(() => {
      // Handles of their own (no data copied): a transformation that keeps a gradient in its state
      // keeps it alive after the caller disposes the gradient, as tfjs-layers' fit does.
      const own: Params = {};
      for (const [key, g] of Object.entries(keyedGrads)) own[key] = tf.clone(g);
      const r = this.transform.update(own, previous, keyedParams);
      return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
    }) as unknown as { updates: Params; state: TransformState };
    const held = stateTensors(state);
    const vars = new Set<tf.Tensor>(Object.values(keyedParams));
    const temporary = Object.values(updates).filter((u) => !held.has(u) && !vars.has(u));
    try {
      checkUpdates(updates, keyedParams);
    } catch (e) {
      const old = stateTensors(previous);
      tf.dispose([...held].filter((t) => !old.has(t)));
      tf.dispose(temporary);
      throw e;
    }
    const next = tf.tidy(() =>
      Object.entries(updates).map(([key, u]) => tf.add(keyedParams[key] as tf.Variable, u)),
    );
    Object.keys(updates).forEach((key, i) => {
      (keyedParams[key] as tf.Variable).assign(next[i] as tf.Tensor);
    });
    tf.dispose(next); // the variables keep the data; these handles would count as tensors
    tf.dispose(temporary);
    return state;
  }

  /**
   * `[iter, ...state]`: the step count, then a **snapshot** of every state leaf, named
   * `<variable>/<slot>` (per-variable slots) or `__descent__/<path>/<key>` (transformation-wide
   * numbers). Numbers travel as `int32` scalars, or as their float64 bits in an `int32` tensor of
   * shape `[2]` when not an int32 integer, so a restore is exact. The tensors belong to the
   * optimizer and stay valid until the next `getWeights()` or `dispose()`; do not dispose them.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    if (this.repeated) this.state = this.repeated.step.state();
    return this.snapshots.take(this.iterations, stateLeaves(this.state));
  }

  /**
   * Restores what {@link getWeights} returned — from this optimizer, another one of the same kind
   * and options, or a model saved with `{ includeOptimizer: true }`. The tensors are copied; the
   * caller keeps its own. Everything is checked before the state changes.
   *
   * Each `<variable>` must name a live variable: the one of that name, or else one that differs from
   * it only by the `_<n>` suffix tfjs-layers appends to keep names unique (`dense_Dense1/kernel` ↔
   * `dense_Dense1/kernel_1`, as after `tf.loadLayersModel` next to the original model, or in a
   * session that numbered layers differently). The state keeps its saved names: a variable with no
   * state of its own whose name differs from a restored one only by such a suffix (and whose shape
   * matches) uses that state from its first gradient on, under the saved name — the name the
   * transformation (its masks, partitions) and `getWeights` see. That is how a model that tfjs-layers
   * renamed resumes exactly. A variable never takes over a state another variable has taken.
   *
   * @throws DescentError `BAD_ARGUMENT` (not a list of named tensors, duplicate names), `DISPOSED`,
   *   `UNKNOWN_PARAM` (no such variable; weights of another optimizer or options),
   *   `SHAPE_MISMATCH` / `DTYPE_MISMATCH`.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const { iterations, weights: saved } = await readWeights(weightValues);
    const params: Record<string, tf.Variable> = {};
    for (const name of saved.keys()) {
      const param = leafParam(name);
      if (param !== undefined && !(param in params)) {
        params[param] = findRestoreTarget(param, `optimizer weight ${name}`);
      }
    }
    const template = this.transform.init(params);
    let state: TransformState;
    try {
      state = await fillState(template, saved);
    } finally {
      disposeState(template);
    }
    for (const t of stateTensors(state)) tf.keep(t);
    this.settleState();
    this.lastFusedNames = undefined;
    disposeState(this.state);
    this.state = state;
    this.restored.restore(new Map(Object.entries(params).map(([name, v]) => [name, v.shape])));
    this.iterations_ = iterations;
  }

  /** Frees every state tensor (and those handed out by the last `getWeights`). */
  override dispose(): void {
    this.settleState();
    this.lastFusedNames = undefined;
    this.fusedStep?.dispose?.();
    disposeState(this.state);
    this.snapshots.dispose();
    this.restored.clear();
    this.state = this.transform.init({});
  }

  /** Optimizers built from an arbitrary transformation cannot be saved; named ones can. */
  override getConfig(): tf.serialization.ConfigDict {
    throw new DescentError(
      'BAD_ARGUMENT',
      'an optimizer made with fromTransform() has no serializable config, so model.save({ includeOptimizer: true }) ' +
        'cannot save it: use a named optimizer (adam, adamw, sgd, …), or save its state with getWeights().',
    );
  }
}

/**
 * Turns any gradient transformation into a `tf.Optimizer` ({@link TransformOptimizer}). It trains,
 * and its state saves and restores with `getWeights`/`setWeights`, but it has no config: to save it
 * inside a model (`model.save(…, { includeOptimizer: true })`) use a named optimizer.
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3)));
 * opt.minimize(() => loss(model), false);
 * ```
 *
 * @throws DescentError `BAD_ARGUMENT` when `transform` is no `{ init, update }` transformation.
 */
export function fromTransform(transform: GradientTransformation): TransformOptimizer {
  return new TransformOptimizer(transform);
}

/** Every update belongs to a variable of this step and has its shape and dtype. */
function checkUpdates(updates: Params, variables: Record<string, tf.Variable>): void {
  for (const [name, u] of Object.entries(updates)) {
    const v = variables[name];
    if (!v) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `the optimizer's transformation produced an update for ${name}, which has no gradient in this step.`,
      );
    }
    checkTensor(`update of ${name}`, u);
    if (formatShape(u.shape) !== formatShape(v.shape) || u.dtype !== 'float32') {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `the optimizer's transformation produced an update of ${name} of shape ${formatShape(u.shape)} ` +
          `(${u.dtype}), expected ${formatShape(v.shape)} (float32).`,
      );
    }
  }
}
