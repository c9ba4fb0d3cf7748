/**
 * `pnpm bench [--quick] [--backends=wasm,webgpu,cpu] [--cases=adam,norm]`: runs every case (or
 * those whose name contains one of `--cases`; results are then printed, not written) on every available backend,
 * descent against tfjs's built-in (or the naive approach) in the same run, prints one Markdown
 * table, and (full runs only) writes `bench/results/<date>-<backend>.json`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendInfo, type BackendName, useBackend } from '@descent/core';
import { adam, rmsprop, sgd } from '@descent/optim';
import type { BenchCase, BenchResult } from './bench-case';
import { scaledSubtractCase } from './cases/scaled-subtract';
import {
  LENET_300_100,
  optimizerStepCase,
  RES_MLP_20,
  type ShapeSet,
  uniform,
} from './cases/optimizer-step';
import { CopyProbe, measureCopyBandwidth } from './copy-bandwidth';
import { type MeasureOptions, timePair } from './measure';
import { groupNormCase, layerNormCase } from './cases/norm-step';
import { hvpCase, surface2dCase } from './cases/landscape';
import { layersNormFitCases } from './cases/layers-norm-fit';
import { analyticNtkCase, empiricalNtkCase } from './cases/ntk';
import { formatTable } from './table';
import { type Breakdown, measureBreakdown } from './training/breakdown';
import {
  type TrainingBenchResult,
  runTrainingBench,
  trainingBudget,
} from './training/training-bench';
import { formatBreakdown, formatDrift, formatTrainingTable } from './training/training-table';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendArg = args.find((a) => a.startsWith('--backends='))?.slice('--backends='.length);
const backends = (backendArg?.split(',') ?? ['wasm', 'webgpu', 'cpu']) as BackendName[];
/** `--cases=adam,rmsprop`: only the cases whose name contains one of these. */
const caseFilter = args
  .find((a) => a.startsWith('--cases='))
  ?.slice('--cases='.length)
  .split(',');
const selected = (c: BenchCase) => !caseFilter || caseFilter.some((f) => c.name.includes(f));
/** One epoch of LeNet-300-100 on MNIST, four contenders (`--cases=training`; not on cpu). */
const trainingSelected = (backend: BackendName) =>
  backend !== 'cpu' && (!caseFilter || caseFilter.some((f) => 'training'.includes(f)));

/**
 * Adam with tfjs's own defaults on both sides (ε = 1e-7), so the two do the same arithmetic;
 * `keepInitial`: the variables' initial tensors stay alive (see `optimizerStepCase`).
 */
const adamCase = (set: ShapeSet, keepInitial = false) =>
  optimizerStepCase(
    'adam',
    set,
    28,
    () => adam({ learningRate: 1e-3, epsilon: 1e-7 }),
    () => tf.train.adam(1e-3, 0.9, 0.999, 1e-7),
    { keepInitial },
  );

/** SGD with momentum 0.9 on both sides (tfjs's Momentum equals torch's SGD without dampening). */
const sgdCase = (set: ShapeSet) =>
  optimizerStepCase(
    'sgd-momentum',
    set,
    20,
    () => sgd({ learningRate: 1e-2, momentum: 0.9 }),
    () => tf.train.momentum(1e-2, 0.9),
  );

/**
 * RMSprop, ρ = 0.9, no momentum, on both sides. tfjs puts ε inside the square root
 * (`g/√(v + ε)`) and descent outside (`g/(√v + ε)`, torch): the same memory traffic (p, g, v read;
 * p, v written) and the same kernel count per variable, so the timing compares like with like.
 */
const rmspropCase = (set: ShapeSet) =>
  optimizerStepCase(
    'rmsprop',
    set,
    20,
    () => rmsprop({ learningRate: 1e-3, rho: 0.9, epsilon: 1e-7 }),
    () => tf.train.rmsprop(1e-3, 0.9, 0, 1e-7),
  );

