import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import type { Curve } from './curves';
import { renderTable } from './table';

const DENSITIES = [1, 0.8, 0.64];
const curve = (name: string, accuracies: number[][]): Curve => ({
  name,
  points: accuracies.map((a, r) => ({ density: DENSITIES[r]!, accuracies: a })),
});
const CURVES = [
  curve('winning ticket', [
    [0.975, 0.978, 0.981],
    [0.98, 0.982, 0.984],
    [0.979, 0.98, 0.981],
  ]),
  curve('random reinit', [
    [0.975, 0.978, 0.981],
    [0.97, 0.972, 0.974],
    [0.96, 0.965, 0.97],
  ]),
];

describe('renderTable', () => {
  it('writes one row per round with density and mean ± std per curve', () => {
    expect(renderTable(CURVES).split('\n')).toEqual([
      'round | density % | winning ticket |  random reinit',
      '------+-----------+----------------+---------------',
      '    0 |     100.0 | 97.80 ± 0.30 % | 97.80 ± 0.30 %',
      '    1 |      80.0 | 98.20 ± 0.20 % | 97.20 ± 0.20 %',
      '    2 |      64.0 | 98.00 ± 0.10 % | 96.50 ± 0.50 %',
    ]);
  });

  it('aligns every column separator and pads to the widest cell', () => {
    const named = [CURVES[0]!, { ...CURVES[1]!, name: 'random pruning (per layer)' }];
    const lines = renderTable(named).split('\n');
    const bars = (line: string) => [...line].flatMap((c, i) => (c === '|' || c === '+' ? [i] : []));
    for (const line of lines) expect(bars(line)).toEqual([6, 18, 35]);
    expect(new Set(lines.map((l) => [...l].length))).toEqual(new Set([63]));
    expect(lines[2]).toBe('    0 |     100.0 | 97.80 ± 0.30 % |             97.80 ± 0.30 %');
  });

  it('puts the title above, drops ± for one seed and leaves missing rounds blank', () => {
    const oneSeed: Curve = {
      name: 'dense',
      points: [
        { density: 1, accuracies: [0.9812] },
        { density: 0.211, accuracies: [0.9] },
      ],
    };
    const short: Curve = { name: 'short', points: [{ density: 1, accuracies: [0.5] }] };
    expect(renderTable([oneSeed, short], { title: 'LeNet-300-100' }).split('\n')).toEqual([
      'LeNet-300-100',
      'round | density % |   dense |   short',
      '------+-----------+---------+--------',
      '    0 |     100.0 | 98.12 % | 50.00 %',
      '    1 |      21.1 | 90.00 % |',
    ]);
  });

  it('refuses bad curves and options', () => {
    expectDescentError(() => renderTable([]), 'BAD_ARGUMENT', 'renderTable: curves');
    expectDescentError(() => renderTable(CURVES, 'x' as never), 'BAD_ARGUMENT', 'renderTable');
    expectDescentError(
      () => renderTable(CURVES, { title: 3 as never }),
      'BAD_ARGUMENT',
      'renderTable.title',
      'number 3',
    );
    expectDescentError(
      () => renderTable(CURVES, { titel: 'x' } as never),
      'UNKNOWN_PARAM',
      '"titel"',
    );
  });
});
