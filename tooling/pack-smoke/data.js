await core.useBackend('wasm');
const blobs = pkg.gaussianBlobs({ n: 64, k: 2, dim: 3, seed: 1 });
let seen = 0;
for (const batch of pkg.batches(blobs, { batchSize: 16, shuffle: true, seed: 0 })) {
  check(
    batch.x.shape.join() === `${batch.y.shape[0]},3`,
    `batch shapes ${batch.x.shape} ${batch.y.shape}`,
  );
  seen += batch.y.shape[0] ?? 0;
}
check(seen === 64, `batches covered ${seen} of 64 examples`);
report('gaussianBlobs + batches: 4 batches of 16 covering every example');
