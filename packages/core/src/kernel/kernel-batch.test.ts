import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { BackendName } from '../backend/backend-info';
import { useBackend } from '../backend/use-backend';
import { expectClose, expectDescentError, expectNoLeaks, forEachBackend } from '../testing';
import { defineKernel, type KernelPath } from './define-kernel';
import { wasmInternals } from './tfjs-internals';

/** `a ← a − s·(k·g + b)` and `b ← max(t·b, a − g)` (both read the old `a`), `k` read on the device. */
const coupled = defineKernel({
  name: 'test.batch.coupled',
  inouts: ['a', 'b'],
  inputs: ['g'],
  scalars: ['k'],
  uniforms: ['s', 't'],
  update: ({ a, b, g, k, s, t }, o) => ({
    a: o.sub(a, o.mul(s, o.add(o.mul(k, g), b))),
    b: o.max(o.mul(t, b), o.sub(a, g)),
  }),
  reference: ({ a, b }, { g, k }, { s, t }) => ({
    a: tf.sub(a, tf.mul(tf.scalar(s), tf.add(tf.mul(k, g), b))),
    b: tf.maximum(tf.mul(tf.scalar(t), b), tf.sub(a, g)),
  }),
});

/** `m ← t·m + g`, `w ← w − s·m` (the new `m`): a momentum step, `m` being optimizer state. */
const momentum = defineKernel({
  name: 'test.batch.momentum',
  inouts: ['w', 'm'],
  inputs: ['g'],
  uniforms: ['s', 't'],
  update: ({ w, m, g, s, t }, o) => {
    const next = o.add(o.mul(t, m), g);
    return { w: o.sub(w, o.mul(s, next)), m: next };
  },
  reference: ({ w, m }, { g }, { s, t }) => {
    const next = tf.add(tf.mul(tf.scalar(t), m), g);
    return { w: tf.sub(w, tf.mul(tf.scalar(s), next)), m: next };
  },
});

const FUSED: Record<BackendName, KernelPath> = {
  cpu: 'reference',
  wasm: 'wasm-simd',
  webgpu: 'webgpu',
};
const EXACT = { rtol: 0, atol: 0 };
const f = Math.fround;

const sizeOf = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => f(Math.sin(i * 0.37 + seed * 1.7 + 0.1)));

/** A variable that takes over `t`'s buffer (no tensor left behind to alias it or leak). */
function own(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t);
  t.dispose();
  return v;
}

const variableOf = (data: readonly number[], shape: readonly number[] = [data.length]) =>
  own(tf.tensor(data as number[], [...shape]));

async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Every value of every tensor, to compare after a call that must have changed nothing. */
async function snapshot(tensors: readonly tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(read));
}

async function expectUnchanged(tensors: readonly tf.Tensor[], before: readonly number[][]) {
  for (const [i, t] of tensors.entries()) await expectClose(t, before[i]!, EXACT);
}

/** Float64 `coupled` on float32 values; `s`, `t` travel as float32. */
function coupledRule(a: number[], b: number[], g: number[], k: number, s: number, t: number) {
  return {
    a: a.map((ai, i) => ai - f(s) * (k * g[i]! + b[i]!)),
    b: b.map((bi, i) => Math.max(f(t) * bi, a[i]! - g[i]!)),
  };
}

function momentumRule(w: number[], m: number[], g: number[], s: number, t: number) {
  const next = m.map((mi, i) => f(t) * mi + g[i]!);
  return { w: w.map((wi, i) => wi - f(s) * next[i]!), m: next };
}

/** Rows of `coupled`, one per shape, with deterministic values (the same for the same `seed`). */
function coupledRows(shapes: readonly (readonly number[])[], seed = 0): tf.Variable[][] {
  return shapes.map((shape, r) => [
    variableOf(values(sizeOf(shape), seed + 2 * r), shape),
    variableOf(values(sizeOf(shape), seed + 2 * r + 1), shape),
  ]);
}

