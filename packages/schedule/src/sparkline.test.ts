import { describe, expect, it } from 'vitest';
import { cyclic } from './cyclic';
import { sample } from './sample';
import { sparkline, sparklineSvg } from './sparkline';
import { expectDescentError } from '@descent/core/testing';

describe('sparkline', () => {
  it('draws one character per value, scaled to the range', () => {
    expect(sparkline(sample(cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 4 }), 9))).toBe(
      '▁▃▅▆█▆▅▃▁',
    );
    expect(sparkline([0, 1, 2], { chars: '_.-~^' })).toBe('_-^');
    expect(sparkline([0, 5, 10], { min: 0, max: 20, chars: '0123' })).toBe('012');
    expect(sparkline([3, 3, 3], { chars: 'ab' })).toBe('bbb');
    expect(sparkline([])).toBe('');
  });

  it('rejects non-finite values and too few characters', () => {
    expectDescentError(() => sparkline([1, Number.NaN]), 'NON_FINITE', 'values[1]');
    expectDescentError(() => sparkline([1], { chars: 'x' }), 'BAD_ARGUMENT', 'chars');
  });
});

describe('sparklineSvg', () => {
  it('writes a standalone SVG polyline spanning the box', () => {
    const svg = sparklineSvg([0, 1, 0.5], {
      width: 100,
      height: 20,
      strokeWidth: 2,
      stroke: '#c00',
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="20"')).toBe(
      true,
    );
    expect(svg).toContain('stroke="#c00"');
    expect(svg).toContain('points="0,19 50,1 100,10"');
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(sparklineSvg([1])).toContain('points="100,20"');
  });

  it('escapes the stroke and validates sizes', () => {
    expect(sparklineSvg([0, 1], { stroke: '"><script>' })).toContain(
      'stroke="&quot;&gt;&lt;script&gt;"',
    );
    expectDescentError(() => sparklineSvg([0, 1], { width: 0 }), 'BAD_HYPERPARAM', 'width');
    expectDescentError(
      () => sparklineSvg([0, Number.POSITIVE_INFINITY]),
      'NON_FINITE',
      'values[1]',
    );
  });
});
