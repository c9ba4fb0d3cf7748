import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, formatShape, sameShape } from '@descent/core';
import { registeredVariables } from './gradient-input';

/**
 * A name without the `_<n>` suffix tfjs-layers appends to keep variable names unique
 * (`dense_Dense1/kernel_1` → `dense_Dense1/kernel`): after `tf.loadLayersModel` next to the
 * original model, or in a session that numbered layers differently, optimizer state saved under
 * one name has to find its variable under the other.
 */
export function baseName(name: string): string {
  return name.replace(/_\d+$/, '');
}

/** The live variables whose names equal `name` up to a tfjs-layers `_<n>` suffix, newest first. */
export function renamedVariables(name: string): tf.Variable[] {
  const base = baseName(name);
  return Object.values(registeredVariables())
    .filter((v): v is tf.Variable => v !== undefined && !v.isDisposed && baseName(v.name) === base)
    .sort((a, b) => b.id - a.id);
}

/**
 * The live variable restored state named `name` belongs to: the variable of that name, or else
 * the newest live one of the same base name (a tfjs-layers rename; the newest is the model just
 * loaded). Only its shape matters here: the state moves to a renamed variable at its first gradient.
 *
 * @throws DescentError `UNKNOWN_PARAM` when there is neither.
 */
export function findRestoreTarget(name: string, what: string): tf.Variable {
  const exact = registeredVariables()[name];
  if (exact && !exact.isDisposed) return exact;
  const newest = renamedVariables(name)[0];
  if (newest) return newest;
  throw new DescentError(
    'UNKNOWN_PARAM',
    `${what}: no live variable is named ${name}; create (or load) the model before restoring its ` +
      'optimizer state.',
  );
}

/**
 * The restored names a variable named `name` may take the state of: those equal to it up to a
 * tfjs-layers `_<n>` suffix that `unavailable` does not rule out (already taken, or the name of a
 * variable of the same step).
 */
export function takeoverCandidates(
  name: string,
  restored: Iterable<string>,
  unavailable: (restoredName: string) => boolean,
): string[] {
  const base = baseName(name);
  return [...restored].filter((s) => !unavailable(s) && baseName(s) === base);
}

/** Where each variable of a step keeps its state, and the restored states it claims (see {@link RestoredStates}). */
export interface StateKeys {
  /** Variable name → the name its state is kept under (itself, or a restored name it took over). */
  keys: Map<string, string>;
  /** Restored names first used in this step. */
  claimed: string[];
}

/**
 * The state names `setWeights` restored that no variable has used yet, and which variable took
 * which over: a variable with no state of its own whose name differs from a restored one only by
 * a tfjs-layers `_<n>` suffix (and whose shape matches) uses that state from its first gradient
 * on. A variable never takes over a state another variable has taken.
 */
export class RestoredStates {
  /** Restored names no variable has used yet, with their variables' shapes then. */
  private pending = new Map<string, readonly number[]>();
  /** Variable name → the restored name whose state it took over. */
  private readonly aliases = new Map<string, string>();

  /** Starts over with these restored names and shapes. */
  restore(shapes: ReadonlyMap<string, readonly number[]>): void {
    this.pending = new Map(shapes);
    this.aliases.clear();
  }

  clear(): void {
    this.restore(new Map());
  }

  /**
   * The key each variable's state lives under: its own name, or — for a variable without state
   * (`hasState` false) — the restored state of the one name it differs from only by a tfjs-layers
   * `_<n>` suffix. Pure: {@link commit} records the result once the step succeeded.
   *
   * @throws DescentError `BAD_ARGUMENT` (two variables would share a state, or several restored
   *   states could be this variable's), `SHAPE_MISMATCH` (the restored state has another shape).
   */
  keysFor(variables: Record<string, tf.Variable>, hasState: (name: string) => boolean): StateKeys {
    const keys = new Map<string, string>();
    const taken = new Set(this.aliases.values());
    const names = Object.keys(variables);
    const claimed = names.filter((n) => this.pending.has(n) && !taken.has(n));
    for (const name of names) {
      const alias = this.aliases.get(name);
      if (alias !== undefined) {
        keys.set(name, alias);
        continue;
      }
      if (taken.has(name)) {
        const owner = [...this.aliases].find(([, key]) => key === name)?.[0];
        throw new DescentError(
          'BAD_ARGUMENT',
          `variable ${name} would share its optimizer state with ${owner}, which took over the state ` +
            `restored for ${name} (tfjs-layers renaming); train the two with separate optimizers.`,
        );
      }
      if (this.pending.size === 0 || this.pending.has(name) || hasState(name)) {
        keys.set(name, name);
        continue;
      }
      const from = this.takeover(name, variables, taken, claimed);
      keys.set(name, from ?? name);
      if (from !== undefined) claimed.push(from);
    }
    return { keys, claimed };
  }

  /**
   * Records a step's {@link keysFor} result. `moved`: the caller moved each taken-over state to
   * its variable's own name, so no alias is kept.
   */
  commit({ keys, claimed }: StateKeys, { moved = false }: { moved?: boolean } = {}): void {
    if (!moved) for (const [name, key] of keys) if (key !== name) this.aliases.set(name, key);
    for (const key of claimed) this.pending.delete(key);
  }

  /** The restored name `name` takes over, if exactly one fits; throws when the fit is unclear. */
  private takeover(
    name: string,
    variables: Record<string, tf.Variable>,
    taken: ReadonlySet<string>,
    claimed: readonly string[],
  ): string | undefined {
    const candidates = takeoverCandidates(
      name,
      this.pending.keys(),
      (s) => s in variables || taken.has(s) || claimed.includes(s),
    );
    if (candidates.length === 0) return undefined;
    if (candidates.length > 1) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `variable ${name} has no optimizer state, and the state restored for ${candidates.join(', ')} ` +
          'could each be its own (tfjs-layers renaming); restore with the variables named as saved.',
      );
    }
    const from = candidates[0] as string;
    const shape = this.pending.get(from) as readonly number[];
    const v = variables[name] as tf.Variable;
    if (!sameShape(shape, v.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `variable ${name} has shape ${formatShape(v.shape)}, but the optimizer state restored for ` +
          `${from} (the same variable before tfjs-layers renamed it) has shape ${formatShape(shape)}.`,
      );
    }
    return from;
  }
}
