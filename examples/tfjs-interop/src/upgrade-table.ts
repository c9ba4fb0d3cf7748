import { renderTextTable } from '@descent/example-support';
import type { StepReport } from './reports';

/** The before/after table: one row per step. */
export function upgradeTable(steps: readonly StepReport[]): string {
  return renderTextTable(
    ['step', 'test accuracy', 's / epoch', 'density', 'parameters'],
    steps.map((s) => [
      `${s.step}. ${s.name}`,
      `${(100 * s.testAccuracy).toFixed(2)} %`,
      s.secondsPerEpoch.toFixed(1),
      s.density.toFixed(3),
      groupDigits(s.parameters),
    ]),
  );
}

/** `235146` as `235 146`. */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ' ');
}
