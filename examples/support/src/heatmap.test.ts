import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type HeatmapOptions, heatmapSvg } from './heatmap';
import { type XmlElement as Element, named, parseXml } from './testing/parse-xml';

const HEX = /^#[0-9a-f]{6}$/;
const VIRIDIS_ENDS = { min: '#440154', quarter: '#3b528b', mid: '#21918c', max: '#fde725' };

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

/** The value cells: rects filled with a plain colour, without an outline. */
function cells(elements: Element[]): Element[] {
  return named(elements, 'rect').filter(
    (r) => HEX.test(r.attrs.fill ?? '') && r.attrs.stroke === undefined,
  );
}

const n = (e: Element, attr: string) => Number(e.attrs[attr]);

/** Cells in columns (equal x) from left to right, each from top to bottom. */
function columns(elements: Element[]): Element[][] {
  const byX = new Map<number, Element[]>();
  for (const c of cells(elements)) byX.set(n(c, 'x'), [...(byX.get(n(c, 'x')) ?? []), c]);
  return [...byX.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, column]) => column.sort((a, b) => n(a, 'y') - n(b, 'y')));
}

/** The points of a path's `d` (`M x y L x y … [Z]`), one list per subpath. */
function subpaths(path: Element): [number, number][][] {
  return path.attrs
    .d!.split('M')
    .filter((s) => s.trim() !== '')
    .map((s) =>
      s
        .replace('Z', '')
        .split('L')
        .map((p) => p.trim().split(' ').map(Number) as [number, number]),
    );
}

function colourBar(elements: Element[]): Element {
  return named(elements, 'rect').find((r) => r.attrs.fill === 'url(#heatmap-colour-bar)')!;
}

/** Text labels written with `text-anchor="start"` right of the colour bar. */
function barTickLabels(elements: Element[]): { text: string; y: number }[] {
  return named(elements, 'text')
    .filter((t) => t.attrs['text-anchor'] === 'start' && t.attrs['font-size'] === '11')
    .map((t) => ({ text: t.text, y: n(t, 'y') - 4 }));
}

