import type { Section, SectionContext, SectionResult } from '../section';
import {
  type ConvergenceSettings,
  FULL_SETTINGS,
  QUICK_SETTINGS,
  type SchemeRun,
  runConvergence,
} from './convergence/experiment';
import { convergenceFigures } from './convergence/figures';
import { convergenceVerdict } from './convergence/verdict';

/** Settings for a run: {@link FULL_SETTINGS} or {@link QUICK_SETTINGS}. */
function settingsFor(quick: boolean): ConvergenceSettings {
  return quick ? QUICK_SETTINGS : FULL_SETTINGS;
}

/**
 * Initialization and the depth of a signal (survey §4.1): a deep ReLU MLP initialized naively
 * (N(0, 0.01²)), with LeCun normal, He normal, orthogonal ×√2 and LSUV; the forward and
 * backward signal at initialization per layer, then the first SGD steps on MNIST.
 */
export const convergenceSection: Section = {
  id: 'convergence',
  title: 'Initialization keeps a deep signal alive',
  expectedSeconds: (quick) => (quick ? 3 : 21),
  async run(context: SectionContext): Promise<SectionResult> {
    const settings = settingsFor(context.quick);
    const runs = await runConvergence(settings, context.seed, context.progress);
    const verdict = convergenceVerdict(runs, settings.depth);
    return {
      id: 'convergence',
      title: convergenceSection.title,
      claim:
        'An initialization that preserves the variance of the signal (He, orthogonal with the ReLU gain, LSUV) keeps the forward signal alive through a deep ReLU net and lets it train, while a naive small initialization makes the signal vanish by orders of magnitude and training stalls; LeCun initialization halves the variance at every ReLU layer.',
      paper:
        'Sun, Optimization for Deep Learning (2019), §4.1 (initialization); He et al., Delving Deep into Rectifiers (ICCV 2015); Saxe et al., Exact solutions to the nonlinear dynamics of learning in deep linear networks (ICLR 2014); Mishkin & Matas, All you need is a good init (ICLR 2016).',
      setup: setupText(settings, context),
      reproduced: verdict.reproduced,
      evidence: verdict.evidence,
      numbers: numbersOf(settings, runs, verdict),
      figures: convergenceFigures(runs, settings),
    };
  },
};

function setupText(settings: ConvergenceSettings, context: SectionContext): string {
  return (
    `A ${settings.depth}-layer ReLU MLP (784 → ${settings.depth - 1} × ${settings.width} → 10, zero biases) from @descent/nets, ` +
    `initialized by @descent/init's normal (σ = 0.01), lecunNormal, heNormal, orthogonal (gain √2) and lsuv (on the probe batch). ` +
    `Signal: signalPropagation on ${settings.probeExamples} MNIST digits. Training: ${settings.steps} steps of SGD ` +
    `(learning rate ${settings.learningRate}, momentum ${settings.momentum}, batch ${settings.batchSize}) on ` +
    `${settings.trainExamples} digits, the same batches for every scheme; seed ${context.seed}, backend ${context.backend}.`
  );
}

function numbersOf(
  settings: ConvergenceSettings,
  runs: SchemeRun[],
  verdict: ReturnType<typeof convergenceVerdict>,
): SectionResult['numbers'] {
  const schemes: SectionResult['numbers'] = {};
  for (const run of runs) {
    const s = verdict.summaries.find((t) => t.scheme === run.scheme)!;
    schemes[run.scheme] = {
      lastLayerSignal: s.lastLayerSignal,
      initialLoss: s.initialLoss,
      finalLoss: s.finalLoss,
      forwardSignal: run.signal.forward,
      backwardGradNorm: run.signal.backward,
      losses: run.losses,
    };
  }
  return { settings: { ...settings }, lecunPredicted: verdict.lecunPredicted, schemes };
}