function casesFor(backend: BackendName): BenchCase[] {
  if (quick)
    return [
      scaledSubtractCase(1_000),
      scaledSubtractCase(100_000),
      adamCase(uniform(100, 1_000)),
      adamCase(LENET_300_100),
      adamCase(uniform(100, 1_000), true),
      sgdCase(uniform(100, 1_000)),
      rmspropCase(uniform(100, 1_000)),
      layerNormCase(64, 256),
      ...layersNormFitCases('quick'),
      empiricalNtkCase([16, 32, 32, 4], 8, SLOW_QUICK),
      ...(backend === 'webgpu' ? [] : [analyticNtkCase(64, 5, SLOW_QUICK)]),
      hvpCase([32, 32, 10], 16, 'tanh'),
      surface2dCase([32, 32, 10], 16, 5, SLOW_QUICK),
    ];
  const subtract = [1_000, 100_000, 1_000_000, 4_000_000].map(scaledSubtractCase);
  // SwiftShader runs tfjs's 14 Adam dispatches per variable on the CPU: only the small sets on
  // webgpu; cpu has no fused kernels (both sides run tfjs ops), so it gets the small sets too.
  const small = backend !== 'wasm';
  const sets = small
    ? [uniform(100, 1_000), LENET_300_100, RES_MLP_20]
    : [
        uniform(1_000, 1_000),
        uniform(100, 10_000),
        uniform(10, 100_000),
        uniform(2, 1_000_000),
        LENET_300_100,
        RES_MLP_20,
      ];
  const otherSets = small
    ? [uniform(100, 1_000), LENET_300_100]
    : [uniform(1_000, 1_000), uniform(2, 1_000_000), LENET_300_100];
  const norms = small
    ? [layerNormCase(64, 256), groupNormCase(4, 16, 32, 8)]
    : [layerNormCase(256, 1024), groupNormCase(16, 32, 64, 8)];
  return [
    ...subtract,
    ...sets.map((set) => adamCase(set)),
    ...otherSets.map((set) => adamCase(set, true)),
    ...otherSets.map(sgdCase),
    ...otherSets.map(rmspropCase),
    ...norms,
    ...layersNormFitCases(small ? 'small' : 'full'),
    ...ntkCases(backend),
    ...landscapeCases(backend),
  ];
}

/**
 * A Hessian-vector product against one gradient, and a 21 × 21 loss surface, on an MLP with ~80k
 * parameters (batch 128; the surface's loss averages 256 examples); SwiftShader's webgpu gets a
 * ~26k-parameter net at batch 32 and an 11 × 11 surface.
 */
function landscapeCases(backend: BackendName): BenchCase[] {
  if (backend === 'webgpu') {
    const sizes = [64, 256, 32, 10];
    return [
      hvpCase(sizes, 32, 'relu', HVP_WEBGPU),
      hvpCase(sizes, 32, 'tanh', HVP_WEBGPU),
      surface2dCase(sizes, 32, 11, SLOW),
    ];
  }
  const sizes = [784, 100, 10];
  return [
    hvpCase(sizes, 128, 'relu', HVP),
    hvpCase(sizes, 128, 'tanh', HVP),
    surface2dCase(sizes, 256, 21, SLOW),
  ];
}

/** Hessian-vector products take ~20 ms on wasm and ~0.1–1 s on SwiftShader's webgpu. */
const HVP: MeasureOptions = { warmup: 3, steps: 10, samples: 7 };
const HVP_WEBGPU: MeasureOptions = { warmup: 2, steps: 3, samples: 5 };

/** Cases whose steps take seconds: one step per sample, three samples after one warm-up step. */
const SLOW: MeasureOptions = { warmup: 1, steps: 1, samples: 3 };
const SLOW_QUICK: MeasureOptions = { warmup: 1, steps: 1, samples: 2 };

/**
 * The empirical NTK of an ~85k-parameter MLP for N = 64 and 256, and the analytic kernel of
 * 2 000 × 2 000 points at depth 5 (its float64 baseline reads the inputs synchronously: not on
 * webgpu). On SwiftShader's webgpu the naive loop of N = 64 (640 gradients) takes ~2 minutes a
 * step, so that backend measures N = 64 only (~9 minutes).
 */
