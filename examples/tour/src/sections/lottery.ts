import { Rng, disposeParams } from '@descent/core';
import { type ImpResult, imp } from '@descent/lottery';
import { lenet300100 } from '@descent/nets';
import type { JsonValue, Section, SectionContext, SectionResult } from '../section';
import {
  type LotteryCurves,
  type LotteryVerdict,
  lotteryCurves,
  lotteryVerdict,
} from './lottery/curves';
import { lotteryEvaluation } from './lottery/evaluate';
import { accuracyDensityFigure } from './lottery/figure';
import { maskedTraining } from './lottery/masked-training';
import { mnistSplits } from './lottery/mnist-splits';

/** The sizes of a run of the section. */
export interface LotterySettings {
  /** Training digits (a stratified prefix of the 8 000), validation included. */
  trainDigits: number;
  /** Of which held out to early-stop on. */
  validationDigits: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Pruning rounds after the dense one. */
  rounds: number;
  /** Fraction of each hidden layer's kept weights removed per round. */
  rate: number;
  /** The same for the output layer (Frankle & Carbin prune it at half the rate). */
  outputRate: number;
  /** Rewind to the weights after this fraction of the dense run's steps. */
  rewindFraction: number;
  /** Evaluations per run (the last step is always evaluated). */
  evaluationsPerRun: number;
  /** Train the random-pruning control too. */
  randomPruning: boolean;
  /** The ticket may end this many points below the dense network. */
  denseTolerance: number;
  /** The ticket must end more than this many points above random reinitialization. */
  reinitMargin: number;
}

/**
 * The full run: 10 rounds of 20 % per hidden layer (10 % of the output layer), 100 % → 10.8 %
 * of the weights, one epoch of 7 000 digits per run.
 */
export const FULL: LotterySettings = {
  trainDigits: 8000,
  validationDigits: 1000,
  epochs: 1,
  batchSize: 60,
  learningRate: 1.2e-3,
  rounds: 10,
  rate: 0.2,
  outputRate: 0.1,
  rewindFraction: 0.1,
  evaluationsPerRun: 4,
  randomPruning: true,
  denseTolerance: 1,
  reinitMargin: 1,
};

/**
 * The quick run: the same sparsest density in 5 rounds of two full rounds each
 * (1 − 0.8² = 36 % per hidden layer, 1 − 0.9² = 19 % of the output layer), 2 500 digits per run,
 * no random-pruning control.
 */
export const QUICK: LotterySettings = {
  ...FULL,
  trainDigits: 3000,
  validationDigits: 500,
  rounds: 5,
  rate: 0.36,
  outputRate: 0.19,
  randomPruning: false,
};

/**
 * Lottery tickets: iterative magnitude pruning of LeNet-300-100 on MNIST with rewinding to an
 * early step, against the same masks with new random weights and against random masks.
 */
export const lotterySection: Section = {
  id: 'lottery',
  title: 'Lottery tickets',
  expectedSeconds: (quick) => (quick ? 6 : 26),
  run: (context) => runLotterySection(context, context.quick ? QUICK : FULL),
};

/** Runs the section with explicit settings. */
export async function runLotterySection(
  context: SectionContext,
  settings: LotterySettings,
): Promise<SectionResult> {
  const splits = await mnistSplits(settings.trainDigits, settings.validationDigits);
  const net = lenet300100({ seed: context.seed });
  const evaluation = lotteryEvaluation(net, splits);
  const stepsPerRun = settings.epochs * Math.ceil(splits.train.n / settings.batchSize);
  const rewindTo = Math.max(1, Math.round(settings.rewindFraction * stepsPerRun));
  const runsPerRound = settings.randomPruning ? 3 : 2;
  const work = stepsPerRun * (1 + settings.rounds * runsPerRound);
  let done = 0;
  let phase = 'dense network';
  try {
    const result = await imp({
      model: net,
      rounds: settings.rounds,
      rate: settings.rate,
      rates: { 'dense3/kernel': settings.outputRate },
      rewindTo,
      train: (run) => {
        phase = run.round === 0 ? 'dense network' : `round ${run.round}: ${run.kind}`;
        // a rewound run skips the first steps: count them as done
        done += run.startStep;
        return maskedTraining({
          net,
          train: splits.train,
          epochs: settings.epochs,
          batchSize: settings.batchSize,
          learningRate: settings.learningRate,
          seed: context.seed,
          onStep: () => {
            done += 1;
            if (done % 5 === 0) context.progress(done, work, phase);
          },
        })(run);
      },
      evaluate: evaluation.evaluate,
      evaluateEvery: Math.max(1, Math.floor(stepsPerRun / settings.evaluationsPerRun)),
      controls: {
        randomReinit: (round) => lenet300100({ seed: `${context.seed}/reinit/${round}` }).params,
        randomPruning: settings.randomPruning,
      },
      rng: new Rng(context.seed).child('random-pruning'),
    });
    context.progress(work, work, 'done');
    const curves = lotteryCurves(result.rounds);
    const verdict = lotteryVerdict(curves, settings.denseTolerance, settings.reinitMargin);
    return report(context, settings, stepsPerRun, rewindTo, result, curves, verdict);
  } finally {
    evaluation.dispose();
    disposeParams(net.params);
  }
}

