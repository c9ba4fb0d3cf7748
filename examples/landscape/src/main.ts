import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@descent/core';
import { ProgressLine, renderTextTable } from '@descent/example-support';
import { FULL, type LandscapeOptions, QUICK, runLandscape } from './experiment';
import { findings } from './findings';
import { densitySvg, pathsSvg, surfaceSvg } from './render/charts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    seed: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const quick = values.quick === true;
const options: LandscapeOptions = {
  ...(quick ? QUICK : FULL),
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
};
const here = dirname(fileURLToPath(import.meta.url));
const out = values.out ?? join(here, '..', quick ? 'quick-output' : 'figures');

const backend = await useBackend(values.backend as BackendName);
console.log(
  `The loss landscape of a 784-${options.hidden}-10 ReLU MLP on ${options.trainExamples} MNIST digits ` +
    `(SGD, momentum ${options.momentum}, η = ${options.learningRate}, ${options.epochs} epochs; ` +
    `batch ${options.smallBatch} for minima A and B, ${options.largeBatch} for C); backend ${backend.name}.\n`,
);

let line: ProgressLine | undefined;
const result = await runLandscape(options, {
  phase: (name) => {
    line?.finish();
    line = new ProgressLine(process.stdout, name.padEnd(34));
  },
  step: (done, total) => line?.update(done, total, `${done}/${total}`),
});
line?.finish();

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
console.log(
  `\n${renderTextTable(
    ['minimum', 'batch', 'epochs', 'train loss', 'train acc', 'test acc'],
    result.minima.map((m) => [
      m.name,
      String(m.batchSize),
      String(m.epochs),
      f3(m.train.loss),
      pct(m.train.accuracy),
      pct(m.test.accuracy),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
  )}\n`,
);
const maxAt = (loss: number[]) => loss.indexOf(Math.max(...loss));
console.log(
  `${renderTextTable(
    ['path A → B', 'barrier', 'max loss', 'at t', 'min test acc'],
    [
      ['linear', result.linear],
      ['Bezier curve (trained)', result.curve],
    ].map(([name, p]) => {
      const path = p as typeof result.linear;
      return [
        name as string,
        f3(path.barrier),
        f3(Math.max(...path.loss)),
        f3(path.ts[maxAt(path.loss)] as number),
        pct(Math.min(...path.accuracy)),
      ];
    }),
    { align: ['left', 'right', 'right', 'right', 'right'] },
  )}\n`,
);
console.log(
  `${renderTextTable(
    ['Hessian at', 'top eigenvalues', 'trace (± s.e.)', 'converged'],
    [
      [`A (batch ${options.smallBatch})`, result.spectrum.small],
      [`C (batch ${options.largeBatch})`, result.spectrum.large],
    ].map(([name, s]) => {
      const spectrum = s as typeof result.spectrum.small;
      return [
        name as string,
        spectrum.eigenvalues.map(f3).join(', '),
        `${spectrum.trace.toFixed(1)} ± ${spectrum.traceStandardError.toFixed(1)}`,
        spectrum.converged ? 'yes' : 'no',
      ];
    }),
    { align: ['left', 'right', 'right', 'left'] },
  )}\n`,
);
console.log(
  `surface: ${result.surface.alphas.length} × ${result.surface.betas.length} points at ` +
    `${result.surface.pointsPerSecond.toFixed(0)} points/s; ${result.parameters} parameters; ` +
    `${result.seconds.toFixed(0)} s in all.\n`,
);
for (const f of findings(result)) {
  console.log(`${f.holds ? '✓' : '✗'} ${f.claim}: ${f.evidence}`);
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'paths.svg'), pathsSvg(result));
writeFileSync(join(out, 'surface.svg'), surfaceSvg(result));
writeFileSync(join(out, 'density.svg'), densitySvg(result));
writeFileSync(join(out, 'results.json'), `${JSON.stringify(result, null, 1)}\n`);
console.log(`\nfigures and numbers written to ${out}/`);
