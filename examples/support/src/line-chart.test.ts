import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type ChartSeries, type LineChartOptions, lineChartSvg } from './line-chart';
import {
  type XmlElement as Element,
  descendants,
  named,
  parseXml,
  plotGroups,
  subpaths,
  translation,
} from './testing/parse-xml';

/** `'2.5k'` → 2500, `'1e-4'` → 0.0001, `'-0.5'` → −0.5. */
function parseLabel(label: string): number {
  const unit = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[label.slice(-1)];
  return unit === undefined ? Number(label) : Number(label.slice(0, -1)) * unit;
}

/** The figure's two panels: the chart (Plot's first nested svg) and the legend. */
function panels(elements: Element[]): { chart: Element[]; legend: Element[] } {
  const [chart, legend] = named(elements, 'svg').slice(1);
  return { chart: descendants(chart!), legend: descendants(legend!) };
}

/** Tick labels of an axis with their pixel position along it; unlabelled ticks left out. */
function tickLabels(chart: Element[], axis: 'x' | 'y'): { value: number; at: number }[] {
  const [group] = plotGroups(chart, `${axis}-axis tick label`);
  return named(descendants(group!), 'text')
    .filter((t) => t.text !== '')
    .map((t) => ({ value: parseLabel(t.text), at: translation(t)[axis === 'x' ? 0 : 1] }));
}

/** The `d` vertices of each line series, in series order. */
function lines(chart: Element[]): { stroke: string; dash?: string; paths: [number, number][][] }[] {
  return plotGroups(chart, 'line').map((g) => ({
    stroke: g.attrs.stroke!,
    dash: g.attrs['stroke-dasharray'],
    paths: subpaths(g.children[0]!.attrs.d!),
  }));
}

function dots(chart: Element[]): { fill: string; centres: [number, number][] }[] {
  return plotGroups(chart, 'dot').map((g) => ({
    fill: g.attrs.fill!,
    centres: g.children.map((c) => [Number(c.attrs.cx), Number(c.attrs.cy)] as [number, number]),
  }));
}

const series = (name: string, points: [number, number][], more: Partial<ChartSeries> = {}) => ({
  name,
  points,
  ...more,
});

