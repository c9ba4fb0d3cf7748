import * as tf from '@tensorflow/tfjs-core';
import {
  checkTensor,
  DescentError,
  describeValue,
  formatShape,
  isTensor,
  type Params,
  sameShape,
} from '@descent/core';
import { lossGradients } from './loss-gradients';

/** A tensor with a name, as `getWeights`/`setWeights` exchange them (tfjs's `NamedTensor`). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** tfjs's registry of live variables, by name. */
export function registeredVariables(): Record<string, tf.Variable | undefined> {
  return tf.engine().registeredVariables as Record<string, tf.Variable | undefined>;
}

/**
 * The gradients `applyGradients` was given, as a map by variable name, without the `null` and
 * `undefined` ones: as `tf.train`'s optimizers do, a variable without a gradient (frozen, or not
 * used by the loss) is skipped, and no state is made for it.
 *
 * @throws DescentError `BAD_ARGUMENT` for neither a map nor an array of `{ name, tensor }`, or two
 *   gradients of one name.
 */
export function toGradientMap(variableGradients: tf.NamedTensorMap | NamedTensor[]): Params {
  if (Array.isArray(variableGradients)) {
    const map: Params = {};
    const named = new Set<string>();
    variableGradients.forEach((entry, i) => {
      const name = (entry as Partial<NamedTensor> | null)?.name;
      if (typeof name !== 'string') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `applyGradients: variableGradients[${i}] must be { name: string, tensor: tf.Tensor }.`,
        );
      }
      if (named.has(name)) {
        throw new DescentError('BAD_ARGUMENT', `applyGradients: two gradients for ${name}.`);
      }
      named.add(name);
      if (entry.tensor != null) map[name] = entry.tensor;
    });
    return map;
  }
  if (typeof variableGradients !== 'object' || variableGradients === null) {
    throw new DescentError(
      'BAD_ARGUMENT',
      'applyGradients takes a map or an array of named gradients.',
    );
  }
  for (const g of Object.values(variableGradients)) {
    if (g == null) return withoutMissing(variableGradients);
  }
  return variableGradients;
}

function withoutMissing(grads: tf.NamedTensorMap): Params {
  const map: Params = {};
  for (const [name, g] of Object.entries(grads)) if (g != null) map[name] = g;
  return map;
}

/**
 * The live variable named `name`. `seen` holds the shapes of variables used before, so that one
 * disposed since is reported as such (tfjs unregisters a variable when it is disposed).
 *
 * @throws DescentError `DISPOSED` (a disposed variable of known shape), `UNKNOWN_PARAM` (no such variable).
 */
export function lookupVariable(
  name: string,
  what: string,
  seen: ReadonlyMap<string, readonly number[]> = new Map(),
): tf.Variable {
  const v = registeredVariables()[name];
  if (!v || v.isDisposed) {
    const shape = v?.shape ?? seen.get(name);
    if (shape) {
      throw new DescentError(
        'DISPOSED',
        `${what}: variable ${name} (shape ${formatShape(shape)}) was disposed.`,
      );
    }
    throw new DescentError(
      'UNKNOWN_PARAM',
      `${what}: no live variable is named ${name} (misspelled, or disposed?).`,
    );
  }
  return v;
}

/**
 * Every gradient's variable, checked (known, live, float32, same shape) before anything changes.
 * `seen`: as for {@link lookupVariable}.
 *
 * @throws DescentError `UNKNOWN_PARAM`, `DISPOSED`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH`.
 */
export function resolveVariables(
  grads: Params,
  seen?: ReadonlyMap<string, readonly number[]>,
): Record<string, tf.Variable> {
  const variables: Record<string, tf.Variable> = {};
  const registry = registeredVariables();
  for (const [name, g] of Object.entries(grads)) {
    // Messages are built only on the way to an error: this runs for every variable of every step.
    if (!isTensor(g) || g.isDisposed) checkTensor(`gradient of ${name}`, g);
    const live = registry[name];
    const v =
      live && !live.isDisposed
        ? live
        : lookupVariable(name, `gradient of ${name} (shape ${formatShape(g.shape)})`, seen);
    if (g.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `gradient of ${name} (shape ${formatShape(g.shape)}) has dtype ${g.dtype}, expected float32.`,
      );
    }
    if (v.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `variable ${name} (shape ${formatShape(v.shape)}) has dtype ${v.dtype}; optimizers update float32 variables.`,
      );
    }
    if (!sameShape(g.shape, v.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `gradient of ${name} has shape ${formatShape(g.shape)} but the variable has shape ${formatShape(v.shape)}.`,
      );
    }
    variables[name] = v;
  }
  return variables;
}

