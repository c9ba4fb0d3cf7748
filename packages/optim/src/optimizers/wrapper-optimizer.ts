import * as tf from '@tensorflow/tfjs-core';
import {
  checkNumber,
  copyTensor,
  DescentError,
  formatShape,
  type HyperParameter,
} from '@descent/core';
import { withoutLayersKeys } from './config-codec';
import {
  minimizeReleasing,
  type NamedTensor,
  resolveVariables,
  toGradientMap,
} from './gradient-input';
import { readWeights, type StateEntry, WeightSnapshots } from './state-codec';
import { checkRestoredValues } from './restored-state';
import { decodeNumber } from './state-weights';
import { findRestoreTarget, RestoredStates } from './variable-renames';

/** Prefix of the inner optimizer's weights in a wrapper's `getWeights()`. */
export const INNER_PREFIX = 'inner/';

/** A wrapper's state of one variable: tensors (same shape as the variable) and numbers. */
export type WrapperSlots = Record<string, tf.Tensor | number>;

/** The slots a wrapper keeps per variable, for validating restored weights. */
export interface SlotSchema {
  /** Tensor slots every variable has (shaped like the variable). */
  tensors: readonly string[];
  /** Tensor slots a variable may have. */
  optionalTensors?: readonly string[];
  /** Number slots every variable has. */
  numbers: readonly string[];
}

/** The JSON form of an optimizer: tfjs's `{ className, config }` (`getClassName()`, `getConfig()`). */
export interface OptimizerConfig {
  className: string;
  config: tf.serialization.ConfigDict;
}

/**
 * Base of the optimizers that wrap another `tf.Optimizer` (`lookahead`, `swa`): the inner one
 * takes every step, the wrapper adds its own per-variable state, keyed by variable **name**.
 *
 * - `applyGradients` validates every gradient (a live variable of that name, float32, same shape)
 *   before the inner optimizer or any state is touched, then calls {@link step}. State tensors are
 *   `tf.keep`-ed, so they outlive an enclosing `tf.tidy` (tfjs-layers' `fit` runs one per batch).
 * - `getWeights()` returns a snapshot `[iter, ...inner, ...own]`: the inner optimizer's weights in
 *   their order with names prefixed `inner/` (tfjs's built-in optimizers restore by position),
 *   then copies of the wrapper's own slots as `<prefix>/<variable>/<slot>` and wrapper-wide numbers
 *   as `<prefix>/<key>` (numbers as int32 scalars, as `TransformOptimizer` writes them); they stay
 *   valid until the next `getWeights()` or `dispose()`. `setWeights` restores all of it (copies;
 *   the caller keeps its tensors). As `TransformOptimizer` does, a saved variable name that no live
 *   variable has is restored onto the newest variable that differs from it only by the `_<n>`
 *   suffix tfjs-layers appends (a model loaded next to the original); that variable takes the
 *   state over at its first gradient.
 * - `getConfig()` is `{ ...options, inner: { className, config } }`; `fromConfig` rebuilds the
 *   inner optimizer through `tf.serialization.SerializationMap` (so it must be registered, as
 *   tfjs's and descent's optimizers are), which makes `model.save({ includeOptimizer: true })`
 *   and `tf.loadLayersModel` work.
 * - `dispose()` frees the wrapper's state **and the inner optimizer's**.
 */
