import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type HeatmapOptions, heatmapSvg } from './heatmap';
import {
  type XmlElement as Element,
  descendants,
  named,
  parseXml,
  plotGroups,
  subpaths,
  translation,
} from './testing/parse-xml';

/** d3's viridis at 0, ½ and 1. */
const VIRIDIS = { min: '#440154', mid: '#21918c', max: '#fde725' };
const GREY = '#c8c8c8';

function sample(xs: number[], ys: number[], f: (x: number, y: number) => number): number[][] {
  return xs.map((x) => ys.map((y) => f(x, y)));
}

const XS = [0, 1, 2, 3, 4];
const YS = [-1, 0, 1];

const BASE: HeatmapOptions = {
  title: 'Loss surface',
  xLabel: 'alpha',
  yLabel: 'beta',
  valueLabel: 'training loss',
  xs: XS,
  ys: YS,
  values: sample(XS, YS, (x) => x),
};

const draw = (more: Partial<HeatmapOptions> = {}) => parseXml(heatmapSvg({ ...BASE, ...more }));

const n = (e: Element, attr: string) => Number(e.attrs[attr]);

/** The heatmap panel and the colour bar panel: Plot's two nested svgs. */
function panels(elements: Element[]): { chart: Element[]; bar: Element[] } {
  const [chart, bar] = named(elements, 'svg').slice(1);
  return { chart: descendants(chart!), bar: descendants(bar!) };
}

/** The cells with their fill (a cell's own, or its group's). */
function cells(chart: Element[]): { x: number; y: number; w: number; h: number; fill: string }[] {
  return plotGroups(chart, 'rect').flatMap((g) =>
    g.children.map((r) => ({
      x: n(r, 'x'),
      y: n(r, 'y'),
      w: n(r, 'width'),
      h: n(r, 'height'),
      fill: r.attrs.fill ?? g.attrs.fill!,
    })),
  );
}

/** Cells in columns (equal x) from left to right, each from top to bottom. */
function columns(chart: Element[]): ReturnType<typeof cells>[] {
  const byX = new Map<number, ReturnType<typeof cells>>();
  for (const c of cells(chart)) byX.set(c.x, [...(byX.get(c.x) ?? []), c]);
  return [...byX.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, column]) => column.sort((a, b) => a.y - b.y));
}

/** The frame of a panel: Plot's `frame` rect. */
function frame(panel: Element[]): { left: number; top: number; right: number; bottom: number } {
  const f = panel.find((e) => e.name === 'rect' && e.attrs['aria-label'] === 'frame')!;
  return {
    left: n(f, 'x'),
    top: n(f, 'y'),
    right: n(f, 'x') + n(f, 'width'),
    bottom: n(f, 'y') + n(f, 'height'),
  };
}

/** The contour paths with their stroke, one per level, in level order within each ink. */
function contours(chart: Element[]): { stroke: string; d: string }[] {
  return plotGroups(chart, 'contour').flatMap((g) =>
    descendants(g)
      .filter((e) => e.name === 'g' && e.attrs.stroke !== undefined)
      .flatMap((inner) =>
        inner.children.map((p) => ({ stroke: inner.attrs.stroke!, d: p.attrs.d! })),
      ),
  );
}

/** The contour vertices strictly inside the frame (the rest lie outside, clipped). */
function insideVertices(chart: Element[], d: string): [number, number][] {
  const f = frame(chart);
  return subpaths(d)
    .flat()
    .filter(([x, y]) => x > f.left && x < f.right && y > f.top && y < f.bottom);
}

function barTicks(bar: Element[]): { value: number; y: number }[] {
  const [group] = plotGroups(bar, 'y-axis tick label');
  return group!.children.map((t) => ({ value: Number(t.text), y: translation(t)[1] }));
}

