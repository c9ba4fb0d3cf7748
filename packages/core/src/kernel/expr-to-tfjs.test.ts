import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectDescentError, expectNoLeaks, forEachBackend } from '../testing';
import { defineKernel } from './define-kernel';
import { type BoolExpr, type Expr, ops, type ValueExpr } from './expr';
import { evaluateExpr } from './expr-to-tfjs';

const f = Math.fround;

/** A small seeded generator (mulberry32), so every run sees the same expressions. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BUFFERS = ['a', 'b', 'g'] as const;
const UNIFORMS = ['u', 'w'] as const;
const SIZE = 37; // nine f32x4 and a tail of one

type Refs = Record<'a' | 'b' | 'g' | 'c' | 'u' | 'w', ValueExpr>;

/**
 * A random DAG of `nodes` operations over the refs and a few literals: every operation of the
 * language, operands drawn mostly from recent nodes (depth) and sometimes from older ones
 * (sharing). Returns the new values of `a` and `b`.
 */
function randomRule(seed: number, nodes = 14) {
  return (refs: Refs, o: typeof ops): { a: ValueExpr; b: ValueExpr } => {
    const rng = random(seed);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)] as T;
    const pool: ValueExpr[] = [...Object.values(refs), o.constant(f(rng() * 4 - 2)), o.constant(1)];
    const operand = () =>
      rng() < 0.6 ? (pool[pool.length - 1 - Math.floor(rng() * 3)] as ValueExpr) : pick(pool);
    for (let i = 0; i < nodes; i++) {
      const kind = rng();
      let node: ValueExpr;
      if (kind < 0.2) {
        const op = pick(['neg', 'abs', 'sqrt'] as const);
        // √ of |x|: negative operands are the NaN test's business, not this one's.
        node = op === 'sqrt' ? o.sqrt(o.abs(operand())) : o[op](operand());
      } else if (kind < 0.8) {
        const op = pick(['add', 'sub', 'mul', 'div', 'min', 'max'] as const);
        node = o[op](operand(), operand());
      } else {
        // Two different operands: `x > x` ties on every element, where nothing can be compared.
        const left = operand();
        let right = operand();
        if (right === left) right = o.constant(f(rng() * 4 - 2));
        const cond = o[pick(['gt', 'lt', 'ge', 'le'] as const)](left, right);
        node = o.select(cond, operand(), operand());
      }
      pool.push(node);
    }
    return { a: pool[pool.length - 1] as ValueExpr, b: pick(pool.slice(-nodes)) };
  };
}

/**
 * Float64 evaluation of `node` at element `i`, or `undefined` where the element is ill-conditioned
 * for a float32 comparison: a comparison within 1e-4 (relative) of a tie, a divisor under 0.05 in
 * magnitude, a value over 1e6 or not finite — there float32 rounding alone may change the result.
 */
function evaluate64(
  node: Expr,
  leaf: (name: string) => number,
  memo: Map<Expr, number | boolean | undefined>,
): number | boolean | undefined {
  if (memo.has(node)) return memo.get(node);
  const value = (x: Expr) => evaluate64(x, leaf, memo);
  let result: number | boolean | undefined;
  switch (node.kind) {
    case 'ref':
      result = leaf(node.name);
      break;
    case 'const':
      result = f(node.value);
      break;
    case 'unary': {
      const x = value(node.x) as number | undefined;
      result =
        x === undefined
          ? undefined
          : { neg: -x, abs: Math.abs(x), sqrt: Math.sqrt(x) }[node.op as 'neg'];
      break;
    }
    case 'binary': {
      const a = value(node.a) as number | undefined;
      const b = value(node.b) as number | undefined;
      if (a === undefined || b === undefined || (node.op === 'div' && Math.abs(b) < 0.05)) break;
      result = {
        add: a + b,
        sub: a - b,
        mul: a * b,
        div: a / b,
        min: Math.min(a, b),
        max: Math.max(a, b),
      }[node.op];
      break;
    }
    case 'compare': {
      const a = value(node.a) as number | undefined;
      const b = value(node.b) as number | undefined;
      if (a === undefined || b === undefined) break;
      if (Math.abs(a - b) <= 1e-4 * (Math.abs(a) + Math.abs(b)) + 1e-6) break;
      result = { gt: a > b, lt: a < b, ge: a >= b, le: a <= b }[node.op];
      break;
    }
    case 'select': {
      const cond = value(node.cond) as boolean | undefined;
      const whenTrue = value(node.whenTrue);
      const whenFalse = value(node.whenFalse);
      if (cond === undefined || whenTrue === undefined || whenFalse === undefined) break;
      result = cond ? whenTrue : whenFalse;
      break;
    }
  }
  if (typeof result === 'number' && !(Math.abs(result) <= 1e6)) result = undefined;
  memo.set(node, result);
  return result;
}

