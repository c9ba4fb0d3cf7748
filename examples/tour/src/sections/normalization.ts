import type { Section, SectionContext, SectionResult } from '../section';
import {
  FULL_SETTINGS,
  type NormalizationSettings,
  QUICK_SETTINGS,
  type RateRun,
  runNormalization,
} from './normalization/experiment';
import { normalizationFigures } from './normalization/figures';
import { NORM_VARIANTS } from './normalization/norm-variants';
import { type NormalizationVerdict, normalizationVerdict } from './normalization/verdict';

/**
 * Normalization and the learning rate (survey §4.2): a ReLU MLP without normalization, with
 * BatchNorm and with GroupNorm, trained by plain SGD at learning rates from 0.01 to 10; the
 * largest rate at which each still trains.
 */
export const normalizationSection: Section = {
  id: 'normalization',
  title: 'Normalization allows larger learning rates',
  expectedSeconds: (quick) => (quick ? 3 : 18),
  async run(context: SectionContext): Promise<SectionResult> {
    const settings = context.quick ? QUICK_SETTINGS : FULL_SETTINGS;
    const runs = await runNormalization(settings, context.seed, context.progress);
    const verdict = normalizationVerdict(runs);
    const compareAt = verdict.largestStable.none ?? settings.learningRates[0]!;
    return {
      id: 'normalization',
      title: normalizationSection.title,
      claim:
        'Batch normalization lets a deep net train at larger learning rates than the same net without normalization (the survey also cites faster convergence).',
      paper:
        'Sun, Optimization for Deep Learning (2019), §4.2 (normalization); Ioffe & Szegedy, Batch Normalization (ICML 2015); Wu & He, Group Normalization (ECCV 2018); Bjorck et al., Understanding Batch Normalization (NeurIPS 2018).',
      setup: setupText(settings, context),
      reproduced: verdict.reproduced,
      evidence: verdict.evidence,
      numbers: numbersOf(settings, runs, verdict),
      figures: normalizationFigures(runs, verdict.outcomes, settings, compareAt),
    };
  },
};

function setupText(settings: NormalizationSettings, context: SectionContext): string {
  return (
    `A ${settings.depth}-layer ReLU MLP (784 → ${settings.depth - 1} × ${settings.width} → 10, He normal) from @descent/nets: ` +
    `without normalization, with batch norm (nets' norm: 'batch', batch statistics in training) and with @descent/norm's ` +
    `groupNorm (${settings.groups} groups) before every hidden ReLU. Each trained by plain SGD (no momentum) for ` +
    `${settings.steps} steps of batch ${settings.batchSize} on ${settings.trainExamples} MNIST digits at learning rates ` +
    `${settings.learningRates.join(', ')}, from the same initial weights and on the same batches; ` +
    `seed ${context.seed}, backend ${context.backend}.`
  );
}

function numbersOf(
  settings: NormalizationSettings,
  runs: RateRun[],
  verdict: NormalizationVerdict,
): SectionResult['numbers'] {
  const variants: SectionResult['numbers'] = {};
  for (const variant of NORM_VARIANTS) {
    variants[variant] = {
      largestStableLearningRate: verdict.largestStable[variant],
      runs: runs
        .map((run, i) => ({ run, outcome: verdict.outcomes[i]! }))
        .filter(({ run }) => run.variant === variant)
        .map(({ run, outcome }) => ({
          learningRate: run.learningRate,
          initialLoss: outcome.initialLoss,
          finalLoss: Number.isFinite(outcome.finalLoss) ? outcome.finalLoss : null,
          stable: outcome.stable,
          losses: run.losses.map((l) => (Number.isFinite(l) ? l : null)),
        })),
    };
  }
  return {
    settings: { ...settings, learningRates: [...settings.learningRates] },
    ratio: verdict.ratio,
    variants,
  };
}
