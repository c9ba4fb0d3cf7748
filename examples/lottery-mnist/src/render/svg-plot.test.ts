import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import type { Curve } from './curves';
import { renderSvg } from './svg-plot';
import { type XmlElement as Element, named, parseXml } from '@descent/example-support/testing';

function pointsOf(e: Element, attr = 'points'): [number, number][] {
  return e.attrs[attr]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
}

/** Tick labels and their x, for texts that are one number with one decimal. */
function densityTicks(elements: Element[]): { label: string; x: number }[] {
  return named(elements, 'text')
    .filter((t) => t.attrs.y === named(elements, 'text').find((u) => u.text === '100.0')!.attrs.y)
    .map((t) => ({ label: t.text, x: Number(t.attrs.x) }));
}

const IMP_DENSITIES = [1, 0.8, 0.64, 0.512, 0.41, 0.328, 0.262, 0.211];

function curve(name: string, densities: number[], accuracies: (r: number) => number[]): Curve {
  return { name, points: densities.map((density, r) => ({ density, accuracies: accuracies(r) })) };
}

const THREE_SEEDS = [
  curve('winning ticket', IMP_DENSITIES, (r) => [0.976 + 0.001 * r, 0.978 + 0.001 * r, 0.98]),
  curve('random reinit', IMP_DENSITIES, (r) => [0.976 - 0.002 * r, 0.978 - 0.002 * r, 0.979]),
  curve('random pruning', IMP_DENSITIES, (r) => [0.975 - 0.003 * r, 0.978 - 0.003 * r, 0.98]),
];