function inputs(seed: number) {
  const rng = random(seed);
  const data = (n: number) => Array.from({ length: n }, () => f(rng() * 6 - 3));
  return {
    buffers: Object.fromEntries(BUFFERS.map((name) => [name, data(SIZE)])) as Record<
      (typeof BUFFERS)[number],
      number[]
    >,
    c: f(rng() * 4 - 2),
    uniforms: Object.fromEntries(UNIFORMS.map((name) => [name, rng() * 4 - 2])) as Record<
      (typeof UNIFORMS)[number],
      number
    >,
  };
}

type Inputs = ReturnType<typeof inputs>;

/** Float64 values of each output and the elements where they are well-conditioned. */
function expected(outputs: Record<'a' | 'b', ValueExpr>, x: Inputs) {
  const result = { a: [] as (number | undefined)[], b: [] as (number | undefined)[] };
  for (let i = 0; i < SIZE; i++) {
    const leaf = (name: string) =>
      name === 'c'
        ? x.c
        : name in x.uniforms
          ? f(x.uniforms[name as 'u'])
          : (x.buffers[name as 'a'][i] as number);
    const memo = new Map();
    for (const name of ['a', 'b'] as const) {
      result[name].push(evaluate64(outputs[name], leaf, memo) as number | undefined);
    }
  }
  return result;
}

/**
 * Compares `actual` with float64 `expected` where it is well-conditioned, rtol 1e-4 and atol 1e-4
 * (float32 over a dozen operations, and WebGPU's own rounding of `/` and `√`). Returns how many
 * elements were compared.
 */
async function expectConditionedClose(actual: tf.Tensor, expected: (number | undefined)[]) {
  const values = await actual.data();
  expect(values.length).toBe(expected.length);
  const kept = expected.flatMap((e, i) => (e === undefined ? [] : [i]));
  await expectClose(
    kept.map((i) => values[i] as number),
    kept.map((i) => expected[i] as number),
    { rtol: 1e-4, atol: 1e-4 },
  );
  return kept.length;
}

/** Asserts that at least 3/4 of the elements of all the expressions were compared. */
function expectMostCompared(compared: number, expressions: number) {
  const all = expressions * 2 * SIZE;
  expect(compared, `elements compared of ${all}`).toBeGreaterThanOrEqual(0.75 * all);
}

const refNodes = Object.fromEntries(
  ['a', 'b', 'g', 'c', 'u', 'w'].map((name) => [name, { kind: 'ref', name }]),
) as Refs;

/** The seeds of the random rules: 24 expressions of 14 operations each. */
const SEEDS = Array.from({ length: 24 }, (_, i) => 1000 + 17 * i);

/** One kernel per random rule, with no `reference`: its tfjs path is the interpreter. */
const kernels = SEEDS.map((seed) =>
  defineKernel({
    name: `test.exprToTfjs.random${seed}`,
    inouts: ['a', 'b'],
    inputs: ['g'],
    scalars: ['c'],
    uniforms: ['u', 'w'],
    update: randomRule(seed),
  }),
);

