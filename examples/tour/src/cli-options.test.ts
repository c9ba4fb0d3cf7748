import { describe, expect, it } from 'vitest';
import { parseTourArgs } from './cli-options';

const parse = (...argv: string[]) => parseTourArgs(argv, '/home/me/project');
const options = (...argv: string[]) => {
  const parsed = parse(...argv);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.options;
};
const error = (...argv: string[]) => {
  const parsed = parse(...argv);
  if (parsed.ok) throw new Error('expected an error');
  return parsed.error;
};

describe('parseTourArgs', () => {
  it('defaults: full, every section, seed 1, tour-report/ in the base folder, automatic backend', () => {
    expect(options()).toEqual({
      quick: false,
      only: ['convergence', 'normalization', 'algorithms', 'lottery', 'ntk', 'landscape'],
      seed: 1,
      out: '/home/me/project/tour-report',
      backend: null,
      open: true,
      help: false,
    });
  });

  it('reads every flag; --only keeps the tour order and drops duplicates', () => {
    const o = options(
      '--quick',
      '--only',
      'ntk, lottery,ntk',
      '--seed',
      '42',
      '--out',
      'r',
      '--backend',
      'cpu',
    );
    expect(o.quick).toBe(true);
    expect(o.only).toEqual(['lottery', 'ntk']);
    expect(o.seed).toBe(42);
    expect(o.out).toBe('/home/me/project/r');
    expect(o.backend).toBe('cpu');
    expect(options('--out=/tmp/x', '--seed=0').out).toBe('/tmp/x');
    expect(options('--seed=0').seed).toBe(0);
    expect(options('--help').help).toBe(true);
    expect(options('--no-open').open).toBe(false);
  });

  it('an unknown section is one line listing the sections', () => {
    const e = error('--only', 'lottery,nkt');
    expect(e).toBe(
      "--only: unknown section 'nkt'; the sections are: convergence, normalization, algorithms, lottery, ntk, landscape",
    );
    expect(error('--only', ',')).toContain('the sections are');
  });

  it('refuses a seed that is not a non-negative integer', () => {
    for (const bad of ['-1', '1.5', 'abc', '', '1e3', '9007199254740993']) {
      expect(error(`--seed=${bad}`)).toContain('--seed must be a non-negative integer');
    }
  });

  it('refuses an unknown backend, an unknown flag, a stray argument', () => {
    expect(error('--backend', 'tpu')).toBe(
      'unknown backend "tpu"; the backends are: wasm, webgpu, cpu',
    );
    for (const e of [error('--fast'), error('report'), error('--quick=yes')]) {
      expect(e).not.toContain('\n');
      expect(e).toMatch(/see --help/);
    }
  });
});
