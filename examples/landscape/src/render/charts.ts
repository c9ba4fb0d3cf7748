import { densityOnGrid } from '@descent/landscape';
import { heatmapSvg, lineChartSvg } from '@descent/example-support';
import type { LandscapeResult } from '../experiment';

/** Training loss along the straight line and along the trained Bezier curve from A to B. */
export function pathsSvg(result: LandscapeResult): string {
  return lineChartSvg({
    title: 'Between two minima: the straight line vs a trained Bezier curve',
    subtitle: `784-${result.options.hidden}-10 ReLU MLP on MNIST; training loss on ${result.options.lossExamples} digits`,
    xLabel: 't (0 = minimum A, 1 = minimum B)',
    yLabel: 'training loss (cross-entropy)',
    yScale: 'log',
    series: [
      { name: 'linear path', points: zip(result.linear.ts, result.linear.loss) },
      { name: 'trained Bezier curve', points: zip(result.curve.ts, result.curve.loss) },
    ],
  });
}

/** The filter-normalized 2-D surface around minimum A, with contour lines. */
export function surfaceSvg(result: LandscapeResult): string {
  const { alphas, betas, values } = result.surface;
  return heatmapSvg({
    title: 'Loss surface around minimum A (filter-normalized directions)',
    subtitle: `L(θ_A + α·d₁ + β·d₂), ${alphas.length} × ${betas.length} points, each evaluated directly`,
    xLabel: 'α (direction d₁)',
    yLabel: 'β (direction d₂)',
    valueLabel: 'training loss',
    xs: alphas,
    ys: betas,
    values,
    colorScale: 'log',
    contours: 12,
    marks: [{ x: 0, y: 0, label: 'A' }],
  });
}

/** The density plot's floor: the log axis would otherwise span the Gaussians' far tails. */
const FLOOR = 1e-5;

/** The Gaussian-smoothed Hessian spectral densities (stochastic Lanczos quadrature) at A and C. */
export function densitySvg(result: LandscapeResult): string {
  const { small, large } = result.spectrum;
  const all = [...small.density.eigenvalues, ...large.density.eigenvalues];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = 0.02 * (hi - lo);
  const grid = Array.from({ length: 600 }, (_, i) => lo - pad + ((hi - lo + 2 * pad) * i) / 599);
  const sigma = 0.01 * (hi - lo);
  const curve = (density: { eigenvalues: number[]; weights: number[] }) => {
    const smooth = densityOnGrid(density, { grid, sigma });
    return zip(
      smooth.grid,
      smooth.density.map((y) => Math.max(y, FLOOR)),
    );
  };
  return lineChartSvg({
    title: 'Hessian spectral density: small- vs large-batch minimum',
    subtitle: `stochastic Lanczos quadrature, ${result.options.densitySteps} steps, Gaussian σ = ${sigma.toPrecision(2)}`,
    xLabel: 'eigenvalue',
    yLabel: `density (clipped below at ${FLOOR})`,
    yScale: 'log',
    series: [
      {
        name: `A (batch ${result.options.smallBatch})`,
        points: curve(small.density),
        style: 'line',
      },
      {
        name: `C (batch ${result.options.largeBatch})`,
        points: curve(large.density),
        style: 'line',
      },
    ],
  });
}

function zip(xs: readonly number[], ys: readonly number[]): Array<[number, number]> {
  return xs.map((x, i) => [x, ys[i] as number]);
}
