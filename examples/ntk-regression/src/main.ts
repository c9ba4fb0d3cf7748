import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@descent/core';
import { ProgressLine, lineChartSvg, renderTextTable } from '@descent/example-support';
import { kernelConvergence, kernelPrediction, mean, trainAgainstKernel } from './experiment';
import { ARCHITECTURE, makeProblem } from './problem';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    quick: { type: 'boolean', default: false },
    'out-dir': { type: 'string' },
  },
});
const quick = values.quick === true;
const setup = quick
  ? { widths: [16, 256], seeds: [0, 1], trainWidths: [16, 256], trainSeeds: [0], steps: 100 }
  : {
      widths: [16, 64, 256, 1024, 4096],
      seeds: [0, 1, 2, 3, 4, 5, 6, 7],
      trainWidths: [16, 64, 256, 1024, 2048],
      trainSeeds: [0, 1, 2],
      steps: 300,
    };
const here = dirname(fileURLToPath(import.meta.url));
const outDir = values['out-dir'] ?? join(here, '..');
const backend = await useBackend(values.backend as BackendName);
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
console.log(
  `NTK regression: y = sin x + noise (σ 0.1) at 12 points of [−π, π]; MLPs with ${ARCHITECTURE.depth} hidden erf layers, ` +
    `NTK parameterization, σ_w = ${ARCHITECTURE.weightStd}, σ_b = ${ARCHITECTURE.biasStd}; backend ${backend.name}.\n`,
);
const problem = makeProblem();

// (a) empirical → analytic
let line = new ProgressLine(process.stdout, '(a) empirical NTKs'.padEnd(28));
const convergence = await kernelConvergence(problem, setup.widths, setup.seeds, (done, total) =>
  line.update(done, total, `${done}/${total} nets`),
);
line.finish(`(${seconds()} s)`);
console.log(
  `\n(a) Relative distance of the empirical NTK from the infinite-width NTK on the training points, mean over ${setup.seeds.length} seeds:\n`,
);
console.log(
  renderTextTable(
    ['width', '‖Θ̂ − Θ‖ / ‖Θ‖', 'min', 'max', '2/√width', 'ratio'],
    convergence.map((r) => [
      String(r.width),
      r.mean.toFixed(4),
      Math.min(...r.relativeErrors).toFixed(4),
      Math.max(...r.relativeErrors).toFixed(4),
      r.reference.toFixed(4),
      (r.mean / r.reference).toFixed(2),
    ]),
  ),
);

// (b), (c) training against the kernel's prediction
const kernel = await kernelPrediction(problem, setup.steps);
console.log(
  `\nGradient descent: ${setup.steps} full-batch steps at η = ${kernel.learningRate.toFixed(4)} ` +
    `(half of 2N/λ_max of the infinite-width NTK), nets centered at initialization.\n`,
);
line = new ProgressLine(process.stdout, '(b, c) training'.padEnd(28));
const totalRuns = setup.trainWidths.length * setup.trainSeeds.length;
let runsDone = 0;
const training = await trainAgainstKernel(
  problem,
  setup.trainWidths,
  kernel,
  setup.trainSeeds,
  (width, seed, step, steps) => {
    if (step === steps) runsDone += 1;
    line.update(
      runsDone * steps + (step === steps ? 0 : step),
      totalRuns * steps,
      `width ${width} seed ${seed}`,
    );
  },
);
line.finish(`(${seconds()} s)`);
console.log(
  `\n(b) How far the empirical NTK moved in training, (c) how far the trained net's test predictions are from the NTK's, ` +
    `mean over ${setup.trainSeeds.length} seed(s):\n`,
);
console.log(
  renderTextTable(
    ['width', '‖Θ_T − Θ_0‖ / ‖Θ_0‖', 'RMS gap to NTK prediction', 'train MSE'],
    training.map((r) => [
      String(r.width),
      mean(r.kernelChange).toFixed(4),
      mean(r.gapToKernel).toFixed(4),
      mean(r.trainLoss).toFixed(4),
    ]),
  ),
);
console.log(
  `\nThe infinite-width NTK's own test RMSE against sin x after ${setup.steps} steps: ${kernel.testRmse.toFixed(4)}. ` +
    `Whole run ${seconds()} s.`,
);

const grid = Array.from(await problem.xTest.data());
const xTrain = Array.from(await problem.xTrain.data());
const yTrain = Array.from(await problem.yTrain.data());
const file = (name: string) => join(outDir, quick ? `quick-${name}` : name);
writeFileSync(
  file('ntk-convergence.svg'),
  lineChartSvg({
    title: 'Wide nets and their neural tangent kernel',
    subtitle: `relative Frobenius distances of kernels, RMS gap of test predictions; ${setup.steps} steps; mean over seeds`,
    xLabel: 'width',
    yLabel: 'distance',
    xScale: 'log',
    yScale: 'log',
    series: [
      { name: 'NTK at init vs ∞', points: convergence.map((r) => [r.width, r.mean]) },
      {
        name: '2/√width',
        points: convergence.map((r) => [r.width, r.reference]),
        style: 'line',
        dashed: true,
      },
      {
        name: 'NTK change in training',
        points: training.map((r) => [r.width, mean(r.kernelChange)]),
      },
      {
        name: 'test gap to NTK',
        points: training.map((r) => [r.width, mean(r.gapToKernel)]),
      },
    ],
  }),
);
// The narrowest, a middle and the widest net: more lines would hide the kernel's prediction.
const shown = [...new Set([0, Math.floor(training.length / 2), training.length - 1])].map(
  (i) => training[i] as (typeof training)[number],
);
writeFileSync(
  file('ntk-predictions.svg'),
  lineChartSvg({
    title: 'Trained nets approach the NTK prediction',
    subtitle: `test predictions after ${setup.steps} steps (seed ${setup.trainSeeds[0]})`,
    xLabel: 'x',
    yLabel: 'f(x)',
    series: [
      {
        name: 'NTK prediction',
        points: grid.map((x, i) => [x, kernel.test[i] as number]),
        style: 'line',
      },
      ...shown.map((r) => ({
        name: `width ${r.width}`,
        points: grid.map((x, i) => [x, r.predictions[i] as number] as [number, number]),
        style: 'line' as const,
      })),
      { name: 'sin x', points: grid.map((x) => [x, Math.sin(x)]), style: 'line', dashed: true },
      {
        name: 'training points',
        points: xTrain.map((x, i) => [x, yTrain[i] as number]),
        style: 'points',
      },
    ],
  }),
);
console.log(`Plots written to ${file('ntk-convergence.svg')} and ${file('ntk-predictions.svg')}`);
problem.dispose();
