import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params, describeValue } from '@descent/core';
import type { Masks } from '../masks';
import type { Ticket } from '../ticket/ticket';
import {
  type Evaluation,
  type EvaluationRecord,
  type RunKind,
  type RunReport,
  earlyStopOf,
} from './run-report';

/** What a `train` callback gets: live variables to train and the step counter to call. */
export interface TrainingRun {
  /** The pruning round (0: the dense network). */
  round: number;
  kind: RunKind;
  /**
   * The variables to train, keyed like the model's parameters, holding the ticket's `θ ⊙ m` at
   * the start. They are disposed when `train` returns: keep no reference.
   */
  params: Record<string, tf.Variable>;
  /** The masks, keyed like the parameters (masked weights only); do not dispose them. */
  masks: Masks;
  /**
   * The same masks keyed by variable name: the `masks` option of `@descent/optim`'s optimizers,
   * which keeps every pruned weight exactly zero (`adam({ learningRate, masks: run.optimizerMasks })`).
   */
  optimizerMasks: Record<string, tf.Tensor>;
  /** The step count training starts at: the rewind step `k` for a rewound ticket, else 0. */
  startStep: number;
  /**
   * Call after every optimizer step. It counts the step and, when one is due, evaluates the
   * variables (every `evaluateEvery` steps) or records the rewind weights; await it.
   */
  step(): Promise<void>;
}

/** Trains the run's variables in place, calling `await run.step()` after every optimizer step. */
export type TrainFn = (run: TrainingRun) => Promise<void> | void;

/** Evaluates parameters (e.g. the validation loss and the test accuracy); must not dispose them. */
export type EvaluateFn = (
  params: Params,
  at: { round: number; kind: RunKind; step: number },
) => Promise<Evaluation> | Evaluation;

/** How {@link runTraining} trains one ticket. */
export interface TrainingPlan {
  train: TrainFn;
  evaluate: EvaluateFn;
  kind: RunKind;
  /** Steps between evaluations; `undefined`: only after the last step. */
  evaluateEvery?: number;
  /** Record the weights after this many steps (the rewind point); only when > `startStep`. */
  captureAt?: number;
  /** Keep the trained weights (imp scores them). */
  keepTrained?: boolean;
  /** Prefix of the variable names, unique per run. */
  prefix: string;
  /** Names the caller in errors. */
  what: string;
}

/** What {@link runTraining} gives back; the tensors are the caller's. */
export interface TrainingOutcome {
  report: RunReport;
  trained?: Params;
  captured?: Params;
}

/**
 * Trains `ticket` once: fresh variables holding `θ ⊙ m`, the user's `train`, evaluations every
 * `evaluateEvery` steps and after the last one, then a check that every pruned weight is still
 * exactly zero. Leaves no tensor behind but the returned ones, also when `train` throws.
 *
 * @throws DescentError `BAD_ARGUMENT` when `train` changed a pruned weight or `evaluate`
 *   returned no `{ loss, accuracy }`; `BAD_HYPERPARAM` when training ended before `captureAt`.
 */
export async function runTraining(ticket: Ticket, plan: TrainingPlan): Promise<TrainingOutcome> {
  const started = performance.now();
  const startStep = ticket.rewindStep;
  const { params, masks, optimizerMasks } = makeVariables(ticket, plan.prefix);
  const evaluations: EvaluationRecord[] = [];
  let evaluationSeconds = 0;
  let step = startStep;
  let captured: Params | undefined;
  const at = () => ({ round: ticket.round, kind: plan.kind, step });
  const evaluateNow = async () => {
    const t0 = performance.now();
    const result = await plan.evaluate(params, at());
    evaluations.push({ ...checkEvaluation(plan.what, result, step), step });
    evaluationSeconds += (performance.now() - t0) / 1000;
  };
  try {
    await plan.train({
      round: ticket.round,
      kind: plan.kind,
      params,
      masks,
      optimizerMasks,
      startStep,
      step: async () => {
        step += 1;
        if (step === plan.captureAt) captured = cloneValues(params);
        if (plan.evaluateEvery !== undefined && (step - startStep) % plan.evaluateEvery === 0) {
          await evaluateNow();
        }
      },
    });
    if (plan.captureAt !== undefined && plan.captureAt > startStep && captured === undefined) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${plan.what}.rewindTo is ${plan.captureAt}, but the dense training made only ${step - startStep} steps (count them with await run.step()).`,
      );
    }
    await checkPrunedStayZero(plan.what, params, masks);
    if (evaluations.at(-1)?.step !== step) await evaluateNow();
    const report: RunReport = {
      kind: plan.kind,
      round: ticket.round,
      density: ticket.density().overall.density,
      startStep,
      endStep: step,
      final: evaluations.at(-1) as EvaluationRecord,
      earlyStop: earlyStopOf(evaluations),
      evaluations,
      seconds: (performance.now() - started) / 1000,
      evaluationSeconds,
    };
    const outcome: TrainingOutcome = { report };
    if (plan.keepTrained) outcome.trained = cloneValues(params);
    if (captured !== undefined) outcome.captured = captured;
    captured = undefined;
    return outcome;
  } finally {
    if (captured !== undefined) tf.dispose(Object.values(captured));
    tf.dispose([...Object.values(params), ...Object.values(masks)]);
  }
}

function makeVariables(
  ticket: Ticket,
  prefix: string,
): Pick<TrainingRun, 'params' | 'masks' | 'optimizerMasks'> {
  const start = ticket.maskedParams();
  const masks = ticket.masks();
  const params: Record<string, tf.Variable> = {};
  const optimizerMasks: Record<string, tf.Tensor> = {};
  for (const [key, value] of Object.entries(start)) {
    const variable = tf.variable(value, true, `${prefix}/${key}`);
    value.dispose();
    params[key] = variable;
    const mask = masks[key];
    if (mask !== undefined) optimizerMasks[variable.name] = mask;
  }
  return { params, masks, optimizerMasks };
}

function cloneValues(params: Record<string, tf.Variable>): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params)) out[key] = tf.clone(value);
  return out;
}

function checkEvaluation(what: string, result: unknown, step: number): Evaluation {
  const r = result as Partial<Evaluation> | null | undefined;
  const accuracy = r?.accuracy;
  const loss = r?.loss;
  if (
    typeof loss !== 'number' ||
    typeof accuracy !== 'number' ||
    !(accuracy >= 0 && accuracy <= 1)
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}.evaluate must return { loss: number, accuracy: number in [0, 1] }, got ${describeValue(result)} at step ${step}.`,
    );
  }
  return { loss, accuracy };
}

/** One read: Σ|θ| over the pruned positions of each mask, which must be exactly 0 (or NaN: changed). */
async function checkPrunedStayZero(
  what: string,
  params: Record<string, tf.Variable>,
  masks: Masks,
): Promise<void> {
  const keys = Object.keys(masks);
  if (keys.length === 0) return;
  const leaked = tf.tidy(() =>
    tf.stack(
      keys.map((key) => {
        const value = params[key] as tf.Tensor;
        const pruned = tf.equal(masks[key] as tf.Tensor, 0);
        return tf.sum(tf.where(pruned, tf.abs(value), tf.zerosLike(value)));
      }),
    ),
  );
  const sums = await leaked.data();
  leaked.dispose();
  const bad = keys.findIndex((_, i) => (sums[i] as number) !== 0);
  if (bad >= 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}.train changed pruned weights of ${JSON.stringify(keys[bad])} (Σ|θ| over them is ${sums[bad]}, expected exactly 0): give the optimizer run.optimizerMasks as its masks option, or train prunedModel(model, run.masks).`,
    );
  }
}