describe('heatmapSvg', () => {
  it('is a standalone, well-formed SVG: one rect per value, a colour bar, axes and labels', () => {
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
    expect(svg).not.toMatch(/href|@import|<style|on\w+="/);
    expect(svg.match(/url\(/g)).toEqual(['url(']);
    expect(cells(elements)).toHaveLength(XS.length * YS.length);
    // Background, cells, frame and colour bar: nothing else is a rect.
    expect(named(elements, 'rect')).toHaveLength(XS.length * YS.length + 3);
    expect(colourBar(elements)).toBeDefined();
    const stops = named(elements, 'stop');
    expect(stops).toHaveLength(17);
    expect([stops[0]!.attrs, stops[16]!.attrs]).toEqual([
      { offset: '0%', 'stop-color': VIRIDIS_ENDS.min },
      { offset: '100%', 'stop-color': VIRIDIS_ENDS.max },
    ]);
    expect(stops[8]!.attrs).toEqual({ offset: '50%', 'stop-color': VIRIDIS_ENDS.mid });
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Loss surface', 'alpha', 'beta', 'training loss']) {
      expect(texts).toContain(text);
    }
    expect(named(elements, 'title')[0]!.text).toBe('Loss surface');
  });

  it('puts values[i][j] at column xs[i], row ys[j]: f = x changes colour along x only', () => {
    const cols = columns(draw({ contours: 0 }));
    expect(cols).toHaveLength(XS.length);
    const fills = cols.map((column) => column.map((c) => c.attrs.fill));
    for (const column of fills) expect(new Set(column).size).toBe(1);
    expect(fills.map((column) => column[0])).toEqual([
      VIRIDIS_ENDS.min,
      VIRIDIS_ENDS.quarter,
      VIRIDIS_ENDS.mid,
      '#5cc863',
      VIRIDIS_ENDS.max,
    ]);
    // f = y: rows share a colour, and larger y is drawn higher up (smaller pixel y).
    const byY = columns(draw({ contours: 0, values: sample(XS, YS, (_, y) => y) }));
    for (const column of byY) {
      expect(column.map((c) => c.attrs.fill)).toEqual([
        VIRIDIS_ENDS.max,
        VIRIDIS_ENDS.mid,
        VIRIDIS_ENDS.min,
      ]);
    }
  });

  it('interpolates viridis linearly between its 17 control colours', () => {
    // t = 0, 1/32, 1/4, 1: the first, halfway between the first two, the fifth, the last.
    const fills = columns(
      draw({ xs: [0, 1, 2, 3], ys: [0, 1], values: [0, 1, 8, 32].map((v) => [v, v]) }),
    ).map((column) => column[0]!.attrs.fill);
    // (0x44 + 0x48) / 2 = 0x46, (0x01 + 0x18) / 2 = 12.5 → 0x0d, (0x54 + 0x6a) / 2 = 0x5f.
    expect(fills).toEqual([VIRIDIS_ENDS.min, '#460d5f', VIRIDIS_ENDS.quarter, VIRIDIS_ENDS.max]);
  });

  it('spreads colours evenly in log v with colorScale "log"', () => {
    const values = sample(XS, YS, (x) => 10 ** (x - 2));
    const fills = (colorScale: 'linear' | 'log') =>
      columns(draw({ values, colorScale, contours: 0 })).map((column) => column[0]!.attrs.fill);
    expect(fills('log')).toEqual([
      VIRIDIS_ENDS.min,
      VIRIDIS_ENDS.quarter,
      VIRIDIS_ENDS.mid,
      '#5cc863',
      VIRIDIS_ENDS.max,
    ]);
    // Linearly, 0.01 … 1 are all within 1 % of the range: nearly the lowest colour.
    expect(
      fills('linear')
        .slice(0, 3)
        .every((f) => f!.startsWith('#4')),
    ).toBe(true);
    const labels = barTickLabels(draw({ values, colorScale: 'log' })).map((t) => t.text);
    expect(labels).toEqual(['0.01', '0.1', '1', '10', '100']);
  });

  it('centres cells on their samples, edges halfway between neighbours, tiling the frame', () => {
    const elements = draw({
      xs: [0, 1, 3],
      ys: [0, 2],
      values: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    });
    const cols = columns(elements);
    const widths = cols.map((column) => n(column[0]!, 'width'));
    // Data widths 1, 1.5 and 2 (edges at −0.5, 0.5, 2, 4).
    expect(widths[1]! / widths[0]!).toBeCloseTo(1.5, 3);
    expect(widths[2]! / widths[0]!).toBeCloseTo(2, 3);
    const frame = named(elements, 'rect').find((r) => r.attrs.fill === 'none')!;
    expect(n(cols[0]![0]!, 'x')).toBe(n(frame, 'x'));
    for (let k = 0; k + 1 < cols.length; k++) {
      expect(n(cols[k]![0]!, 'x') + widths[k]!).toBeCloseTo(n(cols[k + 1]![0]!, 'x'), 6);
    }
    expect(n(cols[2]![0]!, 'x') + widths[2]!).toBeCloseTo(n(frame, 'x') + n(frame, 'width'), 6);
    const column = cols[0]!;
    expect(n(column[0]!, 'y')).toBe(n(frame, 'y'));
    expect(n(column[0]!, 'y') + n(column[0]!, 'height')).toBeCloseTo(n(column[1]!, 'y'), 6);
    expect(n(column[1]!, 'y') + n(column[1]!, 'height')).toBeCloseTo(
      n(frame, 'y') + n(frame, 'height'),
      6,
    );
    // Axis ticks sit on the samples: x = 0 at the first cell's centre, x = 3 at the last's.
    const xTick = (label: string) =>
      n(
        named(elements, 'text').find(
          (t) => t.text === label && t.attrs['text-anchor'] === 'middle',
        )!,
        'x',
      );
    const centre = (k: number) => n(cols[k]![0]!, 'x') + widths[k]! / 2;
    expect(xTick('0')).toBeCloseTo(centre(0), 1);
    expect(xTick('3')).toBeCloseTo(centre(2), 1);
  });

  it('draws each contour level as a path on the grid, marked across the colour bar', () => {
    const one = draw({ contours: [1.5] });
    const paths = named(one, 'path');
    expect(paths).toHaveLength(1);
    // f = x at 1.5: the vertical line on the edge between columns 1 and 2, from the centre
    // of the bottom row to the centre of the top row.
    const cols = columns(one);
    const [line] = subpaths(paths[0]!);
    for (const [x] of line!) expect(x).toBeCloseTo(n(cols[2]![0]!, 'x'), 1);
    const ys = line!.map(([, y]) => y).sort((a, b) => a - b);
    const rowCentre = (cell: Element) => n(cell, 'y') + n(cell, 'height') / 2;
    expect(ys[0]).toBeCloseTo(rowCentre(cols[0]![0]!), 1);
    expect(ys[ys.length - 1]).toBeCloseTo(rowCentre(cols[0]![2]!), 1);
    // Low levels (dark colours) are drawn white, high levels black.
    const levels = draw({ contours: [0.5, 3.5] });
    expect(named(levels, 'path').map((p) => p.attrs.stroke)).toEqual(['#ffffff', '#000000']);
    // The colour bar gets a line at each level, at its place between the ends.
    const bar = colourBar(levels);
    const marks = named(levels, 'line').filter(
      (l) => l.attrs.x1 === bar.attrs.x && l.attrs.y1 === l.attrs.y2,
    );
    const barBottom = n(bar, 'y') + n(bar, 'height');
    expect(marks.map((m) => (barBottom - n(m, 'y1')) / n(bar, 'height'))).toEqual([
      expect.closeTo(3.5 / 4, 3),
      expect.closeTo(0.5 / 4, 3),
    ]);
    expect(named(levels, 'text').map((t) => t.text)).toEqual(
      expect.arrayContaining(['0.5', '3.5']),
    );
    // By default, 10 levels evenly spaced strictly inside [min, max]; 0 draws none.
    expect(named(draw(), 'path')).toHaveLength(10);
    expect(named(draw({ contours: 3 }), 'path')).toHaveLength(3);
    expect(named(draw({ contours: 0 }), 'path')).toHaveLength(0);
  });

  it('labels the colour bar with ticks from min to max', () => {
    const elements = draw({ contours: 0 });
    const bar = colourBar(elements);
    const ticks = barTickLabels(elements);
    expect(ticks.map((t) => t.text)).toEqual(['0', '1', '2', '3', '4']);
    expect(ticks[0]!.y).toBeCloseTo(n(bar, 'y') + n(bar, 'height'), 1);
    expect(ticks[4]!.y).toBeCloseTo(n(bar, 'y'), 1);
    expect(ticks[1]!.y).toBeCloseTo(n(bar, 'y') + (3 / 4) * n(bar, 'height'), 1);
  });

  it('draws non-finite values grey, with a swatch, and contours stop at them', () => {
    const ys = [0, 1, 2, 3, 4];
    const values = sample(XS, ys, (x) => x);
    values[2]![2] = Number.NaN;
    const elements = draw({ ys, values, contours: [2.5] });
    expect(cells(elements).filter((c) => c.attrs.fill === '#c8c8c8')).toHaveLength(1);
    expect(cells(elements)).toHaveLength(XS.length * ys.length);
    const swatch = named(elements, 'rect').filter((r) => r.attrs.fill === '#c8c8c8');
    expect(swatch).toHaveLength(2);
    expect(named(elements, 'text').map((t) => t.text)).toContain('not finite');
    // The line x = 2.5 loses the two cells that touch (2, 2): two pieces are left.
    expect(subpaths(named(elements, 'path')[0]!)).toHaveLength(2);
    expect(named(draw(), 'text').map((t) => t.text)).not.toContain('not finite');
  });

  it('marks points with a circle at their position and an escaped label', () => {
    const elements = draw({ marks: [{ x: 2, y: 0, label: 'min <θ*>' }] });
    const circle = named(elements, 'circle')[0]!;
    const middle = columns(elements)[2]![1]!;
    expect(n(circle, 'cx')).toBeCloseTo(n(middle, 'x') + n(middle, 'width') / 2, 1);
    expect(n(circle, 'cy')).toBeCloseTo(n(middle, 'y') + n(middle, 'height') / 2, 1);
    expect(named(elements, 'text').map((t) => t.text)).toContain('min <θ*>');
    expect(heatmapSvg({ ...BASE, marks: [{ x: 2, y: 0, label: 'min <θ*>' }] })).toContain(
      'min &lt;θ*&gt;',
    );
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
    expect(svg).toContain('Loss &lt;&amp;&gt; &quot;quotes&quot;');
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
    const numeric = elements.flatMap((e) =>
      Object.entries(e.attrs)
        .filter(([k]) => /^(x|y|cx|cy|x1|x2|y1|y2|width|height)$/.test(k))
        .map(([, v]) => v),
    );
    const coordinates = named(elements, 'path').flatMap((p) => subpaths(p).flat(2).map(String));
    expect(coordinates.length).toBeGreaterThan(10);
    for (const v of [...numeric, ...coordinates]) expect(v).toMatch(/^-?\d+(\.\d{1,2})?$/);
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
    const elements = draw({ values: sample(XS, YS, () => 0.7) });
    expect(new Set(cells(elements).map((c) => c.attrs.fill))).toEqual(new Set([VIRIDIS_ENDS.mid]));
    expect(named(elements, 'path')).toHaveLength(0);
  });
});
