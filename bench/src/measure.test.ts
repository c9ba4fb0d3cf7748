import { describe, expect, it } from 'vitest';
import { median } from './measure';
import { formatTable } from './table';

describe('bench helpers', () => {
  it('median takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it('formats a row with the speedup and the share of copy bandwidth, best against best', () => {
    const table = formatTable([
      {
        name: 'x',
        backend: 'wasm',
        descentMs: 0.5,
        baselineMs: 2,
        speedup: 4,
        elementsPerSecond: 2e9,
        gigabytesPerSecond: 24,
        bestGigabytesPerSecond: 30,
        copyGigabytesPerSecond: 40,
      },
    ]);
    expect(table.split('\n')[2]).toBe(
      '| x | wasm | 0.500 | 2.000 | 4.00× | 2.00G | 24.00 | 30.00 | 75 % |',
    );
  });
});
