import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import { parseXml } from '@descent/example-support/testing';
import { expect, it } from 'vitest';
import { QUICK, runLandscape } from './experiment';
import { findings } from './findings';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The example's three claims at CI's size (wasm, fixed seeds — deterministic, so the inequalities
// check a fixed outcome): a loss barrier on the straight line between two minima, a trained
// Bezier curve far below it, and a sharper large-batch minimum at a similar training loss.
it('a barrier on the linear path, a far lower trained curve, a sharper large-batch minimum', async () => {
  await useBackend('wasm');
  const before = tf.memory().numTensors;
  const result = await runLandscape(QUICK);
  expect(tf.memory().numTensors).toBe(before);
  const [a, b, c] = result.minima;
  for (const m of [a!, b!]) expect(m.test.accuracy).toBeGreaterThan(0.8);
  // C trained until its training loss reached A's (or the epoch cap): comparable minima
  expect(c!.train.loss).toBeLessThan(1.25 * a!.train.loss);
  expect(result.linear.barrier).toBeGreaterThan(0.3);
  expect(result.curve.barrier).toBeLessThan(result.linear.barrier / 10);
  // the paths start and end at the minima themselves
  expect(result.linear.loss[0]).toBeCloseTo(a!.train.loss, 5);
  expect(result.curve.loss.at(-1)).toBeCloseTo(b!.train.loss, 5);
  // the surface's centre is θ_A itself, its lowest point on this grid
  const { values, alphas, betas } = result.surface;
  const centre = values[(alphas.length - 1) / 2]![(betas.length - 1) / 2]!;
  expect(centre).toBeCloseTo(a!.train.loss, 5);
  expect(Math.min(...values.flat())).toBeCloseTo(centre, 5);
  const { small, large } = result.spectrum;
  expect(large.eigenvalues[0]!).toBeGreaterThan(1.5 * small.eigenvalues[0]!);
  // eigenvalues sorted by magnitude and the SLQ weights a distribution
  for (const s of [small, large]) {
    expect(s.converged).toBe(true);
    expect(s.density.weights.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...s.density.eigenvalues)).toBeLessThanOrEqual(s.eigenvalues[0]! * 1.001);
  }
  expect(findings(result).every((f) => f.holds)).toBe(true);
}, 300_000);

it('`start --quick` prints the tables and the findings, and writes the three figures', async () => {
  const out = mkdtempSync(join(tmpdir(), 'landscape-'));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=@descent/source', 'src/main.ts', '--quick', '--out', out],
    { cwd: root, maxBuffer: 1 << 22 },
  );
  expect(stdout).toMatch(/2-D surface around A +\[#{30}\] 100 % +81\/81\n/);
  expect(stdout).toMatch(/\nlinear +\| +\d\.\d{3} \|/);
  expect(stdout).toMatch(/\nBezier curve \(trained\) +\| +0\.\d{3} \|/);
  expect(stdout.match(/^✓ /gm)).toHaveLength(3);
  for (const name of ['paths', 'surface', 'density']) {
    const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
    expect(parseXml(svg)[0]?.name).toBe('svg');
  }
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  expect(json.surface.values).toHaveLength(9);
}, 300_000);
