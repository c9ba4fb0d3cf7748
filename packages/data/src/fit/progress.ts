/** What one progress line shows. */
export interface ProgressState {
  /** The epoch, from 1. */
  epoch: number;
  /** Epochs in all. */
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  /** Batches per epoch. */
  numBatches: number;
  /** Seconds since the epoch began. */
  seconds: number;
  /** Examples trained on in this epoch. */
  samples: number;
  /** Mean loss of the batches read so far, or `undefined` before the first read. */
  loss?: number;
}

/** Where a progress line goes: a TTY-like stream (`process.stderr` in Node). */
export interface ProgressSink {
  write(text: string): unknown;
  columns?: number;
}

const BAR_WIDTH = 20;
/** Redraw at most this often: a redraw every step would cost more than the step on small nets. */
const REDRAW_MS = 200;

/**
 * One progress line: `epoch 2/5 [########------------] 100/250 eta 3.1s 2 310 samples/s loss 0.1234`.
 * The ETA extrapolates this epoch's rate to its remaining batches.
 *
 * @param state - Where training stands.
 * @returns the line, without a carriage return or newline.
 * @example
 * ```ts
 * formatProgress({ epoch: 1, epochs: 2, batch: 5, numBatches: 10, seconds: 1, samples: 160 });
 * // 'epoch 1/2 [##########----------] 5/10 eta 1.0s 160 samples/s'
 * ```
 */
export function formatProgress(state: ProgressState): string {
  const { epoch, epochs, batch, numBatches, seconds, samples, loss } = state;
  const done = numBatches > 0 ? Math.min(1, batch / numBatches) : 1;
  const filled = Math.round(done * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
  const eta = batch > 0 ? (seconds / batch) * (numBatches - batch) : Number.NaN;
  const rate = seconds > 0 ? samples / seconds : Number.NaN;
  const parts = [
    `epoch ${epoch}/${epochs}`,
    `[${bar}]`,
    `${batch}/${numBatches}`,
    `eta ${formatSeconds(eta)}`,
    `${Number.isFinite(rate) ? Math.round(rate).toString() : '-'} samples/s`,
  ];
  if (loss !== undefined) parts.push(`loss ${loss.toPrecision(4)}`);
  return parts.join(' ');
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '-';
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60)
    .toString()
    .padStart(2, '0')}s`;
}

/**
 * A one-line progress bar redrawn in place (`\r`) on a TTY, at most every 200 ms, finished with a
 * newline per epoch.
 *
 * @example
 * ```ts
 * const line = new ProgressLine(process.stderr);
 * line.update(state);   // throttled
 * line.finish(state);   // final state of the epoch, then '\n'
 * ```
 */
export class ProgressLine {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private width = 0;

  constructor(
    private readonly sink: ProgressSink,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether an update now would be drawn (callers skip reading the loss otherwise). */
  due(): boolean {
    return this.now() - this.lastDraw >= REDRAW_MS;
  }

  /** Draws `state` if the last draw is at least 200 ms old. */
  update(state: ProgressState): void {
    if (this.due()) this.draw(state);
  }

  /** Draws `state` and ends the line. */
  finish(state: ProgressState): void {
    this.draw(state);
    this.sink.write('\n');
    this.width = 0;
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  private draw(state: ProgressState): void {
    let text = formatProgress(state);
    const columns = this.sink.columns;
    if (columns !== undefined && columns > 1 && text.length >= columns) {
      text = text.slice(0, columns - 1);
    }
    this.sink.write(`\r${text.padEnd(this.width)}`);
    this.width = text.length;
    this.lastDraw = this.now();
  }
}

/**
 * Where `progress: 'auto'` draws: `process.stderr` when it is a TTY in Node, else nowhere
 * (browsers, pipes, CI logs).
 *
 * @returns the stream, or `undefined`.
 * @example
 * ```ts
 * const sink = autoProgressSink(); // process.stderr in a terminal
 * ```
 */
export function autoProgressSink(): ProgressSink | undefined {
  const proc = (globalThis as { process?: { stderr?: ProgressSink & { isTTY?: boolean } } })
    .process;
  const stderr = proc?.stderr;
  return stderr?.isTTY === true && typeof stderr.write === 'function' ? stderr : undefined;
}