const BASE: LineChartOptions = {
  title: 'Training loss',
  xLabel: 'step',
  yLabel: 'loss (nats)',
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
  it('is one standalone, well-formed SVG: white background, headings, chart and legend', () => {
    const svg = lineChartSvg({ ...BASE, subtitle: 'full batch' });
    const elements = parseXml(svg);
    expect(elements[0]!.attrs).toEqual({
      xmlns: 'http://www.w3.org/2000/svg',
      width: '720',
      height: '440',
      viewBox: '0 0 720 440',
      'font-family': 'sans-serif',
    });
    expect(named(elements, 'rect')[0]!.attrs).toMatchObject({
      width: '720',
      height: '440',
      fill: 'white',
    });
    expect(named(elements, 'title')[0]!.text).toBe('Training loss');
    expect(named(elements, 'script')).toEqual([]);
    expect(named(elements, 'foreignObject')).toEqual([]);
    expect(svg).not.toMatch(/href|@import|on\w+="/);
    expect(svg.match(/http/g)).toHaveLength(1);
    // Chart and legend are nested svgs drawn by Plot, side by side under the headings.
    const nested = named(elements, 'svg').slice(1);
    expect(nested).toHaveLength(2);
    expect(nested.map((s) => s.attrs.class)).toEqual([
      expect.stringMatching(/^plot-/),
      expect.stringMatching(/^plot-/),
    ]);
    const [chartPanel, legendPanel] = nested;
    expect(Number(chartPanel!.attrs.x) + Number(chartPanel!.attrs.width)).toBe(
      Number(legendPanel!.attrs.x),
    );
    expect(Number(legendPanel!.attrs.x) + Number(legendPanel!.attrs.width)).toBe(720);
    expect(Number(chartPanel!.attrs.y) + Number(chartPanel!.attrs.height)).toBe(440);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Training loss', 'full batch', 'step', 'loss (nats)']) {
      expect(texts).toContain(text);
    }
  });

  it('names every series in the legend, in order, with its colour, dash and marker', () => {
    const { legend } = panels(chart());
    expect(named(legend, 'text').map((t) => t.text)).toEqual(['network', 'prediction', 'test']);
    const rules = plotGroups(legend, 'rule');
    expect(rules.map((r) => [r.attrs.stroke, r.attrs['stroke-dasharray']])).toEqual([
      ['#0072B2', undefined],
      ['#D55E00', '6 4'],
    ]);
    expect(plotGroups(legend, 'dot').map((d) => d.attrs.fill)).toEqual(['#0072B2', '#009E73']);
    // Rows 20 px apart, top to bottom.
    const rows = named(legend, 'text').map((t) => translation(t)[1]);
    expect(rows[1]! - rows[0]!).toBe(20);
    expect(rows[2]! - rows[1]!).toBe(20);
  });

  it('draws a path per line series and a circle per point, in palette colours', () => {
    const { chart: plot } = panels(chart());
    const drawn = lines(plot);
    expect(drawn.map((l) => [l.stroke, l.dash])).toEqual([
      ['#0072B2', undefined],
      ['#D55E00', '6 4'],
    ]);
    expect(drawn.map((l) => l.paths.flat().length)).toEqual([4, 2]);
    expect(dots(plot).map((d) => [d.fill, d.centres.length])).toEqual([
      ['#0072B2', 4],
      ['#009E73', 3],
    ]);
    // The markers sit on the line's vertices.
    expect(dots(plot)[0]!.centres).toEqual(drawn[0]!.paths[0]);
  });

  it('cycles through the 7 colours of the palette', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      series(`s${i}`, [[i, i + 1]], { style: 'points' }),
    );
    expect(dots(panels(chart({ series: many })).chart).map((d) => d.fill)).toEqual([
      '#0072B2',
      '#D55E00',
      '#009E73',
      '#CC79A7',
      '#E69F00',
      '#56B4E9',
      '#000000',
      '#0072B2',
    ]);
  });

  it('covers the data with round linear ticks and puts points at their ticks', () => {
    const { chart: plot } = panels(chart());
    const xTicks = tickLabels(plot, 'x');
    const yTicks = tickLabels(plot, 'y');
    expect(xTicks[0]!.value).toBeLessThanOrEqual(0);
    expect(xTicks.at(-1)!.value).toBeGreaterThanOrEqual(30);
    expect(yTicks[0]!.value).toBeLessThanOrEqual(0.2);
    expect(yTicks.at(-1)!.value).toBeGreaterThanOrEqual(1);
    // x = 0, 10, 20, 30 are ticks: the vertices sit exactly there; equal steps, equal pixels.
    const [vertices] = lines(plot)[0]!.paths;
    for (const [x] of vertices!) {
      const value = [0, 10, 20, 30][vertices!.findIndex((v) => v[0] === x)]!;
      expect(x).toBeCloseTo(xTicks.find((t) => t.value === value)!.at, 1);
    }
    // y = 0.5 is a tick; y grows upwards.
    expect(vertices![1]![1]).toBeCloseTo(yTicks.find((t) => t.value === 0.5)!.at, 1);
    expect(vertices![0]![1]).toBeLessThan(vertices![3]![1]);
    // Labels are compact: 0.2, not 0.20000000000000001.
    for (const t of named(plot, 'text')) expect(t.text.length).toBeLessThan(12);
  });

  it('spaces a log axis by decades and ticks it at powers of ten', () => {
    const decades = series('c', [
      [1, 1e-4],
      [10, 1e-3],
      [100, 1e-2],
      [1000, 1e-1],
    ]);
    const { chart: plot } = panels(chart({ xScale: 'log', yScale: 'log', series: [decades] }));
    const [vertices] = lines(plot)[0]!.paths;
    const xs = vertices!.map(([x]) => x);
    const ys = vertices!.map(([, y]) => y);
    expect(xs[1]! - xs[0]!).toBeCloseTo(xs[2]! - xs[1]!, 1);
    expect(xs[3]! - xs[2]!).toBeCloseTo(xs[2]! - xs[1]!, 1);
    expect(ys[0]! - ys[1]!).toBeCloseTo(ys[1]! - ys[2]!, 1);
    // Every decade is labelled (with some ticks between them where there is room).
    const xTicks = tickLabels(plot, 'x');
    const powers = xTicks.filter((t) => Number.isInteger(Math.log10(t.value)));
    expect(powers.map((t) => t.value)).toEqual([1, 10, 100, 1000]);
    expect(powers.map((t) => t.at)).toEqual(xs);
    expect(tickLabels(plot, 'y').map((t) => t.value)).toEqual(
      expect.arrayContaining([1e-4, 1e-3, 0.01, 0.1]),
    );
    // Labels: 1k, 1e-4.
    const texts = named(plot, 'text').map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['1k', '1e-4', '0.001']));
  });

  it('leaves out pairs with NaN or ±Infinity, breaking the line there', () => {
    const gappy = series('c', [
      [0, 1],
      [1, 2],
      [2, Number.NaN],
      [3, 3],
      [Number.POSITIVE_INFINITY, 1],
      [5, 2],
      [6, 1],
    ]);
    const { chart: plot } = panels(chart({ series: [gappy] }));
    const [line] = lines(plot);
    expect(line!.paths.map((p) => p.length)).toEqual([2, 1, 2]);
    expect(dots(plot)[0]!.centres).toHaveLength(5);
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [series('c', [[Number.NaN, 1]])] }),
      'BAD_ARGUMENT',
      'no point with finite x and y',
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

  it('draws a band from low to high in the series colour, translucent', () => {
    const banded = series(
      'mean',
      [
        [0, 2],
        [1, 3],
        [2, 2.5],
      ],
      {
        band: [
          [0, 1.5, 2.5],
          [1, 2, 4],
          [2, Number.NaN, 3],
          [2, 2, 3],
        ],
      },
    );
    const { chart: plot } = panels(chart({ series: [BASE.series[0]!, banded] }));
    const [area] = plotGroups(plot, 'area');
    expect(area!.attrs).toMatchObject({ fill: '#D55E00', 'fill-opacity': '0.18' });
    const outline = subpaths(area!.children[0]!.attrs.d!)[0]!;
    // Three triples kept: along the highs, then back along the lows.
    expect(outline).toHaveLength(6);
    const [mean] = lines(plot).slice(1);
    mean!.paths[0]!.forEach(([x, y], i) => {
      expect(outline[i]![0]).toBeCloseTo(x, 1);
      expect(outline[i]![1]).toBeLessThan(y);
      expect(outline[5 - i]![1]).toBeGreaterThan(y);
    });
    expectDescentError(
      () => lineChartSvg({ ...BASE, series: [{ ...banded, band: [[0, 1]] as never }] }),
      'BAD_ARGUMENT',
      'lineChartSvg.series[0].band[0] must be a triple [x, low, high]',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, yScale: 'log', series: [{ ...banded, band: [[0, 0, 1]] }] }),
      'BAD_ARGUMENT',
      'band[0][1] must be > 0 on the log y axis',
    );
  });

  it('reverses the x axis and puts ticks where asked', () => {
    const densities = [1, 0.8, 0.64, 0.512];
    const curve = series(
      'c',
      densities.map((d, i) => [100 * d, 90 + i]),
    );
    const { chart: plot } = panels(
      chart({ series: [curve], xScale: 'log', xReverse: true, xTicks: [100, 80, 64, 51.2] }),
    );
    const xs = lines(plot)[0]!.paths[0]!.map(([x]) => x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]!);
    const ticks = tickLabels(plot, 'x');
    expect(ticks.map((t) => t.value)).toEqual([100, 80, 64, 51.2]);
    expect(ticks.map((t) => t.at)).toEqual(xs);
    expectDescentError(
      () => lineChartSvg({ ...BASE, xTicks: [0, Number.NaN] }),
      'BAD_ARGUMENT',
      'lineChartSvg.xTicks must be an array of finite numbers',
    );
    expectDescentError(
      () => lineChartSvg({ ...BASE, xReverse: 'yes' as never }),
      'BAD_HYPERPARAM',
      'lineChartSvg.xReverse',
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
    expect(svg).toContain('&lt;b&gt;"x" &amp; \'y\'&lt;/b&gt;');
    const elements = parseXml(svg);
    const texts = named(elements, 'text').map((t) => t.text);
    for (const text of ['Loss <&> "quotes"', 'a & b', 'x < 1', 'y > 0', tricky]) {
      expect(texts).toContain(text);
    }
    expect(named(elements, 'title')[0]!.text).toBe('Loss <&> "quotes"');
  });

  it('shortens a legend name too long for the legend with …', () => {
    const long = 'a very long series name that will not fit into the legend column';
    const { legend } = panels(chart({ series: [series(long, [[0, 1]])] }));
    const shown = named(legend, 'text')[0]!.text;
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect([...shown].length).toBeLessThan(long.length);
  });

  it('is deterministic, with coordinates rounded to 2 decimals, and honours width and height', () => {
    const options = { ...BASE, subtitle: 's', width: 800, height: 500 };
    const svg = lineChartSvg(options);
    expect(lineChartSvg(options)).toBe(svg);
    const elements = parseXml(svg);
    expect(elements[0]!.attrs.viewBox).toBe('0 0 800 500');
    const numbers = elements.flatMap((e) =>
      ['x', 'y', 'cx', 'cy', 'x1', 'x2', 'y1', 'y2', 'd', 'transform'].flatMap(
        (k) => e.attrs[k]?.match(/-?\d+(\.\d+)?/g) ?? [],
      ),
    );
    expect(numbers.length).toBeGreaterThan(100);
    for (const v of numbers) expect(v).toMatch(/^-?\d+(\.\d{1,2})?$/);
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
