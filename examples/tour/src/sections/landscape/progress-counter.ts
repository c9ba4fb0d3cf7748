import type { SectionContext } from '../../section';

/** Counts units of work towards a fixed total and reports them through `context.progress`. */
export interface ProgressCounter {
  /** One more unit done, in `phase`. */
  tick(phase: string): void;
  /** Everything up to `done` counted (a phase that ended early), in `phase`. */
  reach(done: number, phase: string): void;
  readonly done: number;
}

/** A counter that reports every `every` units, at a new phase and at the end (default every 5 units). */
export function progressCounter(
  context: SectionContext,
  total: number,
  every = 5,
): ProgressCounter {
  let done = 0;
  let lastPhase: string | undefined;
  const report = (phase: string) => {
    lastPhase = phase;
    context.progress(Math.min(done, total), total, phase);
  };
  return {
    tick(phase) {
      done += 1;
      if (done % every === 0 || done >= total || phase !== lastPhase) report(phase);
    },
    reach(target, phase) {
      done = Math.max(done, target);
      report(phase);
    },
    get done() {
      return done;
    },
  };
}
