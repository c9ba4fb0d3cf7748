import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  Rng,
  checkModel,
  checkNumber,
  describeValue,
  disposeParams,
  isPlainObject,
  isTensor,
} from '@descent/core';
import type { DensityReport } from '../density-report';
import { magnitudeScores } from '../magnitude-scores';
import type { Masks } from '../masks';
import { type PruneOptions, type PrunePlan, prune, readPrune } from '../prune';
import { Ticket } from '../ticket/ticket';
import { randomPruning, reinitTicket } from './controls';
import type { RunReport } from './run-report';
import { EVALUATE_EVERY, nextRunPrefix } from './train-ticket';
import { type EvaluateFn, type TrainFn, type TrainingOutcome, runTraining } from './training-run';

/** The controls {@link imp} trains beside the ticket in every pruning round. */
export interface ImpControls {
  /**
   * Random reinitialization: `(round) => fresh initial weights` (e.g.
   * `(r) => lenet300100({ seed: 1000 + r }).params`), trained from step 0 under the round's
   * masks. imp reads and disposes what it returns.
   */
  randomReinit?: (round: number) => Params;
  /** Random pruning: random masks with the round's per-parameter kept counts, the ticket's weights. */
  randomPruning?: boolean;
  /** The rounds (≥ 1) to train the controls in, e.g. only the last. Default: every round ≥ 1. */
  rounds?: readonly number[];
}

/** Options of {@link imp}. */
export interface ImpOptions {
  /** The network; its `params` are the initialization θ₀ (read, never changed) (required). */
  model: Model;
  /** Trains a run's variables, calling `await run.step()` after every optimizer step (required). */
  train: TrainFn;
  /** `(params, at) => { loss, accuracy }`: early stopping watches `loss` (required). */
  evaluate: EvaluateFn;
  /** Pruning rounds after the dense round 0 (an integer ≥ 0) (required). */
  rounds: number;
  /** Fraction of the still-kept weights removed per round. Default 0.2. */
  rate?: number;
  /** Per-parameter rates (layerwise), e.g. `{ 'dense3/kernel': 0.1 }` for the output layer. */
  rates?: Record<string, number>;
  /** `'layerwise'` (default) or `'global'` magnitude pruning. */
  scope?: 'global' | 'layerwise';
  /** Weights never pruned. */
  exclude?: readonly string[];
  /** Rewind to the weights after this many steps of the dense training (0: θ₀). Default 0. */
  rewindTo?: number;
  /** Steps between evaluations (an integer ≥ 1). Default: only after the last step. */
  evaluateEvery?: number;
  /** Controls trained in every round ≥ 1. Default: none. */
  controls?: ImpControls;
  /** Called after every round with its report and ticket (awaited). */
  onRound?: (report: RoundReport, ticket: Ticket) => void | Promise<void>;
  /** Draws the random-pruning control's masks. Default `new Rng(0)`. */
  rng?: Rng;
}

/** What one round of {@link imp} recorded. */
export interface RoundReport {
  /** 0 for the dense network, then 1, 2, … */
  round: number;
  /** Kept weights of the round's masks, overall and per parameter. */
  density: DensityReport;
  /** Training the ticket (θ_k ⊙ m from step k; round 0: the dense network from θ₀). */
  ticket: RunReport;
  randomReinit?: RunReport;
  randomPruning?: RunReport;
  /** Wall time of the round (pruning, every training and evaluation), in seconds. */
  seconds: number;
}

/** What {@link imp} returns: no tensors, nothing to dispose. */
export interface ImpResult {
  /** One report per round, round 0 first. */
  rounds: RoundReport[];
  /** `tickets[r]`: round r's masks with the rewind weights, to export or re-train. */
  tickets: Ticket[];
}

const KNOWN = [
  'model',
  'train',
  'evaluate',
  'rounds',
  'rate',
  'rates',
  'scope',
  'exclude',
  'rewindTo',
  'evaluateEvery',
  'controls',
  'onRound',
  'rng',
];