function report(
  context: SectionContext,
  settings: LotterySettings,
  stepsPerRun: number,
  rewindTo: number,
  result: ImpResult,
  curves: LotteryCurves,
  verdict: LotteryVerdict,
): SectionResult {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const points = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
  const pruning =
    verdict.randomPruning === null ? '' : `, random pruning ${pct(verdict.randomPruning)}`;
  return {
    id: 'lottery',
    title: lotterySection.title,
    claim:
      'Iterative magnitude pruning with rewinding finds sparse subnetworks (winning tickets) that train to the dense network’s accuracy at a small fraction of its weights, while the same masks with a random re-initialization lose accuracy.',
    paper:
      'Sun, Optimization for Deep Learning (arXiv 1912.08957), §6.4; Frankle & Carbin, The Lottery Ticket Hypothesis (ICLR 2019); Frankle, Dziugaite, Roy & Carbin, Linear Mode Connectivity and the Lottery Ticket Hypothesis (ICML 2020) and Stabilizing the Lottery Ticket Hypothesis (2019), for rewinding.',
    setup: `LeNet-300-100 (seed ${context.seed}) trained with Adam (η = ${settings.learningRate}, batch ${settings.batchSize}, masks given to the optimizer) for ${settings.epochs} epoch(s) of ${splits(settings)} MNIST digits (${stepsPerRun} steps, the same batch order for every run), ${settings.validationDigits} held out for early stopping (least validation loss, evaluated every ${Math.max(1, Math.floor(stepsPerRun / settings.evaluationsPerRun))} steps); test accuracy on the 2 000 held-out digits. ${settings.rounds} rounds of layerwise magnitude pruning (${pct(settings.rate)} of each hidden layer, ${pct(settings.outputRate)} of the output layer per round), survivors rewound to their weights after step ${rewindTo}. Controls at every round: the ticket’s masks with fresh random weights trained from step 0${settings.randomPruning ? ', and random masks of the same per-layer density with the rewound weights' : ''}. Backend ${context.backend}.`,
    reproduced: verdict.reproduced,
    evidence: `At ${pct(verdict.density)} of the weights the ticket reaches ${pct(verdict.ticket)} against ${pct(verdict.dense)} dense (${points(verdict.ticketMinusDense)} points; needed ≥ −${settings.denseTolerance}) and ${pct(verdict.randomReinit)} with random reinitialization (${points(verdict.ticketMinusReinit)} points; needed > +${settings.reinitMargin}: ${20 * settings.reinitMargin} of the 2 000 test digits, above the seed-to-seed spread of one short run)${pruning}.`,
    numbers: numbersOf(settings, stepsPerRun, rewindTo, result, curves, verdict),
    figures: [accuracyDensityFigure(curves, rewindTo)],
  };
}

function splits(settings: LotterySettings): string {
  return `${settings.trainDigits - settings.validationDigits}`;
}

function numbersOf(
  settings: LotterySettings,
  stepsPerRun: number,
  rewindTo: number,
  result: ImpResult,
  curves: LotteryCurves,
  verdict: LotteryVerdict,
): { [key: string]: JsonValue } {
  const rounds = result.rounds.map((r) => ({
    round: r.round,
    density: r.density.overall.density,
    byParameter: Object.fromEntries(
      Object.entries(r.density.perParameter).map(([k, v]) => [k, v.density]),
    ),
    seconds: r.seconds,
    runs: Object.fromEntries(
      (['ticket', 'randomReinit', 'randomPruning'] as const).flatMap((kind) => {
        const run = r[kind];
        return run === undefined
          ? []
          : [
              [
                kind,
                {
                  earlyStop: { ...run.earlyStop },
                  final: { ...run.final },
                  startStep: run.startStep,
                  endStep: run.endStep,
                  seconds: run.seconds,
                },
              ],
            ];
      }),
    ),
  }));
  return {
    settings: { ...settings, stepsPerRun, rewindTo },
    curves: { density: curves.density, accuracy: { ...curves.accuracy } },
    rounds,
    verdict: { ...verdict },
  };
}