/** Each row's `g` (the row's shape) and `k` (shape `[]` or `[1]`), different on every run. */
function coupledReads(shapes: readonly (readonly number[])[], run: number): tf.Tensor[] {
  return shapes.flatMap((shape, r) => [
    tf.tensor(values(sizeOf(shape), 100 + 10 * run + r), [...shape]),
    r % 2 === 0 ? tf.scalar(0.5 + 0.25 * r - 0.1 * run) : tf.tensor([0.3 * run - 0.2 * r], [1]),
  ]);
}

/** Each row's `s` and `t`, different on every row and run. */
function coupledUniforms(rows: number, run: number): number[] {
  return Array.from({ length: rows }, (_, r) => [
    0.1 + 0.03 * r + 0.01 * run,
    0.9 - 0.1 * r,
  ]).flat();
}

/** The expected values of every row's inouts after `coupled` runs on each row with these reads. */
async function expectedCoupled(
  rows: readonly tf.Variable[][],
  reads: readonly tf.Tensor[],
  uniforms: ArrayLike<number>,
) {
  return Promise.all(
    rows.map(async ([a, b], r) => {
      const [g, k] = [reads[2 * r]!, reads[2 * r + 1]!];
      const next = coupledRule(
        await read(a!),
        await read(b!),
        await read(g),
        (await read(k))[0]!,
        uniforms[2 * r]!,
        uniforms[2 * r + 1]!,
      );
      return [next.a, next.b];
    }),
  );
}

async function expectRows(rows: readonly tf.Variable[][], expected: number[][][], rtol = 1e-6) {
  for (const [r, row] of rows.entries()) {
    for (const [j, v] of row.entries()) {
      await expectClose(v, expected[r]![j]!, { rtol, atol: rtol === 0 ? 0 : 1e-6 });
    }
  }
}

// Sizes 0 … 1000: empty rows, rows shorter than one f32x4, vec4 tails, and a 2-D row.
const SHAPES = [[3], [0], [10, 100], [1], [5], [7], [2, 0]];

forEachBackend('KernelBatch: numbers', (backend) => {
  it('rows of sizes 0 … 1000 with their own reads and hyperparameters match a float64 reference and single calls', async () => {
    const rows = coupledRows(SHAPES);
    const copies = coupledRows(SHAPES);
    const batch = coupled.batch(rows);
    expect(batch.rows).toBe(SHAPES.length);
    for (let run = 0; run < 4; run++) {
      const reads = coupledReads(SHAPES, run);
      const list = coupledUniforms(SHAPES.length, run);
      // Any ArrayLike is accepted; a Float32Array holds exactly what the kernels see.
      const uniforms = run === 1 ? Float32Array.from(list) : list;
      const expected = await expectedCoupled(rows, reads, uniforms);
      expect(batch.run(reads, uniforms)).toBe(FUSED[backend]);
      copies.forEach((row, r) => {
        const single = coupled.positional(row, reads.slice(2 * r, 2 * r + 2), [
          uniforms[2 * r]!,
          uniforms[2 * r + 1]!,
        ]);
        expect(single).toBe(FUSED[backend]);
      });
      await expectRows(rows, expected);
      await expectRows(
        rows,
        await Promise.all(copies.map((row) => snapshot(row))),
        0, // the same generated code on the same values
      );
      tf.dispose(reads);
    }
    batch.dispose();
    tf.dispose(rows.flat());
    tf.dispose(copies.flat());
  });

  it("{ path: 'reference' } runs the tfjs-ops reference, and fused runs before and after it agree", async () => {
    const rows = coupledRows(SHAPES, 7);
    const batch = coupled.batch(rows);
    const paths = ['auto', 'reference', 'auto', 'reference', 'auto'] as const;
    for (const [run, path] of paths.entries()) {
      const reads = coupledReads(SHAPES, run);
      const uniforms = coupledUniforms(SHAPES.length, run);
      const expected = await expectedCoupled(rows, reads, uniforms);
      expect(batch.run(reads, uniforms, { path })).toBe(
        path === 'reference' ? 'reference' : FUSED[backend],
      );
      await expectRows(rows, expected);
      tf.dispose(reads);
    }
    batch.dispose();
    tf.dispose(rows.flat());
  });

  it('a batch of no rows runs nothing and reports the path of the active backend', () => {
    const batch = coupled.batch([]);
    expect(batch.rows).toBe(0);
    expect(batch.run([], [])).toBe(FUSED[backend]);
    expect(batch.run([], new Float32Array(0), { path: 'reference' })).toBe('reference');
    batch.dispose();
  });
});

