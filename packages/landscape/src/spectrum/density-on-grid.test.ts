import { describe, expect, it } from 'vitest';
import { densityOnGrid } from './density-on-grid';

/** `∫ρ` by the trapezoid rule on the grid. */
function trapezoid(grid: readonly number[], values: readonly number[]): number {
  let total = 0;
  for (let j = 1; j < grid.length; j++) {
    total += 0.5 * (grid[j]! - grid[j - 1]!) * (values[j]! + values[j - 1]!);
  }
  return total;
}

function gaussian(t: number, mean: number, sigma: number): number {
  return Math.exp(-0.5 * ((t - mean) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
}

/** Indices of the strict local maxima. */
function peaks(values: readonly number[]): number[] {
  return values.flatMap((v, j) =>
    j > 0 && j < values.length - 1 && v > values[j - 1]! && v >= values[j + 1]! ? [j] : [],
  );
}

const DENSITY = { eigenvalues: [12, 3, -2, 0.5], weights: [0.1, 0.2, 0.3, 0.4] };

describe('densityOnGrid', () => {
  it('integrates to Σw = 1 on the default grid (trapezoid)', () => {
    const { grid, density } = densityOnGrid(DENSITY);
    expect(grid).toHaveLength(1000);
    expect(trapezoid(grid, density)).toBeCloseTo(1, 5);
  });

  it('spans [min θ − pad, max θ + pad] with pad = 1% of the range and σ = 0.2% of it', () => {
    const { grid, density } = densityOnGrid(DENSITY);
    const range = 14;
    expect(grid[0]).toBeCloseTo(-2 - 0.01 * range, 12);
    expect(grid[999]).toBeCloseTo(12 + 0.01 * range, 12);
    const sigma = 0.002 * range;
    const t = grid[500]!;
    const expected = DENSITY.eigenvalues.reduce(
      (s, theta, i) => s + DENSITY.weights[i]! * gaussian(t, theta, sigma),
      0,
    );
    expect(density[500]).toBeCloseTo(expected, 12);
  });

  it('peaks at the nodes, each peak about w/(σ√2π) high', () => {
    const sigma = 0.05;
    const { grid, density } = densityOnGrid(DENSITY, { sigma, grid: 4001 });
    const found = peaks(density).map((j) => grid[j]!);
    const spacing = grid[1]! - grid[0]!;
    const sorted = [...DENSITY.eigenvalues].sort((a, b) => a - b);
    expect(found).toHaveLength(4);
    found.forEach((t, i) => {
      expect(Math.abs(t - sorted[i]!)).toBeLessThanOrEqual(spacing);
    });
    const top = Math.max(...density);
    expect(top).toBeCloseTo(0.4 / (sigma * Math.sqrt(2 * Math.PI)), 1);
    expect(trapezoid(grid, density)).toBeCloseTo(1, 3);
  });

  it('evaluates the closed form on an explicit grid', () => {
    const grid = [-1, 0, 0.25, 7];
    const result = densityOnGrid({ eigenvalues: [0], weights: [1] }, { grid, sigma: 0.5 });
    expect(result.grid).toEqual(grid);
    result.density.forEach((v, j) => {
      expect(v).toBeCloseTo(gaussian(grid[j]!, 0, 0.5), 14);
    });
  });

  it('takes the range as max(1, |θ|) when every node is equal, and pads by at least 5σ', () => {
    const { grid, density } = densityOnGrid({ eigenvalues: [4, 4], weights: [0.5, 0.5] });
    expect(grid[0]).toBeCloseTo(4 - 5 * 0.002 * 4, 12);
    expect(trapezoid(grid, density)).toBeCloseTo(1, 5);
    const wide = densityOnGrid(DENSITY, { sigma: 1 });
    expect(wide.grid[0]).toBeCloseTo(-2 - 5, 12);
    expect(trapezoid(wide.grid, wide.density)).toBeCloseTo(1, 5);
  });
});
