import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type ChartSeries, type LineChartOptions, lineChartSvg } from './line-chart';
import { type XmlElement as Element, named, parseXml } from './testing/parse-xml';

/** The subpaths of a path's `d` (`M x y L x y …`), as lists of points. */
function subpaths(path: Element): [number, number][][] {
  return path.attrs
    .d!.split('M')
    .filter((s) => s.trim() !== '')
    .map((s) => s.split('L').map((p) => p.trim().split(' ').map(Number) as [number, number]));
}

function vertices(path: Element): [number, number][] {
  return subpaths(path).flat();
}

/** `'2.5k'` → 2500, `'1e-4'` → 0.0001, `'-0.5'` → −0.5. */
function parseLabel(label: string): number {
  const unit = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[label.slice(-1)];
  return unit === undefined ? Number(label) : Number(label.slice(0, -1)) * unit;
}

/** Tick labels under the x axis (centred, 11 px) and left of the y axis (right-aligned). */
function xTickLabels(elements: Element[]): { value: number; x: number }[] {
  return named(elements, 'text')
    .filter((t) => t.attrs['text-anchor'] === 'middle' && t.attrs['font-size'] === '11')
    .map((t) => ({ value: parseLabel(t.text), x: Number(t.attrs.x) }));
}

function yTickLabels(elements: Element[]): { value: number; y: number }[] {
  return named(elements, 'text')
    .filter((t) => t.attrs['text-anchor'] === 'end')
    .map((t) => ({ value: parseLabel(t.text), y: Number(t.attrs.y) - 4 }));
}

const series = (name: string, points: [number, number][], more: Partial<ChartSeries> = {}) => ({
  name,
  points,
  ...more,
});

const BASE: LineChartOptions = {
  title: 'Training loss',
  xLabel: 'step',
  yLabel: 'loss',
  series: [
    series('network', [
      [0, 1],
      [10, 0.5],
      [20, 0.3],
      [30, 0.25],
    ]),
    series(
      'prediction',
      [
        [0, 0.9],
        [30, 0.2],
      ],
      { style: 'line', dashed: true },
    ),
    series(
      'test',
      [
        [5, 0.8],
        [15, 0.45],
        [25, 0.35],
      ],
      { style: 'points' },
    ),
  ],
};

const chart = (more: Partial<LineChartOptions> = {}) =>
  parseXml(lineChartSvg({ ...BASE, ...more }));

