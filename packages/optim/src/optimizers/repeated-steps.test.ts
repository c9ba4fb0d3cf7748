import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '@descent/core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { expect, it } from 'vitest';
import { composable } from '../test-support/fused-parity';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { adam } from './adam';
import { adamw } from './adamw';
import { nadam } from './nadam';
import { sgd } from './sgd';
import type { NamedTensor } from './transform-optimizer';

const SHAPES: number[][] = [[4, 5], [7], [], [1000]];

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Deterministic values; `phase` varies them per variable and step. */
const wave = (shape: number[], phase: number) =>
  tf.tensor(
    Float32Array.from({ length: sizeOf(shape) }, (_, i) => Math.sin(1.3 * i + phase) * 1.5),
    shape,
  );

/** Two equal sets of variables: one for the optimizer under test, one for its composable twin. */
function twinVariables(tag: string) {
  const make = (side: string) =>
    SHAPES.map((shape, k) => {
      const init = wave(shape, k);
      const v = tf.variable(init, true, `${tag}${side}${k}${uniqueSuffix()}`);
      init.dispose();
      return v;
    });
  return { ours: make('a'), theirs: make('b') };
}

/** Whether the optimizer's next step over the last variable list takes the compiled path. */
const compiled = (optimizer: tf.Optimizer) =>
  (optimizer as unknown as { repeated?: unknown }).repeated !== undefined;

/**
 * Feeds both optimizers the same gradients for `indices` (in that order), as an array of named
 * tensors or as a map.
 */
function step(
  pairs: { optimizer: tf.Optimizer; vars: tf.Variable[] }[],
  indices: number[],
  phase: number,
  form: 'array' | 'map' = 'array',
): void {
  const grads = indices.map((k) => wave(SHAPES[k] as number[], 0.37 * phase + k));
  for (const { optimizer, vars } of pairs) {
    const named: NamedTensor[] = indices.map((k, i) => ({
      name: (vars[k] as tf.Variable).name,
      tensor: grads[i] as tf.Tensor,
    }));
    optimizer.applyGradients(
      form === 'array' ? named : Object.fromEntries(named.map((g) => [g.name, g.tensor])),
    );
  }
  tf.dispose(grads);
}

async function expectSameValues(a: tf.Variable[], b: tf.Variable[]): Promise<void> {
  for (let k = 0; k < a.length; k++) {
    await expectClose(a[k] as tf.Tensor, b[k] as tf.Tensor, { rtol: 1e-6, atol: 1e-7 });
  }
}

async function valuesOf(vars: tf.Variable[]): Promise<Float32Array[]> {
  return Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
}

