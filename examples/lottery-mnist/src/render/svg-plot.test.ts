import { expectDescentError } from '@descent/core/testing';
import {
  type XmlElement as Element,
  descendants,
  named,
  parseXml,
  plotGroups,
  subpaths,
  translation,
} from '@descent/example-support/testing';
import { describe, expect, it } from 'vitest';
import type { Curve } from './curves';
import { renderSvg } from './svg-plot';

const IMP_DENSITIES = [1, 0.8, 0.64, 0.512, 0.41, 0.328, 0.262, 0.211];

function curve(name: string, densities: number[], accuracies: (r: number) => number[]): Curve {
  return { name, points: densities.map((density, r) => ({ density, accuracies: accuracies(r) })) };
}

const THREE_SEEDS = [
  curve('winning ticket', IMP_DENSITIES, (r) => [0.976 + 0.001 * r, 0.978 + 0.001 * r, 0.98]),
  curve('random reinit', IMP_DENSITIES, (r) => [0.976 - 0.002 * r, 0.978 - 0.002 * r, 0.979]),
  curve('random pruning', IMP_DENSITIES, (r) => [0.975 - 0.003 * r, 0.978 - 0.003 * r, 0.98]),
];

/** The chart panel of the figure: Plot's first nested svg. */
function chartOf(svg: string): Element[] {
  return descendants(named(parseXml(svg), 'svg')[1]!);
}

function lineVertices(chart: Element[]): [number, number][][] {
  return plotGroups(chart, 'line').map((g) => subpaths(g.children[0]!.attrs.d!).flat());
}

function tickLabels(chart: Element[], axis: 'x' | 'y'): { label: string; at: number }[] {
  const [group] = plotGroups(chart, `${axis}-axis tick label`);
  return group!.children
    .filter((t) => t.text !== '')
    .map((t) => ({ label: t.text, at: translation(t)[axis === 'x' ? 0 : 1] }));
}