forEachBackend('evaluateExpr', () => {
  it('random expressions match a float64 evaluation (rtol 1e-4, atol 1e-4, well-conditioned elements)', async () => {
    let compared = 0;
    for (const seed of SEEDS) {
      const outputs = randomRule(seed)(refNodes, ops);
      const x = inputs(seed);
      const tensors = Object.fromEntries(
        BUFFERS.map((name) => [name, tf.tensor(x.buffers[name])]),
      ) as Record<string, tf.Tensor>;
      const c = tf.scalar(x.c);
      const before = tf.memory().numTensors;
      const result = evaluateExpr(outputs, { ...tensors, c, ...x.uniforms }, { shape: [SIZE] });
      expect(tf.memory().numTensors, 'the two outputs, nothing else').toBe(before + 2);
      const want = expected(outputs, x);
      compared += await expectConditionedClose(result.a, want.a);
      compared += await expectConditionedClose(result.b, want.b);
      tf.dispose([...Object.values(result), ...Object.values(tensors), c]);
    }
    expectMostCompared(compared, SEEDS.length);
  });

  it('defineKernel without a reference: the fused path and the interpreter both match float64 (same tolerance)', async () => {
    let compared = 0;
    for (const [k, kernel] of kernels.entries()) {
      const seed = SEEDS[k] as number;
      const x = inputs(seed);
      const want = expected(randomRule(seed)(refNodes, ops), x);
      for (const path of ['auto', 'reference'] as const) {
        const a = tf.variable(tf.tensor(x.buffers.a));
        const b = tf.variable(tf.tensor(x.buffers.b));
        const g = tf.tensor(x.buffers.g);
        const c = tf.tensor([x.c]);
        await expectNoLeaks(() => kernel({ a, b }, { g, c }, x.uniforms, { path }));
        compared += await expectConditionedClose(a, want.a);
        compared += await expectConditionedClose(b, want.b);
        tf.dispose([a, b, g, c]);
      }
    }
    expectMostCompared(compared, 2 * SEEDS.length);
  });

  it('evaluates a node shared by many paths once (a chain of 40 doublings: 40 Add kernels)', async () => {
    let x: ValueExpr = { kind: 'ref', name: 'x' };
    for (let i = 0; i < 40; i++) x = ops.add(x, x);
    const input = tf.tensor([1, -2, 0.5]);
    const profile = await tf.profile(() => {
      const { y } = evaluateExpr({ y: x }, { x: input });
      y.dispose();
    });
    expect(profile.kernels.filter((k) => k.name === 'Add')).toHaveLength(40);
    tf.dispose(input);
  });

  it('broadcasts numbers and one-element tensors; returns new tensors, broadcast to `shape`', async () => {
    const p = tf.tensor([1, 2, 3, 4], [2, 2]);
    const s = tf.scalar(0.5);
    const ref = (name: string): ValueExpr => ({ kind: 'ref', name });
    const before = tf.memory().numTensors;
    const out = evaluateExpr(
      {
        scaled: ops.mul(ops.add(ref('p'), ref('k')), ref('s')),
        same: ref('p'),
        hyper: ref('k'),
        literal: ops.constant(2.5),
        tensorLeaf: ref('s'),
      },
      { p, s, k: 0.1 },
      { shape: [2, 2] },
    );
    expect(tf.memory().numTensors, 'the five outputs, nothing else').toBe(before + 5);
    await expectClose(
      out.scaled,
      [1, 2, 3, 4].map((v) => f(v + f(0.1)) * 0.5),
      { rtol: 1e-7, atol: 0 },
    );
    await expectClose(out.same, [1, 2, 3, 4], { rtol: 0, atol: 0 });
    await expectClose(out.hyper, [f(0.1), f(0.1), f(0.1), f(0.1)], { rtol: 0, atol: 0 });
    await expectClose(out.literal, [2.5, 2.5, 2.5, 2.5], { rtol: 0, atol: 0 });
    await expectClose(out.tensorLeaf, [0.5, 0.5, 0.5, 0.5], { rtol: 0, atol: 0 });
    for (const t of Object.values(out)) expect(t.shape).toEqual([2, 2]);
    expect(out.same).not.toBe(p);
    tf.dispose(Object.values(out));
    expect(p.isDisposed).toBe(false);
    const empty = evaluateExpr({ z: ops.constant(1) }, {}, { shape: [2, 0] });
    expect(empty.z.shape).toEqual([2, 0]);
    tf.dispose([p, s, empty.z]);
  });

  it('rejects a ref without a value (BAD_ARGUMENT) and a shape it cannot broadcast to (SHAPE_MISMATCH), leaking nothing', async () => {
    const p = tf.tensor([1, 2, 3]);
    const ref = (name: string): ValueExpr => ({ kind: 'ref', name });
    await expectNoLeaks(() => {
      expectDescentError(
        () => evaluateExpr({ y: ops.add(ref('p'), ref('q')) }, { p }),
        'BAD_ARGUMENT',
        '"q"',
      );
      expectDescentError(
        () => evaluateExpr({ y: ops.add(ref('p'), 1) }, { p }, { shape: [2] }),
        'SHAPE_MISMATCH',
        '[3]',
        '[2]',
      );
    });
    p.dispose();
  });
});

forEachBackend(
  'evaluateExpr: NaN, as the generated code treats it',
  () => {
    it('√ of a negative is NaN, comparisons with NaN are false, min/max propagate NaN', async () => {
      const x: ValueExpr = { kind: 'ref', name: 'x' };
      const root = ops.sqrt(x);
      const isPositive: BoolExpr = ops.gt(root, 0);
      const input = tf.tensor([-1, 4, 0]);
      const out = evaluateExpr(
        {
          root,
          gt: ops.select(isPositive, 1, -1),
          le: ops.select(ops.le(root, 0), 1, -1),
          min: ops.min(root, 0),
          max: ops.max(root, 0),
        },
        { x: input },
      );
      await expectClose(out.root, [Number.NaN, 2, 0], { rtol: 0, atol: 0 });
      await expectClose(out.gt, [-1, 1, -1], { rtol: 0, atol: 0 });
      await expectClose(out.le, [-1, -1, 1], { rtol: 0, atol: 0 });
      await expectClose(out.min, [Number.NaN, 0, 0], { rtol: 0, atol: 0 });
      await expectClose(out.max, [Number.NaN, 2, 0], { rtol: 0, atol: 0 });
      tf.dispose([input, ...Object.values(out)]);
    });
  },
  // WGSL leaves √ of a negative and min/max of NaN unspecified, in tfjs's ops and ours alike.
  { backends: ['cpu', 'wasm'] },
);
