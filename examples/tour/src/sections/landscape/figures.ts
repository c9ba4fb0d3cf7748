import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import type { PathMeasure } from './connect-minima';

/** The training loss along the straight line and along the trained Bezier curve, `t` on x. */
export function pathsFigure(line: PathMeasure, bezier: PathMeasure): Figure {
  const points = (path: PathMeasure) =>
    path.ts.map((t, i): [number, number] => [t, path.loss[i] as number]);
  return {
    caption:
      'The training loss between two minima found from different seeds: along the straight line (t = 0 is minimum A, t = 1 is B) and along a quadratic Bezier curve whose middle point was trained to keep the loss low.',
    svg: lineChartSvg({
      title: 'Two minima: a barrier on the line, none on the curve',
      subtitle: 'MLP on MNIST; mean cross-entropy on training digits',
      xLabel: 't',
      yLabel: 'training loss',
      series: [
        { name: 'straight line', points: points(line) },
        { name: 'Bezier curve', points: points(bezier) },
      ],
    }),
  };
}

/**
 * The top Hessian eigenvalues of the small- and the large-batch minimum against the batch size:
 * one series per rank, from the small batch's value to the large batch's.
 */
export function eigenvaluesFigure(
  small: { batchSize: number; eigenvalues: number[] },
  large: { batchSize: number; eigenvalues: number[] },
): Figure {
  const ranks = Math.min(small.eigenvalues.length, large.eigenvalues.length);
  return {
    caption:
      'The largest eigenvalues of the Hessian of the training loss (Lanczos) at a minimum trained with small batches and at one trained with large batches from the same initialization to the same training loss.',
    svg: lineChartSvg({
      title: 'Large batches end in sharper minima',
      subtitle: 'top Hessian eigenvalues of the training loss at two minima',
      xLabel: 'batch size',
      yLabel: 'Hessian eigenvalue',
      xScale: 'log',
      series: Array.from({ length: ranks }, (_, i) => ({
        name: i === 0 ? 'λ₁ (largest)' : `λ${SUBSCRIPTS[i + 1] ?? i + 1}`,
        points: [
          [small.batchSize, small.eigenvalues[i] as number],
          [large.batchSize, large.eigenvalues[i] as number],
        ],
      })),
    }),
  };
}

const SUBSCRIPTS = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
