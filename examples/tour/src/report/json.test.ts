import { describe, expect, it } from 'vitest';
import type { TourRun } from '../run-tour';
import { renderReportJson, reportJson } from './json';

const run: TourRun = {
  seed: 3,
  backend: 'webgpu',
  adapter: 'google swiftshader',
  quick: true,
  startedAt: '2026-01-02T03:04:05.000Z',
  seconds: 12.5,
  results: [
    {
      id: 'ntk',
      title: 'Wide nets are linear',
      claim: 'claim',
      paper: 'paper',
      setup: 'setup',
      reproduced: false,
      evidence: 'evidence',
      numbers: { loss: [1, 0.5], nested: { ratio: 4 } },
      figures: [{ caption: 'c', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }],
      seconds: 12.25,
    },
  ],
};

describe('report.json', () => {
  it('holds the settings and every section without its figures', () => {
    expect(reportJson(run)).toEqual({
      seed: 3,
      backend: 'webgpu',
      adapter: 'google swiftshader',
      quick: true,
      startedAt: '2026-01-02T03:04:05.000Z',
      seconds: 12.5,
      sections: [
        {
          id: 'ntk',
          title: 'Wide nets are linear',
          claim: 'claim',
          paper: 'paper',
          setup: 'setup',
          reproduced: false,
          evidence: 'evidence',
          numbers: { loss: [1, 0.5], nested: { ratio: 4 } },
          seconds: 12.25,
        },
      ],
    });
    expect(renderReportJson(run)).not.toContain('<svg');
  });

  it('round-trips, with non-finite numbers as null and no adapter when there is none', () => {
    const { adapter: _, ...withoutAdapter } = run;
    const odd = {
      ...withoutAdapter,
      results: [
        { ...run.results[0]!, numbers: { a: Number.NaN, b: [1, Number.POSITIVE_INFINITY] } },
      ],
    };
    const text = renderReportJson(odd);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(parsed).not.toHaveProperty('adapter');
    expect(parsed.sections[0].numbers).toEqual({ a: null, b: [1, null] });
    expect(JSON.parse(renderReportJson(run))).toEqual(reportJson(run));
    expect(reportJson({ ...run, only: ['ntk'] }).only).toEqual(['ntk']);
    expect(reportJson(run)).not.toHaveProperty('only');
  });
});
