/** What the `ntk` section runs; {@link NTK_FULL} and {@link NTK_QUICK} are the two presets. */
export interface NtkSettings {
  /** Hidden widths of the MLPs, increasing. */
  widths: number[];
  /** Hidden layers of every MLP. */
  depth: number;
  /** Training points of the regression task (the kernels are `[points, points]`). */
  points: number;
  /** Initializations per width for the kernel at initialization. */
  initSeeds: number;
  /** Initializations per width trained by gradient descent. */
  trainSeeds: number;
  /** Full-batch gradient-descent steps for the kernel movement. */
  steps: number;
  /** The step as a fraction of the infinite-width NTK's largest stable learning rate. */
  rateFraction: number;
}

/** The full run: one hidden layer of width 64 … 4 096, 16 initializations, 3 trained per width. */
export const NTK_FULL: NtkSettings = {
  widths: [64, 128, 256, 512, 1024, 2048, 4096],
  depth: 1,
  points: 16,
  initSeeds: 16,
  trainSeeds: 3,
  steps: 300,
  rateFraction: 0.5,
};

/** The quick run: widths 64, 512 and 4 096, fewer seeds and half the steps. */
export const NTK_QUICK: NtkSettings = {
  ...NTK_FULL,
  widths: [64, 512, 4096],
  initSeeds: 8,
  trainSeeds: 1,
  steps: 150,
};
