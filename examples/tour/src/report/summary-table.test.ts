import { describe, expect, it } from 'vitest';
import type { TourRun } from '../run-tour';
import type { SectionResult } from '../section';
import { reproducedCount, shorten, summaryTable } from './summary-table';

const result = (id: SectionResult['id'], reproduced: boolean, seconds: number): SectionResult => ({
  id,
  title: `The ${id} claim`,
  claim: 'c',
  paper: 'p',
  setup: 's',
  reproduced,
  evidence: `Measured ${id}:\n a long sentence that goes on and on well past the width of the evidence column.`,
  numbers: {},
  figures: [],
  seconds,
});

const run: TourRun = {
  seed: 1,
  backend: 'wasm',
  quick: false,
  startedAt: '2026-01-02T03:04:05.000Z',
  seconds: 60,
  results: [result('convergence', true, 48.06), result('ntk', false, 9)],
};

describe('summaryTable', () => {
  it('has a row per section: id, title, cut evidence, verdict, seconds', () => {
    const lines = summaryTable(run).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^section +\| claim +\| evidence +\| ✓\/✗ \| seconds$/);
    const cells = lines[2]!.split(' | ').map((c) => c.trim());
    expect(cells).toEqual([
      'convergence',
      'The convergence claim',
      'Measured convergence: a long sentence that goes on and on well…',
      '✓',
      '48.1',
    ]);
    expect(lines[3]!.split(' | ').map((c) => c.trim())[3]).toBe('✗');
    expect(lines[3]!.endsWith('9.0')).toBe(true);
  });

  it('counts the reproduced claims', () => {
    expect(reproducedCount(run.results)).toBe('1 of 2 claims reproduced');
    expect(reproducedCount([run.results[0]!])).toBe('1 of 1 claim reproduced');
  });

  it('shortens to the width in code points', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('abcdefghij', 10)).toBe('abcdefghij');
    expect(shorten('abcdefghijk', 10)).toBe('abcdefghi…');
    expect([...shorten('σ²'.repeat(20), 9)]).toHaveLength(9);
  });
});
