import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import type { NormalizationSettings, RateRun } from './experiment';
import { NORM_VARIANTS, VARIANT_LABELS } from './norm-variants';
import { FINAL_WINDOW, type RateOutcome, UNIFORM_FRACTION } from './verdict';

/** Final loss vs learning rate per variant, and the loss curves at the plain net's largest stable rate. */
export function normalizationFigures(
  runs: RateRun[],
  outcomes: RateOutcome[],
  settings: NormalizationSettings,
  compareAt: number,
): Figure[] {
  const net = `${settings.depth}-layer ReLU MLP of width ${settings.width}, ${settings.steps} SGD steps`;
  return [
    {
      caption: `Final training loss (mean of the last ${FINAL_WINDOW} steps) against the learning rate; a missing point is a run whose loss became NaN or infinite. Runs that end near ln 10 = 2.30 learned nothing; the dashed line is the stability bound ${UNIFORM_FRACTION} ln 10.`,
      svg: lineChartSvg({
        title: 'Final loss vs learning rate',
        subtitle: net,
        xLabel: 'learning rate',
        yLabel: 'final cross-entropy',
        xScale: 'log',
        series: [
          ...NORM_VARIANTS.map((variant) => ({
            name: VARIANT_LABELS[variant],
            points: outcomes
              .filter((o) => o.variant === variant)
              .map((o): [number, number] => [o.learningRate, o.finalLoss]),
          })),
          {
            name: 'stability bound',
            points: [settings.learningRates[0]!, settings.learningRates.at(-1)!].map(
              (lr): [number, number] => [lr, UNIFORM_FRACTION * Math.log(10)],
            ),
            style: 'line' as const,
            dashed: true,
          },
        ],
      }),
    },
    {
      caption: `Training loss per step at learning rate ${compareAt}, the largest at which the net without normalization is stable.`,
      svg: lineChartSvg({
        title: `Training loss at learning rate ${compareAt}`,
        subtitle: net,
        xLabel: 'step',
        yLabel: 'cross-entropy',
        series: runs
          .filter((r) => r.learningRate === compareAt)
          .map((r) => ({
            name: VARIANT_LABELS[r.variant],
            points: r.losses.map((loss, i): [number, number] => [i + 1, loss]),
            style: 'line' as const,
          })),
      }),
    },
  ];
}
