import { DescentError, checkNumber, describeValue } from '@descent/core';
import cliProgress, { type Options, type SingleBar } from 'cli-progress';

/**
 * A text progress bar: `width` cells, `#` for done and `-` for left, then the percent padded to
 * three columns, e.g. `[###########-------------------]  37 % `. The fraction is
 * `clamp(done, 0, total) / total` (1 when `total = 0`); cells and percent round down, so the bar
 * shows `100 %` only when everything is done.
 *
 * @param done - Work done; values outside [0, total] are clamped.
 * @param total - Work in all, ≥ 0.
 * @param width - Cells between the brackets, an integer ≥ 1 (default 30).
 * @returns the bar, ending with a space so that a suffix can follow directly.
 * @throws DescentError `NON_FINITE` (NaN or ±Infinity), `BAD_HYPERPARAM` (not a number,
 *   `total < 0`, `width` not an integer ≥ 1).
 * @example
 * ```ts
 * progressBar(37, 100); // '[###########-------------------]  37 % '
 * progressBar(5, 0, 10); // '[##########] 100 % '
 * ```
 */
export function progressBar(done: number, total: number, width = 30): string {
  checkNumber('progressBar: done', done);
  checkNumber('progressBar: total', total, { min: 0 });
  checkNumber('progressBar: width', width, { min: 1, integer: true });
  const filled = share(done, total, width);
  const percent = share(done, total, 100);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)} % `;
}

/** Where a {@link ProgressLine} writes: `process.stdout`, `process.stderr` or a fake. */
export interface ProgressStream {
  write(s: string): unknown;
  /** True for a terminal; Node leaves it `undefined` when the output goes to a file or pipe. */
  isTTY?: boolean;
}

/**
 * One progress line, `<label> <bar> <suffix>` (the bar from {@link progressBar}).
 *
 * On a terminal (`stream.isTTY === true`) the line is drawn by `cli-progress`: redrawn in
 * place about ten times a second (and at once on an update after a pause), with an estimate of
 * the time left, `ETA 12s`, from the recent rate of progress:
 * `round 3 [#######-----------------------]  24 % ETA 1m05s | loss 0.412`. Elsewhere (a CI
 * log, a file) it prints nothing until {@link ProgressLine.finish}, which prints the final
 * line once. `finish` ends the line with `"\n"` either way (on a terminal the final line has
 * no ETA, so it reads as it would in a log); the next `update` then starts a new line. Call
 * `finish` when done: on a terminal the redraw timer runs until then.
 *
 * @example
 * ```ts
 * const line = new ProgressLine(process.stdout, 'round 3');
 * for (let step = 0; step < steps; step++) {
 *   line.update(step + 1, steps, `loss ${loss.toFixed(3)}`);
 * }
 * line.finish(`test accuracy ${(100 * accuracy).toFixed(2)} %`);
 * ```
 */
export class ProgressLine {
  private done = 0;
  private total = 0;
  private suffix = '';
  /** The terminal bar of the current line; undefined off a terminal and before the first update. */
  private bar: SingleBar | undefined;
  private finishing = false;

  /**
   * @param stream - Where to write (anything with `write`; `isTTY` decides the mode).
   * @param label - Text before the bar (default none).
   * @param width - Cells of the bar, an integer ≥ 1 (default 30).
   * @throws DescentError `BAD_ARGUMENT` (a stream without `write`, a label that is not a
   *   string), `BAD_HYPERPARAM` / `NON_FINITE` (a bad width).
   */
  constructor(
    private readonly stream: ProgressStream,
    private readonly label = '',
    private readonly width = 30,
  ) {
    if (typeof (stream as { write?: unknown } | null)?.write !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `ProgressLine: stream must have a write method, got ${describeValue(stream)}.`,
      );
    }
    checkText('ProgressLine: label', label);
    checkNumber('ProgressLine: width', width, { min: 1, integer: true });
  }

  /**
   * Records the progress; on a terminal, the bar shows it at its next redraw.
   *
   * @param done - Work done (clamped to [0, total]).
   * @param total - Work in all, ≥ 0.
   * @param suffix - Text after the bar (default none), e.g. the running loss.
   * @throws DescentError `NON_FINITE` / `BAD_HYPERPARAM` (bad numbers), `BAD_ARGUMENT` (a suffix
   *   that is not a string).
   */
  update(done: number, total: number, suffix = ''): void {
    checkNumber('ProgressLine.update: done', done);
    checkNumber('ProgressLine.update: total', total, { min: 0 });
    checkText('ProgressLine.update: suffix', suffix);
    this.done = done;
    this.total = total;
    this.suffix = suffix;
    if (this.stream.isTTY !== true) return;
    if (this.bar === undefined) {
      this.bar = this.terminalBar();
      this.bar.start(total, done);
      return;
    }
    if (this.bar.getTotal() !== total) this.bar.setTotal(total);
    this.bar.update(done);
  }

  /**
   * Prints the final line and ends it with `"\n"`: redrawn in place on a terminal, printed
   * once elsewhere. The bar shows the last {@link ProgressLine.update} (100 % if there was
   * none).
   *
   * @param suffix - Text after the bar (default: the last update's suffix).
   * @throws DescentError `BAD_ARGUMENT` (a suffix that is not a string).
   */
  finish(suffix?: string): void {
    if (suffix !== undefined) checkText('ProgressLine.finish: suffix', suffix);
    this.suffix = suffix ?? this.suffix;
    if (this.stream.isTTY === true) {
      this.finishing = true;
      if (this.bar === undefined) {
        this.bar = this.terminalBar();
        this.bar.start(this.total, this.done);
      }
      this.bar.stop();
    } else {
      this.stream.write(`${this.line()}\n`);
    }
    this.done = 0;
    this.total = 0;
    this.suffix = '';
    this.bar = undefined;
    this.finishing = false;
  }

  private line(): string {
    const bar = progressBar(this.done, this.total, this.width);
    return `${this.label === '' ? '' : `${this.label} `}${bar}${this.suffix}`;
  }

  /** The line with the time left after the percent, while running. */
  private runningLine(options: Options, eta: number | string): string {
    if (this.finishing) return this.line();
    const left = typeof eta === 'number' ? cliProgress.Format.TimeFormat(eta, options, 1) : '--';
    const bar = progressBar(this.done, this.total, this.width);
    const suffix = this.suffix === '' ? '' : ` | ${this.suffix}`;
    return `${this.label === '' ? '' : `${this.label} `}${bar}ETA ${left}${suffix}`;
  }

  private terminalBar(): SingleBar {
    return new cliProgress.SingleBar({
      stream: this.stream as NodeJS.WritableStream,
      format: (options, params) => this.runningLine(options, params.eta),
      // Lines longer than the terminal are cut rather than wrapped; no escape codes for it.
      linewrap: true,
      hideCursor: false,
    });
  }
}

/** `⌊of × clamp(done, 0, total) / total⌋` (`of` when `total = 0`): multiplied first, so 29 of 100 is 29 %, not 28. */
function share(done: number, total: number, of: number): number {
  return total === 0 ? of : Math.floor((of * Math.min(Math.max(done, 0), total)) / total);
}

function checkText(label: string, value: unknown): void {
  if (typeof value !== 'string') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} must be a string, got ${describeValue(value)}.`,
    );
  }
}