describe('heatmapSvg', () => {
  it('is one standalone, well-formed SVG: a rect per value, a colour bar, axes and labels', () => {
    const svg = heatmapSvg(BASE);
    const elements = parseXml(svg);
    expect(elements[0]!.attrs).toEqual({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '680',
      height: '560',
      viewBox: '0 0 680 560',
      'font-family': 'sans-serif',
    });
    expect(named(elements, 'rect')[0]!.attrs.fill).toBe('white');
    expect(named(elements, 'script')).toEqual([]);
    expect(named(elements, 'image')).toEqual([]);
    expect(svg).not.toMatch(/href|@import|on\w+="/);
    // The only url() references are the contour clip, defined in the document.
    for (const [, id] of svg.matchAll(/url\(#([^)]+)\)/g)) expect(svg).toContain(`id="${id}"`);
    const { chart, bar } = panels(elements);
    expect(cells(chart)).toHaveLength(XS.length * YS.length);
    expect(plotGroups(bar, 'rect')[0]!.children).toHaveLength(64);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Loss surface', 'alpha', 'beta', 'training loss']) {
      expect(texts).toContain(text);
    }
    expect(named(elements, 'title')[0]!.text).toBe('Loss surface');
  });

  it('puts values[i][j] at column xs[i], row ys[j]: f = x changes colour along x only', () => {
    const cols = columns(panels(draw({ contours: 0 })).chart);
    expect(cols).toHaveLength(XS.length);
    for (const column of cols) expect(new Set(column.map((c) => c.fill)).size).toBe(1);
    expect([cols[0]![0]!.fill, cols[2]![0]!.fill, cols[4]![0]!.fill]).toEqual([
      VIRIDIS.min,
      VIRIDIS.mid,
      VIRIDIS.max,
    ]);
    // f = y: rows share a colour, and larger y is drawn higher up (smaller pixel y).
    const byY = columns(panels(draw({ contours: 0, values: sample(XS, YS, (_, y) => y) })).chart);
    for (const column of byY) {
      expect(column.map((c) => c.fill)).toEqual([VIRIDIS.max, VIRIDIS.mid, VIRIDIS.min]);
    }
  });

  it('spreads colours evenly in log v with colorScale "log"', () => {
    const values = [1, 10, 100].map((v) => [v, v]);
    const linear = columns(panels(draw({ xs: [0, 1, 2], ys: [0, 1], values })).chart);
    const log = columns(
      panels(draw({ xs: [0, 1, 2], ys: [0, 1], values, colorScale: 'log' })).chart,
    );
    expect(log.map((c) => c[0]!.fill)).toEqual([VIRIDIS.min, VIRIDIS.mid, VIRIDIS.max]);
    expect(linear[1]![0]!.fill).not.toBe(VIRIDIS.mid);
  });

  it('centres cells on their samples, edges halfway between neighbours, tiling the frame', () => {
    const xs = [0, 1, 3];
    const { chart } = panels(draw({ xs, values: sample(xs, YS, (x) => x), contours: 0 }));
    const cols = columns(chart);
    const f = frame(chart);
    // Edges at −0.5, 0.5, 2, 4: widths 1 : 1.5 : 2, no gaps, spanning the frame.
    expect(cols[0]![0]!.x).toBeCloseTo(f.left, 1);
    expect(cols[0]![0]!.x + cols[0]![0]!.w).toBeCloseTo(cols[1]![0]!.x, 1);
    expect(cols[1]![0]!.x + cols[1]![0]!.w).toBeCloseTo(cols[2]![0]!.x, 1);
    expect(cols[2]![0]!.x + cols[2]![0]!.w).toBeCloseTo(f.right, 1);
    expect(cols[1]![0]!.w / cols[0]![0]!.w).toBeCloseTo(1.5, 2);
    expect(cols[2]![0]!.w / cols[0]![0]!.w).toBeCloseTo(2, 2);
    expect(cols[0]![0]!.y).toBeCloseTo(f.top, 1);
    expect(cols[0]!.at(-1)!.y + cols[0]!.at(-1)!.h).toBeCloseTo(f.bottom, 1);
    // The x tick at 1 sits at the centre of the middle... of column 1.
    const [ticks] = plotGroups(chart, 'x-axis tick label');
    const one = ticks!.children.find((t) => t.text === '1')!;
    expect(translation(one)[0]).toBeCloseTo(cols[1]![0]!.x + cols[1]![0]!.w / 3, 1);
  });

  it('draws each contour level on the grid, in ink that shows on its colour', () => {
    // f = x at 1.5: the vertical line on the edge between columns 1 and 2.
    const { chart } = panels(draw({ contours: [1.5] }));
    const [line] = contours(chart);
    const cols = columns(chart);
    const inside = insideVertices(chart, line!.d);
    expect(inside.length).toBeGreaterThanOrEqual(2);
    for (const [x] of inside) expect(x).toBeCloseTo(cols[2]![0]!.x, 1);
    // Low levels (over dark colours) are drawn white, high levels black.
    const levels = contours(panels(draw({ contours: [0.5, 3.5] })).chart);
    expect(levels.map((l) => l.stroke)).toEqual(['#ffffff', '#000000']);
    // By default, 10 levels evenly spaced strictly inside [min, max]; 0 draws none.
    expect(contours(panels(draw()).chart)).toHaveLength(10);
    expect(contours(panels(draw({ contours: 3 })).chart)).toHaveLength(3);
    expect(contours(panels(draw({ contours: 0 })).chart)).toHaveLength(0);
    // A level the values never reach draws nothing.
    expect(contours(panels(draw({ contours: [7] })).chart)).toHaveLength(0);
  });

  it('traces an uneven grid through a linear interpolation of the samples', () => {
    const xs = [0, 1, 3, 4, 6];
    const { chart } = panels(draw({ xs, values: sample(xs, YS, (x) => x), contours: [2] }));
    const cols = columns(chart);
    // x = 2 lies halfway between the centres of columns 1 and 2.
    const centre = (c: (typeof cols)[number][number]) => c.x + c.w / 2;
    const expected = (centre(cols[1]![0]!) + centre(cols[2]![0]!)) / 2;
    const inside = insideVertices(chart, contours(chart)[0]!.d);
    expect(inside.length).toBeGreaterThanOrEqual(2);
    for (const [x] of inside) expect(x).toBeCloseTo(expected, 0);
  });

  it('labels the colour bar with ticks from min to max and a line at each level', () => {
    const { bar } = panels(draw({ contours: [0.5, 3.5] }));
    const f = frame(bar);
    const ticks = barTicks(bar);
    expect(ticks.map((t) => t.value)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(ticks[0]!.y).toBeCloseTo(f.bottom, 1);
    expect(ticks.at(-1)!.y).toBeCloseTo(f.top, 1);
    expect(ticks[2]!.y).toBeCloseTo(f.bottom - (1 / 4) * (f.bottom - f.top), 1);
    const rules = plotGroups(bar, 'rule').flatMap((g) =>
      g.children.map((l) => ({ stroke: g.attrs.stroke, y: n(l, 'y1') })),
    );
    expect(rules).toEqual([
      { stroke: '#ffffff', y: expect.closeTo(f.bottom - (0.5 / 4) * (f.bottom - f.top), 1) },
      { stroke: '#000000', y: expect.closeTo(f.bottom - (3.5 / 4) * (f.bottom - f.top), 1) },
    ]);
    const [levelLabels] = plotGroups(bar, 'text');
    expect(levelLabels!.children.map((t) => t.text)).toEqual(['3.5', '0.5']);
    // The bar's slices run through viridis, bottom to top.
    const slices = plotGroups(bar, 'rect')[0]!.children;
    const bottom = slices.reduce((a, b) => (n(a, 'y') > n(b, 'y') ? a : b));
    const top = slices.reduce((a, b) => (n(a, 'y') < n(b, 'y') ? a : b));
    expect(bottom.attrs.fill).toMatch(/^#4[45]0[0-9a-f]5[0-9a-f]$/);
    expect(top.attrs.fill).toMatch(/^#f[a-f]e[0-9a-f]2[0-9a-f]$/);
  });

  it('draws non-finite values grey, with a swatch, and contours stop at them', () => {
    const ys = [0, 1, 2, 3, 4];
    const values = sample(XS, ys, (x) => x);
    values[2]![2] = Number.NaN;
    const elements = draw({ ys, values, contours: [2.5] });
    const { chart, bar } = panels(elements);
    expect(cells(chart).filter((c) => c.fill === GREY)).toHaveLength(1);
    expect(cells(chart)).toHaveLength(XS.length * ys.length);
    expect(plotGroups(bar, 'dot')[0]!.attrs.fill).toBe(GREY);
    expect(named(bar, 'text').map((t) => t.text)).toContain('not finite');
    // The line x = 2.5 bends around the NaN at (2, 2): some vertices leave x = 2.5.
    const cols = columns(chart);
    const edge = cols[2]![0]!.x + cols[2]![0]!.w / 2;
    const inside = insideVertices(chart, contours(chart)[0]!.d);
    expect(inside.some(([x]) => Math.abs(x - edge) > 1)).toBe(true);
    expect(named(draw(), 'text').map((t) => t.text)).not.toContain('not finite');
  });

  it('marks points with a circle at their position and an escaped label', () => {
    const svg = heatmapSvg({
      ...BASE,
      marks: [
        { x: 2, y: 0, label: 'min <θ*>' },
        { x: 4.4, y: 1, label: 'edge' },
      ],
    });
    expect(svg).toContain('min &lt;θ*&gt;');
    const { chart } = panels(parseXml(svg));
    const [dots] = plotGroups(chart, 'dot');
    const middle = columns(chart)[2]![1]!;
    const circle = dots!.children[0]!;
    expect(n(circle, 'cx')).toBeCloseTo(middle.x + middle.w / 2, 1);
    expect(n(circle, 'cy')).toBeCloseTo(middle.y + middle.h / 2, 1);
    expect(n(circle, 'r')).toBe(4);
    const labels = plotGroups(chart, 'text');
    expect(labels.map((g) => [g.attrs['text-anchor'], g.children.map((t) => t.text)])).toEqual([
      ['start', ['min <θ*>']],
      ['end', ['edge']],
    ]);
  });

  it('escapes every text', () => {
    const svg = heatmapSvg({
      ...BASE,
      title: 'Loss <&> "quotes"',
      subtitle: "a & 'b'",
      xLabel: 'α < 1',
      yLabel: 'β > 0',
      valueLabel: 'L & co',
    });
    expect(svg).toContain('Loss &lt;&amp;&gt; "quotes"');
    const elements = parseXml(svg);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Loss <&> "quotes"', "a & 'b'", 'α < 1', 'β > 0', 'L & co']) {
      expect(texts).toContain(text);
    }
    expect(named(elements, 'title')[0]!.text).toBe('Loss <&> "quotes"');
  });

  it('is deterministic, with coordinates rounded to 2 decimals, and honours width and height', () => {
    const xs = [-1, -0.3, 0.1, 0.7];
    const options = {
      ...BASE,
      xs,
      values: sample(xs, YS, (x, y) => x * x + Math.sin(y)),
      width: 801,
      height: 433,
      marks: [{ x: 0.1, y: 0.3, label: 'p' }],
    };
    const svg = heatmapSvg(options);
    expect(heatmapSvg(options)).toBe(svg);
    const elements = parseXml(svg);
    expect(elements[0]!.attrs.viewBox).toBe('0 0 801 433');
    const numbers = elements.flatMap((e) =>
      ['x', 'y', 'cx', 'cy', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'd', 'transform'].flatMap(
        (k) => e.attrs[k]?.match(/-?\d+(\.\d+)?/g) ?? [],
      ),
    );
    expect(numbers.length).toBeGreaterThan(100);
    for (const v of numbers) expect(v).toMatch(/^-?\d+(\.\d{1,2})?$/);
  });

  it('refuses bad options, naming the option', () => {
    const ragged = sample(XS, YS, (x) => x);
    ragged[3] = [1, 2];
    expectDescentError(
      () => heatmapSvg({ ...BASE, values: ragged }),
      'SHAPE_MISMATCH',
      'heatmapSvg.values[3] must be an array of ys.length = 3 numbers',
      'length 2',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, values: ragged.slice(1) }),
      'SHAPE_MISMATCH',
      'heatmapSvg.values must be an array of xs.length = 5 rows',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, xs: [0, 1, 3, 2, 4] }),
      'BAD_ARGUMENT',
      'heatmapSvg.xs must be strictly ascending',
      'heatmapSvg.xs[2] = 3 and heatmapSvg.xs[3] = 2',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, ys: [1, 0, -1] }),
      'BAD_ARGUMENT',
      'heatmapSvg.ys must be strictly ascending',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, xs: [], values: [] }),
      'BAD_ARGUMENT',
      'heatmapSvg.xs must be an array of at least 2 finite numbers',
      'length 0',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, values: sample(XS, YS, () => Number.NaN) }),
      'BAD_ARGUMENT',
      'heatmapSvg.values has no finite value',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, colorScale: 'log' }),
      'BAD_ARGUMENT',
      "heatmapSvg.values[0][0] must be > 0 with colorScale 'log'",
      'got 0',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, colorScale: 'sqrt' as never }),
      'BAD_HYPERPARAM',
      'heatmapSvg.colorScale',
    );
    const { valueLabel: _, ...unlabelled } = BASE;
    expectDescentError(
      () => heatmapSvg(unlabelled as never),
      'BAD_ARGUMENT',
      'heatmapSvg.valueLabel must be a string',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, colormap: 'jet' } as never),
      'UNKNOWN_PARAM',
      '"colormap"',
    );
    for (const contours of [-1, 2.5, 101]) {
      expectDescentError(
        () => heatmapSvg({ ...BASE, contours }),
        'BAD_HYPERPARAM',
        'heatmapSvg.contours',
        String(contours),
      );
    }
    expectDescentError(
      () => heatmapSvg({ ...BASE, contours: [1, Number.NaN] }),
      'NON_FINITE',
      'heatmapSvg.contours[1]',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, contours: ['1' as never] }),
      'BAD_ARGUMENT',
      'heatmapSvg.contours[0] must be a finite number',
    );
    expectDescentError(
      () =>
        heatmapSvg({
          ...BASE,
          values: sample(XS, YS, (x) => x + 1),
          colorScale: 'log',
          contours: [0],
        }),
      'BAD_ARGUMENT',
      "heatmapSvg.contours[0] must be > 0 with colorScale 'log'",
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, marks: [{ x: 5, y: 0, label: 'far' }] }),
      'BAD_ARGUMENT',
      'heatmapSvg.marks[0].x must lie within the cells, [-0.5, 4.5], got 5',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, marks: [{ x: 0, y: Number.NaN, label: '' }] }),
      'NON_FINITE',
      'heatmapSvg.marks[0].y',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, marks: [{ x: 0, y: 0, label: 'a', size: 3 } as never] }),
      'UNKNOWN_PARAM',
      '"size"',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, marks: [{ x: 0, y: 0 } as never] }),
      'BAD_ARGUMENT',
      'heatmapSvg.marks[0].label must be a string',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, marks: { x: 0, y: 0, label: '' } as never }),
      'BAD_ARGUMENT',
      'heatmapSvg.marks must be an array',
    );
    expectDescentError(
      () => heatmapSvg({ ...BASE, width: 200 }),
      'BAD_HYPERPARAM',
      'heatmapSvg.width',
    );
  });

  it('draws a single value mid-scale and a constant surface without contours', () => {
    const { chart } = panels(draw({ values: sample(XS, YS, () => 0.7) }));
    expect(new Set(cells(chart).map((c) => c.fill))).toEqual(new Set([VIRIDIS.mid]));
    expect(contours(chart)).toHaveLength(0);
  });
});
