import type { TourRun } from '../run-tour';
import type { SectionResult } from '../section';

/** One section in report.json: its result without the figures. */
export type SectionReportJson = Omit<SectionResult, 'figures' | 'seconds'> & { seconds: number };

/** The content of report.json: the run's settings and timing, and each section's result. */
export type TourReportJson = Omit<TourRun, 'results'> & { sections: SectionReportJson[] };

/**
 * report.json's content for a run: the settings and every section's result and numbers, without
 * the figures (their SVG is in report.html).
 */
export function reportJson(run: TourRun): TourReportJson {
  return {
    seed: run.seed,
    backend: run.backend,
    ...(run.adapter === undefined ? {} : { adapter: run.adapter }),
    quick: run.quick,
    ...(run.only === undefined ? {} : { only: [...run.only] }),
    startedAt: run.startedAt,
    seconds: run.seconds,
    sections: run.results.map((r) => ({
      id: r.id,
      title: r.title,
      claim: r.claim,
      paper: r.paper,
      setup: r.setup,
      reproduced: r.reproduced,
      evidence: r.evidence,
      numbers: r.numbers,
      seconds: r.seconds ?? 0,
    })),
  };
}

/**
 * report.json as text: {@link reportJson}, indented by one space, with a final newline. NaN and
 * ±Infinity among the numbers are written as `null` (JSON has no such numbers).
 */
export function renderReportJson(run: TourRun): string {
  return `${JSON.stringify(reportJson(run), null, 1)}\n`;
}
