import { lineChartSvg } from '@descent/example-support';
import { type XmlElement, parseXml } from '@descent/example-support/testing';
import { describe, expect, it } from 'vitest';
import type { TourRun } from '../run-tour';
import type { SectionResult } from '../section';
import { formatDate, formatDuration, renderReportHtml } from './html';
import { numberRows } from './numbers-table';

const chart = (title: string) =>
  lineChartSvg({
    title,
    xLabel: 'step',
    yLabel: 'loss',
    series: [
      {
        name: 'a',
        points: [
          [1, 2],
          [2, 1],
        ],
      },
    ],
  });

const section = (
  id: SectionResult['id'],
  title: string,
  reproduced: boolean,
  figures: number,
): SectionResult => ({
  id,
  title,
  claim: `The claim of ${id}`,
  paper: 'Sun (2019), §4',
  setup: 'a net & some data',
  reproduced,
  evidence: `loss < 0.5 for ${id}`,
  numbers: { ratio: 4.123456, curve: [1, 2, 3], runs: [{ stable: true }], missing: null },
  figures: Array.from({ length: figures }, (_, i) => ({
    caption: `Figure ${i + 1} of ${id}`,
    svg: chart(`Chart ${i + 1} of ${id}`),
  })),
  seconds: 12.34,
});

const run: TourRun = {
  seed: 5,
  backend: 'webgpu',
  adapter: 'nvidia <hopper>',
  quick: true,
  startedAt: '2026-01-02T03:04:05.000Z',
  seconds: 75.2,
  results: [
    section('convergence', 'Signals <survive> & train', true, 2),
    section('ntk', 'Wide "nets" are linear', false, 1),
  ],
};

/** The elements of the page, parsed as XML (the doctype aside). */
function parse(html: string): XmlElement[] {
  expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
  return parseXml(html.slice('<!DOCTYPE html>\n'.length));
}

/** The elements inside the first element named `name` with attribute `id`. */
function inside(elements: XmlElement[], id: string): XmlElement[] {
  const start = elements.findIndex((e) => e.name === 'article' && e.attrs.id === id);
  const end = elements.findIndex((e, i) => i > start && e.name === 'article');
  return elements.slice(start, end < 0 ? undefined : end);
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(run);
  const elements = parse(html);

  it('is well-formed, self-contained, script-free', () => {
    expect(elements[0]!.name).toBe('html');
    expect(elements.some((e) => e.name === 'script')).toBe(false);
    const external = elements.flatMap((e) =>
      Object.entries(e.attrs).filter(
        ([k, v]) => (k === 'src' || k === 'href') && !v.startsWith('#'),
      ),
    );
    expect(external).toEqual([]);
    expect(elements.filter((e) => e.name === 'style').length).toBeGreaterThanOrEqual(1);
  });

  it('has the header with backend, seed, date, mode and total time', () => {
    const dd = elements.filter((e) => e.name === 'dd').map((e) => e.text);
    expect(dd.slice(0, 6)).toEqual([
      'webgpu (nvidia <hopper>)',
      '5',
      '2026-01-02 03:04 UTC',
      'quick (smaller settings)',
      '1 min 15 s',
      '1 of 2 claims reproduced',
    ]);
  });

  it('summarizes every claim with its verdict and evidence', () => {
    const rows = elements.filter((e) => e.name === 'tr');
    const summaryLinks = elements.filter((e) => e.name === 'a').map((e) => [e.attrs.href, e.text]);
    expect(summaryLinks).toEqual([
      ['#convergence', 'Signals <survive> & train'],
      ['#ntk', 'Wide "nets" are linear'],
    ]);
    expect(rows.length).toBeGreaterThan(3);
    const cells = elements.filter((e) => e.name === 'td').map((e) => e.text);
    expect(cells).toContain('loss < 0.5 for convergence');
  });

  it('has an article per section: title, verdict, fields, figures, numbers', () => {
    for (const r of run.results) {
      const a = inside(elements, r.id);
      expect(a.find((e) => e.name === 'h2')!.text).toBe(r.title);
      const badge = a.find((e) => e.name === 'span' && e.attrs.class?.startsWith('badge'))!;
      expect(badge.text).toBe(r.reproduced ? '✓ reproduced' : '✗ not reproduced');
      expect(a.filter((e) => e.name === 'dd').map((e) => e.text)).toEqual([
        r.claim,
        r.paper,
        r.setup,
        r.evidence,
      ]);
      expect(a.filter((e) => e.name === 'figure')).toHaveLength(r.figures.length);
      expect(a.filter((e) => e.name === 'figcaption').map((e) => e.text)).toEqual(
        r.figures.map((f) => f.caption),
      );
      const svgTitles = a.filter((e) => e.name === 'title').map((e) => e.text);
      expect(svgTitles).toEqual(r.figures.map((_, i) => `Chart ${i + 1} of ${r.id}`));
      expect(a.find((e) => e.name === 'summary')!.text).toBe('Numbers (4)');
      const values = a
        .filter((e) => e.name === 'td' && e.attrs.class === 'number')
        .map((e) => e.text);
      expect(values).toEqual(['4.123', '[1, 2, 3]', 'true', '—']);
    }
  });
});

describe('the numbers table', () => {
  it('flattens nested numbers into paths and cuts long lists', () => {
    expect(
      numberRows({
        a: { b: 1.23456789, c: [1, null] },
        runs: [{ lr: 0.1 }, { lr: 1 }],
        long: Array.from({ length: 20 }, (_, i) => i),
        flag: false,
      }),
    ).toEqual([
      ['a.b', '1.235'],
      ['a.c', '[1, —]'],
      ['runs[0].lr', '0.1'],
      ['runs[1].lr', '1'],
      ['long', '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (20 values)]'],
      ['flag', 'false'],
    ]);
  });

  it('formats dates and durations', () => {
    expect(formatDate('2026-12-06T05:10:59.900Z')).toBe('2026-12-06 05:10 UTC');
    expect(formatDuration(41.26)).toBe('41.3 s');
    expect(formatDuration(372.4)).toBe('6 min 12 s');
  });
});
