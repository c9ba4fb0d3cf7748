/** What the `landscape` section runs; {@link LANDSCAPE_FULL} and {@link LANDSCAPE_QUICK} are the presets. */
export interface LandscapeSettings {
  /** Hidden width of the 784-h-10 ReLU MLP. */
  hidden: number;
  /** Training digits (the first of the 8 000 embedded). */
  trainExamples: number;
  /** The first training digits that the landscape loss `L(θ)` averages over (paths, Hessian). */
  lossExamples: number;
  /** Held-out digits for the minima's test accuracy. */
  testExamples: number;
  /** Epochs of the two small-batch minima. */
  epochs: number;
  smallBatch: number;
  largeBatch: number;
  /**
   * Most epochs of the large-batch minimum, which trains until its training loss is no higher
   * than the first small-batch minimum's (Keskar et al. compare minima of equal training loss).
   */
  largeBatchEpochs: number;
  learningRate: number;
  momentum: number;
  /** Epochs of training the Bezier curve's middle point. */
  curveEpochs: number;
  /** Points along each path, endpoints included. */
  pathPoints: number;
  /** Top Hessian eigenvalues per minimum. */
  eigenvalues: number;
}

/** The full run: a 784-64-10 MLP on the 8 000 training digits. */
export const LANDSCAPE_FULL: LandscapeSettings = {
  hidden: 64,
  trainExamples: 8000,
  lossExamples: 2000,
  testExamples: 2000,
  epochs: 4,
  smallBatch: 32,
  largeBatch: 1000,
  largeBatchEpochs: 100,
  learningRate: 0.05,
  momentum: 0.9,
  curveEpochs: 4,
  pathPoints: 21,
  eigenvalues: 3,
};

/** The quick run: a 784-24-10 MLP on 2 000 digits, fewer epochs and points. */
export const LANDSCAPE_QUICK: LandscapeSettings = {
  ...LANDSCAPE_FULL,
  hidden: 24,
  trainExamples: 2000,
  lossExamples: 500,
  testExamples: 500,
  epochs: 2,
  largeBatch: 500,
  largeBatchEpochs: 12,
  curveEpochs: 2,
  pathPoints: 11,
  eigenvalues: 2,
};