function ntkCases(backend: BackendName): BenchCase[] {
  const sizes = [64, 256, 256, 10];
  if (backend === 'webgpu') return [empiricalNtkCase(sizes, 64, SLOW)];
  if (backend === 'cpu') return [empiricalNtkCase(sizes, 64, SLOW)];
  return [
    empiricalNtkCase(sizes, 64, SLOW),
    empiricalNtkCase(sizes, 256, SLOW),
    analyticNtkCase(2000, 5, SLOW),
  ];
}

/** Enough steps per sample that the closing read-back is a small share of the sample. */
const budgetFor = (elements: number) =>
  quick
    ? { warmup: 2, steps: clamp(Math.round(2e5 / elements), 3, 50), samples: 3 }
    : { warmup: 5, steps: clamp(Math.round(4e6 / elements), 10, 500), samples: 9 };
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

const copyBandwidth = measureCopyBandwidth();
console.log(`in-process copy bandwidth: ${copyBandwidth.toFixed(2)} GB/s (read + write)`);
const all: BenchResult[] = [];
const training: TrainingBenchResult[] = [];
const breakdowns: Breakdown[] = [];
for (const backend of backends) {
  let info: BackendInfo;
  try {
    info = await useBackend(backend, { onFallback: () => {} });
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    console.warn(`bench: skipping ${backend}: ${(e as Error).message}`);
    continue;
  }
  const label = info.adapter ? `${backend} (${info.adapter})` : backend;
  const results: BenchResult[] = [];
  for (const benchCase of casesFor(backend).filter(selected)) {
    const prepared = benchCase.setup();
    const budget = benchCase.budget ?? budgetFor(benchCase.elements);
    const copies = new CopyProbe();
    const timing = await timePair(
      { step: prepared.baseline, witness: () => prepared.witness('baseline') },
      { step: prepared.descent, witness: () => prepared.witness('descent') },
      budget,
      () => copies.sample(),
    );
    const [baselineMs, descentMs] = timing.medianMs;
    prepared.dispose();
    results.push({
      name: benchCase.name,
      backend: label,
      descentMs,
      baselineMs,
      speedup: baselineMs / descentMs,
      elementsPerSecond: benchCase.elements / (descentMs / 1000),
      gigabytesPerSecond: benchCase.bytesPerStep / (descentMs / 1000) / 1e9,
      bestGigabytesPerSecond: benchCase.bytesPerStep / (timing.bestMs[1] / 1000) / 1e9,
      copyGigabytesPerSecond: copies.bestGBps,
    });
  }
  all.push(...results);
  if (trainingSelected(backend)) {
    const budget = trainingBudget(backend, quick);
    training.push(await runTrainingBench(label, budget));
    breakdowns.push(await measureBreakdown(label, budget.digits, 64));
  }
  if (!quick && !caseFilter) writeResults(backend, info, copyBandwidth, results);
}
if (all.length > 0) console.log(`\n${formatTable(all)}\n`);
if (training.length > 0) {
  console.log(`Training, one epoch of LeNet-300-100 (samples/s, median):\n`);
  console.log(`${formatTrainingTable(training)}\n`);
  for (const r of training) if (r.drift) console.log(`${formatDrift(r.drift)}\n`);
  for (const b of breakdowns) console.log(`${formatBreakdown(b)}\n`);
}
console.log(
  quick
    ? 'bench: quick run (few samples; not for quoting), nothing written.'
    : caseFilter
      ? 'bench: some cases only, nothing written.'
      : 'bench: results written to bench/results/.',
);

function writeResults(
  backend: string,
  info: BackendInfo,
  bandwidth: number,
  results: BenchResult[],
): void {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
  mkdirSync(dir, { recursive: true });
  const date = new Date().toISOString().slice(0, 10);
  const file = join(dir, `${date}-${backend}.json`);
  const record = {
    date,
    node: process.version,
    backend: info,
    copyBandwidthGBps: bandwidth,
    results,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}