/**
 * Asserts `varList` is an array of live `tf.Variable`s; `what` names the caller in messages.
 *
 * @throws DescentError `BAD_ARGUMENT` (not an array, or a plain tensor), `DISPOSED`.
 */
export function checkVarList(what: string, varList: unknown): asserts varList is tf.Variable[] {
  if (!Array.isArray(varList)) {
    throw new DescentError('BAD_ARGUMENT', `${what}: varList must be an array of tf.Variable.`);
  }
  varList.forEach((v: tf.Variable, i) => {
    checkTensor(`${what}: varList[${i}]`, v);
    if (typeof (v as Partial<tf.Variable>).assign !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${what}: varList[${i}] (shape ${formatShape(v.shape)}) is a tensor, not a tf.Variable.`,
      );
    }
  });
}

/**
 * The trainable variables of `varList` (default: every registered one), checked, by name.
 *
 * @throws DescentError as {@link checkVarList}, and `BAD_ARGUMENT` when none is trainable.
 */
export function trainableVariables(
  what: string,
  varList: tf.Variable[] | undefined,
): Record<string, tf.Variable> {
  if (varList !== undefined) checkVarList(what, varList);
  const list = varList ?? Object.values(registeredVariables() as Record<string, tf.Variable>);
  const variables: Record<string, tf.Variable> = {};
  for (const v of list) if (v.trainable) variables[v.name] = v;
  if (Object.keys(variables).length === 0) {
    throw new DescentError('BAD_ARGUMENT', `${what}: there is no trainable variable to optimize.`);
  }
  return variables;
}

/**
 * `tf.Optimizer.minimize`: the loss and its gradients (see {@link lossGradients}), then one
 * `applyGradients` with the gradients in `varList`'s order (default: every trainable variable).
 * `f`, `varList` and the loss function's result are checked before anything changes, and nothing
 * leaks when a step fails: the gradients and the loss are disposed before the error is rethrown
 * (tfjs's own `minimize` leaks them). An exception the loss function throws passes through.
 *
 * @throws DescentError `BAD_ARGUMENT` for an `f` that is not a function, an empty `varList` or one
 *   of no live variables, or a result that is not a float32 scalar connected to the variables;
 *   as `applyGradients` otherwise.
 */
export function minimizeReleasing(
  optimizer: tf.Optimizer,
  f: () => tf.Scalar,
  returnCost: boolean,
  varList: tf.Variable[] | undefined,
): tf.Scalar | null {
  if (typeof f !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `minimize: the loss function f must be a function () => tf.Scalar, got ${describeValue(f)}.`,
    );
  }
  if (varList !== undefined) checkVarList('minimize', varList);
  const list = trainableList(varList);
  const { value, grads } = lossGradients(f, list);
  try {
    optimizer.applyGradients(namedGradients(list, grads, varList === undefined));
  } catch (e) {
    value.dispose();
    throw e;
  } finally {
    for (const g of grads) g?.dispose();
  }
  if (returnCost) return value;
  value.dispose();
  return null;
}

/**
 * The gradients by variable, without the missing ones (a frozen or unused variable has no entry):
 * a map in registration order, or a list in `varList`'s order when the caller gave one.
 */
function namedGradients(
  variables: readonly tf.Variable[],
  grads: readonly (tf.Tensor | null | undefined)[],
  asMap: boolean,
): tf.NamedTensorMap | NamedTensor[] {
  const map: tf.NamedTensorMap = {};
  const list: NamedTensor[] = [];
  for (let i = 0; i < variables.length; i++) {
    const g = grads[i];
    if (g == null) continue;
    const name = (variables[i] as tf.Variable).name;
    if (asMap) map[name] = g;
    else list.push({ name, tensor: g });
  }
  return asMap ? map : list;
}

/**
 * The trainable variables of `varList` (default: every registered one), in its order, as tfjs's
 * `minimize` takes them (non-trainable ones are left out).
 *
 * @throws DescentError `BAD_ARGUMENT` when none is trainable.
 */
function trainableList(varList: readonly tf.Variable[] | undefined): tf.Variable[] {
  const all = varList ?? (Object.values(registeredVariables()) as tf.Variable[]);
  const list: tf.Variable[] = [];
  for (const v of all) if (v.trainable) list.push(v);
  if (list.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `minimize: varList has no trainable variable (${all.length} given); there is nothing to optimize.`,
    );
  }
  return list;
}
