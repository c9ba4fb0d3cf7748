import { OptionReader, type NumberRange } from '@descent/core';
import type { Ticket } from '../ticket/ticket';
import { checkTicket } from './check-ticket';
import type { RunKind, RunReport } from './run-report';
import { type EvaluateFn, type TrainFn, runTraining } from './training-run';

/** Options of {@link trainTicket}. */
export interface TrainTicketOptions {
  /** Trains the run's variables, calling `await run.step()` after every optimizer step (required). */
  train: TrainFn;
  /** `(params, at) => { loss, accuracy }` (required). */
  evaluate: EvaluateFn;
  /** Steps between evaluations (an integer ≥ 1). Default: only after the last step. */
  evaluateEvery?: number;
  /** What the report calls the run. Default `'ticket'`. */
  kind?: RunKind;
}

/** The step counts every `evaluateEvery` option takes. */
export const EVALUATE_EVERY: NumberRange = { min: 1, integer: true };

let runs = 0;

/** A variable-name prefix no other training run of this module uses. */
export function nextRunPrefix(what: string, round: number, kind: RunKind): string {
  runs += 1;
  return `${what}${runs}/round${round}/${kind}`;
}

/**
 * Trains a ticket once — e.g. one reloaded with `ticketFromJSON` — the way {@link imp} trains
 * each round: fresh variables holding `θ ⊙ m` (θ the ticket's rewind weights), the caller's
 * `train`, evaluations every `evaluateEvery` steps and after the last, and a check that every
 * pruned weight is still exactly zero. The variables are disposed afterwards; nothing leaks.
 *
 * @param ticket - The ticket to train; unchanged.
 * @param options - `train`, `evaluate` (required), `evaluateEvery`, `kind`.
 * @returns a `Promise` of the run's report: final and early-stop evaluations (the least loss),
 *   every evaluation, step counts and wall time.
 * @throws DescentError `BAD_ARGUMENT` (not a ticket, a callback that is no function, `train`
 *   changed a pruned weight, `evaluate` returned no `{ loss, accuracy }`), `BAD_HYPERPARAM`,
 *   `UNKNOWN_PARAM`; whatever `train` or `evaluate` throw, after disposing the variables.
 * @example
 * ```ts
 * const ticket = ticketFromJSON(await readFile('ticket.json', 'utf8'));
 * const report = await trainTicket(ticket, { train, evaluate, evaluateEvery: 100 });
 * console.log(report.earlyStop.step, report.final.accuracy);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019.
 */
export async function trainTicket(ticket: Ticket, options: TrainTicketOptions): Promise<RunReport> {
  checkTicket('trainTicket', ticket);
  const read = new OptionReader('trainTicket', options, [
    'train',
    'evaluate',
    'evaluateEvery',
    'kind',
  ]);
  const train = read.func<TrainFn>('train');
  const evaluate = read.func<EvaluateFn>('evaluate');
  const evaluateEvery = read.optionalNumber('evaluateEvery', EVALUATE_EVERY);
  const kind = read.oneOf('kind', ['ticket', 'randomReinit', 'randomPruning'] as const, 'ticket');
  const { report } = await runTraining(ticket as Ticket, {
    train,
    evaluate,
    kind,
    evaluateEvery,
    prefix: nextRunPrefix('trainTicket', ticket.round, kind),
    what: 'trainTicket',
  });
  return report;
}