/**
 * Iterative magnitude pruning with rewinding: the procedure that finds lottery tickets.
 *
 * Round 0 trains the dense network from θ₀ (recording θ_k after `rewindTo = k` steps). Each
 * round r ≥ 1 then prunes `rate` of the still-kept weights of lowest magnitude *after training*
 * (`prune(magnitudeScores(θ_trained), { rate, rates, scope, masks })`, so after r layerwise
 * rounds a layer keeps about `(1 − rate)ʳ` of its weights), rewinds the survivors to θ_k and
 * trains `θ_k ⊙ m` again — from step k, so that `train` may run only the remaining steps. The
 * controls of Frankle & Carbin train beside it at the same masks: `randomReinit` (fresh weights)
 * and `randomPruning` (random masks of the same per-layer density). Every run reports its final
 * evaluation, its early-stop point (least `loss`), steps and wall time; every round keeps its
 * ticket (masks + rewind weights) to export with `ticket.toJSON()`.
 *
 * `train` owns the loop — optimizer, data, epochs — and must keep pruned weights at zero: give
 * the optimizer `run.optimizerMasks` (or train `prunedModel(model, run.masks)`); imp checks it
 * after every run.
 *
 * @param options - `model`, `train`, `evaluate`, `rounds` (required); `rate` (0.2), `rates`,
 *   `scope` (`'layerwise'`), `exclude`, `rewindTo` (0), `evaluateEvery`, `controls`, `onRound`,
 *   `rng` (`new Rng(0)`).
 * @returns a `Promise` of the round reports and tickets.
 * @throws DescentError before training: `BAD_ARGUMENT`, `BAD_HYPERPARAM`, `UNKNOWN_PARAM` for
 *   bad options (named `imp.<option>`); during: `BAD_HYPERPARAM` when the dense training made
 *   fewer than `rewindTo` steps, `BAD_ARGUMENT` when `train` changed a pruned weight or
 *   `evaluate` returned no `{ loss, accuracy }`; whatever the callbacks throw. No tensor leaks.
 * @example
 * ```ts
 * const { rounds, tickets } = await imp({
 *   model: lenet300100({ seed: 0 }), rounds: 7, rates: { 'dense3/kernel': 0.1 },
 *   train: async (run) => {
 *     const opt = adam({ learningRate: 1.2e-3, masks: run.optimizerMasks });
 *     for (const { x, y } of batches(train, { batchSize: 60, shuffle: true, seed: 0 })) {
 *       opt.minimize(() => softmaxCrossEntropy(net.apply(run.params, x, { training: true }), y), false);
 *       await run.step();
 *     }
 *     opt.dispose();
 *   },
 *   evaluate: async (params) => ({ loss: await validationLoss(params), accuracy: await testAccuracy(params) }),
 * });
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019; J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear Mode
 *   Connectivity and the Lottery Ticket Hypothesis, ICML 2020 (rewinding).
 */
export async function imp(options: ImpOptions): Promise<ImpResult> {
  const plan = readImp(options);
  const rounds: RoundReport[] = [];
  const tickets: Ticket[] = [];
  const started = performance.now();
  const dense = await denseTicket(plan);
  const outcome = await runTraining(dense, {
    ...plan.training,
    kind: 'ticket',
    keepTrained: plan.rounds > 0,
    prefix: nextRunPrefix('imp', 0, 'ticket'),
    ...(plan.rewindTo > 0 ? { captureAt: plan.rewindTo } : {}),
  });
  let trained = outcome.trained;
  let rewind: Params | undefined;
  try {
    rewind = outcome.captured ?? dense.params();
    delete outcome.captured;
    let ticket = await rewound(dense, rewind, 0, plan.rewindTo);
    await finishRound(plan, rounds, tickets, ticket, { ticket: outcome.report }, started);
    for (let round = 1; round <= plan.rounds; round++) {
      const roundStarted = performance.now();
      ticket = await nextTicket(plan, ticket, trained as Params, rewind, round);
      disposeParams(trained as Params);
      trained = undefined;
      const run = await runTraining(ticket, {
        ...plan.training,
        kind: 'ticket',
        keepTrained: round < plan.rounds,
        prefix: nextRunPrefix('imp', round, 'ticket'),
      });
      trained = run.trained;
      const reports = { ticket: run.report, ...(await trainControls(plan, ticket)) };
      await finishRound(plan, rounds, tickets, ticket, reports, roundStarted);
    }
  } finally {
    if (trained !== undefined) disposeParams(trained);
    if (rewind !== undefined) disposeParams(rewind);
  }
  return { rounds, tickets };
}

