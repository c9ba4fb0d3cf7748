import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { murmur3x86x32, utf8 } from './murmur3';
import { philox4x32x10 } from './philox';
import { RNG_ALGORITHM, Rng, type RngState } from './rng';

const hex = (words: ArrayLike<number>) =>
  Array.from(words, (w) => `0x${w.toString(16).padStart(8, '0')}`);

function words(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return { min, max };
}

function meanAndVariance(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, variance: squares / values.length };
}

/** Pearson's χ² of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDescentError(e) ? e.code : `not a DescentError: ${String(e)}`;
  }
  return undefined;
}

describe('philox4x32x10', () => {
  // Known-answer vectors of Random123 (D. E. Shaw Research), file tests/kat_vectors, the three
  // "philox4x32 10" lines: counter (4 words), key (2 words), expected output (4 words).
  const kat: [number[], number[], number[]][] = [
    [
      [0, 0, 0, 0],
      [0, 0],
      [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
    ],
    [
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0xffffffff, 0xffffffff],
      [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
    ],
    [
      [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
      [0xa4093822, 0x299f31d0],
      [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
    ],
  ];

  it.each(kat)('matches the Random123 known answer for counter %j, key %j', (ctr, key, want) => {
    const out = new Uint32Array(4);
    philox4x32x10(ctr[0]!, ctr[1]!, ctr[2]!, ctr[3]!, key[0]!, key[1]!, out);
    expect(hex(out)).toEqual(hex(want));
  });
});

describe('murmur3x86x32', () => {
  // Reference outputs of Austin Appleby's MurmurHash3_x86_32 (SMHasher) on UTF-8 input, the
  // table reproduced in the test suites of many independent ports.
  const vectors: [string, number, number][] = [
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['test', 0, 0xba6bd213],
    ['test', 0x9747b28c, 0x704b81dc],
    ['Hello, world!', 0, 0xc0363e43],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ];

  it.each(vectors)('hashes %j with seed %i', (text, seed, want) => {
    expect(murmur3x86x32(utf8(text), seed)).toBe(want);
  });
});

describe('Rng known values', () => {
  it('seed 0 starts with the Random123 all-zero known answer (key 0, counter 0)', () => {
    expect(hex(words(new Rng(0), 4))).toEqual(
      hex([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]),
    );
  });

  it('word i of seed s is Philox of counter ⌊i/4⌋ under key (s mod 2³², ⌊s/2³²⌋)', () => {
    const seed = 2 ** 40 + 12345;
    const got = words(new Rng(seed), 12);
    const block = new Uint32Array(4);
    const want: number[] = [];
    for (let b = 0; b < 3; b++) {
      philox4x32x10(b, 0, 0, 0, 12345, 2 ** 8, block);
      want.push(...block);
    }
    expect(hex(got)).toEqual(hex(want));
  });

  // Computed once from this implementation; any change here breaks reproducibility of every run.
  it('seed 42 gives the recorded values', () => {
    expect(hex(words(new Rng(42), 8))).toEqual([
      '0x9ceaf053',
      '0x77f5493b',
      '0x12bf50ad',
      '0x5742b3d7',
      '0xfcdb2127',
      '0x53ba6cfd',
      '0x838f5a6e',
      '0x744e06fb',
    ]);
    let rng = new Rng(42);
    expect([rng.float(), rng.float(), rng.float()]).toEqual([
      0.6129598801477738, 0.07323173687503892, 0.9877186516453577,
    ]);
    rng = new Rng(42);
    expect([rng.normal(), rng.normal(), rng.normal()]).toEqual([
      0.18057615264680893, -0.6822260339339185, 0.3126864277095914,
    ]);
    rng = new Rng(42);
    expect(Array.from({ length: 10 }, () => rng.int(0, 100))).toEqual([
      43, 71, 17, 7, 3, 25, 94, 51, 13, 59,
    ]);
    expect(Array.from(new Rng(42).normalArray(4))).toEqual([
      2.3205325603485107, -0.645326554775238, -0.5723091959953308, -0.21340948343276978,
    ]);
    expect(Array.from(new Rng(42).uniformArray(4))).toEqual([
      0.6129598617553711, 0.4685865044593811, 0.07323169708251953, 0.3408614993095398,
    ]);
    expect(Array.from(new Rng(42).permutation(10))).toEqual([4, 8, 1, 6, 0, 9, 2, 5, 7, 3]);
    expect(new Rng(42).seedFor('dense1/kernel')).toBe(2244190836);
    expect(new Rng(42).child('dense1/kernel').seed).toBe(1352418726224500);
    expect(new Rng('descent').seed).toBe(8004776744998676);
  });

  it('float() takes 27 + 26 bits of two words', () => {
    const [a, b] = words(new Rng(42), 2) as [number, number];
    expect(new Rng(42).float()).toBe(((a >>> 5) * 2 ** 26 + (b >>> 6)) / 2 ** 53);
  });
});

describe('Rng determinism', () => {
  function sample(rng: Rng) {
    return {
      words: words(rng, 5),
      float: rng.float(),
      int: rng.int(-10, 10),
      big: rng.int(0, 2 ** 40),
      normal: rng.normal(),
      uniform: Array.from(rng.uniformArray(5, -1, 1)),
      normals: Array.from(rng.normalArray(5, 1, 2)),
      truncated: Array.from(rng.truncatedNormalArray(5)),
      bernoulli: Array.from(rng.bernoulliArray(5, 0.3)),
      perm: Array.from(rng.permutation(7)),
    };
  }

  it('gives identical sequences for the same seed', () => {
    expect(sample(new Rng(123))).toEqual(sample(new Rng(123)));
    expect(sample(new Rng('run-7'))).toEqual(sample(new Rng('run-7')));
    expect(sample(new Rng(Number.MAX_SAFE_INTEGER))).toEqual(
      sample(new Rng(Number.MAX_SAFE_INTEGER)),
    );
  });

  it('gives different sequences for different seeds', () => {
    const seeds = [0, 1, 2, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    const firsts = seeds.map((s) => hex(words(new Rng(s), 4)).join());
    expect(new Set(firsts).size).toBe(seeds.length);
    expect(words(new Rng('a'), 4)).not.toEqual(words(new Rng('b'), 4));
  });

  it('hashes a string seed to an integer seed', () => {
    const rng = new Rng('mnist-run-3');
    expect(Number.isSafeInteger(rng.seed) && rng.seed >= 0).toBe(true);
    expect(words(rng, 4)).toEqual(words(new Rng(rng.seed), 4));
    expect(new Rng('é').seed).not.toBe(new Rng('e').seed);
  });
});

describe('Rng.split', () => {
  it('gives children that differ from the parent and from each other', () => {
    const parent = new Rng(9);
    const children = parent.split(4);
    const streams = [parent, ...children].map((r) => hex(words(r, 4)).join());
    expect(new Set(streams).size).toBe(5);
    expect(new Set(children.map((c) => c.seed)).size).toBe(4);
  });

  it('is deterministic, and split(n) is n successive split() calls', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    const one = [a.split(), a.split(), a.split()].map((r) => r.seed);
    expect(b.split(3).map((r) => r.seed)).toEqual(one);
    expect(new Rng(9).split(0)).toEqual([]);
  });

  it('does not shift the parent stream', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    a.split(2);
    expect(words(a, 4)).toEqual(words(b, 4));
  });

  it('gives uncorrelated child streams', () => {
    const [x, y] = new Rng(11).split(2) as [Rng, Rng];
    const u = x.normalArray(100_000);
    const v = y.normalArray(100_000);
    let dot = 0;
    for (let i = 0; i < u.length; i++) dot += u[i]! * v[i]!;
    // The sample correlation of independent normals has standard error 1/√n ≈ 0.0032.
    expect(Math.abs(dot / u.length)).toBeLessThan(4 / Math.sqrt(u.length));
  });
});

describe('Rng.seedFor and Rng.child', () => {
  it('depends only on the seed and the name, never on draws or splits', () => {
    const a = new Rng(77);
    const before = a.seedFor('layer');
    a.normalArray(9);
    a.split();
    expect(a.seedFor('layer')).toBe(before);
    expect(new Rng(77).seedFor('layer')).toBe(before);
    expect(words(a.child('layer'), 4)).toEqual(words(new Rng(77).child('layer'), 4));
  });

  it('does not advance the stream', () => {
    const a = new Rng(77);
    a.seedFor('x');
    a.child('y');
    expect(words(a, 4)).toEqual(words(new Rng(77), 4));
  });

  it('is a uint32, the low word of the child seed', () => {
    const rng = new Rng(77);
    for (const name of ['', 'a', 'dense1/kernel', 'ünïcödé', 'x'.repeat(1000)]) {
      const seed = rng.seedFor(name);
      expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
      expect(rng.child(name).seed % 2 ** 32).toBe(seed);
    }
  });

  it('differs between names and between seeds', () => {
    const rng = new Rng(77);
    const names = Array.from({ length: 1000 }, (_, i) => `layer${i}/kernel`);
    expect(new Set(names.map((n) => rng.seedFor(n))).size).toBe(names.length);
    expect(new Rng(78).seedFor('layer')).not.toBe(rng.seedFor('layer'));
    expect(rng.child('a').seed).not.toBe(rng.child('b').seed);
  });
});

describe('Rng statistics (fixed seeds; tolerances of 4 standard errors)', () => {
  const n = 100_000;

  it('float() has mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1001);
    const xs = Array.from({ length: n }, () => rng.float());
    const { mean, variance } = meanAndVariance(xs);
    expect(minMax(xs).min).toBeGreaterThanOrEqual(0);
    expect(minMax(xs).max).toBeLessThan(1);
    // SE(mean) = √(1/12/n); SE(variance) = √((1/80 − 1/144)/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
  });

  it('uniformArray(lo, hi) stays in [lo, hi) with mean (lo + hi)/2', () => {
    const xs = new Rng(1002).uniformArray(n, -3, 5);
    const { mean, variance } = meanAndVariance(xs);
    expect(minMax(xs).min).toBeGreaterThanOrEqual(-3);
    expect(minMax(xs).max).toBeLessThan(5);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(64 / 12 / n));
    expect(Math.abs(variance - 64 / 12)).toBeLessThan(0.06);
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = new Rng(1003);
    const { mean, variance } = meanAndVariance(Array.from({ length: n }, () => rng.normal()));
    // SE(mean) = 1/√n; SE(variance) = √(2/n).
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('normalArray(mean, std) has that mean and std', () => {
    const { mean, variance } = meanAndVariance(new Rng(1004).normalArray(n, 3, 2));
    expect(Math.abs(mean - 3)).toBeLessThan(4 * (2 / Math.sqrt(n)));
    expect(Math.abs(variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / n));
  });

  it('normal draws follow the normal CDF (Kolmogorov–Smirnov)', () => {
    const xs = Array.from(new Rng(1005).normalArray(20_000)).sort((a, b) => a - b);
    let d = 0;
    xs.forEach((x, i) => {
      const cdf = normalCdf(x);
      d = Math.max(d, Math.abs(cdf - i / xs.length), Math.abs(cdf - (i + 1) / xs.length));
    });
    // The KS critical value at α = 0.001 is 1.95/√n.
    expect(d).toBeLessThan(1.95 / Math.sqrt(xs.length));
  });

  it('truncatedNormalArray keeps |z| ≤ bound with std ≈ 0.8796 for bound 2', () => {
    const xs = new Rng(1006).truncatedNormalArray(n, 0, 1);
    const { mean, variance } = meanAndVariance(xs);
    expect(minMax(xs).min).toBeGreaterThanOrEqual(-2);
    expect(minMax(xs).max).toBeLessThanOrEqual(2);
    expect(Math.abs(mean)).toBeLessThan(4 * (0.88 / Math.sqrt(n)));
    // √(1 − 4φ(2)/(2Φ(2) − 1)) = 0.87962566…; SE(std) ≈ 0.0016 here.
    expect(Math.abs(Math.sqrt(variance) - 0.8796257)).toBeLessThan(0.0065);
    const scaled = new Rng(1006).truncatedNormalArray(1000, 5, 0.5, 1);
    expect(minMax(scaled).min).toBeGreaterThanOrEqual(4.5);
    expect(minMax(scaled).max).toBeLessThanOrEqual(5.5);
  });

  it('int() is unbiased over 10 buckets (χ², 9 degrees of freedom)', () => {
    const rng = new Rng(1007);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(0, 10)]!++;
    // 27.88 is the χ²₉ critical value at p = 0.001.
    expect(chiSquare(counts)).toBeLessThan(27.88);
  });

  it('int() rejects the modulo-bias region of a range that does not divide 2³²', () => {
    // A plain `word % (3·2³⁰)` would put half of the draws below 2³⁰.
    const rng = new Rng(1008);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[Math.floor(rng.int(0, 3 * 2 ** 30) / 2 ** 30)]!++;
    expect(chiSquare(counts)).toBeLessThan(13.82); // χ²₂ at p = 0.001
  });

  it('int() covers ranges beyond 2³² and negative bounds', () => {
    const rng = new Rng(1009);
    const big = Array.from({ length: 10_000 }, () => rng.int(-(2 ** 50), 2 ** 50));
    expect(minMax(big).min).toBeGreaterThanOrEqual(-(2 ** 50));
    expect(minMax(big).max).toBeLessThan(2 ** 50);
    expect(big.every(Number.isInteger)).toBe(true);
    expect(big.filter((x) => x < 0).length).toBeGreaterThan(4800);
    expect(rng.int(7, 8)).toBe(7);
    expect(rng.int(-(2 ** 52), 2 ** 52)).toBeGreaterThanOrEqual(-(2 ** 52));
  });

  it('bernoulliArray(p) has mean p and is exact at 0 and 1', () => {
    const { mean } = meanAndVariance(new Rng(1010).bernoulliArray(n, 0.3));
    expect(Math.abs(mean - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / n));
    expect(new Rng(1).bernoulliArray(1000, 0).every((x) => x === 0)).toBe(true);
    expect(new Rng(1).bernoulliArray(1000, 1).every((x) => x === 1)).toBe(true);
  });

  it('permutation(n) is a permutation', () => {
    const perm = new Rng(1011).permutation(10_000);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
    expect(Array.from(new Rng(1).permutation(0))).toEqual([]);
    expect(Array.from(new Rng(1).permutation(1))).toEqual([0]);
  });

  it('shuffle() draws all 6 orders of 3 elements equally often (χ², 5 degrees of freedom)', () => {
    const rng = new Rng(1012);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()])).toBeLessThan(20.52); // χ²₅ at p = 0.001
  });

  it('shuffle() works in place on typed arrays and keeps the elements', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i * 0.5);
    const out = new Rng(1013).shuffle(xs);
    expect(out).toBe(xs);
    expect(Array.from(xs).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i * 0.5),
    );
    expect(new Rng(1).shuffle([])).toEqual([]);
  });
});

describe('Rng.state / Rng.fromState', () => {
  it('resumes the exact stream through JSON, at any position', () => {
    for (const skip of [0, 1, 2, 3, 5]) {
      const rng = new Rng('state-test');
      words(rng, skip);
      rng.normal(); // leaves a spare normal in the state
      rng.split();
      const saved: RngState = JSON.parse(JSON.stringify(rng.state()));
      expect(saved.algorithm).toBe(RNG_ALGORITHM);
      const resumed = Rng.fromState(saved);
      expect(resumed.normal()).toBe(rng.normal());
      expect(words(resumed, 7)).toEqual(words(rng, 7));
      expect(Array.from(resumed.normalArray(5))).toEqual(Array.from(rng.normalArray(5)));
      expect(resumed.split().seed).toBe(rng.split().seed);
      expect(resumed.seedFor('n')).toBe(rng.seedFor('n'));
      expect(resumed.state()).toEqual(rng.state());
    }
  });

  it('starts at position 0 with no spare', () => {
    expect(new Rng(5).state()).toEqual({
      algorithm: 'philox4x32-10',
      seed: 5,
      position: 0,
      splits: 0,
      spareNormal: null,
    });
  });
});

describe('Rng validation', () => {
  const rng = new Rng(1);
  const state = rng.state();
  const cases: [string, string, string, () => unknown][] = [
    ['negative seed', 'BAD_HYPERPARAM', 'seed', () => new Rng(-1)],
    ['fractional seed', 'BAD_HYPERPARAM', 'seed', () => new Rng(1.5)],
    ['NaN seed', 'NON_FINITE', 'seed', () => new Rng(Number.NaN)],
    ['seed 2^53', 'BAD_HYPERPARAM', 'seed', () => new Rng(2 ** 53)],
    ['object seed', 'BAD_ARGUMENT', 'seed', () => new Rng({} as unknown as number)],
    ['negative std', 'BAD_HYPERPARAM', 'std', () => rng.normalArray(4, 0, -1)],
    ['infinite mean', 'NON_FINITE', 'mean', () => rng.normalArray(4, Number.POSITIVE_INFINITY)],
    ['hi = lo', 'BAD_HYPERPARAM', 'hi', () => rng.uniformArray(4, 1, 1)],
    ['hi − lo overflow', 'NON_FINITE', 'hi − lo', () => rng.uniformArray(4, -1e308, 1e308)],
    ['p > 1', 'BAD_HYPERPARAM', 'p', () => rng.bernoulliArray(4, 1.5)],
    ['p < 0', 'BAD_HYPERPARAM', 'p', () => rng.bernoulliArray(4, -0.1)],
    ['fractional size', 'BAD_HYPERPARAM', 'size', () => rng.uniformArray(2.5)],
    ['negative size', 'BAD_HYPERPARAM', 'size', () => rng.normalArray(-1)],
    ['small bound', 'BAD_HYPERPARAM', 'bound', () => rng.truncatedNormalArray(4, 0, 1, 0.05)],
    ['int hi ≤ lo', 'BAD_HYPERPARAM', 'hi', () => rng.int(5, 5)],
    ['int fraction', 'BAD_HYPERPARAM', 'hi', () => rng.int(0, 2.5)],
    ['int range > 2^53', 'BAD_HYPERPARAM', 'hi − lo', () => rng.int(-(2 ** 52), 2 ** 52 + 1)],
    ['negative split', 'BAD_HYPERPARAM', 'n', () => rng.split(-1)],
    ['negative permutation', 'BAD_HYPERPARAM', 'n', () => rng.permutation(-1)],
    ['non-string name', 'BAD_ARGUMENT', 'name', () => rng.seedFor(3 as unknown as string)],
    ['shuffle a string', 'BAD_ARGUMENT', 'array', () => rng.shuffle('abc' as unknown as string[])],
    ['negative dim', 'BAD_ARGUMENT', 'shape', () => rng.normal([2, -1])],
    ['fractional dim', 'BAD_ARGUMENT', 'shape', () => rng.uniform([1.5])],
    ['shape not array', 'BAD_ARGUMENT', 'shape', () => rng.uniform(3 as unknown as number[])],
    [
      'other algorithm',
      'BAD_ARGUMENT',
      'state',
      () => Rng.fromState({ ...state, algorithm: 'xoshiro128**' as 'philox4x32-10' }),
    ],
    [
      'bad position',
      'BAD_HYPERPARAM',
      'state.position',
      () => Rng.fromState({ ...state, position: -1 }),
    ],
    [
      'bad spare',
      'NON_FINITE',
      'state.spareNormal',
      () => Rng.fromState({ ...state, spareNormal: Number.NaN }),
    ],
  ];

  it.each(cases)('%s throws %s naming %s', (_, code, name, fn) => {
    expect(codeOf(fn)).toBe(code);
    expect(() => fn()).toThrow(name);
  });

  it('does not advance the stream when it rejects an argument', () => {
    const a = new Rng(4);
    expect(codeOf(() => a.normalArray(8, 0, -1))).toBe('BAD_HYPERPARAM');
    expect(codeOf(() => a.int(3, 1))).toBe('BAD_HYPERPARAM');
    expect(words(a, 4)).toEqual(words(new Rng(4), 4));
  });
});

forEachBackend('Rng tensor draws', () => {
  it('normal([3, 4]) gives the same float32 values as normalArray on every backend', async () => {
    await expectNoLeaks(async () => {
      const t = new Rng(2024).normal([3, 4]);
      expect(t.shape).toEqual([3, 4]);
      expect(t.dtype).toBe('float32');
      expect(Array.from(await t.data())).toEqual(Array.from(new Rng(2024).normalArray(12)));
      t.dispose();
    });
  });

  it('uniform and truncatedNormal match their array draws', async () => {
    await expectNoLeaks(async () => {
      const rng = new Rng(7);
      const u = rng.uniform([2, 3], -1, 1);
      const z = rng.truncatedNormal([5], 0, 0.1);
      const s = rng.normal([], 2, 0.5);
      const ref = new Rng(7);
      expect(Array.from(await u.data())).toEqual(Array.from(ref.uniformArray(6, -1, 1)));
      expect(Array.from(await z.data())).toEqual(Array.from(ref.truncatedNormalArray(5, 0, 0.1)));
      expect(Array.from(await s.data())).toEqual(Array.from(ref.normalArray(1, 2, 0.5)));
      expect([u.shape, z.shape, s.shape]).toEqual([[2, 3], [5], []]);
      tf.dispose([u, z, s]);
    });
  });

  it('creates no tensor when it rejects an argument', async () => {
    await expectNoLeaks(() => {
      expect(codeOf(() => new Rng(1).normal([2, 2], 0, -1))).toBe('BAD_HYPERPARAM');
      expect(codeOf(() => new Rng(1).uniform([2], 1, 0))).toBe('BAD_HYPERPARAM');
    });
  });
});

/** Φ(x) via the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