describe('renderSvg', () => {
  it('is a standalone, well-formed SVG with a white background and no external resources', () => {
    const svg = renderSvg(THREE_SEEDS, { title: 'Lottery tickets' });
    const elements = parseXml(svg);
    const root = elements[0]!;
    expect(root.name).toBe('svg');
    expect(root.attrs).toMatchObject({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '720',
      height: '440',
      viewBox: '0 0 720 440',
      'font-family': 'sans-serif',
    });
    expect(named(elements, 'rect')[0]!.attrs).toMatchObject({
      x: '0',
      y: '0',
      width: '720',
      height: '440',
      fill: 'white',
    });
    expect(named(elements, 'script')).toEqual([]);
    expect(svg).not.toMatch(/href|url\(|@import|<style|on\w+="/);
    expect(svg.match(/http/g)).toHaveLength(1);
    const texts = named(elements, 'text').map((t) => t.text);
    expect(texts).toContain('Lottery tickets');
    expect(texts).toContain('Weights remaining (%, log scale)');
    expect(texts).toContain('Test accuracy (%)');
    for (const c of THREE_SEEDS) expect(texts).toContain(c.name);
  });

  it('draws one polyline per curve, in palette colours, with a marker per point', () => {
    const elements = parseXml(renderSvg(THREE_SEEDS, { title: 't' }));
    const lines = named(elements, 'polyline');
    expect(lines.map((l) => l.attrs.stroke)).toEqual(['#0072B2', '#D55E00', '#009E73']);
    for (const line of lines) expect(pointsOf(line)).toHaveLength(IMP_DENSITIES.length);
    const markers = named(elements, 'circle').filter((c) => c.attrs.fill === '#D55E00');
    // Eight markers on the line plus one in the legend.
    expect(markers).toHaveLength(IMP_DENSITIES.length + 1);
  });

  it('runs the x axis from 100 % at the left to the lowest density at the right', () => {
    const elements = parseXml(renderSvg(THREE_SEEDS, { title: 't' }));
    const xs = pointsOf(named(elements, 'polyline')[0]!).map(([x]) => x);
    expect(xs[0]).toBeLessThan(xs[7]!);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]!);
    const ticks = densityTicks(elements);
    expect(ticks.map((t) => t.label)).toEqual([
      '100.0',
      '80.0',
      '64.0',
      '51.2',
      '41.0',
      '32.8',
      '26.2',
      '21.1',
    ]);
    expect(ticks.map((t) => t.x)).toEqual(xs);
  });

  it('spaces densities logarithmically: halving is always the same step', () => {
    const halving = [curve('c', [1, 0.5, 0.25, 0.125], () => [0.9])];
    const [x100, x50, x25, x12] = pointsOf(
      named(parseXml(renderSvg(halving, { title: 't' })), 'polyline')[0]!,
    ).map(([x]) => x);
    expect(x50! - x100!).toBeGreaterThan(100);
    expect(x50! - x100!).toBeCloseTo(x25! - x50!, 1);
    expect(x12! - x25!).toBeCloseTo(x25! - x50!, 1);
  });

  it('puts y ticks at round steps around the accuracies and the means at their height', () => {
    const narrow = [curve('c', [1, 0.5], (r) => (r === 0 ? [0.975, 0.98, 0.985] : [0.977]))];
    const elements = parseXml(renderSvg(narrow, { title: 't' }));
    const yTicks = named(elements, 'text').filter((t) => t.attrs['text-anchor'] === 'end');
    expect(yTicks.map((t) => t.text)).toEqual(['97.0', '97.5', '98.0', '98.5', '99.0']);
    const tickY = (label: string) => Number(yTicks.find((t) => t.text === label)!.attrs.y) - 4;
    const [mean98, mean977] = pointsOf(named(elements, 'polyline')[0]!).map(([, y]) => y);
    expect(mean98).toBeCloseTo(tickY('98.0'), 1);
    // 97.7 is 40 % of the way from 97.5 to 98.0.
    expect(mean977).toBeCloseTo(tickY('97.5') + 0.4 * (tickY('98.0') - tickY('97.5')), 1);

    const wide = [curve('c', [1, 0.5], (r) => (r === 0 ? [0.98] : [0.9]))];
    const wideTicks = named(parseXml(renderSvg(wide, { title: 't' })), 'text')
      .filter((t) => t.attrs['text-anchor'] === 'end')
      .map((t) => t.text);
    expect(wideTicks).toEqual(['88', '90', '92', '94', '96', '98', '100']);
  });

  it('draws a min-to-max band for each curve with two seeds or more, and none with one', () => {
    const elements = parseXml(renderSvg(THREE_SEEDS, { title: 't' }));
    const bands = named(elements, 'polygon');
    expect(bands.map((b) => b.attrs.fill)).toEqual(['#0072B2', '#D55E00', '#009E73']);
    const outline = pointsOf(bands[1]!);
    const mean = pointsOf(named(elements, 'polyline')[1]!);
    expect(outline).toHaveLength(2 * mean.length);
    mean.forEach(([x, y], i) => {
      const [hx, hy] = outline[i]!;
      const [lx, ly] = outline[outline.length - 1 - i]!;
      expect([hx, lx]).toEqual([x, x]);
      expect(hy).toBeLessThan(y);
      expect(ly).toBeGreaterThan(y);
    });
    expect(named(elements, 'text').map((t) => t.text)).toContain('line: mean of 3 seeds');

    const oneSeed = THREE_SEEDS.map((c) => ({
      ...c,
      points: c.points.map((p) => ({ ...p, accuracies: p.accuracies.slice(0, 1) })),
    }));
    const single = parseXml(renderSvg(oneSeed, { title: 't' }));
    expect(named(single, 'polygon')).toEqual([]);
    expect(named(single, 'text').some((t) => t.text.startsWith('line: mean'))).toBe(false);

    const mixed = parseXml(renderSvg([oneSeed[0]!, THREE_SEEDS[1]!], { title: 't' }));
    expect(named(mixed, 'polygon').map((b) => b.attrs.fill)).toEqual(['#D55E00']);
  });

  it('escapes &, <, > and " in the title, subtitle and curve names', () => {
    const tricky = [{ ...THREE_SEEDS[0]!, name: '<script>alert("x")</script> & co' }];
    const svg = renderSvg(tricky, { title: 'Tickets <&> "quotes"', subtitle: 'a & b > c' });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    const texts = named(parseXml(svg), 'text').map((t) => t.text);
    expect(texts).toContain('Tickets <&> "quotes"');
    expect(texts).toContain('a & b > c');
    expect(texts).toContain('<script>alert("x")</script> & co');
    expect(named(parseXml(svg), 'title')[0]!.text).toBe('Tickets <&> "quotes"');
  });

  it('is deterministic, with numbers rounded to 2 decimals, and honours width and height', () => {
    const options = { title: 't', subtitle: 's', width: 800, height: 500 };
    const svg = renderSvg(THREE_SEEDS, options);
    expect(renderSvg(THREE_SEEDS, options)).toBe(svg);
    const elements = parseXml(svg);
    expect(elements[0]!.attrs.viewBox).toBe('0 0 800 500');
    const numeric = elements.flatMap((e) =>
      Object.entries(e.attrs)
        .filter(([k]) => /^(x|y|cx|cy|x1|x2|y1|y2|width|height)$/.test(k))
        .map(([, v]) => v),
    );
    const coordinates = elements
      .filter((e) => e.attrs.points !== undefined)
      .flatMap((e) => pointsOf(e).flat().map(String));
    expect(numeric.length).toBeGreaterThan(100);
    for (const v of [...numeric, ...coordinates]) expect(v).toMatch(/^-?\d+(\.\d{1,2})?$/);
    expect(named(elements, 'text').map((t) => t.text)).toContain('s');
    expect(named(parseXml(renderSvg(THREE_SEEDS, { title: 't' })), 'text')).toHaveLength(
      named(elements, 'text').length - 1,
    );
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
