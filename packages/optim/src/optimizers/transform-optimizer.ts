import * as tf from '@tensorflow/tfjs-core';
import { checkTensor, copyTensor, DescentError, formatShape, type Params } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import {
  disposeReplaced,
  disposeState,
  stateTensors,
  type TransformState,
} from '../transform/transform-state';
import { fillState, stateLeaves } from './state-weights';

/** A tensor with a name, as `getWeights`/`setWeights` exchange them (tfjs's `NamedTensor`). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

const ITERATIONS = 'iter';

/**
 * A `tf.Optimizer` driven by a {@link GradientTransformation}: usable wherever tfjs takes an
 * optimizer (`minimize`, `applyGradients`, `model.compile`/`fit`). The state is keyed by variable
 * **name** and created lazily per variable, so `minimize` over any subset or order of variables
 * never mixes state. Each step validates every gradient (known variable, live, float32, same shape)
 * before any variable or state changes.
 *
 * `getWeights()` returns `[iter, ...state]`, slots named `<variable>/<slot>`; `setWeights` restores
 * them (copies, so the caller may dispose its tensors); `dispose()` frees everything.
 */
export class TransformOptimizer extends tf.Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'descent.TransformOptimizer';
  }

  protected readonly transform: GradientTransformation;
  private state: TransformState;
  /** Scalar tensors handed out by the last `getWeights()` for numeric state, freed on the next call. */
  private exported: tf.Tensor[] = [];

  constructor(transform: GradientTransformation) {
    super();
    this.transform = transform;
    this.state = transform.init({});
  }

  /** Applies one step: `θ ← θ + u` with `u` the transformation's updates of these gradients. */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const grads = toGradientMap(variableGradients);
    const variables = resolveVariables(grads);
    const previous = this.state;
    const { updates, state } = tf.tidy(() => {
      const r = this.transform.update(grads, previous, variables);
      return { updates: r.updates, state: r.state } as unknown as tf.TensorContainer;
    }) as unknown as { updates: Params; state: TransformState };
    try {
      for (const [name, u] of Object.entries(updates)) {
        const v = variables[name] as tf.Variable;
        const next = tf.tidy(() => tf.add(v, u));
        v.assign(next);
        next.dispose(); // the variable keeps the data; this handle would count as a tensor
      }
    } finally {
      const inputs = new Set(Object.values(grads));
      const held = stateTensors(state);
      tf.dispose(Object.values(updates).filter((u) => !inputs.has(u) && !held.has(u)));
    }
    disposeReplaced(previous, state);
    this.state = state;
    this.incrementIterations();
  }

  /** `[iter, ...state]`: the step count, then every state tensor named `<variable>/<slot>`. */
  override async getWeights(): Promise<NamedTensor[]> {
    tf.dispose(this.exported);
    this.exported = [];
    const leaves = stateLeaves(this.state).map(({ name, value }) => {
      if (typeof value !== 'number') return { name, tensor: value };
      const tensor = tf.scalar(value);
      this.exported.push(tensor);
      return { name, tensor };
    });
    const iterations = tf.scalar(this.iterations, 'int32');
    this.exported.push(iterations);
    return [{ name: ITERATIONS, tensor: iterations }, ...leaves];
  }

  /**
   * Restores what {@link getWeights} returned (from this optimizer, or from a saved model). The
   * variables named must exist. The tensors are copied; the caller keeps ownership of its own.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const saved = new Map(weightValues.map((w) => [w.name, w.tensor]));
    const iterations = saved.get(ITERATIONS);
    saved.delete(ITERATIONS);
    const names = new Set(
      [...saved.keys()]
        .filter((n) => !n.startsWith('__descent__/'))
        .map((n) => n.slice(0, n.lastIndexOf('/'))),
    );
    const params: Params = {};
    for (const name of names) params[name] = lookupVariable(name, `optimizer weight ${name}/…`);
    const template = this.transform.init(params);
    const copies = new Map([...saved].map(([name, t]) => [name, copyTensor(t, name)]));
    let filled: Awaited<ReturnType<typeof fillState>>;
    try {
      filled = await fillState(template, copies);
    } catch (e) {
      tf.dispose([...copies.values()]);
      disposeState(template);
      throw e;
    }
    tf.dispose([...copies.values()].filter((t) => !filled.used.has(t)));
    disposeReplaced(template, filled.state);
    disposeState(this.state);
    this.state = filled.state;
    this.iterations_ = iterations ? ((await iterations.data())[0] as number) : 0;
  }

  /** Frees every state tensor (and those handed out by the last `getWeights`). */
  override dispose(): void {
    disposeState(this.state);
    tf.dispose(this.exported);
    this.exported = [];
    this.state = this.transform.init({});
  }

  /** Optimizers built from an arbitrary transformation cannot be saved; named ones can. */
  getConfig(): tf.serialization.ConfigDict {
    throw new DescentError(
      'BAD_ARGUMENT',
      'an optimizer made with fromTransform() has no serializable config; use a named optimizer ' +
        '(adam, sgd, …) to save it with model.save({ includeOptimizer: true }).',
    );
  }
}

/**
 * Turns any gradient transformation into a `tf.Optimizer` ({@link TransformOptimizer}).
 *
 * @example
 * ```ts
 * const opt = fromTransform(chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3)));
 * opt.minimize(() => loss(model), false);
 * ```
 */
export function fromTransform(transform: GradientTransformation): TransformOptimizer {
  return new TransformOptimizer(transform);
}

function toGradientMap(variableGradients: tf.NamedTensorMap | NamedTensor[]): Params {
  if (Array.isArray(variableGradients)) {
    const map: Params = {};
    for (const { name, tensor } of variableGradients) map[name] = tensor;
    return map;
  }
  if (typeof variableGradients !== 'object' || variableGradients === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      'applyGradients takes a map or an array of named gradients.',
    );
  }
  return variableGradients;
}

/** Every gradient's variable, checked (known, live, float32, same shape) before anything changes. */
function resolveVariables(grads: Params): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  for (const [name, g] of Object.entries(grads)) {
    checkTensor(`gradient of ${name}`, g);
    const v = lookupVariable(name, `gradient of ${name}`);
    if (g.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `gradient of ${name} has dtype ${g.dtype}, expected float32.`,
      );
    }
    if (formatShape(g.shape) !== formatShape(v.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `gradient of ${name} has shape ${formatShape(g.shape)} but the variable has shape ${formatShape(v.shape)}.`,
      );
    }
    variables[name] = v;
  }
  return variables;
}

function lookupVariable(name: string, what: string): tf.Variable {
  const v = (tf.engine().registeredVariables as Record<string, tf.Variable | undefined>)[name];
  if (!v) throw new DescentError('UNKNOWN_PARAM', `${what}: no variable named "${name}" exists.`);
  if (v.isDisposed)
    throw new DescentError(
      'DISPOSED',
      `${what}: variable "${name}" (shape ${formatShape(v.shape)}) was disposed.`,
    );
  return v;
}