forEachBackend('compiled fused steps', (backend) => {
  const fusedBackend = backend !== 'cpu';

  it('compile after two steps over the same variables; later steps allocate nothing and run no tfjs kernel', async () => {
    const { ours, theirs } = twinVariables('compile');
    const optimizer = adam({ learningRate: 0.01 });
    const pairs = [{ optimizer, vars: ours }];
    step(pairs, [0, 1, 2, 3], 0);
    expect(compiled(optimizer)).toBe(false);
    step(pairs, [0, 1, 2, 3], 1);
    expect(compiled(optimizer)).toBe(fusedBackend);
    if (fusedBackend) {
      const grads = ours.map((v, k) => ({ name: v.name, tensor: wave(v.shape, k) }));
      const info = await tf.profile(() => optimizer.applyGradients(grads));
      expect(info.kernels.length).toBe(0);
      expect(info.newTensors).toBe(0);
      await expectNoLeaks(() => optimizer.applyGradients(grads));
      tf.dispose(grads.map((g) => g.tensor));
    }
    optimizer.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it('equal the composable chain across subsets, orders, map-form gradients and a resumed state', async () => {
    const { ours, theirs } = twinVariables('subsets');
    const make = () => adam({ learningRate: 0.02, beta1: 0.8, weightDecay: 0.01 });
    const optimizer = make();
    const twin = composable(make());
    const pairs = [
      { optimizer, vars: ours },
      { optimizer: twin, vars: theirs },
    ];
    const all = [0, 1, 2, 3];
    let phase = 0;
    for (let i = 0; i < 3; i++) step(pairs, all, phase++);
    step(pairs, [1], phase++); // a subset: the general path, per-variable step counts diverge
    for (let i = 0; i < 3; i++) step(pairs, all, phase++);
    for (let i = 0; i < 3; i++) step(pairs, [3, 2, 1, 0], phase++); // another order, compiled anew
    for (let i = 0; i < 3; i++) step(pairs, all, phase++, 'map');
    expect(compiled(optimizer)).toBe(fusedBackend);
    await expectSameValues(ours, theirs);

    // The state the compiled steps kept is the chain's: same leaves, same values.
    const [mine, its] = [await optimizer.getWeights(), await twin.getWeights()];
    expect(mine.map((w) => w.name.replace(/subsetsa/, 'subsetsb').replace(/_\d+\//, '/'))).toEqual(
      its.map((w) => w.name.replace(/_\d+\//, '/')),
    );
    for (let i = 0; i < mine.length; i++) {
      await expectClose(mine[i]?.tensor as tf.Tensor, its[i]?.tensor as tf.Tensor, {
        rtol: 1e-6,
        atol: 1e-7,
      });
    }
    // getWeights keeps the compiled steps; a resumed optimizer compiles its own.
    expect(compiled(optimizer)).toBe(fusedBackend);
    const resumed = make();
    await resumed.setWeights(mine);
    optimizer.dispose();
    const pairsAfter = [
      { optimizer: resumed, vars: ours },
      { optimizer: twin, vars: theirs },
    ];
    for (let i = 0; i < 4; i++) step(pairsAfter, all, phase++);
    expect(compiled(resumed)).toBe(fusedBackend);
    await expectSameValues(ours, theirs);
    resumed.dispose();
    twin.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it('a failing compiled step changes nothing, reports as the general path does, and the next step goes on', async () => {
    const { ours, theirs } = twinVariables('errors');
    let poisoned = false;
    const rate: Schedule = Object.assign((t: number) => (poisoned ? Number.NaN : 0.01 / (1 + t)), {
      config: { type: 'test.poisonable' },
    });
    const optimizer = nadam({ learningRate: rate });
    const twin = composable(nadam({ learningRate: rate }));
    const pairs = [
      { optimizer, vars: ours },
      { optimizer: twin, vars: theirs },
    ];
    for (let i = 0; i < 3; i++) step(pairs, [0, 1, 2, 3], i);
    const before = await valuesOf(ours);
    const good = ours.map((v, k) => ({ name: v.name, tensor: wave(v.shape, k) }));
    const wrongShape = good.map((g, k) => (k === 1 ? { ...g, tensor: tf.zeros([8]) } : g));
    expectDescentError(
      () => optimizer.applyGradients(wrongShape),
      'SHAPE_MISMATCH',
      ours[1]?.name as string,
    );
    const disposed = tf.zeros([]);
    disposed.dispose();
    expectDescentError(
      () =>
        optimizer.applyGradients(good.map((g, k) => (k === 2 ? { ...g, tensor: disposed } : g))),
      'DISPOSED',
    );
    const ints = good.map((g, k) => (k === 0 ? { ...g, tensor: tf.zeros([4, 5], 'int32') } : g));
    expectDescentError(() => optimizer.applyGradients(ints), 'DTYPE_MISMATCH');
    poisoned = true;
    expectDescentError(() => optimizer.applyGradients(good), 'NON_FINITE', 'learningRate');
    poisoned = false;
    const after = await valuesOf(ours);
    for (const [k, values] of after.entries()) expect(values).toEqual(before[k]);
    tf.dispose([...wrongShape.map((g) => g.tensor), ...ints.map((g) => g.tensor)]);
    tf.dispose(good.map((g) => g.tensor));
    for (let i = 3; i < 6; i++) step(pairs, [0, 1, 2, 3], i);
    await expectSameValues(ours, theirs);
    optimizer.dispose();
    twin.dispose();
    tf.dispose([...ours, ...theirs]);
  });

  it('see assign() between steps, and never write into a tensor that shares a variable’s buffer', async () => {
    const { ours, theirs } = twinVariables('assign');
    const make = () => sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true });
    const optimizer = make();
    const twin = composable(make());
    const pairs = [
      { optimizer, vars: ours },
      { optimizer: twin, vars: theirs },
    ];
    for (let i = 0; i < 3; i++) step(pairs, [0, 1, 2, 3], i);
    // Rewinding (lottery tickets) assigns new values to the variables between steps.
    const rewind = SHAPES.map((shape, k) => wave(shape, 10 + k));
    for (const vars of [ours, theirs]) {
      for (const [k, v] of vars.entries()) v.assign(rewind[k] as tf.Tensor);
    }
    const rewindValues = await valuesOf(rewind as tf.Variable[]);
    const clone = tf.clone(ours[3] as tf.Tensor); // shares the variable's buffer
    const cloneValues = Float32Array.from(await clone.data());
    for (let i = 3; i < 6; i++) step(pairs, [0, 1, 2, 3], i);
    await expectSameValues(ours, theirs);
    expect(Float32Array.from(await clone.data())).toEqual(cloneValues);
    expect(await valuesOf(rewind as tf.Variable[])).toEqual(rewindValues);
    optimizer.dispose();
    twin.dispose();
    tf.dispose([...ours, ...theirs, ...rewind, clone]);
  });

  it('keep clipping and pruning masks (all variables masked: compiled; some: the general path)', async () => {
    for (const maskedCount of [SHAPES.length, 2]) {
      const { ours, theirs } = twinVariables(`masks${maskedCount}`);
      const masksFor = (vars: tf.Variable[]) =>
        Object.fromEntries(
          vars.slice(0, maskedCount).map((v) => {
            const bits = Float32Array.from({ length: v.size }, (_, i) => (i % 3 === 0 ? 0 : 1));
            return [v.name, tf.tensor(bits, v.shape)];
          }),
        );
      const oursMasks = masksFor(ours);
      const theirsMasks = masksFor(theirs);
      const optimizer = adam({ learningRate: 0.01, globalClipNorm: 2, masks: oursMasks });
      const twin = composable(adam({ learningRate: 0.01, globalClipNorm: 2, masks: theirsMasks }));
      const pairs = [
        { optimizer, vars: ours },
        { optimizer: twin, vars: theirs },
      ];
      for (let i = 0; i < 6; i++) step(pairs, [0, 1, 2, 3], i);
      expect(compiled(optimizer)).toBe(fusedBackend && maskedCount === SHAPES.length);
      await expectSameValues(ours, theirs);
      optimizer.dispose();
      twin.dispose();
      tf.dispose([...ours, ...theirs, ...Object.values(oursMasks), ...Object.values(theirsMasks)]);
    }
  });
});

forEachBackend('compiled fused steps with null gradients (a frozen variable)', (backend) => {
  it('skip the frozen variable, stay compiled, equal the composable chain; a compiled variable without a gradient takes the general path', async () => {
    const { ours, theirs } = twinVariables('frozen');
    const optimizer = adam({ learningRate: 0.01 });
    const twin = composable(adam({ learningRate: 0.01 }));
    const frozen = (vars: tf.Variable[]) => vars[1] as tf.Variable;
    const feed = (k: number, skip: number, form: 'array' | 'map') => {
      const grads = SHAPES.map((shape, i) => wave(shape, 0.37 * k + i));
      for (const [opt, vars] of [
        [optimizer, ours],
        [twin, theirs],
      ] as const) {
        const named = vars.map((v, i) => ({ name: v.name, tensor: i === skip ? null : grads[i] }));
        opt.applyGradients(
          (form === 'array'
            ? named
            : Object.fromEntries(named.map((g) => [g.name, g.tensor]))) as NamedTensor[],
        );
      }
      tf.dispose(grads);
    };
    const frozenBefore = Array.from(await frozen(ours).data());
    for (let k = 0; k < 4; k++) feed(k, 1, k % 2 === 0 ? 'array' : 'map');
    expect(compiled(optimizer)).toBe(backend !== 'cpu');
    expect(Array.from(await frozen(ours).data())).toEqual(frozenBefore);
    expect(
      (await optimizer.getWeights()).some((w) => w.name.startsWith(`${frozen(ours).name}/`)),
    ).toBe(false);
    feed(4, 0, 'array'); // variable 0, compiled, has no gradient now: the general path
    feed(5, 1, 'array');
    await expectSameValues(ours, theirs);
    optimizer.dispose();
    twin.dispose();
    tf.dispose([...ours, ...theirs]);
  });
});

forEachBackend('compiled fused steps: weight decay switching on and off', () => {
  it('a decay schedule that reaches 0, a decay mask and Nesterov: equal the composable chain', async () => {
    const decay: Schedule = Object.assign((t: number) => (t < 4 ? 0.1 : t < 8 ? 0 : 0.05), {
      config: { type: 'test.decaySwitch' },
    });
    const makers: [string, (vars: tf.Variable[]) => tf.Optimizer][] = [
      ['adamw', () => adamw({ learningRate: 0.01, weightDecay: decay })],
      [
        'adamw masked',
        (vars) =>
          adamw({
            learningRate: 0.01,
            weightDecay: 0.1,
            weightDecayMask: (name: string) => name === vars[0]?.name,
          }),
      ],
      ['adam L2', () => adam({ learningRate: 0.01, weightDecay: decay })],
      [
        'sgd nesterov L2',
        () => sgd({ learningRate: 0.02, momentum: 0.9, nesterov: true, weightDecay: decay }),
      ],
    ];
    for (const [tag, make] of makers) {
      const { ours, theirs } = twinVariables(tag.replace(/ /g, ''));
      const optimizer = make(ours);
      const twin = composable(make(theirs));
      const pairs = [
        { optimizer, vars: ours },
        { optimizer: twin, vars: theirs },
      ];
      for (let i = 0; i < 12; i++) step(pairs, [0, 1, 2, 3], i);
      await expectSameValues(ours, theirs);
      optimizer.dispose();
      twin.dispose();
      tf.dispose([...ours, ...theirs]);
    }
  });
});
