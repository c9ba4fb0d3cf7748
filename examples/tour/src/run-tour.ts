import type { Section, SectionId, SectionResult } from './section';

/** What happens around each section: a progress display, a log. */
export interface TourReporter {
  /** A section starts (`index` of `count`, from 0). */
  start(section: Section, index: number, count: number): void;
  /** The running section's own progress. */
  progress(done: number, total: number, phase: string): void;
  /** A section finished; `result.seconds` is set. */
  end(section: Section, result: SectionResult): void;
}

/** Options of {@link runTour}. */
export interface RunTourOptions {
  /** The sections, run in this order. */
  sections: readonly Section[];
  seed: number;
  quick: boolean;
  /** The active tfjs backend, already set. */
  backend: string;
  /** The GPU adapter, when the backend has one. */
  adapter?: string;
  reporter?: TourReporter;
  /** Milliseconds, monotonic (default `performance.now`). */
  clock?: () => number;
  /** The wall-clock date of the start (default `new Date()`). */
  now?: () => Date;
}

/** What a tour run found: the settings, when it started, how long it took, each section's result. */
export interface TourRun {
  seed: number;
  backend: string;
  adapter?: string;
  quick: boolean;
  /** The sections asked for with `--only`, when they were (absent: the whole tour). */
  only?: SectionId[];
  /** ISO 8601 date and time of the start. */
  startedAt: string;
  /** Wall time of the whole run in seconds. */
  seconds: number;
  results: SectionResult[];
}

/**
 * Runs the sections one after another, timing each (its wall time goes to `result.seconds`),
 * and collects their results. A section that throws ends the tour with its error (a claim that
 * does not reproduce is a result, not an error); so does a result whose `id` is not its
 * section's.
 *
 * @example
 * ```ts
 * const run = await runTour({ sections: SECTIONS, seed: 1, quick: true, backend: 'wasm' });
 * console.log(run.results.map((r) => `${r.id}: ${r.reproduced ? '✓' : '✗'}`));
 * ```
 */
export async function runTour(options: RunTourOptions): Promise<TourRun> {
  const clock = options.clock ?? (() => performance.now());
  const startedAt = (options.now ?? (() => new Date()))().toISOString();
  const start = clock();
  const results: SectionResult[] = [];
  const { sections, reporter } = options;
  for (const [index, section] of sections.entries()) {
    reporter?.start(section, index, sections.length);
    const sectionStart = clock();
    const result = await section.run({
      seed: options.seed,
      quick: options.quick,
      backend: options.backend,
      progress: (done, total, phase) => reporter?.progress(done, total, phase),
    });
    if (result.id !== section.id) {
      throw new Error(`section ${section.id} returned the result of ${JSON.stringify(result.id)}`);
    }
    const timed = { ...result, seconds: (clock() - sectionStart) / 1000 };
    results.push(timed);
    reporter?.end(section, timed);
  }
  return {
    seed: options.seed,
    backend: options.backend,
    ...(options.adapter === undefined ? {} : { adapter: options.adapter }),
    quick: options.quick,
    startedAt,
    seconds: (clock() - start) / 1000,
    results,
  };
}