interface ImpPlan {
  model: Model;
  rounds: number;
  prune: PrunePlan;
  pruneOptions: Pick<PruneOptions, 'rate' | 'rates' | 'scope' | 'exclude'>;
  rewindTo: number;
  training: { train: TrainFn; evaluate: EvaluateFn; evaluateEvery?: number; what: string };
  controls: ImpControls;
  onRound?: ImpOptions['onRound'];
  rng: Rng;
}

/** Every check of {@link imp}'s options, before anything is trained or allocated. */
function readImp(options: ImpOptions): ImpPlan {
  const read = new OptionReader('imp', options, KNOWN);
  const model = read.raw('model');
  checkModel('imp.model', model);
  const train = read.func<TrainFn>('train');
  const evaluate = read.func<EvaluateFn>('evaluate');
  const rounds = read.integer('rounds', undefined, { min: 0 });
  const pruneOptions = {
    rate: read.number('rate', 0.2, { min: 0, max: 1 }),
    ...definedEntry('rates', read.raw('rates') as Record<string, number> | undefined),
    scope: read.oneOf('scope', ['global', 'layerwise'] as const, 'layerwise'),
    ...definedEntry('exclude', read.raw('exclude') as readonly string[] | undefined),
  };
  const prunePlan = readPrune(model.params, { info: model.info, ...pruneOptions }, 'imp');
  if (prunePlan.eligible.length === 0) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      'imp: no weight to prune (no parameter of imp.model.info has role "weight" outside imp.exclude).',
    );
  }
  const rewindTo = read.integer('rewindTo', 0, { min: 0 });
  const evaluateEvery = read.optionalNumber('evaluateEvery', EVALUATE_EVERY);
  const onRound = read.raw('onRound') === undefined ? undefined : read.func('onRound');
  const rng = read.generator('rng', new Rng(0));
  return {
    model,
    rounds,
    prune: prunePlan,
    pruneOptions,
    rewindTo,
    training: { train, evaluate, ...definedEntry('evaluateEvery', evaluateEvery), what: 'imp' },
    controls: readControls(read.raw('controls'), rounds),
    ...(onRound === undefined ? {} : { onRound: onRound as ImpOptions['onRound'] }),
    rng,
  };
}

function readControls(value: unknown, impRounds: number): ImpControls {
  if (value === undefined) return {};
  const read = new OptionReader('imp.controls', value, ['randomReinit', 'randomPruning', 'rounds']);
  const controls: ImpControls = { randomPruning: read.boolean('randomPruning', false) };
  if (read.raw('randomReinit') !== undefined) {
    controls.randomReinit = read.func<(round: number) => Params>('randomReinit');
  }
  const rounds = read.raw('rounds');
  if (rounds !== undefined) {
    controls.rounds = readRounds(read.name('rounds'), rounds, impRounds);
    if (controls.randomReinit === undefined && !controls.randomPruning) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${read.name('rounds')} is given, but no control is (set randomReinit or randomPruning).`,
      );
    }
  }
  return controls;
}

function readRounds(name: string, value: unknown, impRounds: number): number[] {
  if (!Array.isArray(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an array of round numbers, got ${describeValue(value)}.`,
    );
  }
  value.forEach((round, i) => {
    checkNumber(`${name}[${i}]`, round, { min: 1, integer: true });
    if (round > impRounds) {
      throw new DescentError(
        'BAD_HYPERPARAM',
        `${name}[${i}] is ${round}, but imp.rounds is ${impRounds}: controls train only in rounds 1…imp.rounds.`,
      );
    }
  });
  return [...value];
}

function definedEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Round 0's ticket: θ₀ with all-ones masks over the eligible weights. */
async function denseTicket(plan: ImpPlan): Promise<Ticket> {
  const masks: Masks = {};
  for (const key of plan.prune.eligible) {
    masks[key] = tf.onesLike(plan.model.params[key] as tf.Tensor);
  }
  try {
    return await Ticket.fromTensors(plan.model.params, masks, { round: 0, rewindStep: 0 });
  } finally {
    disposeParams(masks);
  }
}

/** `ticket`'s masks with the rewind weights θ_k. */
async function rewound(
  ticket: Ticket,
  rewind: Params,
  round: number,
  rewindStep: number,
): Promise<Ticket> {
  const masks = ticket.masks();
  try {
    return await Ticket.fromTensors(rewind, masks, { round, rewindStep });
  } finally {
    disposeParams(masks);
  }
}

/** Prunes the trained weights by magnitude, keeping the previous round's zeros. */
async function nextTicket(
  plan: ImpPlan,
  previous: Ticket,
  trained: Params,
  rewind: Params,
  round: number,
): Promise<Ticket> {
  const scores = magnitudeScores(trained);
  const masks = previous.masks();
  let next: Masks | undefined;
  try {
    next = await prune(scores, { info: plan.model.info, masks, ...plan.pruneOptions });
    return await Ticket.fromTensors(rewind, next, { round, rewindStep: plan.rewindTo });
  } finally {
    disposeParams(scores);
    disposeParams(masks);
    if (next !== undefined) disposeParams(next);
  }
}

async function trainControls(
  plan: ImpPlan,
  ticket: Ticket,
): Promise<Pick<RoundReport, 'randomReinit' | 'randomPruning'>> {
  const reports: Pick<RoundReport, 'randomReinit' | 'randomPruning'> = {};
  const { randomReinit: freshParams, randomPruning: pruneRandomly, rounds } = plan.controls;
  if (rounds !== undefined && !rounds.includes(ticket.round)) return reports;
  if (freshParams !== undefined) {
    const fresh = freshParams(ticket.round);
    let control: Ticket;
    try {
      control = await reinitTicket('imp.controls.randomReinit', ticket, fresh);
    } finally {
      disposeReturned(fresh);
    }
    reports.randomReinit = await trainControl(plan, control, 'randomReinit');
  }
  if (pruneRandomly) {
    const control = await randomPruning(ticket, { rng: plan.rng });
    reports.randomPruning = await trainControl(plan, control, 'randomPruning');
  }
  return reports;
}

async function trainControl(
  plan: ImpPlan,
  ticket: Ticket,
  kind: 'randomReinit' | 'randomPruning',
): Promise<RunReport> {
  const outcome: TrainingOutcome = await runTraining(ticket, {
    ...plan.training,
    kind,
    prefix: nextRunPrefix('imp', ticket.round, kind),
  });
  return outcome.report;
}

/** Disposes the tensors of what a user callback returned, whatever it is. */
function disposeReturned(value: unknown): void {
  if (isPlainObject(value)) tf.dispose(Object.values(value).filter(isTensor));
}

async function finishRound(
  plan: ImpPlan,
  rounds: RoundReport[],
  tickets: Ticket[],
  ticket: Ticket,
  reports: Pick<RoundReport, 'ticket' | 'randomReinit' | 'randomPruning'>,
  started: number,
): Promise<void> {
  const report: RoundReport = {
    round: ticket.round,
    density: ticket.density(),
    ...reports,
    seconds: (performance.now() - started) / 1000,
  };
  rounds.push(report);
  tickets.push(ticket);
  await plan.onRound?.(report, ticket);
}
