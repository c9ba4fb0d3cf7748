import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import type { OptimizerSpec } from './optimizers';
import { SCHEDULE_IDS } from './schedules';
import { type RunGrid, bestSchedule, finalAccuracy } from './verdict';

/** Test accuracy (%) against the step, one line per optimizer at its best schedule. */
export function curvesFigure(grid: RunGrid, optimizers: readonly OptimizerSpec[]): Figure {
  const series = optimizers.map((spec) => {
    const runs = grid[spec.id] as RunGrid[string];
    const best = bestSchedule(runs);
    const curve = runs[best];
    return {
      name: `${spec.label} (${best})`,
      points: curve.steps.map((step, i): [number, number] => [
        step,
        100 * (curve.accuracy[i] as number),
      ]),
    };
  });
  return {
    caption:
      'Test accuracy against training steps for each optimizer with the schedule that ends highest.',
    svg: lineChartSvg({
      title: 'Test accuracy during training',
      subtitle: 'LeNet-300-100 on MNIST, each optimizer with its best schedule',
      xLabel: 'step',
      yLabel: 'test accuracy (%)',
      series,
    }),
  };
}

/** Final test accuracy (%) for every optimizer × schedule: schedules as series over optimizers. */
export function finalAccuracyFigure(grid: RunGrid, optimizers: readonly OptimizerSpec[]): Figure {
  const series = SCHEDULE_IDS.map((schedule) => ({
    name: schedule,
    style: 'points' as const,
    points: optimizers.map((spec, i): [number, number] => [
      i + 1,
      100 * finalAccuracy((grid[spec.id] as RunGrid[string])[schedule]),
    ]),
  }));
  const key = optimizers.map((spec, i) => `${i + 1} ${spec.label}`).join(', ');
  return {
    caption: `Final test accuracy of every optimizer under every schedule (optimizers: ${key}).`,
    svg: lineChartSvg({
      title: 'Final test accuracy by optimizer and schedule',
      subtitle: key,
      xLabel: 'optimizer',
      yLabel: 'final test accuracy (%)',
      series,
    }),
  };
}
