import { renderTextTable } from '@descent/example-support';
import type { TourRun } from '../run-tour';
import type { SectionResult } from '../section';

/** Widest claim and evidence cells, in characters; longer text is cut with `…`. */
const CLAIM_WIDTH = 44;
const EVIDENCE_WIDTH = 64;

/** `✓` for a reproduced claim, `✗` for one that is not. */
export function verdictMark(reproduced: boolean): string {
  return reproduced ? '✓' : '✗';
}

/**
 * The terminal summary of a run: one row per section with its id, its claim (the title), the
 * start of its evidence, ✓ / ✗ and its seconds (example-support's `renderTextTable`).
 *
 * @example
 * ```text
 * section     | claim                                     | evidence                    | ✓/✗ | seconds
 * ------------+-------------------------------------------+-----------------------------+-----+--------
 * convergence | Initialization keeps a deep signal alive  | Signal E[z²] of layer 30 …  |  ✓  |    48.1
 * ```
 */
export function summaryTable(run: TourRun): string {
  return renderTextTable(
    ['section', 'claim', 'evidence', '✓/✗', 'seconds'],
    run.results.map((r) => [
      r.id,
      shorten(r.title, CLAIM_WIDTH),
      shorten(r.evidence, EVIDENCE_WIDTH),
      verdictMark(r.reproduced),
      (r.seconds ?? 0).toFixed(1),
    ]),
    { align: ['left', 'left', 'left', 'left', 'right'] },
  );
}

/** How many claims reproduced, e.g. `5 of 6 claims reproduced`. */
export function reproducedCount(results: readonly SectionResult[]): string {
  const n = results.filter((r) => r.reproduced).length;
  return `${n} of ${results.length} claim${results.length === 1 ? '' : 's'} reproduced`;
}

/** `text` on one line, cut to `width` code points with a final `…` when longer. */
export function shorten(text: string, width: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= width
    ? chars.join('')
    : `${chars
        .slice(0, width - 1)
        .join('')
        .trimEnd()}…`;
}
