import { describe, expect, it } from 'vitest';
import { distanceFigure, inverseSqrtGuide } from './distance-figure';

describe('inverseSqrtGuide', () => {
  it('is c for points on c/√width, and the geometric mean of dᵢ·√wᵢ otherwise', () => {
    const widths = [64, 256, 4096];
    expect(
      inverseSqrtGuide(
        widths,
        widths.map((w) => 1.6 / Math.sqrt(w)),
      ),
    ).toBeCloseTo(1.6, 12);
    // d·√w = 2 and 8: geometric mean 4
    expect(inverseSqrtGuide([4, 16], [1, 2])).toBeCloseTo(4, 12);
  });
});

describe('distanceFigure', () => {
  it('draws the two distances and the guide on log-log axes', () => {
    const init = [64, 256].map((width) => ({
      width,
      distances: [0.2],
      mean: 1.6 / Math.sqrt(width),
    }));
    const movement = [64, 256].map((width) => ({
      width,
      movements: [0.1],
      mean: 0.8 / Math.sqrt(width),
      lossBefore: [0.25],
      lossAfter: [0.01],
    }));
    const { caption, svg } = distanceFigure(init, movement);
    expect(caption).toMatch(/c\/√width/);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['distance at init', 'moved by training', '1.6/√width']) {
      expect(svg).toContain(name);
    }
  });
});
