import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import type { InitDistance } from './kernel-at-init';
import type { KernelMovement } from './kernel-movement';

/**
 * The constant `c` of the guide `c/√width` closest to the points on a log-log plot: the
 * least-squares fit of `ln d = ln c − ½ ln w`, `ln c = mean(ln dᵢ + ½ ln wᵢ)`.
 */
export function inverseSqrtGuide(widths: readonly number[], distances: readonly number[]): number {
  const logs = widths.map((w, i) => Math.log(distances[i] as number) + 0.5 * Math.log(w));
  return Math.exp(logs.reduce((s, v) => s + v, 0) / logs.length);
}

/** Both distances against the width on log-log axes, with the `c/√width` guide through (a). */
export function distanceFigure(init: InitDistance[], movement: KernelMovement[]): Figure {
  const widths = init.map((row) => row.width);
  const c = inverseSqrtGuide(
    widths,
    init.map((row) => row.mean),
  );
  const svg = lineChartSvg({
    title: 'The empirical NTK against the width',
    subtitle: 'erf MLPs, NTK parameterization; means over seeds',
    xLabel: 'hidden width',
    yLabel: 'relative Frobenius distance',
    xScale: 'log',
    yScale: 'log',
    series: [
      {
        name: 'distance at init',
        points: init.map((row) => [row.width, row.mean]),
      },
      {
        name: 'moved by training',
        points: movement.map((row) => [row.width, row.mean]),
      },
      {
        name: `${c.toPrecision(2)}/√width`,
        points: widths.map((w) => [w, c / Math.sqrt(w)]),
        style: 'line',
        dashed: true,
      },
    ],
  });
  return {
    caption:
      'Distance at init: ‖Θ̂₀ − Θ_∞‖_F / ‖Θ_∞‖_F, the empirical NTK at initialization against the infinite-width one; moved by training: ‖Θ̂_T − Θ̂₀‖_F / ‖Θ̂₀‖_F after gradient descent; against the hidden width (log-log), with the c/√width guide that fits the first best.',
    svg,
  };
}
