import * as tf from '@tensorflow/tfjs-core';
import type { BenchCase } from '../bench-case';

/** A named set of variable shapes, e.g. a model's. */
export interface ShapeSet {
  name: string;
  shapes: number[][];
}

/** `count` variables of `size` elements each. */
export function uniform(count: number, size: number): ShapeSet {
  return {
    name: `${count.toLocaleString('en-US')} × ${size.toLocaleString('en-US')}`,
    shapes: Array.from({ length: count }, () => [size]),
  };
}

/** The variables of LeNet-300-100 (Frankle & Carbin): 784-300-100-10, kernels and biases. */
export const LENET_300_100: ShapeSet = {
  name: 'LeNet-300-100',
  shapes: [[784, 300], [300], [300, 100], [100], [100, 10], [10]],
};

/** A 20-layer residual MLP of width 256: 20 × (kernel 256×256, bias 256). */
export const RES_MLP_20: ShapeSet = {
  name: 'residual MLP 20 × 256',
  shapes: Array.from({ length: 20 }, () => [[256, 256], [256]]).flat(),
};

let run = 0;

/**
 * One optimizer step over every variable of a shape set: descent's optimizer against tfjs's
 * built-in (`tf.train.*`), each on its own copy of the variables, with the same gradients.
 *
 * @param bytesPerParam - bytes the update rule must move per parameter (Adam: p, g, m, v read and
 *   p, m, v written, 7 × 4 = 28).
 * @param keepInitial - keep the tensors the variables were made from alive, as
 *   `tf.variable(tf.randomNormal(shape))` does in user code: each variable then shares its buffer
 *   with that tensor until its first in-place write. Default false (a model's weights).
 */
export function optimizerStepCase(
  label: string,
  set: ShapeSet,
  bytesPerParam: number,
  makeDescent: () => tf.Optimizer,
  makeBaseline: () => tf.Optimizer,
  { keepInitial = false }: { keepInitial?: boolean } = {},
): BenchCase {
  const elements = set.shapes.reduce((total, shape) => total + shape.reduce((a, b) => a * b, 1), 0);
  return {
    name: `${label} ${set.name}${keepInitial ? ' (initial tensors alive)' : ''}`,
    elements,
    bytesPerStep: elements * bytesPerParam,
    setup() {
      run += 1;
      const initial: tf.Tensor[] = [];
      const make = (tag: string) =>
        set.shapes.map((shape, i) => {
          const init = tf.randomNormal(shape);
          const v = tf.variable(init, true, `bench${run}${tag}/${i}`);
          if (keepInitial) initial.push(init);
          else init.dispose(); // the variable owns its buffer alone, as a model's weights do
          return v;
        });
      const ours = make('d');
      const theirs = make('b');
      const grads = set.shapes.map((shape) => tf.randomNormal(shape, 0, 0.1));
      const named = (vars: tf.Variable[]) =>
        vars.map((v, i) => ({ name: v.name, tensor: grads[i] as tf.Tensor }));
      const descent = makeDescent();
      const baseline = makeBaseline();
      const descentGrads = named(ours);
      const baselineGrads = named(theirs);
      return {
        descent: () => descent.applyGradients(descentGrads),
        baseline: () => baseline.applyGradients(baselineGrads),
        witness: (contender) => (contender === 'descent' ? ours : theirs)[0] as tf.Variable,
        dispose: () => {
          descent.dispose();
          baseline.dispose();
          tf.dispose([...ours, ...theirs, ...grads, ...initial]);
        },
      };
    },
  };
}
