/** The six claims of the tour, in the order they run and appear in the report. */
export const SECTION_IDS = [
  'convergence',
  'normalization',
  'algorithms',
  'lottery',
  'ntk',
  'landscape',
] as const;

/** One of {@link SECTION_IDS}. */
export type SectionId = (typeof SECTION_IDS)[number];

/** What a section is given: the run's settings and a way to report progress. */
export interface SectionContext {
  /** The run's seed; a section derives every random stream from it (same seed → same numbers). */
  seed: number;
  /** A shorter run (CI): smaller nets, fewer steps, fewer points; the same claims. */
  quick: boolean;
  /** The active tfjs backend (`'wasm'`, `'webgpu'` or `'cpu'`), already set by the caller. */
  backend: string;
  /**
   * Progress within the section: `done` out of `total` units of work (any unit the section
   * chooses, e.g. training steps), with a short label of the phase.
   */
  progress(done: number, total: number, phase: string): void;
}

/** A chart of a section, as a standalone SVG document. */
export interface Figure {
  /** One line: what the chart shows. */
  caption: string;
  /** A standalone `<svg …>…</svg>`, drawn by `@descent/example-support`'s charts. */
  svg: string;
}

/** A plain JSON value: what `numbers` may hold, so that report.json round-trips. */
export type JsonValue =
  | number
  | string
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What a section measured and concluded. */
export interface SectionResult {
  id: SectionId;
  title: string;
  /** The survey's claim, one or two sentences. */
  claim: string;
  /** Where the claim comes from: the survey's section and the papers behind it. */
  paper: string;
  /** What was run: data, nets, steps, seeds, the backend's role. */
  setup: string;
  /** Whether the measured evidence supports the claim, decided by a stated numeric criterion. */
  reproduced: boolean;
  /** The evidence in one or two sentences with the numbers, and the criterion applied. */
  evidence: string;
  /** Every number the section measured, by name (these go to report.json unchanged). */
  numbers: { [key: string]: JsonValue };
  figures: Figure[];
  /** Wall time of the section in seconds (set by the runner). */
  seconds?: number;
}

/** One section of the tour. */
export interface Section {
  id: SectionId;
  title: string;
  /** The expected wall time in seconds on wasm on a 2-core machine (for the ETA). */
  expectedSeconds(quick: boolean): number;
  run(context: SectionContext): Promise<SectionResult>;
}
