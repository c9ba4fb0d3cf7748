import cliProgress from 'cli-progress';
import type { TourReporter } from './run-tour';
import type { Section, SectionResult } from './section';

/** A {@link TourReporter} that also has to be stopped (it may hold the terminal). */
export interface TourProgress extends TourReporter {
  /** Ends the display (idempotent); call it after the run, and before printing an error. */
  stop(): void;
}

/** What the display writes to: a terminal (redrawn bars) or a log (one line per event). */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_FORMAT = ' {label} {bar} {percentage}% | ETA {eta_formatted} | {phase}';

/**
 * The tour's progress display. On a terminal, a `cli-progress` MultiBar with one bar per
 * section (the phase, the percentage and the ETA, redrawn in place; a finished section's bar
 * stays with its verdict and time). Elsewhere (CI logs, pipes), one line when a section starts
 * and one when it ends, nothing in between.
 *
 * @param output - Where to write (default `process.stdout`); `isTTY` decides the mode.
 * @param quick - Whether the run is quick (for the expected seconds shown at each start).
 */
export function tourProgress(output: ProgressOutput = process.stdout, quick = false): TourProgress {
  return output.isTTY === true ? terminalProgress(output, quick) : logProgress(output, quick);
}

function label(section: Section, index: number, count: number): string {
  return `[${index + 1}/${count}] ${section.id}`;
}

function ended(result: SectionResult): string {
  return `${result.reproduced ? '✓ reproduced' : '✗ not reproduced'} in ${(result.seconds ?? 0).toFixed(1)} s`;
}

function logProgress(output: ProgressOutput, quick: boolean): TourProgress {
  let current = '';
  return {
    start(section, index, count) {
      current = label(section, index, count);
      output.write(
        `${current}: ${section.title} (expected about ${section.expectedSeconds(quick)} s on wasm)\n`,
      );
    },
    progress() {},
    end(_section, result) {
      output.write(`${current}: ${ended(result)}\n`);
    },
    stop() {},
  };
}

function terminalProgress(output: ProgressOutput, quick: boolean): TourProgress {
  const bars = new cliProgress.MultiBar(
    {
      format: BAR_FORMAT,
      stream: output as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 24,
      etaBuffer: 30,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let width = 0;
  let stopped = false;
  return {
    start(section, index, count) {
      width = Math.max(width, label(section, index, count).length);
      const name = label(section, index, count).padEnd(width);
      bar = bars.create(1, 0, {
        label: name,
        phase: `expected ~${section.expectedSeconds(quick)} s`,
      });
    },
    progress(done, total, phase) {
      if (bar === undefined || total <= 0) return;
      bar.setTotal(total);
      bar.update(Math.min(done, total), { phase });
    },
    end(_section, result) {
      if (bar === undefined) return;
      bar.update(bar.getTotal(), { phase: ended(result) });
      bar.stop();
      bar = undefined;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