forEachBackend('KernelBatch: rows run in order, as single calls would', (backend) => {
  it('a row reads a variable that an earlier row writes, and a variable sits in two rows', async () => {
    // row 0: (w0, m0) ← g;  row 1: (w1, m1) ← w0 (new);  row 2: (w0, m2) ← m1 (new)
    const make = () => [0, 1, 2, 3, 4].map((i) => variableOf(values(6, 40 + i), [2, 3]));
    const [w0, m0, w1, m1, m2] = make() as [
      tf.Variable,
      tf.Variable,
      tf.Variable,
      tf.Variable,
      tf.Variable,
    ];
    const copy = make() as [tf.Variable, tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    const g = tf.tensor(values(6, 50), [2, 3]);
    const batch = momentum.batch(
      [
        [w0, m0],
        [w1, m1],
        [w0, m2],
      ],
      { internal: ['m'] },
    );
    const uniforms = [0.1, 0.9, 0.2, 0.5, 0.3, 0.7];
    for (let run = 0; run < 2; run++) {
      const [W0, M0, W1, M1, M2] = await snapshot([w0, m0, w1, m1, m2]);
      const row0 = momentumRule(W0!, M0!, await read(g), 0.1, 0.9);
      const row1 = momentumRule(W1!, M1!, row0.w, 0.2, 0.5);
      const row2 = momentumRule(row0.w, M2!, row1.m, 0.3, 0.7);

      expect(batch.run([g, w0, m1], uniforms)).toBe(FUSED[backend]);
      momentum.positional([copy[0], copy[1]], [g], [0.1, 0.9]);
      momentum.positional([copy[2], copy[3]], [copy[0]], [0.2, 0.5]);
      momentum.positional([copy[0], copy[4]], [copy[3]], [0.3, 0.7]);

      await expectRows([[w0, m0], [w1, m1], [m2]], [[row2.w, row0.m], [row1.w, row1.m], [row2.m]]);
      for (const [v, c] of [
        [w0, copy[0]],
        [m0, copy[1]],
        [w1, copy[2]],
        [m1, copy[3]],
        [m2, copy[4]],
      ] as const) {
        await expectClose(v, c, EXACT);
      }
    }
    batch.dispose();
    tf.dispose([w0, m0, w1, m1, m2, g, ...copy]);
  });
});

forEachBackend('KernelBatch: validation when it is made', () => {
  const kernel = 'test.batch.coupled (batch row 1)';
  it('names the row and the buffer: wrong length, plain tensor, shapes, the same variable twice, disposed, int32', () => {
    const a = variableOf([1, 2]);
    const b = variableOf([3, 4]);
    const c = variableOf([5, 6, 7]);
    const plain = tf.tensor([1, 2]);
    const gone = variableOf([1, 2]);
    gone.dispose();
    const ints = own(tf.tensor([1, 2], [2], 'int32'));
    const batchOf = (second: unknown) => () => coupled.batch([[a, b], second as tf.Variable[]]);
    expectDescentError(batchOf([a]), 'BAD_ARGUMENT', 'batch row 1', '2 variables');
    expectDescentError(batchOf([a, b, c]), 'BAD_ARGUMENT', 'batch row 1');
    expectDescentError(batchOf(a), 'BAD_ARGUMENT', 'batch row 1');
    expectDescentError(batchOf([a, plain]), 'BAD_ARGUMENT', kernel, 'b (shape [2])', 'tf.Variable');
    expectDescentError(batchOf([a, c]), 'SHAPE_MISMATCH', kernel, '[3]', '[2]');
    expectDescentError(batchOf([b, b]), 'BAD_ARGUMENT', kernel, 'same variable');
    expectDescentError(batchOf([gone, b]), 'DISPOSED', kernel, 'variable a');
    expectDescentError(batchOf([a, ints]), 'DTYPE_MISMATCH', kernel, 'variable b');
    expectDescentError(
      () => coupled.batch('not rows' as never),
      'BAD_ARGUMENT',
      'test.batch.coupled',
    );
    expectDescentError(
      () => coupled.batch([[a, b]], { internal: ['m' as never] }),
      'UNKNOWN_PARAM',
      'internal',
      '"m"',
    );
    tf.dispose([a, b, c, plain, ints]);
  });
});

forEachBackend('KernelBatch: validation of each run, changing nothing', () => {
  it('rejects bad reads, hyperparameters and disposed buffers, before and after a first run', async () => {
    const shapes = [[2], [3], [4]];
    const rows = coupledRows(shapes, 3);
    const all = rows.flat();
    const batch = coupled.batch(rows);
    const reads = coupledReads(shapes, 1);
    const uniforms = coupledUniforms(3, 1);
    const gone = tf.tensor([1, 2, 3]);
    gone.dispose();
    const ints = tf.tensor([1, 2, 3], [3], 'int32');
    const pair = tf.tensor([1, 2]);
    const wrongShape = tf.tensor([1, 2, 3, 4, 5]);
    const withRead = (index: number, t: tf.Tensor) => reads.map((x, i) => (i === index ? t : x));
    const withUniform = (index: number, u: number) => uniforms.map((x, i) => (i === index ? u : x));
    const failures: [() => unknown, Parameters<typeof expectDescentError>[1], ...string[]][] = [
      [() => batch.run(reads.slice(1), uniforms), 'BAD_ARGUMENT', '3 rows', '6 read tensors'],
      [() => batch.run([...reads, reads[0]!], uniforms), 'BAD_ARGUMENT', 'got 7'],
      [() => batch.run(undefined as never, uniforms), 'BAD_ARGUMENT', '6 read tensors'],
      [() => batch.run(reads, uniforms.slice(1)), 'BAD_ARGUMENT', '6 hyperparameters'],
      [() => batch.run(reads, [...uniforms, 1]), 'BAD_ARGUMENT', '6 hyperparameters'],
      [() => batch.run(withRead(4, wrongShape), uniforms), 'SHAPE_MISMATCH', 'batch row 2', '[5]'],
      [() => batch.run(withRead(2, gone), uniforms), 'DISPOSED', 'batch row 1', 'input g'],
      [() => batch.run(withRead(2, ints), uniforms), 'DTYPE_MISMATCH', 'batch row 1', 'int32'],
      [
        () => batch.run(withRead(5, pair), uniforms),
        'SHAPE_MISMATCH',
        'batch row 2',
        'scalar input k',
      ],
      [() => batch.run(withRead(3, 1 as never), uniforms), 'BAD_ARGUMENT', 'batch row 1'],
      [() => batch.run(reads, withUniform(3, Number.NaN)), 'NON_FINITE', 'batch row 1', 't'],
      [() => batch.run(reads, withUniform(4, Infinity)), 'NON_FINITE', 'batch row 2', 's'],
    ];
    for (let phase = 0; phase < 2; phase++) {
      const before = await snapshot(all);
      for (const [call, code, ...fragments] of failures) {
        expectDescentError(call, code, ...fragments);
        await expectUnchanged(all, before);
      }
      batch.run(reads, uniforms); // the table now exists on wasm; the second phase sees it
    }
    const before = await snapshot(all);
    rows[1]![1]!.dispose();
    expectDescentError(() => batch.run(reads, uniforms), 'DISPOSED', 'batch row 1', 'variable b');
    const live = all.filter((v) => !v.isDisposed);
    await expectUnchanged(
      live,
      before.filter((_, i) => i !== 3),
    );
    batch.dispose();
    expectDescentError(() => batch.run(reads, uniforms), 'DISPOSED', 'disposed');
    tf.dispose([...all, ...reads, ints, pair, wrongShape]);
  });

  it('run after dispose() throws DISPOSED, even with valid arguments', async () => {
    const rows = coupledRows([[5]], 9);
    const batch = coupled.batch(rows);
    const reads = coupledReads([[5]], 0);
    batch.run(reads, [0.1, 0.2]);
    const before = await snapshot(rows[0]!);
    batch.dispose();
    expectDescentError(() => batch.run(reads, [0.1, 0.2]), 'DISPOSED', 'test.batch.coupled');
    await expectUnchanged(rows[0]!, before);
    batch.dispose(); // twice is harmless
    tf.dispose([...rows.flat(), ...reads]);
  });
});

forEachBackend('KernelBatch: shared buffers and reassigned variables', (backend) => {
  it('writes only the variable when its buffer is shared (tf.variable(x), tf.clone(v), v.assign(t))', async () => {
    const x = tf.randomNormal([9], 0, 1, 'float32', 11);
    const a = tf.variable(x); // aliases x's buffer
    const b = variableOf(values(9, 12));
    const batch = coupled.batch([[a, b]]);
    const step = async (run: number) => {
      const reads = coupledReads([[9]], run);
      const uniforms = coupledUniforms(1, run);
      const expected = await expectedCoupled([[a, b]], reads, uniforms);
      expect(batch.run(reads, uniforms)).toBe(FUSED[backend]);
      await expectRows([[a, b]], expected);
      tf.dispose(reads);
    };

    const x0 = await read(x);
    await step(0);
    await expectClose(x, x0, EXACT);

    const c = tf.clone(a); // shares a's buffer
    const c0 = await read(c);
    await step(1);
    await expectClose(c, c0, EXACT);
    await expectClose(x, x0, EXACT);

    const t = tf.tensor(values(9, 13));
    const t0 = await read(t);
    a.assign(t); // a now shares t's buffer
    await expectClose(a, t0, EXACT);
    await step(2);
    await expectClose(t, t0, EXACT);
    await step(3);
    await expectClose(t, t0, EXACT);
    await expectClose(c, c0, EXACT);

    batch.dispose();
    tf.dispose([x, a, b, c, t]);
  });

  it('a read that aliases a row variable sees its value from before the run', async () => {
    const x = tf.tensor(values(4, 20));
    const w = tf.variable(x);
    const m = variableOf(values(4, 21));
    const w2 = variableOf(values(4, 22));
    const m2 = variableOf(values(4, 23));
    const [X, M, W2, M2] = await snapshot([x, m, w2, m2]);
    // row 0 writes w (detaching it from x); row 1 reads x, which must keep its old values.
    const batch = momentum.batch([
      [w, m],
      [w2, m2],
    ]);
    expect(batch.run([x, x], [0.5, 0.5, 0.25, 0.25])).toBe(FUSED[backend]);
    const row0 = momentumRule(X!, M!, X!, 0.5, 0.5);
    const row1 = momentumRule(W2!, M2!, X!, 0.25, 0.25);
    await expectRows(
      [
        [w, m],
        [w2, m2],
      ],
      [
        [row0.w, row0.m],
        [row1.w, row1.m],
      ],
    );
    await expectClose(x, X!, EXACT);
    batch.dispose();
    tf.dispose([x, w, m, w2, m2]);
  });
});

/** The wasm heap's current buffer (replaced when the heap grows), or null off wasm. */
const heapBuffer = () => wasmInternals()?.wasm.asm?.memory?.buffer ?? null;

/** Elements of a float32 tensor that cannot fit in the wasm heap as it is (small elsewhere). */
function outgrowingSize(backend: BackendName): number {
  if (backend !== 'wasm') return backend === 'cpu' ? 1 << 20 : 1 << 12;
  return heapBuffer()!.byteLength / 4;
}

async function expectFilled(t: tf.Tensor, value: number) {
  const data = await t.data();
  const bad = data.findIndex((x) => x !== value);
  expect(bad, `element ${bad} is ${data[bad]}, expected ${value}`).toBe(-1);
}

forEachBackend('KernelBatch: wasm heap growth', (backend) => {
  it('runs correctly when the heap grew before the first run, between runs and during a run', async () => {
    const shapes = [[7], [0], [16], [3]];
    const rows = coupledRows(shapes, 30);
    const batch = coupled.batch(rows);
    const step = async (run: number) => {
      const reads = coupledReads(shapes, run);
      const uniforms = coupledUniforms(shapes.length, run);
      const expected = await expectedCoupled(rows, reads, uniforms);
      expect(batch.run(reads, uniforms)).toBe(FUSED[backend]);
      await expectRows(rows, expected);
      tf.dispose(reads);
    };
    const grow = () => {
      const heap = heapBuffer();
      const t = tf.fill([outgrowingSize(backend)], 0.5);
      if (backend === 'wasm') expect(heapBuffer(), 'the heap grew').not.toBe(heap);
      return t;
    };

    const first = grow(); // before the table exists
    await step(0);
    const second = grow(); // the table's typed views now look at a detached buffer
    await step(1);
    await step(2);
    tf.dispose([first, second]);

    // A row whose variable shares a buffer too big for the heap's free space: its private copy
    // grows the heap inside run(), after the table's views were checked once.
    const big = outgrowingSize(backend) / 2;
    const x = tf.fill([big], 0.25);
    const shared = [tf.variable(x), own(tf.fill([big], 0.75))];
    const reads = [...coupledReads([[7]], 3), tf.fill([big], 2), tf.scalar(0.5)];
    const withBig = coupled.batch([rows[0]!, shared]);
    const before = await expectedCoupled([rows[0]!], reads.slice(0, 2), [0.1, 0.2]);
    const heap = heapBuffer();
    expect(withBig.run(reads, [0.1, 0.2, 0.5, 0.5])).toBe(FUSED[backend]);
    if (backend === 'wasm') expect(heapBuffer(), 'the heap grew').not.toBe(heap);
    await expectRows([rows[0]!], before);
    await expectFilled(shared[0]!, 0.25 - 0.5 * (0.5 * 2 + 0.75));
    await expectFilled(shared[1]!, Math.max(0.5 * 0.75, 0.25 - 2));
    await expectFilled(x, 0.25);
    withBig.dispose();
    tf.dispose([x, ...shared, ...reads]);

    await step(4);
    batch.dispose();
    tf.dispose(rows.flat());
  });
});

forEachBackend('KernelBatch: ops that cache derived weights see in-place writes', () => {
  it('matMul after a batch run equals matMul on a fresh copy of the weights', async () => {
    // tfjs-backend-wasm's XNNPACK packs matMul weights once per tensor id.
    const x = tf.randomNormal([8, 64], 0, 1, 'float32', 1);
    const w = own(tf.randomNormal([64, 32], 0, 1, 'float32', 2));
    const m = own(tf.zeros([64, 32]));
    const v = own(tf.randomNormal([32, 16], 0, 1, 'float32', 3));
    const n = own(tf.zeros([32, 16]));
    const gw = tf.onesLike(w);
    const gv = tf.onesLike(v);
    const batch = momentum.batch(
      [
        [w, m],
        [v, n],
      ],
      { internal: ['m'] },
    );
    const uses = () => [tf.matMul(x, w), tf.matMul(tf.matMul(x, w), v)];
    for (let run = 0; run < 3; run++) {
      tf.dispose(uses()); // operators made (and cached) for w and v
      batch.run([gw, gv], [0.5, 0.9, 0.25, 0.9]);
      const [y, z, yFresh, zFresh] = tf.tidy(() => [
        ...uses(),
        tf.matMul(x, tf.add(w, 0)),
        tf.matMul(tf.matMul(x, tf.add(w, 0)), tf.add(v, 0)),
      ]);
      await expectClose(y!, yFresh!, { rtol: 1e-6, atol: 1e-5 });
      await expectClose(z!, zFresh!, { rtol: 1e-6, atol: 1e-4 });
      tf.dispose([y!, z!, yFresh!, zFresh!]);
    }
    batch.dispose();
    tf.dispose([x, w, m, v, n, gw, gv]);
  });
});

forEachBackend(
  'KernelBatch: variables that visited another backend',
  (backend) => {
    it('keeps working after its variables moved to cpu and back, with or without a run there', async () => {
      const shapes = [[5], [8]];
      const rows = coupledRows(shapes, 60);
      const batch = coupled.batch(rows);
      const step = async (run: number) => {
        const reads = coupledReads(shapes, run);
        const uniforms = coupledUniforms(shapes.length, run);
        const expected = await expectedCoupled(rows, reads, uniforms);
        const path = batch.run(reads, uniforms);
        await expectRows(rows, expected);
        tf.dispose(reads);
        return path;
      };
      expect(await step(0)).toBe(FUSED[backend]);
      for (const runOnCpu of [false, true]) {
        await useBackend('cpu', { onFallback: () => {} });
        // Using them in an op moves their data to cpu under the same dataIds.
        tf.dispose(rows.flat().map((v) => tf.add(v, 0)));
        if (runOnCpu) expect(await step(1)).toBe('reference');
        await tf.setBackend(backend);
        await step(2); // fused or the reference, whichever brings the data back
        expect(await step(3)).toBe(FUSED[backend]);
      }
      batch.dispose();
      tf.dispose(rows.flat());
    });
  },
  { backends: ['wasm', 'webgpu'] },
);

forEachBackend('KernelBatch: bound rows', (backend) => {
  it('later changes to the arrays it was made from do not change the batch', async () => {
    const shapes = [[4], [6]];
    const rows = coupledRows(shapes, 70);
    const spare = coupledRows([[4]], 80)[0]!;
    const batch = coupled.batch(rows);
    const reads = coupledReads(shapes, 0);
    const uniforms = coupledUniforms(2, 0);
    batch.run(reads, uniforms);
    const bound = rows.map((row) => [...row]);
    rows.push(spare);
    rows[0]![1] = rows[0]![0]!; // would be the same variable twice
    const expected = await expectedCoupled(bound, reads, uniforms);
    const spareBefore = await snapshot(spare);
    expect(batch.rows).toBe(2);
    expect(batch.run(reads, uniforms)).toBe(FUSED[backend]);
    await expectRows(bound, expected);
    await expectUnchanged(spare, spareBefore);
    batch.dispose();
    tf.dispose([...bound.flat(), ...spare, ...reads]);
  });
});

forEachBackend('KernelBatch: no leaks', () => {
  it('making, running (fused and reference, shared buffers included) and disposing leaves no tensor', async () => {
    const shapes = [[3], [0], [9]];
    const x = tf.tensor(values(3, 90));
    const rows = [[tf.variable(x), variableOf(values(3, 91))], ...coupledRows(shapes.slice(1), 92)];
    const reads = coupledReads(shapes, 0);
    const uniforms = coupledUniforms(3, 0);
    await expectNoLeaks(() => {
      const batch = coupled.batch(rows);
      batch.run(reads, uniforms);
      batch.run(reads, uniforms, { path: 'reference' });
      batch.run(reads, uniforms);
      expectDescentError(() => batch.run(reads, [1]), 'BAD_ARGUMENT');
      batch.dispose();
    });
    tf.dispose([x, ...rows.flat(), ...reads]);
  });
});
