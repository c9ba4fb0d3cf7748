import * as tf from '@tensorflow/tfjs-core';

/** A progress callback: `done` of `total` points are evaluated. */
export type OnPoint = (done: number, total: number) => void;

/**
 * Losses per device read: a GPU backend then synchronizes once per this many points instead of
 * once per point, while at most one point's forward pass is alive at a time.
 */
const POINTS_PER_READ = 16;

/**
 * Collects the `[1]`-shaped loss tensors of consecutive points, owns them, and reads them back
 * 16 at a time with one `tf.concat(…).data()`, calling `onPoint(done, total)` after each read.
 * `dispose()` frees what is still pending (call it in a `finally`).
 */
export class LossReader {
  private pending: tf.Tensor[] = [];
  private readonly read: number[] = [];

  constructor(
    private readonly total: number,
    private readonly onPoint?: OnPoint,
  ) {}

  /** Takes ownership of `loss` and reads the batch once it is full. */
  async add(loss: tf.Tensor): Promise<void> {
    this.pending.push(loss);
    if (this.pending.length === POINTS_PER_READ) await this.flush();
  }

  /** Reads what is pending; every value so far, in the order added. */
  async values(): Promise<number[]> {
    if (this.pending.length > 0) await this.flush();
    return this.read;
  }

  /** Frees the pending tensors. */
  dispose(): void {
    tf.dispose(this.pending);
    this.pending = [];
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      const stacked = tf.concat(batch);
      try {
        this.read.push(...(await stacked.data()));
      } finally {
        stacked.dispose();
      }
    } finally {
      tf.dispose(batch);
    }
    this.onPoint?.(this.read.length, this.total);
  }
}
