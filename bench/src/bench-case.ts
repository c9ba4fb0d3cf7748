import type * as tf from '@tensorflow/tfjs-core';
import type { MeasureOptions } from './measure';

/** What one benchmark case prepares on the active backend. */
export interface PreparedCase {
  /** One step with descent (asynchronous where it reads the device). */
  descent(): void | Promise<void>;
  /** The same step with tfjs's built-in or the naive approach. */
  baseline(): void | Promise<void>;
  /** A tensor the given contender's steps write; reading it waits for the backend to finish. */
  witness(contender: 'descent' | 'baseline'): tf.Tensor;
  dispose(): void;
}

/** One row of the benchmark table. */
export interface BenchCase {
  name: string;
  /** Elements updated per step (for elements/s). */
  elements: number;
  /** Bytes the update must move per step (for GB/s). */
  bytesPerStep: number;
  /** Warm-up, steps per sample and samples, for cases whose steps take seconds. Default: by `elements`. */
  budget?: MeasureOptions;
  setup(): PreparedCase;
}

/** One measured row. */
export interface BenchResult {
  name: string;
  backend: string;
  descentMs: number;
  baselineMs: number;
  /** baselineMs / descentMs: above 1 means descent is faster. */
  speedup: number;
  elementsPerSecond: number;
  /** Bytes per step over descent's median time per step. */
  gigabytesPerSecond: number;
  /** Bytes per step over descent's fastest sample. */
  bestGigabytesPerSecond: number;
  /** The best of the 64 MiB copies taken between this case's samples (GB/s, read + write). */
  copyGigabytesPerSecond: number;
}
