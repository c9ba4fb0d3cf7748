import { useBackend } from '@descent/core';
import { trainLenet } from './train-lenet';

const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu' | 'webgpu';
const info = await useBackend(backend);
console.log(`LeNet-300-100 on MNIST (8 000 train / 2 000 test digits), backend ${info.name}`);
const reports = await trainLenet({
  epochs: Number(process.argv[3] ?? 5),
  onEpoch: ({ epoch, trainLoss, testAccuracy, samplesPerSecond, seconds }) =>
    console.log(
      `epoch ${epoch}: train loss ${trainLoss.toFixed(4)}, test accuracy ${(100 * testAccuracy).toFixed(2)} %, ` +
        `${Math.round(samplesPerSecond)} samples/s (${seconds.toFixed(1)} s)`,
    ),
});
const seconds = reports.reduce((s, r) => s + r.seconds, 0);
const samples = reports.reduce((s, r) => s + r.samplesPerSecond * r.seconds, 0);
console.log(
  `overall: ${Math.round(samples / seconds)} samples/s over ${reports.length} epochs (${seconds.toFixed(1)} s of training)`,
);
