import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, checkOptions, copyTensor, DescentError, type Params } from '@descent/core';
import { lookupVariable } from './gradient-input';
import { registerOptimizer } from './named-optimizer';
import { type SlotSchema, WrapperOptimizer, type WrapperSlots } from './wrapper-optimizer';

/** Options of {@link swa}. */
export interface SwaOptions {
  /** The first step (counted per variable, from 1) whose weights enter the average. Integer ≥ 0. Default 0. */
  start?: number;
  /** Steps between two weights entering the average. Integer ≥ 1. Default 1. */
  frequency?: number;
}

/**
 * Stochastic Weight Averaging (Izmailov, Podoprikhin, Garipov, Vetrov & Wilson, 2018, "Averaging
 * Weights Leads to Wider Optima and Better Generalization"; survey §5.5) around any
 * `tf.Optimizer`: the inner optimizer trains as usual, and an equal-weight running average of the
 * weights is kept from step `start` on, every `frequency` steps:
 *
 * ```
 * θ ← inner step(θ, g)                                   (every step; t ← t + 1)
 * if t ≥ start and (t − start) mod frequency = 0:
 *   θ_swa ← (n·θ_swa + θ) / (n + 1),   n ← n + 1           (θ_swa = θ when n = 0)
 * ```
 *
 * `t` counts each variable's steps (state keyed by variable name: slots `step`, `count` = n and,
 * once n ≥ 1, `average`). Training never reads the average: call {@link SWA.swapAverage} to put it
 * into the variables (and again to swap back), or {@link SWA.averagedWeights} for copies.
 * Networks with batch normalization need their running statistics recomputed for the averaged
 * weights (one pass over the training data in training mode, torch's `update_bn`).
 *
 * Defaults start = 0, frequency = 1 (average after every step). The paper pairs SWA with a
 * constant or cyclical learning rate from `start` on (a `Schedule` on the inner optimizer).
 * Frameworks: torch's `AveragedModel` is updated by hand (`swa_model.update_parameters(model)`,
 * usually once per epoch); torchcontrib's `SWA` averages when `t > start` and `t mod frequency = 0`;
 * TensorFlow Addons' `SWA` when the 0-based step `s ≥ start` and `(s − start) mod period = 0`.
 *
 * `getWeights()` holds the inner optimizer's weights (`inner/…`), `swa/<variable>/{step,count,average}`
 * and `swa/swapped`; `getConfig()` holds `start`, `frequency` and the inner optimizer's class name and
 * config. `dispose()` also disposes the inner optimizer.
 *
 * @example
 * ```ts
 * const opt = swa(sgd({ learningRate: 0.05, momentum: 0.9 }), { start: 1000, frequency: 100 });
 * model.compile({ optimizer: opt, loss: 'categoricalCrossentropy' });
 * await model.fit(xs, ys, { epochs: 20 });
 * opt.swapAverage();          // the model now holds the SWA weights
 * ```
 */
export class SWA extends WrapperOptimizer {
  static override get className(): string {
    return 'descent.SWA';
  }

  /** The first step that enters the average. */
  readonly start: number;
  /** Steps between two weights entering the average. */
  readonly frequency: number;
  private swappedIn = false;

  constructor(inner: tf.Optimizer, options: SwaOptions = {}) {
    checkOptions('swa', options, ['start', 'frequency']);
    const { start = 0, frequency = 1 } = options;
    checkNumber('start', start, { min: 0, integer: true });
    checkNumber('frequency', frequency, { min: 1, integer: true });
    super(inner);
    this.start = start;
    this.frequency = frequency;
  }

  /** Whether the variables hold the averaged weights (after an odd number of {@link swapAverage} calls). */
  get swapped(): boolean {
    return this.swappedIn;
  }

