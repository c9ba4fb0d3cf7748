import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { FUSED_PATH } from '../test-support/fused-parity';
import { adagradKernel } from '../optimizers/adagrad';
import { adamKernel, amsgradKernel } from '../optimizers/adam';
import { adamaxKernel } from '../optimizers/adamax';
import { lambDirectionKernel } from '../optimizers/lamb';
import { larsApplyKernel, larsDirectionKernel } from '../optimizers/lars';
import { lionKernel } from '../optimizers/lion';
import { nadamKernel } from '../optimizers/nadam';
import { radamKernel } from '../optimizers/radam';
import { rmspropKernel } from '../optimizers/rmsprop';
import { sgdKernel, sgdMomentumKernel } from '../optimizers/sgd';
import type { OptimizerKernel } from './optimizer-kernel';
import { trustRatioApplyKernel } from './trust-ratio-step';

const KERNELS: OptimizerKernel[] = [
  adamKernel,
  amsgradKernel,
  adagradKernel,
  adamaxKernel,
  nadamKernel,
  radamKernel,
  lionKernel,
  sgdKernel,
  sgdMomentumKernel,
  rmspropKernel(false, false),
  rmspropKernel(true, true),
  lambDirectionKernel,
  larsDirectionKernel,
  larsApplyKernel,
  trustRatioApplyKernel,
];

/** A plausible value for every uniform of the rules; `flag` sets the 0/1 switches. */
function uniformValue(name: string, flag: number): number {
  const values: Record<string, number> = {
    lr: 0.01,
    l2: 0.02,
    decay: 0.03,
    b1: 0.9,
    omb1: 0.1,
    b2: 0.99,
    omb2: 0.01,
    eps: 1e-6,
    ibc1: 1.5,
    isbc2: 1.2,
    lrdiv: 1.1,
    rho: 0.9,
    omrho: 0.1,
    mu: 0.8,
    keep: 0.8,
    scale: 0.7,
    bc1: 0.5,
    bc2: 0.3,
    cm: 0.4,
    cg: 0.2,
    rs: 0.8,
    coef: 0.7,
    minNorm: 0.01,
    nesterov: flag,
    rect: flag,
    trust: flag,
  };
  const value = values[name];
  if (value === undefined) throw new Error(`no test value for uniform ${name}`);
  return value;
}

const SHAPES = [[2, 37], [8], []];
const values = (n: number, seed: number, lo: number, hi: number) =>
  Float32Array.from(
    { length: n },
    (_, i) => lo + ((Math.sin(i * 1.3 + seed * 2.1) + 1) / 2) * (hi - lo),
  );

/** One row's variables `[p?, ...slots]` and reads, as `OptimizerKernel.batch` lays them out. */
function row(kernel: OptimizerKernel, shape: number[], seed: number, clip: boolean, mask: boolean) {
  const { rule } = kernel;
  const moves = rule.movesParam ?? true;
  const size = shape.reduce((a, b) => a * b, 1);
  const tensor = (k: number, lo = -1, hi = 1) => tf.tensor(values(size, seed + k, lo, hi), shape);
  const p = tensor(0);
  // Second-moment slots stay positive, so that √ never sees a negative (unspecified on WebGPU).
  const slot = (name: string, k: number) =>
    ['v', 'vmax', 'sum', 'u'].includes(name) ? tensor(k, 0.5, 1) : tensor(k, -0.1, 0.1);
  const slots = rule.slots.map((name, k) => slot(name, k + 1));
  const reads: tf.Tensor[] = moves ? [] : [p];
  if (rule.readsGradient ?? true) reads.push(tensor(10));
  for (const [k] of (rule.inputs ?? []).entries()) reads.push(tensor(20 + k));
  if (mask && moves) {
    reads.push(
      tf.tensor(
        Float32Array.from({ length: size }, (_, i) => (i % 3 === 0 ? 0 : 1)),
        shape,
      ),
    );
  }
  if (clip && (rule.readsGradient ?? true)) reads.push(tf.scalar(0.6));
  for (const [k] of (rule.scalars ?? []).entries()) reads.push(tf.scalar(k === 0 ? 2.3 : 0.7));
  return { inouts: moves ? [p, ...slots] : slots, reads };
}

forEachBackend('OptimizerKernel: the tfjs-ops path interprets the same rule', (backend) => {
  const tolerance = backend === 'cpu' ? { rtol: 0, atol: 0 } : { rtol: 1e-5, atol: 1e-6 };
  it(`every rule and variant (clip, mask, zero decay): ${FUSED_PATH[backend]} equals { path: 'reference' } (cpu exactly, else rtol 1e-5, atol 1e-6)`, async () => {
    for (const kernel of KERNELS) {
      for (const [clip, mask, flag] of [
        [false, false, 1],
        [true, true, 0],
        [false, true, 1],
      ] as const) {
        const { rule } = kernel;
        const uniforms = SHAPES.flatMap(() =>
          rule.uniforms.map((name) =>
            flag === 0 && rule.zeroable?.includes(name) ? 0 : uniformValue(name, flag),
          ),
        );
        const zeros = kernel.zeroPattern(uniforms, SHAPES.length);
        const make = () => SHAPES.map((shape, r) => row(kernel, shape, 7 * r, clip, mask));
        const [fused, interpreted] = [make(), make()];
        const variables = (rows: typeof fused) =>
          rows.map((r) => r.inouts.map((t) => tf.variable(t)));
        const [fusedRows, interpretedRows] = [variables(fused), variables(interpreted)];
        const reads = (rows: typeof fused) => rows.flatMap((r) => r.reads);
        const a = kernel.batch(fusedRows, { clip, mask, zeros });
        const b = kernel.batch(interpretedRows, { clip, mask, zeros });
        await expectNoLeaks(() => {
          expect(a.run(reads(fused), uniforms)).toBe(FUSED_PATH[backend]);
          expect(b.run(reads(interpreted), uniforms, { path: 'reference' })).toBe('reference');
        });
        for (const [r, vars] of fusedRows.entries()) {
          for (const [i, v] of vars.entries()) {
            await expectClose(v, interpretedRows[r]![i]!, tolerance);
          }
        }
        a.dispose();
        b.dispose();
        for (const rows of [fused, interpreted]) {
          tf.dispose(rows.flatMap((r) => [...r.inouts, ...r.reads]));
        }
        tf.dispose([...fusedRows.flat(), ...interpretedRows.flat()]);
      }
    }
  });
});