export abstract class WrapperOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'descent.WrapperOptimizer';
  }

  /** The optimizer that takes the steps. */
  readonly inner: tf.Optimizer;
  /** Per-variable state by variable name. */
  protected slots = new Map<string, WrapperSlots>();
  /** Tensors handed out by the last `getWeights()`, freed on the next call and by `dispose()`. */
  private readonly snapshots = new WeightSnapshots();
  /** States `setWeights` restored that no variable has used yet (see `RestoredStates`). */
  private readonly restored = new RestoredStates();

  constructor(inner: tf.Optimizer) {
    super();
    checkOptimizer(inner);
    this.inner = inner;
  }

  /** The inner optimizer's learning rate; assigning it is {@link setLearningRate}. */
  get learningRate(): HyperParameter {
    return (this.inner as unknown as { learningRate: HyperParameter }).learningRate;
  }

  set learningRate(value: HyperParameter) {
    this.setLearningRate(value);
  }

  /**
   * Sets the inner optimizer's learning rate from the next step on: through its
   * `setLearningRate` (descent's optimizers, `tf.train.sgd`), else by assigning its
   * `learningRate` (the other `tf.train` optimizers read it at every step; they take numbers only).
   *
   * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a schedule or a bad number given to an
   *   inner optimizer that takes numbers only; as its own `setLearningRate` otherwise.
   */
  setLearningRate(value: HyperParameter): void {
    const inner = this.inner as unknown as {
      learningRate: HyperParameter;
      setLearningRate?: (value: HyperParameter) => void;
    };
    if (typeof inner.setLearningRate === 'function') {
      inner.setLearningRate(value);
      return;
    }
    checkNumber('learningRate', value, { min: 0 });
    inner.learningRate = value;
  }

  /** Prefix of this wrapper's own weights (`lookahead`, `swa`). */
  protected abstract get weightPrefix(): string;
  /** The slots of one variable, for {@link setWeights}. */
  protected abstract get slotSchema(): SlotSchema;
  /** The wrapper's own options as JSON (without `inner`). */
  protected abstract optionsConfig(): tf.serialization.ConfigDict;
  /**
   * One step over validated gradients: `runInner()` makes the inner optimizer apply them. Must
   * leave the state untouched if it throws.
   */
  protected abstract step(variables: Record<string, tf.Variable>, runInner: () => void): void;

  /** Wrapper-wide numbers saved with the weights (none by default). */
  protected globals(): Record<string, number> {
    return {};
  }

  /** Restores {@link globals} (called by `setWeights` with every known key). */
  protected setGlobals(_values: Record<string, number>): void {}

  /** Checks a variable's restored slots beyond the schema (e.g. consistency of numbers). */
  protected checkRestored(_name: string, _slots: WrapperSlots): void {}

  /**
   * `tf.Optimizer.minimize`; when the step fails, the gradients and the loss are disposed before
   * the error is rethrown (tfjs's own `minimize` leaks them).
   */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    return minimizeReleasing(this, f, returnCost, varList);
  }

  /** Validates the gradients, then lets the inner optimizer and the wrapper take one step. */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const grads = toGradientMap(variableGradients);
    const variables = resolveVariables(grads);
    const stateKeys = this.restored.keysFor(variables, (name) => this.slots.has(name));
    const renames = [...stateKeys.keys]
      .filter(([name, key]) => key !== name)
      .map(([name, key]): [string, string] => [key, name]);
    const move = (pairs: [string, string][]) => {
      for (const [from, to] of pairs) {
        this.slots.set(to, this.slots.get(from) as WrapperSlots);
        this.slots.delete(from);
      }
    };
    move(renames);
    try {
      this.step(variables, () => this.inner.applyGradients(variableGradients));
    } catch (e) {
      move(renames.map(([from, to]) => [to, from]));
      throw e;
    }
    this.restored.commit(stateKeys, { moved: true });
    for (const slots of this.slots.values()) {
      for (const value of Object.values(slots)) if (typeof value !== 'number') tf.keep(value);
    }
    this.incrementIterations();
  }

  /** `[iter, ...inner weights as inner/<name>, ...own slots as <prefix>/<variable>/<slot>]`. */
  override async getWeights(): Promise<NamedTensor[]> {
    const innerWeights = await this.inner.getWeights();
    const prefix = this.weightPrefix;
    const own: StateEntry[] = Object.entries(this.globals()).map(([key, value]) => ({
      name: `${prefix}/${key}`,
      value,
    }));
    for (const [name, slots] of this.slots) {
      for (const [key, value] of Object.entries(slots)) {
        own.push({ name: `${prefix}/${name}/${key}`, value });
      }
    }
    const [iter, ...rest] = this.snapshots.take(this.iterations, own);
    return [
      iter as NamedTensor,
      ...innerWeights.map((w) => ({ name: `${INNER_PREFIX}${w.name}`, tensor: w.tensor })),
      ...rest,
    ];
  }

  /**
   * Restores what {@link getWeights} returned (from this optimizer or a saved model). Every named
   * variable must exist with the saved shape; everything is checked before anything changes
   * (the inner optimizer's own checks run last).
   *
   * @throws DescentError `UNKNOWN_PARAM` (a weight name that is not this wrapper's, an unknown
   *   variable, a missing or unknown slot), `SHAPE_MISMATCH`, `DISPOSED`, `BAD_ARGUMENT` (also for a
   *   step count that is not an integer ≥ 0), `NON_FINITE` (a NaN or infinite value).
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const { iterations, weights } = await readWeights(weightValues);
    const prefix = `${this.weightPrefix}/`;
    const knownGlobals = new Set(Object.keys(this.globals()));
    const innerWeights: NamedTensor[] = [];
    const globals = new Map<string, tf.Tensor>();
    const own = new Map<string, Record<string, tf.Tensor>>();
    for (const [name, tensor] of weights) {
      if (name.startsWith(INNER_PREFIX)) {
        innerWeights.push({ name: name.slice(INNER_PREFIX.length), tensor });
      } else if (name.startsWith(prefix)) {
        const rest = name.slice(prefix.length);
        const cut = rest.lastIndexOf('/');
        if (cut < 0) {
          if (!knownGlobals.has(rest)) throw unknownWeight(name, this.weightPrefix);
          globals.set(rest, tensor);
        } else {
          const variable = rest.slice(0, cut);
          const slots = own.get(variable) ?? {};
          slots[rest.slice(cut + 1)] = tensor;
          own.set(variable, slots);
        }
      } else {
        throw unknownWeight(name, this.weightPrefix);
      }
    }
    const schema = this.slotSchema;
    const allowed = new Set([
      ...schema.tensors,
      ...(schema.optionalTensors ?? []),
      ...schema.numbers,
    ]);
    const shapes = new Map<string, readonly number[]>();
    for (const [variable, slots] of own) {
      const v = findRestoreTarget(variable, `optimizer weight ${prefix}${variable}/…`);
      shapes.set(variable, v.shape);
      for (const key of Object.keys(slots)) {
        if (!allowed.has(key)) {
          throw new DescentError(
            'UNKNOWN_PARAM',
            `optimizer weight ${prefix}${variable}/${key}: ${this.getClassName()} has no slot "${key}" (slots: ${[...allowed].join(', ')}).`,
          );
        }
      }
      for (const key of [...schema.tensors, ...schema.numbers]) {
        if (!slots[key]) {
          throw new DescentError(
            'UNKNOWN_PARAM',
            `optimizer weights lack ${prefix}${variable}/${key}.`,
          );
        }
      }
      for (const [key, t] of Object.entries(slots)) {
        const isNumber = schema.numbers.includes(key);
        if (!isNumber && formatShape(t.shape) !== formatShape(v.shape)) {
          throw new DescentError(
            'SHAPE_MISMATCH',
            `optimizer weight ${prefix}${variable}/${key} has shape ${formatShape(t.shape)}, expected ${formatShape(v.shape)}.`,
          );
        }
      }
    }
    const restored = new Map<string, WrapperSlots>();
    for (const [variable, slots] of own) {
      const values: WrapperSlots = {};
      for (const [key, t] of Object.entries(slots)) {
        const weight = `${prefix}${variable}/${key}`;
        if (schema.numbers.includes(key)) values[key] = await decodeNumber(weight, t);
        else values[key] = t; // copied below, once everything is checked
      }
      this.checkRestored(variable, values);
      restored.set(variable, values);
    }
    const globalValues: Record<string, number> = { ...this.globals() };
    for (const [key, t] of globals) globalValues[key] = await decodeNumber(`${prefix}${key}`, t);
    await checkRestoredValues([
      ...[...restored].flatMap(([variable, values]) =>
        Object.entries(values).map(([key, value]) => ({
          name: `${prefix}${variable}/${key}`,
          value,
          bound: typeof value === 'number' ? ('count' as const) : ('finite' as const),
        })),
      ),
      ...Object.entries(globalValues).map(([key, value]) => ({ name: `${prefix}${key}`, value })),
    ]);
    const copies: tf.Tensor[] = [];
    for (const [variable, values] of restored) {
      for (const [key, value] of Object.entries(values)) {
        if (typeof value === 'number') continue;
        const copy = tf.keep(copyTensor(value, `${prefix}${variable}/${key}`));
        copies.push(copy);
        values[key] = copy;
      }
    }
    try {
      if (innerWeights.length > 0) await this.inner.setWeights(innerWeights);
    } catch (e) {
      tf.dispose(copies);
      throw e;
    }
    this.disposeSlots();
    this.slots = restored;
    this.restored.restore(shapes);
    this.setGlobals(globalValues);
    this.iterations_ = iterations;
  }

  /** The wrapper's options and the inner optimizer's class name and config. */
  getConfig(): tf.serialization.ConfigDict {
    const inner: tf.serialization.ConfigDict = {
      className: this.inner.getClassName(),
      config: this.inner.getConfig(),
    };
    return { ...this.optionsConfig(), inner };
  }

  /** Rebuilds a wrapper, and its inner optimizer, from {@link getConfig}'s output. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { inner, ...options } = withoutLayersKeys(config);
    const optimizer = optimizerFromConfig(inner);
    return new (cls as unknown as new (inner: tf.Optimizer, options: object) => T)(
      optimizer,
      options,
    );
  }

  /** Frees the wrapper's state, the scalars of the last `getWeights()`, and the inner optimizer. */
  override dispose(): void {
    this.disposeSlots();
    this.slots = new Map();
    this.restored.clear();
    this.snapshots.dispose();
    this.inner.dispose();
  }

  private disposeSlots(): void {
    for (const slots of this.slots.values()) {
      for (const value of Object.values(slots)) if (typeof value !== 'number') value.dispose();
    }
  }
}

