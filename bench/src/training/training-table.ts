import type { Breakdown } from './breakdown';
import { CONTENDERS } from './contenders';
import type { DriftResult } from './drift';
import type { TrainingBenchResult } from './training-bench';

const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const table = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');

/** Contender × batch size → samples/s, and descent's loop over layers' fit, as Markdown. */
export function formatTrainingTable(results: readonly TrainingBenchResult[]): string {
  const header = ['backend', 'digits', 'batch', ...CONTENDERS, 'loop / fit'];
  const rows = results.flatMap((r) =>
    r.rows.map((row) => [
      r.backend,
      String(r.digits),
      String(row.batchSize),
      ...CONTENDERS.map((c) => row.samplesPerSecond[c].toFixed(0)),
      `${row.loopOverFit.toFixed(2)}×`,
    ]),
  );
  return table(header, rows);
}

/** Samples/s per consecutive epoch of descent's loop and layers' fit, and their ratio. */
export function formatDrift(d: DriftResult): string {
  const names = Object.keys(d.epochs);
  const rows = d.ratios.map((ratio, e) => [
    String(e + 1),
    ...names.map((n) => (d.epochs[n]?.[e] ?? Number.NaN).toFixed(0)),
    `${ratio.toFixed(2)}×`,
  ]);
  const header = [
    `epoch (${d.backend}, batch ${d.batchSize}, ${d.digits} digits)`,
    ...names,
    'loop / fit',
  ];
  return `${table(header, rows)}

drift (mean loop / fit of the last half of the epochs over the first half): ${d.drift.toFixed(2)}`;
}

/** The per-step phases of descent's loop and the kernels per step of each profiled step. */
export function formatBreakdown(b: Breakdown): string {
  const p = b.phases;
  const instrumented = p.between + p.forward + p.loss + p.backward + p.update;
  const phases = table(
    ['phase (median ms per step)', `${b.backend}, batch ${b.batchSize}, ${b.steps} steps`],
    [
      ['between steps (batch copy + upload + dispose)', p.between.toFixed(3)],
      ['forward (apply + read)', p.forward.toFixed(3)],
      ['loss (softmaxCrossEntropy + read)', p.loss.toFixed(3)],
      ['backward (variableGrads − forward − loss)', p.backward.toFixed(3)],
      ['update (applyGradients + read)', p.update.toFixed(3)],
      ['sum', instrumented.toFixed(3)],
      ['steps with between > 2 × median', `${(100 * p.slowBetweenShare).toFixed(0)} %`],
    ],
  );
  const kernels = table(
    ['step', 'kernels', 'kernel ms', 'new tensors', 'top kernels (count × name: ms)'],
    b.profiles.map((k) => [
      k.label,
      String(k.kernels),
      k.totalMs.toFixed(2),
      String(k.newTensors),
      k.byName
        .slice(0, 8)
        .map((e) => `${e.count}× ${e.name}: ${e.ms.toFixed(2)}`)
        .join(', '),
    ]),
  );
  return `${phases}\n\n${kernels}`;
}
