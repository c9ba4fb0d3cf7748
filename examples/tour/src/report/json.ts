import type { TourRun } from '../run-tour';
import type { JsonValue, SectionId } from '../section';

/** One section in report.json: its result without the figures. */
export interface SectionReportJson {
  id: SectionId;
  title: string;
  claim: string;
  paper: string;
  setup: string;
  reproduced: boolean;
  evidence: string;
  numbers: { [key: string]: JsonValue };
  seconds: number;
}

/** The content of report.json. */
export interface TourReportJson {
  seed: number;
  backend: string;
  adapter?: string;
  quick: boolean;
  /** The sections asked for with `--only`, when they were (absent: all six). */
  only?: SectionId[];
  startedAt: string;
  seconds: number;
  sections: SectionReportJson[];
}

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
