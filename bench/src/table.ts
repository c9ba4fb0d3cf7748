import type { BenchResult } from './bench-case';

const fixed = (value: number, digits: number) => value.toFixed(digits);
const si = (value: number) => {
  const units = ['', 'k', 'M', 'G', 'T'];
  let v = value;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)}${units[i]}`;
};

/**
 * A Markdown table of measured rows, the format the READMEs quote. "GB/s" is from the median
 * sample; "% of copy" compares descent's best sample with the best copy taken between the same
 * case's samples (best with best, under the same load).
 */
export function formatTable(results: readonly BenchResult[]): string {
  const header = [
    'case',
    'backend',
    'descent ms',
    'baseline ms',
    'speedup',
    'elements/s',
    'GB/s',
    'best GB/s',
    '% of copy',
  ];
  const rows = results.map((r) => [
    r.name,
    r.backend,
    fixed(r.descentMs, 3),
    fixed(r.baselineMs, 3),
    `${fixed(r.speedup, 2)}×`,
    si(r.elementsPerSecond),
    fixed(r.gigabytesPerSecond, 2),
    fixed(r.bestGigabytesPerSecond, 2),
    `${fixed((100 * r.bestGigabytesPerSecond) / r.copyGigabytesPerSecond, 0)} %`,
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
