import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, Rng } from '@descent/core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { type Batch, batches } from './batches';
import type { Dataset } from './dataset';

/** 23 examples of shape [2, 3] with distinct values, labels i mod 4. */
function toyClassification(n = 23): Dataset {
  const x = Float32Array.from({ length: n * 6 }, (_, i) => i * 0.5 - 3);
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  return { x, xShape: [2, 3], y, yShape: [], n, numClasses: 4 };
}

/** 10 examples with 2-dimensional float targets. */
function toyRegression(n = 10): Dataset {
  const x = Float32Array.from({ length: n }, (_, i) => i);
  const y = Float32Array.from({ length: n * 2 }, (_, i) => i * 0.25);
  return { x, xShape: [1], y, yShape: [2], n };
}

/** Reads a whole epoch: indices and values, checking each batch against the dataset rows. */
async function readEpoch(iterable: Iterable<Batch>, ds: Dataset) {
  const indices: number[][] = [];
  const values: number[] = [];
  const d = ds.x.length / ds.n;
  const m = ds.y.length / ds.n;
  for (const { x, y, indices: idx } of iterable) {
    expect(x.shape).toEqual([idx.length, ...ds.xShape]);
    expect(y.shape).toEqual([idx.length, ...ds.yShape]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe(ds.y instanceof Int32Array ? 'int32' : 'float32');
    const xv = await x.data();
    const yv = await y.data();
    idx.forEach((row, i) => {
      expect(Array.from(xv.subarray(i * d, (i + 1) * d))).toEqual(
        Array.from(ds.x.subarray(row * d, (row + 1) * d)),
      );
      expect(Array.from(yv.subarray(i * m, (i + 1) * m))).toEqual(
        Array.from(ds.y.subarray(row * m, (row + 1) * m)),
      );
    });
    indices.push(Array.from(idx));
    values.push(...xv, ...yv);
  }
  return { indices, values };
}

/** What each backend produced for the same seeded shuffle, compared after all backends ran. */
const seen = new Map<BackendName, number[]>();

forEachBackend('batches', (backend) => {
  it('visits every index once per epoch, in order without shuffle, with the data of those rows', async () => {
    const ds = toyClassification();
    const loader = batches(ds, { batchSize: 5 });
    expect(loader.numBatches).toBe(5);
    const { indices } = await expectNoLeaks(() => readEpoch(loader, ds));
    expect(indices.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    expect(indices.flat()).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('drops the last partial batch with dropLast', async () => {
    const ds = toyClassification();
    const loader = batches(ds, { batchSize: 5, dropLast: true, shuffle: true, seed: 1 });
    expect(loader.numBatches).toBe(4);
    const { indices } = await readEpoch(loader, ds);
    expect(indices.map((b) => b.length)).toEqual([5, 5, 5, 5]);
    expect(new Set(indices.flat()).size).toBe(20);
    const exact = batches(toyClassification(20), { batchSize: 5, dropLast: true });
    expect(exact.numBatches).toBe(4);
  });

  it('shuffles by the seed: a permutation per epoch, the same sequence for the same seed', async () => {
    const ds = toyRegression();
    const a = batches(ds, { batchSize: 4, shuffle: true, seed: 42 });
    const b = batches(ds, { batchSize: 4, shuffle: true, seed: 42 });
    const a1 = (await readEpoch(a, ds)).indices.flat();
    const a2 = (await readEpoch(a, ds)).indices.flat();
    const b1 = (await readEpoch(b, ds)).indices.flat();
    const b2 = (await readEpoch(b, ds)).indices.flat();
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(a1).toEqual(b1);
    expect(a2).toEqual(b2);
    expect(a1).not.toEqual(a2);
    // Epoch e uses the e-th permutation of new Rng(seed).
    const rng = new Rng(42);
    expect(a1).toEqual(Array.from(rng.permutation(10)));
    expect(a2).toEqual(Array.from(rng.permutation(10)));
    const c1 = (
      await readEpoch(batches(ds, { batchSize: 4, shuffle: true, seed: 43 }), ds)
    ).indices.flat();
    expect(c1).not.toEqual(a1);
  });

  it('draws from a given rng, advancing it', async () => {
    const ds = toyRegression();
    const shared = new Rng('shared');
    const reference = new Rng('shared');
    const loader = batches(ds, { batchSize: 3, shuffle: true, rng: shared });
    expect((await readEpoch(loader, ds)).indices.flat()).toEqual(
      Array.from(reference.permutation(10)),
    );
    expect(shared.float()).toBe(reference.float());
  });

  it('leaks nothing over an epoch, on break, or when a batch throws inside the loop', async () => {
    const ds = toyClassification(50);
    await expectNoLeaks(async () => {
      let sum = 0;
      for (const { x } of batches(ds, { batchSize: 8, shuffle: true, seed: 0 })) {
        const s = tf.sum(x);
        sum += (await s.data())[0] as number;
        s.dispose();
      }
      expect(sum).toBeCloseTo(
        ds.x.reduce((a, b) => a + b, 0),
        1,
      );
    });
    await expectNoLeaks(() => {
      for (const _ of batches(ds, { batchSize: 8 })) break;
    });
    await expectNoLeaks(() => {
      expect(() => {
        for (const _ of batches(ds, { batchSize: 8 })) throw new Error('boom');
      }).toThrow('boom');
    });
    await expectNoLeaks(() => {
      const it = batches(ds, { batchSize: 8 })[Symbol.iterator]();
      const first = it.next();
      expect(first.done).toBe(false);
      it.return?.();
      expect((first.value as Batch).x.isDisposed).toBe(true);
      expect(it.next().done).toBe(true);
    });
  });

  it('disposes the previous batch when it advances (a kept batch must be cloned)', () => {
    const ds = toyClassification();
    const it = batches(ds, { batchSize: 10 })[Symbol.iterator]();
    const first = it.next().value as Batch;
    const kept = tf.clone(first.x);
    it.next();
    expect(first.x.isDisposed).toBe(true);
    expect(first.y.isDisposed).toBe(true);
    expect(kept.isDisposed).toBe(false);
    kept.dispose();
    it.return?.();
  });

  it('gives the same seeded batches on every backend', async () => {
    const ds = toyClassification(40);
    const { values } = await readEpoch(
      batches(ds, { batchSize: 7, shuffle: true, seed: 'backends' }),
      ds,
    );
    seen.set(backend, values);
  });

  it('rejects bad input before making any tensor', async () => {
    await expectNoLeaks(() => {
      const ds = toyClassification();
      expectDescentError(
        () => batches(ds, { batchSize: 0 }),
        'BAD_HYPERPARAM',
        'batches.batchSize',
      );
      expectDescentError(
        () => batches(ds, { batchSize: 2, seed: 1, rng: new Rng(1) }),
        'BAD_ARGUMENT',
        'rng or seed',
      );
      expectDescentError(
        () => batches(ds, { batchSize: 2, shuffle: 'yes' as never }),
        'BAD_HYPERPARAM',
        'batches.shuffle',
      );
      expectDescentError(
        () => batches(ds, { batchSize: 2, rng: {} as Rng }),
        'BAD_ARGUMENT',
        'batches.rng',
      );
      expectDescentError(() => batches(ds, { batch: 2 } as never), 'UNKNOWN_PARAM', 'batch');
      expectDescentError(
        () => batches({ ...ds, n: 22 }, { batchSize: 2 }),
        'SHAPE_MISMATCH',
        'dataset.x',
        '[2, 3]',
      );
      expectDescentError(
        () => batches({ ...ds, x: Array.from(ds.x) as never }, { batchSize: 2 }),
        'DTYPE_MISMATCH',
        'dataset.x',
      );
      expectDescentError(
        () => batches({ ...ds, numClasses: 3 }, { batchSize: 2 }),
        'BAD_ARGUMENT',
        'dataset.y[3]',
      );
    });
  });
});

describe('batches across backends', () => {
  it('produced identical values on every backend that ran', () => {
    const runs = [...seen.values()];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run).toEqual(runs[0]);
  });
});
