import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import { CURVE_KINDS, type CurveKind, type LotteryCurves } from './curves';

const NAMES: Record<CurveKind, string> = {
  ticket: 'winning ticket (IMP)',
  randomReinit: 'random reinitialization',
  randomPruning: 'random pruning',
};

/** Test accuracy (%) against the percentage of weights remaining (log axis), per kind. */
export function accuracyDensityFigure(curves: LotteryCurves, rewindTo: number): Figure {
  const series = CURVE_KINDS.map((kind) => ({
    name: NAMES[kind],
    points: curves.density.flatMap((d, r): Array<[number, number]> => {
      const a = curves.accuracy[kind][r];
      return a === null || a === undefined ? [] : [[100 * d, 100 * a]];
    }),
  })).filter((s) => s.points.length > 1);
  return {
    caption:
      'Test accuracy at early stop against the weights remaining: the IMP ticket and its controls at the same densities.',
    svg: lineChartSvg({
      title: 'Lottery tickets: accuracy against density',
      subtitle: `LeNet-300-100 on MNIST, iterative magnitude pruning, rewound to step ${rewindTo}`,
      xLabel: 'weights remaining (%)',
      yLabel: 'test accuracy (%)',
      xScale: 'log',
      series,
    }),
  };
}
