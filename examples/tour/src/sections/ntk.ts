import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { maxLearningRate } from '@descent/ntk';
import type { Section, SectionContext, SectionResult } from '../section';
import { distanceFigure } from './ntk/distance-figure';
import { type InitDistance, kernelAtInit } from './ntk/kernel-at-init';
import { type KernelMovement, kernelMovement } from './ntk/kernel-movement';
import { logLogSlope } from './ntk/log-log-slope';
import { regressionTask } from './ntk/regression-task';
import { NTK_FULL, NTK_QUICK, type NtkSettings } from './ntk/settings';
import { ARCHITECTURE, infiniteNet } from './ntk/wide-nets';

/** A fitted log-log slope at or below this counts as "falls with the width" (1/√width is −½). */
export const NTK_SLOPE_THRESHOLD = -0.3;

const TITLE = 'Wide networks train in the lazy regime of their neural tangent kernel';

/**
 * The `ntk` section: (a) the empirical NTK of MLPs at initialization against the analytic
 * infinite-width NTK as the width grows, (b) how far full-batch gradient descent moves the
 * empirical NTK, and the log-log slopes of both against the width.
 */
export const ntkSection: Section = {
  id: 'ntk',
  title: TITLE,
  // measured on wasm with seed 1 (process CPU time: about the wall time on an idle machine)
  expectedSeconds: (quick) => (quick ? 2 : 9),
  run: (context) => runNtk(context, context.quick ? NTK_QUICK : NTK_FULL),
};

/** Runs the section with explicit settings (the presets are {@link NTK_FULL} and {@link NTK_QUICK}). */
export async function runNtk(
  context: SectionContext,
  settings: NtkSettings,
): Promise<SectionResult> {
  const root = new Rng(context.seed).child('ntk');
  const seeds = (kind: string, count: number) =>
    Array.from({ length: count }, (_, i) => root.seedFor(`${kind} ${i}`));
  const task = regressionTask(settings.points, root.seedFor('data'));
  const { widths, depth, steps } = settings;
  const total = widths.length * (settings.initSeeds + settings.trainSeeds * steps);
  let done = 0;
  const advance = (phase: string) => {
    done += 1;
    if (done % 10 === 0 || done === total) context.progress(done, total, phase);
  };
  try {
    const { analytic, learningRate } = await analyticKernel(task.x, depth, settings.rateFraction);
    const init = await kernelAtInit(
      task.x,
      analytic,
      widths,
      depth,
      seeds('init', settings.initSeeds),
      () => advance('kernels at initialization'),
    );
    const movement = await kernelMovement(
      task,
      widths,
      depth,
      seeds('train', settings.trainSeeds),
      { learningRate, steps },
      () => advance('gradient descent'),
    );
    return ntkResult(context, settings, learningRate, init, movement);
  } finally {
    task.dispose();
  }
}

/** The infinite-width NTK of the inputs, and the step size: a fraction of its largest stable one. */
async function analyticKernel(
  x: tf.Tensor2D,
  depth: number,
  rateFraction: number,
): Promise<{ analytic: Float32Array; learningRate: number }> {
  const { ntk, nngp } = infiniteNet(depth).kernelFn(x);
  try {
    const analytic = (await ntk.data()) as Float32Array;
    const largest = await maxLearningRate(ntk, { yCount: x.shape[0] });
    return { analytic, learningRate: rateFraction * largest };
  } finally {
    tf.dispose([ntk, nngp]);
  }
}

function ntkResult(
  context: SectionContext,
  settings: NtkSettings,
  learningRate: number,
  init: InitDistance[],
  movement: KernelMovement[],
): SectionResult {
  const widths = settings.widths;
  const initSlope = logLogSlope(
    widths,
    init.map((row) => row.mean),
  );
  const movementSlope = logLogSlope(
    widths,
    movement.map((row) => row.mean),
  );
  const reproduced = initSlope <= NTK_SLOPE_THRESHOLD && movementSlope <= NTK_SLOPE_THRESHOLD;
  const [firstInit, lastInit] = [init[0] as InitDistance, init[init.length - 1] as InitDistance];
  const [firstMove, lastMove] = [
    movement[0] as KernelMovement,
    movement[movement.length - 1] as KernelMovement,
  ];
  const evidence =
    `At initialization the empirical NTK is ${fixed(firstInit.mean)} (relative Frobenius distance) from the analytic one at width ${firstInit.width} and ${fixed(lastInit.mean)} at width ${lastInit.width}, a log-log slope of ${initSlope.toFixed(2)}; ` +
    `${settings.steps} steps of gradient descent move it by ${percent(firstMove.mean)} at width ${firstMove.width} and ${percent(lastMove.mean)} at width ${lastMove.width}, slope ${movementSlope.toFixed(2)}. ` +
    `Criterion: both fitted slopes ≤ ${NTK_SLOPE_THRESHOLD} (1/√width is −0.5) — ${reproduced ? 'met' : 'not met'}.`;
  return {
    id: 'ntk',
    title: TITLE,
    claim:
      'As the width grows, the empirical neural tangent kernel of a randomly initialized network concentrates on the deterministic infinite-width kernel, and it stays nearly constant during training by gradient descent (the "lazy" regime), so wide networks train like kernel regression.',
    paper:
      'Survey §6.5 (Sun, 2019); A. Jacot, F. Gabriel & C. Hongler, Neural Tangent Kernel, NeurIPS 2018; J. Lee et al., Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent, NeurIPS 2019.',
    setup:
      `${settings.points} noisy points of y = sin x on [−π, π) (sinusoid of @descent/data, noise σ = 0.1); ` +
      `MLPs with ${settings.depth} erf hidden layer${settings.depth > 1 ? 's' : ''} of width ${widths.join(', ')} (wideMlp of @descent/nets, NTK parameterization, σ_w = ${ARCHITECTURE.weightStd}, σ_b = ${ARCHITECTURE.biasStd}). ` +
      `(a) empiricalNtk of ${settings.initSeeds} initializations per width against the analytic NTK of the same architecture (serial(dense, erf, dense).kernelFn of @descent/ntk). ` +
      `(b) ${settings.trainSeeds} initialization${settings.trainSeeds > 1 ? 's' : ''} per width trained by ${settings.steps} steps of full-batch gradient descent (sgd of @descent/optim through fit of @descent/data) on ½·MSE at ${settings.rateFraction} × the analytic NTK's largest stable rate (η = ${learningRate.toFixed(4)}), centered at their initial outputs; the kernel before and after. Backend: ${context.backend}.`,
    reproduced,
    evidence,
    numbers: {
      settings: { ...settings },
      learningRate,
      slopeThreshold: NTK_SLOPE_THRESHOLD,
      initSlope,
      movementSlope,
      initFallsMonotonically: fallsMonotonically(init.map((row) => row.mean)),
      movementFallsMonotonically: fallsMonotonically(movement.map((row) => row.mean)),
      kernelAtInit: init.map((row) => ({ ...row })),
      kernelMovement: movement.map((row) => ({ ...row })),
    },
    figures: [distanceFigure(init, movement)],
  };
}

/** Whether every value is below the one before it. */
function fallsMonotonically(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v < (values[i - 1] as number));
}

const fixed = (v: number) => v.toFixed(3);
const percent = (v: number) => `${(100 * v).toFixed(1)} %`;
