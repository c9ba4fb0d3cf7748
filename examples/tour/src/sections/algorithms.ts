import { disposeParams } from '@descent/core';
import { batches, type Dataset, mnist } from '@descent/data';
import { type Net, lenet300100 } from '@descent/nets';
import type { JsonValue, Section, SectionContext, SectionResult } from '../section';
import { type AdamStepTiming, timeAdamSteps } from './algorithms/adam-step-timing';
import { type EvaluationSet, evaluationSet } from './algorithms/evaluation-set';
import { curvesFigure, finalAccuracyFigure } from './algorithms/figures';
import { ADAPTIVE_IDS, OPTIMIZERS } from './algorithms/optimizers';
import { SCHEDULE_IDS, type ScheduleId, scheduleFor } from './algorithms/schedules';
import { type RunCurve, trainRun } from './algorithms/train-run';
import { type AlgorithmsVerdict, type RunGrid, algorithmsVerdict } from './algorithms/verdict';

/** The sizes of a run of the section. */
export interface AlgorithmsSettings {
  /** Training digits (a stratified prefix of the 8 000). */
  trainDigits: number;
  epochs: number;
  batchSize: number;
  /** Test evaluations per epoch (the last step is always evaluated). */
  evaluationsPerEpoch: number;
  /** Timed steps of each Adam. */
  timingSamples: number;
  /** Optimizers (of 6) whose best schedule must end at least as high as their constant rate. */
  minScheduleWins: number;
}

/** The full run: two epochs of the 8 000 digits (250 steps) per optimizer × schedule. */
export const FULL: AlgorithmsSettings = {
  trainDigits: 8000,
  epochs: 2,
  batchSize: 64,
  evaluationsPerEpoch: 4,
  timingSamples: 40,
  minScheduleWins: 4,
};

/** The quick run: one epoch of 2 000 digits (32 steps) per run, every run of the grid kept. */
export const QUICK: AlgorithmsSettings = {
  ...FULL,
  trainDigits: 2000,
  epochs: 1,
  evaluationsPerEpoch: 4,
  timingSamples: 12,
};

let sectionRuns = 0;

/**
 * Optimizers and learning-rate schedules: LeNet-300-100 on MNIST trained by SGD, heavy-ball
 * momentum, Adam, AdamW, RAdam and LAMB under a constant, cosine, one-cycle and cyclical
 * learning rate, and the wall time of descent's fused Adam step against `tf.train.adam`'s.
 */
export const algorithmsSection: Section = {
  id: 'algorithms',
  title: 'Optimizers and learning-rate schedules',
  expectedSeconds: (quick) => (quick ? 9 : 44),
  run: (context) => runAlgorithms(context, context.quick ? QUICK : FULL),
};

/** Runs the section with explicit settings (the tests use smaller ones). */
export async function runAlgorithms(
  context: SectionContext,
  settings: AlgorithmsSettings,
): Promise<SectionResult> {
  const prefix = `tour-algorithms-${++sectionRuns}/`;
  const [train, testData] = await Promise.all([
    mnist({ split: 'train', limit: settings.trainDigits }),
    mnist({ split: 'test' }),
  ]);
  const net = lenet300100({ seed: context.seed });
  const test = evaluationSet(testData);
  try {
    const totalSteps = settings.epochs * Math.ceil(train.n / settings.batchSize);
    const work = OPTIMIZERS.length * SCHEDULE_IDS.length * totalSteps + settings.timingSamples;
    const grid = await trainGrid(context, settings, { net, train, test, prefix }, (done, phase) =>
      context.progress(done, work, phase),
    );
    const done = work - settings.timingSamples;
    const timing = await timeOnFirstBatch(net, train, settings, context, prefix, (i) =>
      context.progress(done + i, work, 'Adam step: descent vs tf.train'),
    );
    const verdict = algorithmsVerdict(grid, ADAPTIVE_IDS, timing.ratio, settings.minScheduleWins);
    return report(context, settings, totalSteps, grid, timing, verdict);
  } finally {
    test.dispose();
    disposeParams(net.params);
  }
}

/** Steps between test evaluations. */
function evaluationSpacing(settings: AlgorithmsSettings, totalSteps: number): number {
  return Math.max(1, Math.floor(totalSteps / (settings.epochs * settings.evaluationsPerEpoch)));
}

/** What every run of the grid shares. */
interface GridData {
  net: Net;
  train: Dataset;
  test: EvaluationSet;
  prefix: string;
}

/** Trains every optimizer under every schedule, reporting the steps done across the grid. */
async function trainGrid(
  context: SectionContext,
  settings: AlgorithmsSettings,
  data: GridData,
  progress: (done: number, phase: string) => void,
): Promise<RunGrid> {
  const totalSteps = settings.epochs * Math.ceil(data.train.n / settings.batchSize);
  const evaluateEvery = evaluationSpacing(settings, totalSteps);
  let done = 0;
  const grid: RunGrid = {};
  for (const spec of OPTIMIZERS) {
    const runs: Partial<Record<ScheduleId, RunCurve>> = {};
    for (const schedule of SCHEDULE_IDS) {
      const phase = `${spec.label}, ${schedule} learning rate`;
      runs[schedule] = await trainRun({
        ...data,
        optimizer: spec.make,
        learningRate: scheduleFor(schedule, spec.learningRate, totalSteps),
        epochs: settings.epochs,
        batchSize: settings.batchSize,
        seed: context.seed,
        evaluateEvery,
        prefix: `${data.prefix}${spec.id}-${schedule}/`,
        onStep: (step) => {
          if (step % 5 === 0 || step === totalSteps) progress(done + step, phase);
        },
      });
      done += totalSteps;
    }
    grid[spec.id] = runs as Record<ScheduleId, RunCurve>;
  }
  return grid;
}

