import type { JsonValue, SectionContext, SectionResult } from '../../section';
import type { PathMeasure } from './connect-minima';
import { eigenvaluesFigure, pathsFigure } from './figures';
import type { LandscapeSettings } from './settings';
import type { TopEigenvalues } from './top-eigenvalues';
import type { Minimum } from './train-minimum';

/** The Bezier curve's barrier may be at most this fraction of the straight line's. */
export const BARRIER_RATIO_LIMIT = 0.5;

/** Everything the section measured. */
export interface LandscapeMeasures {
  /** A and B: small batches, different seeds; C: large batches from A's initialization. */
  minima: { a: Minimum; b: Minimum; c: Minimum };
  line: PathMeasure;
  bezier: PathMeasure;
  /** Top Hessian eigenvalues at A (small batch) and C (large batch). */
  hessian: { a: TopEigenvalues; c: TopEigenvalues };
}

/** The section's verdict: both parts of the claim, by their stated criteria. */
export function landscapeVerdict(measures: LandscapeMeasures): {
  barrierRatio: number;
  sharpnessRatio: number;
  connected: boolean;
  sharper: boolean;
} {
  const { line, bezier, hessian } = measures;
  const barrierRatio = bezier.barrier / line.barrier;
  const sharpnessRatio = topOf(hessian.c) / topOf(hessian.a);
  return {
    barrierRatio,
    sharpnessRatio,
    connected: line.barrier > 0 && bezier.barrier <= BARRIER_RATIO_LIMIT * line.barrier,
    sharper: sharpnessRatio > 1,
  };
}

/** The section's result: claim, setup, verdict, evidence, every number and the two figures. */
export function landscapeResult(
  context: SectionContext,
  settings: LandscapeSettings,
  measures: LandscapeMeasures,
): SectionResult {
  const { minima, line, bezier, hessian } = measures;
  const verdict = landscapeVerdict(measures);
  const reproduced = verdict.connected && verdict.sharper;
  const evidence =
    `Between minima A and B (training loss ${f3(minima.a.loss)} and ${f3(minima.b.loss)}) the straight line rises to ${f3(Math.max(...line.loss))} (barrier ${f3(line.barrier)}), the trained Bezier curve only to ${f3(Math.max(...bezier.loss))} (barrier ${f3(bezier.barrier)}, ${f2(verdict.barrierRatio)}× the line's); ` +
    `at training loss ${f3(minima.c.loss)} after ${minima.c.epochs} epochs of batch ${settings.largeBatch} against A's ${f3(minima.a.loss)}, the top Hessian eigenvalue is ${f2(topOf(hessian.c))} against ${f2(topOf(hessian.a))} for batch ${settings.smallBatch} (${f2(verdict.sharpnessRatio)}×). ` +
    `Criterion: Bezier barrier ≤ ${BARRIER_RATIO_LIMIT} × the linear one (${verdict.connected ? 'met' : 'not met'}) and λ_max(large batch) > λ_max(small batch) (${verdict.sharper ? 'met' : 'not met'}).`;
  return {
    id: 'landscape',
    title: 'Loss landscapes: connected minima, sharper with large batches',
    claim:
      'Minima that training finds from different starting points are connected by simple curves of low loss, although the straight line between them crosses a loss barrier; and training with large batches ends in sharper minima than training with small ones.',
    paper:
      'Survey §6.1–6.3 (Sun, 2019); T. Garipov et al., Loss Surfaces, Mode Connectivity, and Fast Ensembling of DNNs, NeurIPS 2018; F. Draxler et al., Essentially No Barriers in Neural Network Energy Landscape, ICML 2018; N. S. Keskar et al., On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima, ICLR 2017.',
    setup:
      `A 784-${settings.hidden}-10 ReLU MLP (mlp of @descent/nets) on ${settings.trainExamples} MNIST training digits (@descent/data), SGD with momentum ${settings.momentum} and learning rate ${settings.learningRate} (sgd of @descent/optim, through fit). ` +
      `Minima A and B: ${settings.epochs} epochs of batch ${settings.smallBatch} from two seeds; minimum C: batch ${settings.largeBatch} from A's initialization until its training loss is at most A's (at most ${settings.largeBatchEpochs} epochs). ` +
      `The loss L(θ) is the mean cross-entropy on the first ${settings.lossExamples} training digits. Paths A → B at ${settings.pathPoints} points: the straight line (linearPath) and a quadratic Bezier curve whose middle point is trained for ${settings.curveEpochs} epochs (modeConnect), both measured with evaluateCurve; the barrier is max_t L(t) − (L(0) + L(1))/2. ` +
      `Top ${settings.eigenvalues} Hessian eigenvalues of L at A and C by Lanczos (hessianEigs of @descent/landscape). Backend: ${context.backend}.`,
    reproduced,
    evidence,
    numbers: {
      settings: { ...settings },
      minima: {
        a: minimumNumbers(minima.a),
        b: minimumNumbers(minima.b),
        c: minimumNumbers(minima.c),
      },
      largeBatchReachedTarget: minima.c.loss <= minima.a.loss,
      line: { ...line },
      bezier: { ...bezier },
      hessian: { a: { ...hessian.a }, c: { ...hessian.c } },
      barrierRatio: verdict.barrierRatio,
      barrierRatioLimit: BARRIER_RATIO_LIMIT,
      sharpnessRatio: verdict.sharpnessRatio,
      connected: verdict.connected,
      sharper: verdict.sharper,
    },
    figures: [
      pathsFigure(line, bezier),
      eigenvaluesFigure(
        { batchSize: minima.a.batchSize, eigenvalues: hessian.a.eigenvalues },
        { batchSize: minima.c.batchSize, eigenvalues: hessian.c.eigenvalues },
      ),
    ],
  };
}

function minimumNumbers(minimum: Minimum): { [key: string]: JsonValue } {
  const { params: _params, ...numbers } = minimum;
  return numbers;
}

const topOf = (top: TopEigenvalues) => top.eigenvalues[0] as number;
const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);