/**
 * Rebuilds an optimizer from `{ className, config }` through `tf.serialization.SerializationMap`.
 *
 * @throws DescentError `BAD_ARGUMENT` for a malformed config or a class nobody registered.
 */
export function optimizerFromConfig(value: unknown): tf.Optimizer {
  const entry = value as Partial<OptimizerConfig> | null | undefined;
  if (
    typeof entry !== 'object' ||
    entry === null ||
    typeof entry.className !== 'string' ||
    typeof entry.config !== 'object' ||
    entry.config === null
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the inner optimizer's config must be { className, config }, got ${JSON.stringify(value)}.`,
    );
  }
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[entry.className];
  if (!registered) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the inner optimizer's class "${entry.className}" is not registered with tf.serialization; ` +
        'import the module that defines it (descent optimizers register themselves on import).',
    );
  }
  const [cls, fromConfig] = registered;
  const optimizer = fromConfig(cls, { ...entry.config });
  checkOptimizer(optimizer);
  return optimizer as tf.Optimizer;
}

/** Duck-typed check (two copies of tfjs may coexist, so no `instanceof`). */
export function checkOptimizer(value: unknown): asserts value is tf.Optimizer {
  const o = value as Partial<tf.Optimizer> | null | undefined;
  const ok =
    typeof o === 'object' &&
    o !== null &&
    ['applyGradients', 'getWeights', 'setWeights', 'dispose', 'getConfig', 'getClassName'].every(
      (m) => typeof (o as Record<string, unknown>)[m] === 'function',
    );
  if (!ok) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `the inner optimizer must be a tf.Optimizer (applyGradients, getWeights, setWeights, …), got ${String(value)}.`,
    );
  }
}

function unknownWeight(name: string, prefix: string): DescentError {
  return new DescentError(
    'UNKNOWN_PARAM',
    `optimizer weight "${name}" is not one of this optimizer's (expected iter, inner/…, or ${prefix}/…).`,
  );
}