  /**
   * Exchanges each averaged variable's value with its average: afterwards the variables hold the
   * SWA weights and the optimizer holds the trained ones; a second call swaps back. Variables
   * without an average yet are left alone. Training while swapped is refused (it would average
   * the averages): swap back first.
   *
   * @throws DescentError `UNKNOWN_PARAM`/`DISPOSED` when an averaged variable no longer exists
   *   (before anything changes).
   */
  swapAverage(): void {
    const pairs: [tf.Variable, string][] = [];
    for (const [name, slots] of this.slots) {
      if (slots.average !== undefined) pairs.push([lookupVariable(name, 'swapAverage'), name]);
    }
    for (const [v, name] of pairs) {
      const slots = this.slots.get(name) as WrapperSlots;
      const average = slots.average as tf.Tensor;
      const trained = tf.keep(copyTensor(v, name)); // outlives an enclosing tf.tidy
      v.assign(average);
      average.dispose(); // the variable keeps the data
      this.slots.set(name, { ...slots, average: trained });
    }
    this.swappedIn = !this.swappedIn;
  }

  /**
   * Copies of the averaged weights by variable name (only variables averaged at least once);
   * the caller disposes them. Works swapped or not.
   */
  averagedWeights(): Params {
    const out: Params = {};
    for (const [name, slots] of this.slots) {
      const average = slots.average;
      if (average === undefined || typeof average === 'number') continue;
      out[name] = this.swappedIn
        ? copyTensor(lookupVariable(name, 'averagedWeights'), name)
        : copyTensor(average, name);
    }
    return out;
  }

  protected override get weightPrefix(): string {
    return 'swa';
  }

  protected override get slotSchema(): SlotSchema {
    return { tensors: [], optionalTensors: ['average'], numbers: ['step', 'count'] };
  }

  protected override optionsConfig(): tf.serialization.ConfigDict {
    return { start: this.start, frequency: this.frequency };
  }

  protected override globals(): Record<string, number> {
    return { swapped: this.swappedIn ? 1 : 0 };
  }

  protected override setGlobals(values: Record<string, number>): void {
    this.swappedIn = values.swapped === 1;
  }

  protected override checkRestored(name: string, slots: WrapperSlots): void {
    const count = slots.count as number;
    if (!Number.isInteger(count) || count < 0 || count > 0 !== (slots.average !== undefined)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `optimizer weights of "${name}": swa/${name}/count is ${count} but the average is ${slots.average === undefined ? 'missing' : 'present'}.`,
      );
    }
  }

  protected override step(variables: Record<string, tf.Variable>, runInner: () => void): void {
    if (this.swappedIn) {
      throw new DescentError(
        'BAD_ARGUMENT',
        'SWA: the variables hold the averaged weights (after swapAverage()); call swapAverage() again before training.',
      );
    }
    runInner();
    for (const [name, v] of Object.entries(variables)) {
      const previous = this.slots.get(name) ?? { step: 0, count: 0 };
      const step = (previous.step as number) + 1;
      const n = previous.count as number;
      if (step < this.start || (step - this.start) % this.frequency !== 0) {
        this.slots.set(name, { ...previous, step });
        continue;
      }
      const old = previous.average as tf.Tensor | undefined;
      const average = old
        ? tf.tidy(() => tf.add(old, tf.div(tf.sub(v, old), n + 1)))
        : copyTensor(v, name);
      old?.dispose();
      this.slots.set(name, { step, count: n + 1, average });
    }
  }
}
registerOptimizer(SWA);

/**
 * Wraps a `tf.Optimizer` in Stochastic Weight Averaging; see {@link SWA} for the rule and defaults.
 *
 * @throws DescentError `BAD_HYPERPARAM`/`NON_FINITE` for a bad `start` or `frequency`,
 *   `BAD_ARGUMENT` when `inner` is not an optimizer or `options` no plain object (`null`
 *   included), `UNKNOWN_PARAM` for an unknown option.
 */
export function swa(inner: tf.Optimizer, options: SwaOptions = {}): SWA {
  return new SWA(inner, options);
}