describe('renderSvg', () => {
  it('is one standalone, well-formed SVG with the axis labels and every curve named', () => {
    const svg = renderSvg(THREE_SEEDS, { title: 'Lottery tickets', subtitle: '3 seeds' });
    const elements = parseXml(svg);
    expect(elements[0]!.attrs).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '720',
      height: '440',
    });
    expect(named(elements, 'script')).toEqual([]);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of [
      'Lottery tickets',
      '3 seeds',
      'Weights remaining (%, log scale)',
      'Test accuracy (%)',
      ...THREE_SEEDS.map((c) => c.name),
    ]) {
      expect(texts).toContain(text);
    }
  });

  it('draws the mean of each curve as a line in palette colours, a marker per point', () => {
    const chart = chartOf(renderSvg(THREE_SEEDS, { title: 't' }));
    expect(plotGroups(chart, 'line').map((g) => g.attrs.stroke)).toEqual([
      '#0072B2',
      '#D55E00',
      '#009E73',
    ]);
    for (const line of lineVertices(chart)) expect(line).toHaveLength(IMP_DENSITIES.length);
    expect(plotGroups(chart, 'dot').map((g) => g.children.length)).toEqual([8, 8, 8]);
  });

  it('runs the x axis from 100 % at the left, logarithmically, ticked at every density', () => {
    const chart = chartOf(renderSvg(THREE_SEEDS, { title: 't' }));
    const xs = lineVertices(chart)[0]!.map(([x]) => x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]!);
    const ticks = tickLabels(chart, 'x');
    expect(ticks.map((t) => t.label)).toEqual([
      '100',
      '80',
      '64',
      '51.2',
      '41',
      '32.8',
      '26.2',
      '21.1',
    ]);
    ticks.forEach((t, i) => {
      expect(t.at).toBeCloseTo(xs[i]!, 0);
    });
    const halving = [curve('c', [1, 0.5, 0.25, 0.125], () => [0.9])];
    const [h100, h50, h25, h12] = lineVertices(chartOf(renderSvg(halving, { title: 't' })))[0]!.map(
      ([x]) => x,
    );
    expect(h50! - h100!).toBeGreaterThan(100);
    expect(h50! - h100!).toBeCloseTo(h25! - h50!, 1);
    expect(h12! - h25!).toBeCloseTo(h25! - h50!, 1);
  });

  it('puts the means at their height on the accuracy axis', () => {
    const narrow = [curve('c', [1, 0.5], (r) => (r === 0 ? [0.975, 0.98, 0.985] : [0.977]))];
    const chart = chartOf(renderSvg(narrow, { title: 't' }));
    const ticks = tickLabels(chart, 'y');
    const at = (label: string) => ticks.find((t) => t.label === label)!.at;
    const [mean98, mean977] = lineVertices(chart)[0]!.map(([, y]) => y);
    expect(mean98).toBeCloseTo(at('98'), 1);
    // 97.7 is 40 % of the way from 97.5 to 98.
    expect(mean977).toBeCloseTo(at('97.5') + 0.4 * (at('98') - at('97.5')), 1);
    // The axis covers every seed, 97.5 to 98.5 (the band).
    expect(Number(ticks[0]!.label)).toBeLessThanOrEqual(97.5);
    expect(Number(ticks.at(-1)!.label)).toBeGreaterThanOrEqual(98.5);
  });

  it('draws a min-to-max band for each curve with two seeds or more, and none with one', () => {
    const chart = chartOf(renderSvg(THREE_SEEDS, { title: 't' }));
    const bands = plotGroups(chart, 'area');
    expect(bands.map((b) => b.attrs.fill)).toEqual(['#0072B2', '#D55E00', '#009E73']);
    const outline = subpaths(bands[1]!.children[0]!.attrs.d!).flat();
    const mean = lineVertices(chart)[1]!;
    expect(outline).toHaveLength(2 * mean.length);
    mean.forEach(([x, y], i) => {
      const [hx, hy] = outline[i]!;
      const [lx, ly] = outline[outline.length - 1 - i]!;
      expect(hx).toBeCloseTo(x, 1);
      expect(lx).toBeCloseTo(x, 1);
      expect(hy).toBeLessThan(y);
      expect(ly).toBeGreaterThan(y);
    });

    const oneSeed = THREE_SEEDS.map((c) => ({
      ...c,
      points: c.points.map((p) => ({ ...p, accuracies: p.accuracies.slice(0, 1) })),
    }));
    expect(plotGroups(chartOf(renderSvg(oneSeed, { title: 't' })), 'area')).toEqual([]);
    const mixed = chartOf(renderSvg([oneSeed[0]!, THREE_SEEDS[1]!], { title: 't' }));
    expect(plotGroups(mixed, 'area').map((b) => b.attrs.fill)).toEqual(['#D55E00']);
  });

  it('escapes &, <, > and " in the title, subtitle and curve names', () => {
    const tricky = [{ ...THREE_SEEDS[0]!, name: '<script>"x" & co' }];
    const svg = renderSvg(tricky, { title: 'Tickets <&> "quotes"', subtitle: 'a & b > c' });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;"x" &amp; co');
    const texts = named(parseXml(svg), 'text').map((t) => t.text);
    expect(texts).toContain('Tickets <&> "quotes"');
    expect(texts).toContain('a & b > c');
    expect(texts).toContain('<script>"x" & co');
    expect(named(parseXml(svg), 'title')[0]!.text).toBe('Tickets <&> "quotes"');
  });

  it('is deterministic and honours width and height', () => {
    const options = { title: 't', subtitle: 's', width: 800, height: 500 };
    const svg = renderSvg(THREE_SEEDS, options);
    expect(renderSvg(THREE_SEEDS, options)).toBe(svg);
    expect(parseXml(svg)[0]!.attrs.viewBox).toBe('0 0 800 500');
  });

  it('refuses bad curves and options', () => {
    expectDescentError(() => renderSvg([], { title: 't' }), 'BAD_ARGUMENT', 'renderSvg: curves');
    expectDescentError(
      () => renderSvg([curve('c', [1], () => [97.8])], { title: 't' }),
      'BAD_ARGUMENT',
      'renderSvg: curves[0].points[0].accuracies[0]',
      '[0, 1]',
    );
    expectDescentError(
      () => renderSvg([curve('c', [Number.NaN], () => [0.9])], { title: 't' }),
      'NON_FINITE',
      'density',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, undefined as never),
      'BAD_ARGUMENT',
      'renderSvg',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, {} as never),
      'BAD_ARGUMENT',
      'renderSvg.title',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, { title: 't', subtitle: 1 as never }),
      'BAD_ARGUMENT',
      'renderSvg.subtitle',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, { title: 't', width: 100 }),
      'BAD_HYPERPARAM',
      'renderSvg.width',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, { title: 't', height: 300.5 }),
      'BAD_HYPERPARAM',
      'renderSvg.height',
    );
    expectDescentError(
      () => renderSvg(THREE_SEEDS, { title: 't', colour: 'red' } as never),
      'UNKNOWN_PARAM',
      '"colour"',
    );
  });
});
