import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@descent/core';
import { ProgressLine } from '@descent/example-support';
import { type ExperimentOptions, runLottery } from './experiment';
import { accuraciesAt, curvesOf, describeDifference, difference } from './findings';
import { formatSummary, summarize } from './render/curves';
import { renderSvg } from './render/svg-plot';
import { renderTable } from './render/table';

const KIND_NAMES: Record<string, string> = {
  ticket: 'winning ticket',
  randomReinit: 'random reinit',
  randomPruning: 'random pruning',
};

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    seeds: { type: 'string' },
    rounds: { type: 'string' },
    epochs: { type: 'string' },
    'rewind-to': { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = values.quick === true;
const options: ExperimentOptions = {
  seeds: (values.seeds ?? (quick ? '0' : '0,1,2')).split(',').map(Number),
  rounds: Number(values.rounds ?? (quick ? 2 : 7)),
  epochs: Number(values.epochs ?? (quick ? 1 : 2)),
  batchSize: 60,
  learningRate: 1.2e-3,
  evaluationsPerEpoch: 2,
  controls: 'every-round',
  rewindTo: Number(values['rewind-to'] ?? 0),
};
const here = dirname(fileURLToPath(import.meta.url));
const out = values.out ?? join(here, '..', quick ? 'lottery-mnist-quick.svg' : 'lottery-mnist.svg');

const backend = await useBackend(values.backend as BackendName);
console.log(
  `Lottery tickets on MNIST: LeNet-300-100, ${options.rounds} rounds of iterative magnitude pruning ` +
    `(20 % of each hidden layer, 10 % of the output layer per round), rewinding to ${options.rewindTo ? `step ${options.rewindTo}` : 'the initialization'};\n` +
    `Adam η = ${options.learningRate}, batch ${options.batchSize}, ${options.epochs} epoch(s) per run on ` +
    `7 000 training digits (1 000 more for validation, 2 000 for test); seeds ${options.seeds.join(', ')}; backend ${backend.name}.\n`,
);

let line: ProgressLine | undefined;
const started = performance.now();
const result = await runLottery({
  ...options,
  onRun: (seed, round, kind) => {
    line?.finish();
    line = new ProgressLine(
      process.stdout,
      `seed ${seed} round ${round} ${KIND_NAMES[kind]}`.padEnd(36),
    );
  },
  onStep: (done, total) => line?.update(done, total, `${done}/${total} steps`),
  onRound: (_seed, report) => {
    line?.finish();
    line = undefined;
    const runs = [report.ticket, report.randomReinit, report.randomPruning].filter(
      (r) => r !== undefined,
    );
    const summary = runs
      .map((r) => `${KIND_NAMES[r.kind]} ${(100 * r.earlyStop.accuracy).toFixed(2)} %`)
      .join(', ');
    console.log(
      `  density ${(100 * report.density.overall.density).toFixed(1)} %: ${summary} ` +
        `(round ${report.seconds.toFixed(1)} s, total ${((performance.now() - started) / 1000).toFixed(0)} s)`,
    );
  },
});

const seeds = options.seeds.length;
const early = curvesOf(result, 'earlyStop');
console.log(
  `\nTest accuracy at early stop (the step of least validation loss), ${seeds === 1 ? '1 seed' : `mean ± std over ${seeds} seeds`}:\n`,
);
console.log(renderTable(early));
console.log(`\nTest accuracy after the last step:\n`);
console.log(renderTable(curvesOf(result, 'final')));

const last = options.rounds;
const ticket = accuraciesAt(result, 'ticket', last, 'earlyStop');
const dense = accuraciesAt(result, 'ticket', 0, 'earlyStop');
const reinit = accuraciesAt(result, 'randomReinit', last, 'earlyStop');
const pruned = accuraciesAt(result, 'randomPruning', last, 'earlyStop');
const density = (result.bySeed[0]?.result.rounds[last]?.density.overall.density ?? 1) * 100;
console.log(
  `\nAt ${density.toFixed(1)} % of the weights (round ${last}), early-stop test accuracy:`,
);
console.log(
  `  winning ticket ${formatSummary(summarize(ticket), seeds)}, dense ${formatSummary(summarize(dense), seeds)}`,
);
console.log(
  `  winning ticket − dense:          ${describeDifference(difference(ticket, dense), seeds)}`,
);
console.log(
  `  winning ticket − random reinit:  ${describeDifference(difference(ticket, reinit), seeds)}`,
);
console.log(
  `  winning ticket − random pruning: ${describeDifference(difference(ticket, pruned), seeds)}`,
);
console.log(
  `\nTraining throughput ${result.samplesPerSecond.toFixed(0)} samples/s on ${backend.name} ` +
    `(forward, backward and Adam step; evaluation excluded); whole run ${result.seconds.toFixed(0)} s.`,
);

writeFileSync(
  out,
  renderSvg(early, {
    title: 'Lottery tickets: LeNet-300-100 on MNIST',
    subtitle:
      `Early-stop test accuracy · IMP 20 %/round (output 10 %) · ${options.epochs} epoch(s)/run · ` +
      (seeds === 1 ? '1 seed' : `${seeds} seeds, band min–max`),
  }),
);
console.log(`Plot written to ${out}`);
