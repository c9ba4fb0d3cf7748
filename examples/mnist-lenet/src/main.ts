import { useBackend } from '@descent/core';
import { trainLenet } from './train-lenet';

const backend = (process.argv[2] ?? 'wasm') as 'wasm' | 'cpu' | 'webgpu';
const info = await useBackend(backend);
console.log(`LeNet-300-100 on MNIST (8 000 train / 2 000 test digits), backend ${info.name}`);
const started = performance.now();
await trainLenet({
  epochs: Number(process.argv[3] ?? 5),
  onEpoch: ({ epoch, trainLoss, testAccuracy }) =>
    console.log(
      `epoch ${epoch}: train loss ${trainLoss.toFixed(4)}, test accuracy ${(100 * testAccuracy).toFixed(2)} % ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    ),
});
