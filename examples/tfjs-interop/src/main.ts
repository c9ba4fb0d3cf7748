import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendName, useBackend } from '@descent/core';
import { describePruning, describeResume } from './findings';
import { FULL_SETTINGS, QUICK_SETTINGS } from './settings';
import { runUpgrades } from './upgrade-run';
import { upgradeTable } from './upgrade-table';

const { values } = parseArgs({
  options: {
    backend: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    groups: { type: 'string' },
  },
});
const settings = values.quick === true ? QUICK_SETTINGS : FULL_SETTINGS;
const outDir = values.out ?? join(tmpdir(), 'descent-tfjs-interop');
const norm = values.groups === undefined ? 'layer' : { groups: Number(values.groups) };

// Without --backend: the fastest available (a GPU's webgpu, else wasm).
const backend = await useBackend(
  values.backend === undefined ? undefined : (values.backend as BackendName),
);
console.log(
  `A tf.sequential MNIST classifier (flatten → dense 256 relu → dense 128 relu → dense 10 softmax) ` +
    `upgraded one descent import at a time;\n${settings.trainDigits} training / ${settings.testDigits} test digits, ` +
    `${settings.epochs} epoch(s) per dense step, ${settings.fineTuneEpochs} of fine-tuning after pruning, ` +
    `batch 64; backend ${backend.name}.\n`,
);
const started = performance.now();
const result = await runUpgrades({
  ...settings,
  outDir,
  norm,
  onStep: (s) =>
    console.log(
      `step ${s.step} ${s.name}: test accuracy ${(100 * s.testAccuracy).toFixed(2)} %, ` +
        `last epoch's loss ${(s.losses.at(-1) as number).toFixed(4)}, ${s.secondsPerEpoch.toFixed(1)} s/epoch`,
    ),
});
console.log(`\n${upgradeTable(result.steps)}\n`);
for (const line of [...describePruning(result.pruning), ...describeResume(result.resume)]) {
  console.log(line);
}
console.log(
  `\nmodel.json and weights.bin written to ${outDir}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
);