describe('lineChartSvg', () => {
  it('is a standalone, well-formed SVG with a white background and no external resources', () => {
    const svg = lineChartSvg(BASE);
    const elements = parseXml(svg);
    expect(elements[0]!.name).toBe('svg');
    expect(elements[0]!.attrs).toEqual({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '720',
      height: '440',
      viewBox: '0 0 720 440',
      'font-family': 'sans-serif',
    });
    expect(named(elements, 'rect')[0]!.attrs).toEqual({
      x: '0',
      y: '0',
      width: '720',
      height: '440',
      fill: 'white',
    });
    expect(named(elements, 'script')).toEqual([]);
    expect(svg).not.toMatch(/href|url\(|@import|<style|on\w+="/);
    expect(svg.match(/http/g)).toHaveLength(1);
    expect(named(elements, 'title')[0]!.text).toBe('Training loss');
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Training loss', 'step', 'loss', 'network', 'prediction', 'test']) {
      expect(texts).toContain(text);
    }
  });

  it('draws one path per line series and a circle per point, in palette colours', () => {
    const elements = chart();
    const paths = named(elements, 'path');
    expect(paths.map((p) => p.attrs.stroke)).toEqual(['#0072B2', '#D55E00']);
    expect(vertices(paths[0]!)).toHaveLength(4);
    expect(vertices(paths[1]!)).toHaveLength(2);
    expect(paths.map((p) => p.attrs['stroke-dasharray'])).toEqual([undefined, '6 4']);
    const circles = (colour: string) =>
      named(elements, 'circle').filter((c) => c.attrs.fill === colour);
    // Each marker on the chart plus one in the legend; a line-only series has none.
    expect(circles('#0072B2')).toHaveLength(4 + 1);
    expect(circles('#D55E00')).toHaveLength(0);
    expect(circles('#009E73')).toHaveLength(3 + 1);
    // The markers sit on the line's vertices.
    const onLine = circles('#0072B2').slice(0, 4);
    expect(onLine.map((c) => [Number(c.attrs.cx), Number(c.attrs.cy)])).toEqual(
      vertices(paths[0]!),
    );
    // Legend samples: a line for 'line' styles, dashed for the dashed series.
    const legendLines = named(elements, 'line').filter((l) => l.attrs['stroke-width'] === '2');
    expect(legendLines.map((l) => [l.attrs.stroke, l.attrs['stroke-dasharray']])).toEqual([
      ['#0072B2', undefined],
      ['#D55E00', '6 4'],
    ]);
  });

  it('cycles through the 7 colours of the palette', () => {
    const many = Array.from({ length: 9 }, (_, i) => series(`s${i}`, [[i, i]], { style: 'line' }));
    const strokes = named(parseXml(lineChartSvg({ ...BASE, series: many })), 'path').map(
      (p) => p.attrs.stroke,
    );
    expect(strokes).toEqual([
      '#0072B2',
      '#D55E00',
      '#009E73',
      '#CC79A7',
      '#E69F00',
      '#56B4E9',
      '#000000',
      '#0072B2',
      '#D55E00',
    ]);
  });

  it('puts points at their ticks: equal data steps are equal pixel steps on a linear axis', () => {
    const elements = chart();
    const [p0, p10, p20, p30] = vertices(named(elements, 'path')[0]!);
    expect(p10![0] - p0![0]).toBeCloseTo(p20![0] - p10![0], 1);
    expect(p30![0] - p20![0]).toBeCloseTo(p20![0] - p10![0], 1);
    const xTicks = xTickLabels(elements);
    expect(xTicks.find((t) => t.value === 0)!.x).toBeCloseTo(p0![0], 1);
    expect(xTicks.find((t) => t.value === 30)!.x).toBeCloseTo(p30![0], 1);
    const yTicks = yTickLabels(elements);
    expect(yTicks.find((t) => t.value === 1)!.y).toBeCloseTo(p0![1], 1);
    expect(yTicks.find((t) => t.value === 0.5)!.y).toBeCloseTo(p10![1], 1);
    // 0.3 is 60 % of the way from 0 to 0.5... measured from the 0.2 and 0.4 ticks here.
    const y02 = yTicks.find((t) => t.value === 0.2)!.y;
    const y04 = yTicks.find((t) => t.value === 0.4)!.y;
    expect(p20![1]).toBeCloseTo((y02 + y04) / 2, 1);
  });

  it('spaces a log axis by decades: x(10) − x(1) = x(100) − x(10)', () => {
    const points: [number, number][] = [
      [1, 1e-3],
      [10, 1e-2],
      [100, 1e-1],
      [1000, 1],
    ];
    const elements = parseXml(
      lineChartSvg({ ...BASE, xScale: 'log', yScale: 'log', series: [series('c', points)] }),
    );
    const [a, b, c, d] = vertices(named(elements, 'path')[0]!);
    expect(b![0] - a![0]).toBeGreaterThan(100);
    expect(b![0] - a![0]).toBeCloseTo(c![0] - b![0], 1);
    expect(d![0] - c![0]).toBeCloseTo(c![0] - b![0], 1);
    expect(a![1] - b![1]).toBeCloseTo(b![1] - c![1], 1);
    expect(xTickLabels(elements).map((t) => t.value)).toEqual([1, 10, 100, 1000]);
    expect(yTickLabels(elements).map((t) => t.value)).toEqual([0.001, 0.01, 0.1, 1]);
    // 1-2-5 ticks when the data span under two decades, 2 between 1 and 5.
    const narrow = parseXml(
      lineChartSvg({
        ...BASE,
        xScale: 'log',
        series: [
          series('c', [
            [0.6, 0],
            [20, 1],
          ]),
        ],
      }),
    );
    const ticks = xTickLabels(narrow);
    expect(ticks.map((t) => t.value)).toEqual([0.5, 1, 2, 5, 10, 20]);
    expect(ticks[2]!.x - ticks[1]!.x).toBeCloseTo(
      (Math.log10(2) / Math.log10(10)) * (ticks[4]!.x - ticks[1]!.x),
      1,
    );
  });

  it('covers the data range with ticks on both axes, for linear and log scales', () => {
    const datasets: [number, number][][] = [
      [
        [-3.2, 0.004],
        [17.9, 0.0061],
      ],
      [
        [12000, -250],
        [16384, 1250],
      ],
      [
        [0.5, 97.53],
        [0.5, 98.71],
      ],
    ];
    for (const points of datasets) {
      for (const scale of ['linear', 'log'] as const) {
        const positive = scale === 'linear' || points.every(([x, y]) => x > 0 && y > 0);
        if (!positive) continue;
        const elements = parseXml(
          lineChartSvg({ ...BASE, xScale: scale, yScale: scale, series: [series('c', points)] }),
        );
        const xs = xTickLabels(elements).map((t) => t.value);
        const ys = yTickLabels(elements).map((t) => t.value);
        expect(Math.min(...xs)).toBeLessThanOrEqual(Math.min(...points.map(([x]) => x)));
        expect(Math.max(...xs)).toBeGreaterThanOrEqual(Math.max(...points.map(([x]) => x)));
        expect(Math.min(...ys)).toBeLessThanOrEqual(Math.min(...points.map(([, y]) => y)));
        expect(Math.max(...ys)).toBeGreaterThanOrEqual(Math.max(...points.map(([, y]) => y)));
        expect(xs.length).toBeGreaterThanOrEqual(2);
        expect(ys.length).toBeGreaterThanOrEqual(3);
      }
    }
  });

  it('writes compact tick labels', () => {
    const elements = parseXml(
      lineChartSvg({
        ...BASE,
        xScale: 'log',
        series: [
          series('c', [
            [1, 0],
            [16384, 0.002],
          ]),
        ],
      }),
    );
    const texts = named(elements, 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['1', '10', '100', '1k', '10k', '100k']));
    expect(texts).toEqual(expect.arrayContaining(['0', '0.0005', '0.001', '0.0015', '0.002']));
  });

  it('leaves out x labels that would overlap, keeping their ticks', () => {
    const elements = parseXml(
      lineChartSvg({
        ...BASE,
        width: 360,
        series: [
          series('c', [
            [1.1e-9, 0],
            [2.9e-9, 1],
          ]),
        ],
      }),
    );
    const tickMarks = named(elements, 'line').filter(
      (l) => l.attrs.stroke === '#333333' && l.attrs.x1 === l.attrs.x2,
    );
    const labels = xTickLabels(elements);
    expect(tickMarks.length).toBeGreaterThan(labels.length);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const label of labels) {
      expect(tickMarks.map((m) => Number(m.attrs.x1))).toContain(label.x);
    }
  });

  it('skips pairs with NaN or ±Infinity, breaking the line there', () => {
    const gappy = series('gappy', [
      [1, 1],
      [2, Number.NaN],
      [3, 3],
      [Number.POSITIVE_INFINITY, 4],
      [5, 5],
      [6, 6],
    ]);
    const elements = parseXml(lineChartSvg({ ...BASE, series: [gappy] }));
    const path = named(elements, 'path')[0]!;
    expect(subpaths(path).map((s) => s.length)).toEqual([1, 1, 2]);
    expect(named(elements, 'circle')).toHaveLength(4 + 1);
    // A series with no finite point is in the legend, with nothing drawn.
    const empty = series('all NaN', [[Number.NaN, 1]]);
    const both = parseXml(lineChartSvg({ ...BASE, series: [gappy, empty] }));
    expect(named(both, 'path')).toHaveLength(1);
    expect(named(both, 'text').map((t) => t.text)).toContain('all NaN');
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [empty, series('none', [])] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series has no point with finite x and y',
    );
  });

  it('refuses a value ≤ 0 on a log axis, naming the point', () => {
    const withZero = series('c', [
      [1, 1],
      [0, 2],
    ]);
    expectDescentError(
      () => lineChartSvg({ ...BASE, xScale: 'log', series: [withZero] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[0].points[1][0] must be > 0 on the log x axis',
      'got 0',
    );
    expect(() => lineChartSvg({ ...BASE, yScale: 'log', series: [withZero] })).not.toThrow();
    expectDescentError(
      () => lineChartSvg({ ...BASE, yScale: 'log', series: [withZero, series('d', [[1, -0.5]])] }),
      'BAD_ARGUMENT',
      'series[1].points[0][1] must be > 0 on the log y axis',
      '-0.5',
    );
  });

  it('escapes &, <, >, " and \' in every text', () => {
    const tricky = '<b>"x" & \'y\'</b>';
    const svg = lineChartSvg({
      ...BASE,
      title: 'Loss <&> "quotes"',
      subtitle: 'a & b',
      xLabel: 'x < 1',
      yLabel: 'y > 0',
      series: [series(tricky, [[0, 1]])],
    });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/b&gt;');
    const elements = parseXml(svg);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Loss <&> "quotes"', 'a & b', 'x < 1', 'y > 0', tricky]) {
      expect(texts).toContain(text);
    }
    expect(named(elements, 'title')[0]!.text).toBe('Loss <&> "quotes"');
  });

  it('shortens a legend name too long for the legend with …', () => {
    const long = 'a very long series name that will not fit into the legend column';
    const texts = named(chart({ series: [series(long, [[0, 1]])] }), 'text').map((t) => t.text);
    const shown = texts.find((t) => t.startsWith('a very long'))!;
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect([...shown].length).toBeLessThan(long.length);
  });

  it('is deterministic, with numbers rounded to 2 decimals, and honours width and height', () => {
    const options = { ...BASE, subtitle: 's', width: 800, height: 500 };
    const svg = lineChartSvg(options);
    expect(lineChartSvg(options)).toBe(svg);
    const elements = parseXml(svg);
    expect(elements[0]!.attrs.viewBox).toBe('0 0 800 500');
    const numeric = elements.flatMap((e) =>
      Object.entries(e.attrs)
        .filter(([k]) => /^(x|y|cx|cy|x1|x2|y1|y2|width|height)$/.test(k))
        .map(([, v]) => v),
    );
    const coordinates = named(elements, 'path').flatMap((p) => vertices(p).flat().map(String));
    expect(numeric.length).toBeGreaterThan(50);
    for (const v of [...numeric, ...coordinates]) expect(v).toMatch(/^-?\d+(\.\d{1,2})?$/);
    expect(named(elements, 'text').map((t) => t.text)).toContain('s');
    expect(named(chart(), 'text')).toHaveLength(named(elements, 'text').length - 1);
  });

  it('refuses bad options and bad series', () => {
    expectDescentError(() => lineChartSvg(undefined as never), 'BAD_ARGUMENT', 'lineChartSvg');
    const { title: _, ...untitled } = BASE;
    expectDescentError(
      () => lineChartSvg(untitled as never),
      'BAD_ARGUMENT',
      'lineChartSvg.title',
      'undefined',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, yLabel: 3 as never }),
      'BAD_ARGUMENT',
      'lineChartSvg.yLabel',
      'number 3',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, xScale: 'ln' as never }),
      'BAD_HYPERPARAM',
      'lineChartSvg.xScale',
      '"ln"',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, width: 100 }),
      'BAD_HYPERPARAM',
      'lineChartSvg.width',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, height: 300.5 }),
      'BAD_HYPERPARAM',
      'lineChartSvg.height',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, colour: 'red' } as never),
      'UNKNOWN_PARAM',
      '"colour"',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series must be a non-empty array',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [BASE.series[0]!, 'x' as never] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[1] must be a series',
    );
    expectDescentError(
      () =>
        lineChartSvg({ ...BASE, series: [{ name: 'c', points: [[0, 1]], colour: 'r' } as never] }),
      'UNKNOWN_PARAM',
      '"colour"',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [{ points: [[0, 1]] } as never] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[0].name',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', 'x' as never)] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[0].points must be an array',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', [[0, 1], [2] as never])] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[0].points[1] must be a pair [x, y] of numbers',
      'length 1',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', [[0, '1' as never]])] }),
      'BAD_ARGUMENT',
      'points[0] must be a pair',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', [[0, 1]], { style: 'bars' as never })] }),
      'BAD_HYPERPARAM',
      'lineChartSvg.series[0].style',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', [[0, 1]], { dashed: 1 as never })] }),
      'BAD_HYPERPARAM',
      'lineChartSvg.series[0].dashed',
    );
  });
});
