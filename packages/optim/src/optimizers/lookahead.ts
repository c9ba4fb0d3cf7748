import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions, copyTensor } from '@descent/core';
import { registerOptimizer } from './named-optimizer';
import { type SlotSchema, WrapperOptimizer, type WrapperSlots } from './wrapper-optimizer';

/** Options of {@link lookahead}. */
export interface LookaheadOptions {
  /** `k` ≥ 1: inner steps between synchronizations. Default 5 (paper). */
  k?: number;
  /** `α` in [0, 1]: step size of the slow weights towards the fast ones. Default 0.5 (paper). */
  alpha?: number;
}

/**
 * Lookahead (Zhang, Lucas, Hinton & Ba, 2019, "Lookahead Optimizer: k steps forward, 1 step back";
 * survey §5.5) around any `tf.Optimizer`: the inner optimizer moves the **fast** weights `θ` (the
 * variables); every `k` of its steps, the **slow** weights `φ` move a fraction `α` towards them
 * and the fast weights restart from there:
 *
 * ```
 * θ ← inner step(θ, g)                          (every step)
 * every k-th step:  φ ← φ + α·(θ − φ),   θ ← φ
 * ```
 *
 * `φ` starts as the variable's value before its first step. Each variable counts its own steps
 * (state keyed by variable name: slots `slow` and `step`), so updating a subset never mixes
 * state. The inner optimizer's state is kept across synchronizations (as in the paper, optax's
 * `lookahead` and the common PyTorch ports). Between synchronizations the variables hold the fast
 * weights; the paper evaluates the slow ones, which the variables hold right after every `k`-th step.
 *
 * Defaults k = 5, α = 0.5. Frameworks: optax's `lookahead` is a transformation keeping both weight
 * sets in the optimizer state (and can reset the inner state); TensorFlow Addons' `Lookahead`
 * uses `sync_period = 6`, `slow_step_size = 0.5`, and one global counter.
 *
 * `getWeights()` holds the inner optimizer's weights (`inner/…`) and `lookahead/<variable>/slow`,
 * `lookahead/<variable>/step`; `getConfig()` holds `k`, `alpha` and the inner optimizer's class
 * name and config, so `model.save({ includeOptimizer: true })` restores both. `dispose()` also
 * disposes the inner optimizer.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: lookahead(adam({ learningRate: 1e-3 }), { k: 5, alpha: 0.5 }), loss: 'meanSquaredError' });
 * ```
 */
export class Lookahead extends WrapperOptimizer {
  static override get className(): string {
    return 'descent.Lookahead';
  }

  /** Inner steps between synchronizations. */
  readonly k: number;
  /** Step size of the slow weights. */
  readonly alpha: number;

  constructor(inner: tf.Optimizer, options: LookaheadOptions = {}) {
    checkOptions('lookahead', options, ['k', 'alpha']);
    const { k = 5, alpha = 0.5 } = options;
    checkNumber('k', k, { min: 1, integer: true });
    checkNumber('alpha', alpha, { min: 0, max: 1 });
    super(inner);
    this.k = k;
    this.alpha = alpha;
  }

  protected override get weightPrefix(): string {
    return 'lookahead';
  }

  protected override get slotSchema(): SlotSchema {
    return { tensors: ['slow'], numbers: ['step'] };
  }

  protected override optionsConfig(): tf.serialization.ConfigDict {
    return { k: this.k, alpha: this.alpha };
  }

  protected override step(variables: Record<string, tf.Variable>, runInner: () => void): void {
    const fresh = new Map<string, tf.Tensor>();
    for (const [name, v] of Object.entries(variables)) {
      if (!this.slots.has(name)) fresh.set(name, copyTensor(v, name));
    }
    try {
      runInner();
    } catch (e) {
      tf.dispose([...fresh.values()]);
      throw e;
    }
    for (const [name, v] of Object.entries(variables)) {
      const previous: WrapperSlots = this.slots.get(name) ?? {
        slow: fresh.get(name) as tf.Tensor,
        step: 0,
      };
      const step = (previous.step as number) + 1;
      const oldSlow = previous.slow as tf.Tensor;
      if (step % this.k !== 0) {
        this.slots.set(name, { slow: oldSlow, step });
        continue;
      }
      const slow = tf.tidy(() => tf.add(oldSlow, tf.mul(tf.sub(v, oldSlow), this.alpha)));
      const fast = copyTensor(slow, name); // the variable gets its own buffer
      v.assign(fast);
      fast.dispose(); // the variable keeps the data
      oldSlow.dispose();
      this.slots.set(name, { slow, step });
    }
  }
}
registerOptimizer(Lookahead);

/**
 * Wraps a `tf.Optimizer` in Lookahead; see {@link Lookahead} for the update rule and defaults.
 *
 * @throws DescentError `BAD_HYPERPARAM`/`NON_FINITE` for a bad `k` or `alpha`, `BAD_ARGUMENT` when
 *   `inner` is not an optimizer or `options` no plain object (`null` included), `UNKNOWN_PARAM`
 *   for an unknown option.
 */
export function lookahead(inner: tf.Optimizer, options: LookaheadOptions = {}): Lookahead {
  return new Lookahead(inner, options);
}