async function timeOnFirstBatch(
  net: Net,
  train: Dataset,
  settings: AlgorithmsSettings,
  context: SectionContext,
  prefix: string,
  onSample: (done: number) => void,
): Promise<AdamStepTiming> {
  const loader = batches(train, {
    batchSize: settings.batchSize,
    shuffle: true,
    seed: context.seed,
  });
  for (const { x, y } of loader) {
    // awaited here: leaving the loop disposes the batch
    return await timeAdamSteps({
      net,
      x,
      y,
      samples: settings.timingSamples,
      prefix: `${prefix}timing/`,
      onSample,
    });
  }
  throw new Error('algorithms: the training set is empty.');
}

function report(
  context: SectionContext,
  settings: AlgorithmsSettings,
  totalSteps: number,
  grid: RunGrid,
  timing: AdamStepTiming,
  verdict: AlgorithmsVerdict,
): SectionResult {
  const rates = OPTIMIZERS.map((s) => `${s.label} ${s.learningRate}`).join(', ');
  return {
    id: 'algorithms',
    title: algorithmsSection.title,
    claim:
      'Adaptive methods (Adam and its variants) reach good accuracy fastest with little tuning, and decaying or cyclical learning-rate schedules end higher than a constant rate; descent’s fused Adam step is faster than tfjs’s.',
    paper:
      'Sun, Optimization for Deep Learning (arXiv 1912.08957), §5: SGD and momentum (Polyak 1964), Adam (Kingma & Ba 2015), AdamW (Loshchilov & Hutter 2019), RAdam (Liu et al. 2020), LAMB (You et al. 2020); cosine (Loshchilov & Hutter 2017), cyclical (Smith 2017) and one-cycle (Smith & Topin 2019) schedules.',
    setup: `LeNet-300-100 (seed ${context.seed}) on ${settings.trainDigits} MNIST training digits, ${settings.epochs} epoch(s) of batches of ${settings.batchSize} (${totalSteps} steps, the same batch order for every run), test accuracy on the 2 000 held-out digits every ${evaluationSpacing(settings, totalSteps)} steps. Six optimizers (SGD; Momentum: heavy ball, μ = 0.9; Adam; AdamW, decoupled decay 0.01; RAdam; LAMB) × four schedules (constant, cosine to 0, one-cycle, two triangular cycles between η/10 and η), peak η: ${rates}. Adam step timing: ${timing.samples} alternating steps of each on one batch, medians, backend ${context.backend}.`,
    reproduced: verdict.reproduced,
    evidence: evidenceOf(settings, timing, verdict),
    numbers: numbersOf(settings, totalSteps, grid, timing, verdict),
    figures: [curvesFigure(grid, OPTIMIZERS), finalAccuracyFigure(grid, OPTIMIZERS)],
  };
}

function evidenceOf(
  settings: AlgorithmsSettings,
  timing: AdamStepTiming,
  verdict: AlgorithmsVerdict,
): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const holds = (ok: boolean) => (ok ? 'holds' : 'does not hold');
  const label = (id: string) => OPTIMIZERS.find((s) => s.id === id)?.label ?? id;
  const wins = verdict.comparisons
    .map(
      (c) => `${label(c.optimizer)} ${pct(c.bestFinal)} (${c.bestSchedule}) vs ${pct(c.constant)}`,
    )
    .join('; ');
  const early = verdict.adaptiveHold
    ? ''
    : ' — at these rates the SGDs learn as fast at the start; one rate per optimizer does not test how much tuning each needs';
  return (
    `(a) ${holds(verdict.schedulesHold)}: the best decaying or cyclical schedule ends at least as high as the constant rate for ${verdict.scheduleWins} of 6 optimizers (needed ≥ ${settings.minScheduleWins}; final test accuracy, best schedule vs constant: ${wins}). ` +
    `(b) ${holds(verdict.adaptiveHold)}: at the first evaluation, at a constant rate, the adaptive methods average ${pct(verdict.earlyAdaptive)} and the two SGDs ${pct(verdict.earlySgd)} (needed: adaptive higher)${early}. ` +
    `(c) ${holds(verdict.fusedHold)}: one training step takes ${timing.descentMs.toFixed(2)} ms with descent’s fused Adam and ${timing.tfjsMs.toFixed(2)} ms with tf.train.adam (median of ${timing.samples}, ratio ${timing.ratio.toFixed(2)}, needed > 1).`
  );
}

function numbersOf(
  settings: AlgorithmsSettings,
  totalSteps: number,
  grid: RunGrid,
  timing: AdamStepTiming,
  verdict: AlgorithmsVerdict,
): { [key: string]: JsonValue } {
  const runs: { [key: string]: JsonValue } = {};
  for (const [optimizer, bySchedule] of Object.entries(grid)) {
    const row: { [key: string]: JsonValue } = {};
    for (const [schedule, curve] of Object.entries(bySchedule)) {
      row[schedule] = { steps: curve.steps, accuracy: curve.accuracy, seconds: curve.seconds };
    }
    runs[optimizer] = row;
  }
  return {
    settings: { ...settings, totalSteps },
    learningRates: Object.fromEntries(OPTIMIZERS.map((s) => [s.id, s.learningRate])),
    runs,
    comparisons: verdict.comparisons.map((c) => ({ ...c })),
    scheduleWins: verdict.scheduleWins,
    earlyAccuracy: { adaptive: verdict.earlyAdaptive, sgd: verdict.earlySgd },
    adamStep: { ...timing },
    criteria: {
      schedules: verdict.schedulesHold,
      adaptiveEarly: verdict.adaptiveHold,
      fusedFaster: verdict.fusedHold,
    },
  };
}
