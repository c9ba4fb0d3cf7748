import { type Params, Rng, disposeParams } from '@descent/core';
import { mlp } from '@descent/nets';
import type { Section, SectionContext, SectionResult } from '../section';
import { measureBezier, measureLine } from './landscape/connect-minima';
import { loadDigits } from './landscape/digits';
import { landscapeLoss } from './landscape/metrics';
import { type LandscapeMeasures, landscapeResult } from './landscape/landscape-result';
import { progressCounter } from './landscape/progress-counter';
import { LANDSCAPE_FULL, LANDSCAPE_QUICK, type LandscapeSettings } from './landscape/settings';
import { topEigenvalues } from './landscape/top-eigenvalues';
import { type Minimum, trainMinimum } from './landscape/train-minimum';

/** The `landscape` section: mode connectivity between two minima, and sharp large-batch minima. */
export const landscapeSection: Section = {
  id: 'landscape',
  title: 'Loss landscapes: connected minima, sharper with large batches',
  // measured on wasm with seed 1 (process CPU time: about the wall time on an idle machine)
  expectedSeconds: (quick) => (quick ? 2 : 20),
  run: (context) => runLandscape(context, context.quick ? LANDSCAPE_QUICK : LANDSCAPE_FULL),
};

/**
 * Runs the section with explicit settings: three minima of a 784-h-10 ReLU MLP on MNIST (A and
 * B with small batches from different seeds, C with large batches from A's initialization, until
 * its training loss is A's), the loss along the straight line and along a trained Bezier curve
 * from A to B, and the top Hessian eigenvalues at A and C.
 */
export async function runLandscape(
  context: SectionContext,
  settings: LandscapeSettings,
): Promise<SectionResult> {
  const root = new Rng(context.seed).child('landscape');
  const digits = await loadDigits(
    settings.trainExamples,
    settings.lossExamples,
    settings.testExamples,
  );
  const sizes = [784, settings.hidden, 10];
  const netA = mlp({ sizes, activation: 'relu', seed: root.seedFor('init A') });
  const netB = mlp({ sizes, activation: 'relu', seed: root.seedFor('init B') });
  const stepsPerEpoch = (batch: number) => Math.ceil(settings.trainExamples / batch);
  const small = stepsPerEpoch(settings.smallBatch);
  const largeSteps = settings.largeBatchEpochs * stepsPerEpoch(settings.largeBatch);
  const total =
    (2 * settings.epochs + settings.curveEpochs) * small + largeSteps + 2 * settings.pathPoints + 2;
  const progress = progressCounter(context, total);
  const owned: Params[] = [netA.params, netB.params];
  const keep = (minimum: Minimum) => {
    owned.push(minimum.params);
    return minimum;
  };
  try {
    const recipe = (batchSize: number, name: string) => ({
      batchSize,
      learningRate: settings.learningRate,
      momentum: settings.momentum,
      epochs: settings.epochs,
      seed: root.seedFor(`order ${name}`),
      onStep: () => progress.tick(`training minimum ${name} (batch ${batchSize})`),
    });
    const a = keep(await trainMinimum(netA, digits, recipe(settings.smallBatch, 'A')));
    const b = keep(await trainMinimum(netB, digits, recipe(settings.smallBatch, 'B')));
    const largeFrom = progress.done;
    const c = keep(
      await trainMinimum(netA, digits, {
        ...recipe(settings.largeBatch, 'C'),
        epochs: settings.largeBatchEpochs,
        targetLoss: a.loss,
      }),
    );
    progress.reach(largeFrom + largeSteps, 'training minimum C');

    const line = await measureLine(netA, digits, a.params, b.params, settings.pathPoints, () =>
      progress.tick('the straight line A → B'),
    );
    const bezier = await measureBezier(
      netA,
      digits,
      a.params,
      b.params,
      {
        batchSize: settings.smallBatch,
        learningRate: settings.learningRate,
        momentum: settings.momentum,
        epochs: settings.curveEpochs,
        rng: root.child('curve'),
        onStep: () => progress.tick('training a Bezier curve A → B'),
      },
      settings.pathPoints,
      () => progress.tick('the Bezier curve A → B'),
    );

    const loss = landscapeLoss(netA, digits);
    const sharpA = await topEigenvalues(loss, a.params, settings.eigenvalues, root.child('eigs A'));
    progress.tick('Hessian at A');
    const sharpC = await topEigenvalues(loss, c.params, settings.eigenvalues, root.child('eigs C'));
    progress.tick('Hessian at C');

    const measures: LandscapeMeasures = {
      minima: { a, b, c },
      line,
      bezier,
      hessian: { a: sharpA, c: sharpC },
    };
    return landscapeResult(context, settings, measures);
  } finally {
    for (const params of owned) disposeParams(params);
    digits.dispose();
  }
}
