import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReport } from './check-report';
import { renderReportHtml } from './report/html';
import { renderReportJson } from './report/json';
import type { TourRun } from './run-tour';
import { SECTION_IDS, type SectionId, type SectionResult } from './section';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const result = (id: SectionId): SectionResult => ({
  id,
  title: `Claim of ${id} <&>`,
  claim: 'c',
  paper: 'p',
  setup: 's',
  reproduced: id !== 'ntk',
  evidence: `evidence of ${id}`,
  numbers: { nested: { values: [Number.NaN, 0.5] } },
  figures: [],
  seconds: 1,
});

const run = (ids: readonly SectionId[], only?: SectionId[]): TourRun => ({
  seed: 1,
  backend: 'wasm',
  quick: true,
  ...(only === undefined ? {} : { only }),
  startedAt: '2026-01-02T03:04:05.000Z',
  seconds: 6,
  results: ids.map(result),
});

const dirs: string[] = [];
function written(tour: TourRun, edit: (json: Record<string, unknown>) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'tour-check-'));
  dirs.push(dir);
  const json = JSON.parse(renderReportJson(tour));
  edit(json);
  writeFileSync(join(dir, 'report.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'report.html'), renderReportHtml(tour));
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('checkReport', () => {
  it('accepts a complete report, and an --only subset it records', () => {
    expect(checkReport(written(run(SECTION_IDS)))).toEqual([]);
    expect(checkReport(written(run(['lottery', 'ntk'], ['lottery', 'ntk'])))).toEqual([]);
  });

  it('names missing files and a missing or duplicated section', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tour-check-'));
    dirs.push(empty);
    expect(checkReport(empty)).toEqual([
      `${join(empty, 'report.json')} is missing`,
      `${join(empty, 'report.html')} is missing`,
    ]);
    expect(checkReport(written(run(['convergence', 'normalization'])))).toEqual([
      'report.json has 0 sections with id "algorithms", expected 1',
      'report.json has 0 sections with id "lottery", expected 1',
      'report.json has 0 sections with id "ntk", expected 1',
      'report.json has 0 sections with id "landscape", expected 1',
    ]);
    const twice = written(run(['ntk', 'ntk'], ['ntk']));
    expect(checkReport(twice)).toEqual(['report.json has 2 sections with id "ntk", expected 1']);
  });

  it('names a bad verdict, empty evidence, numbers without a finite number, a title not in the HTML', () => {
    const dir = written(run(['ntk'], ['ntk']), (json) => {
      const [s] = json.sections as Record<string, unknown>[];
      s!.reproduced = 'yes';
      s!.evidence = ' ';
      s!.numbers = { a: null, b: ['x'] };
      s!.title = 'A title the page does not have';
    });
    expect(checkReport(dir)).toEqual([
      'section ntk: reproduced is not a boolean',
      'section ntk: evidence is empty',
      'section ntk: numbers holds no finite number',
      'section ntk: report.html does not hold its title "A title the page does not have"',
    ]);
  });

  it('runs as a CLI: exit 0 on a complete report, 1 naming the problem otherwise', async () => {
    const run_ = promisify(execFile);
    const cli = (dir: string) =>
      run_('pnpm', ['exec', 'tsx', '--conditions=@descent/source', 'src/check-report.ts', dir], {
        cwd: root,
        env: { ...process.env, INIT_CWD: root },
      });
    const good = await cli(written(run(SECTION_IDS)));
    expect(good.stdout).toContain('complete');
    const bad = written(run(['ntk'], ['ntk']), (json) => {
      (json.sections as Record<string, unknown>[])[0]!.evidence = '';
    });
    await expect(cli(bad)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('section ntk: evidence is empty'),
    });
  }, 60_000);
});
