/**
 * The batched fast path for dense nets: per-example gradients of a dense layer
 * `z = h·W + s ⊙ b` (s = 1 in the standard form, σ_b in the NTK parameterization, whose `h`
 * carries the σ_w/√n) are `∂f_a(xᵢ)/∂W = hᵢᵀ δᵢₐ` and `∂f_a(xᵢ)/∂b = s ⊙ δᵢₐ` with
 * `δᵢₐ = ∂f_a(xᵢ)/∂zᵢ`, so the layer's kernel contribution is
 * `(hᵢ·hⱼ)(δᵢₐ·δⱼ_b) + (s ⊙ δᵢₐ)·(s ⊙ δⱼ_b)`: Gram matrices of layer inputs and of pre-activation
 * gradients, never a per-example Jacobian. `δ` comes from zero probes added to every
 * pre-activation through the model's `tap`, for every example and output in ONE `tf.grads` (the
 * block is repeated once per output and output `a` is read from copy `a`), which is valid only
 * when examples do not interact. The inputs `h` are read through the same `tap`, exactly: with `W`
 * replaced by columns of the identity and `b` by zeros the layer's pre-activation is `h` itself
 * (`fanIn/fanOut` passes), or as columns of `∂⟨U, z⟩/∂W = hᵀU` for a one-hot `U` (`n/fanOut`
 * gradient passes), whichever is cheaper; with `W = 0`, it is `s ⊙ b`, which gives `s` for `b = 1`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import type { OutputReduction } from './kernel-layout';
import {
  type NtkProblem,
  type Tap,
  exampleOf,
  outputs,
  paramList,
  rawForward,
  rowsOf,
  withValues,
} from './ntk-problem';

/** One dense layer of the fast path. */
export interface DenseLayer {
  /** The layer name (`ParamInfo.layer`, as the model passes it to `tap`). */
  layer: string;
  kernelKey: string;
  biasKey: string | undefined;
  fanIn: number;
  fanOut: number;
  /** Whether the kernel / bias are differentiated. */
  kernel: boolean;
  bias: boolean;
}

/**
 * Per-layer factors of a batch: inputs `H` `[n, fanIn]` (differentiated kernels only), `Δ`
 * `[O, n, fanOut]`, and the bias scales `s = ∂z/∂b` `[fanOut]` (differentiated biases only: 1 for
 * `z = h·W + b`, `σ_b` for the NTK parameterization's `z = (σ_w/√n)·h·W + σ_b·b`).
 */
export interface DenseFactors {
  inputs: (tf.Tensor | undefined)[];
  deltas: tf.Tensor[];
  biasScales: (tf.Tensor | undefined)[];
}

/**
 * The dense layers of a model whose differentiated parameters are all dense kernels
 * (`layout 'dense'`, role `'weight'`) and biases of those layers, each layer tapped exactly once
 * per forward pass with a pre-activation `[n, fanOut]`; `undefined` when the model is not such a
 * net (then the generic path is used).
 */
export function denseLayersOf(p: NtkProblem, x: tf.Tensor): DenseLayer[] | undefined {
  const model = p.model;
  if (model === undefined) return undefined;
  const byLayer = new Map<string, DenseLayer>();
  for (const key of p.keys) {
    const info = model.info[key];
    if (info === undefined || info.layer === '') return undefined;
    const isKernel = info.role === 'weight' && info.layout === 'dense';
    const isBias = info.role === 'bias' && info.layout === 'vector';
    if (!isKernel && !isBias) return undefined;
    const layer = byLayer.get(info.layer) ?? layerOf(p, info.layer);
    if (layer === undefined) return undefined;
    if (isKernel && key !== layer.kernelKey) return undefined;
    if (isBias && key !== layer.biasKey) return undefined;
    if (isKernel) layer.kernel = true;
    else layer.bias = true;
    byLayer.set(info.layer, layer);
  }
  const layers = [...byLayer.values()];
  return tapsOnce(p, x, layers) ? layers : undefined;
}

function layerOf(p: NtkProblem, layer: string): DenseLayer | undefined {
  const info = (p.model as NonNullable<NtkProblem['model']>).info;
  const inLayer = Object.keys(p.params).filter((k) => info[k]?.layer === layer);
  const kernels = inLayer.filter((k) => info[k]?.role === 'weight' && info[k]?.layout === 'dense');
  const biases = inLayer.filter((k) => info[k]?.role === 'bias' && info[k]?.layout === 'vector');
  if (
    kernels.length !== 1 ||
    biases.length > 1 ||
    kernels.length + biases.length !== inLayer.length
  ) {
    return undefined;
  }
  const kernelKey = kernels[0] as string;
  const [fanIn, fanOut] = (p.params[kernelKey] as tf.Tensor).shape as [number, number];
  const biasKey = biases[0];
  if (biasKey !== undefined && (p.params[biasKey] as tf.Tensor).size !== fanOut) return undefined;
  return { layer, kernelKey, biasKey, fanIn, fanOut, kernel: false, bias: false };
}

/** One forward pass on one example: is every layer tapped exactly once with `[1, fanOut]`? */
function tapsOnce(p: NtkProblem, x: tf.Tensor, layers: DenseLayer[]): boolean {
  const calls = new Map<string, number>();
  const ok = tf.tidy(() => {
    let shapesOk = true;
    const tap: Tap = (layer, z) => {
      calls.set(layer, (calls.get(layer) ?? 0) + 1);
      const d = layers.find((l) => l.layer === layer);
      if (d !== undefined && (z.rank !== 2 || z.shape[1] !== d.fanOut)) shapesOk = false;
      return z;
    };
    rawForward(p, p.params, exampleOf(x, 0), tap);
    return shapesOk;
  });
  return ok && layers.every((l) => calls.get(l.layer) === 1);
}

const STOP = Symbol('stop after capture');

/**
 * The factors of all rows of `x`, in blocks of `blockSize` examples; `undefined` if the model
 * did not tap a layer while capturing (then nothing is kept).
 */
export function denseFactors(
  p: NtkProblem,
  layers: readonly DenseLayer[],
  x: tf.Tensor,
  blockSize: number,
  outputCount: number,
): DenseFactors | undefined {
  const n = x.shape[0] as number;
  const blocks: Omit<DenseFactors, 'biasScales'>[] = [];
  let biasScales: (tf.Tensor | null | undefined)[] = [];
  try {
    biasScales = layers.map((l) => (l.bias ? biasScaleOf(p, l, x) : undefined));
    if (biasScales.some((s) => s === null)) return undefined;
    for (let start = 0; start < n; start += blockSize) {
      const count = Math.min(blockSize, n - start);
      const block = tf.tidy(() => rowsOf(x, start, count));
      try {
        const inputs = layers.map((l) => (l.kernel ? layerInputs(p, l, block) : undefined));
        if (inputs.some((h) => h === null)) {
          tf.dispose(inputs.filter((h): h is tf.Tensor => h instanceof tf.Tensor));
          return undefined;
        }
        blocks.push({
          inputs: inputs as (tf.Tensor | undefined)[],
          deltas: preActivationGradients(p, layers, block, outputCount),
        });
      } finally {
        block.dispose();
      }
    }
    return tf.tidy(() => ({
      inputs: layers.map((l, k) =>
        l.kernel
          ? tf.concat(
              blocks.map((b) => b.inputs[k] as tf.Tensor),
              0,
            )
          : undefined,
      ),
      deltas: layers.map((_, k) =>
        tf.concat(
          blocks.map((b) => b.deltas[k] as tf.Tensor),
          1,
        ),
      ),
      biasScales: biasScales.map((s) => (s === null || s === undefined ? undefined : tf.clone(s))),
    })) as DenseFactors;
  } finally {
    for (const b of blocks) tf.dispose([...b.deltas, ...b.inputs.filter((h) => h !== undefined)]);
    tf.dispose(biasScales.filter((s): s is tf.Tensor => s instanceof tf.Tensor));
  }
}

/**
 * The inputs `h` `[n, fanIn]` of `layer` for the rows of `x` (scaled as the kernel sees them), by
 * the cheaper of two exact reads; `null` when the tap was not called.
 */
function layerInputs(p: NtkProblem, l: DenseLayer, x: tf.Tensor): tf.Tensor | null {
  const n = x.shape[0] as number;
  const identityPasses = Math.ceil(l.fanIn / l.fanOut);
  // A gradient pass (a whole forward pass, its tape and a backward pass) measured ~8 times the
  // cost of an identity pass, which stops at the layer (wasm, 64-256-256-10 readout, blocks of 32).
  const gradientPasses = 8 * Math.ceil(n / l.fanOut);
  return identityPasses <= gradientPasses ? inputsByIdentity(p, l, x) : inputsByGradient(p, l, x);
}

/**
 * `ceil(fanIn/fanOut)` forward passes, each with `W` replaced by the next `fanOut` columns of the
 * identity (and `b` by zeros), stopped at the layer's tap: the pre-activation is `h` itself.
 */
function inputsByIdentity(p: NtkProblem, l: DenseLayer, x: tf.Tensor): tf.Tensor | null {
  const parts: tf.Tensor[] = [];
  for (let c0 = 0; c0 < l.fanIn; c0 += l.fanOut) {
    const width = Math.min(l.fanOut, l.fanIn - c0);
    const captured = capturePreActivation(p, l, x, () => ({
      [l.kernelKey]: identityColumns(l.fanIn, l.fanOut, c0, width),
      ...(l.biasKey === undefined ? {} : { [l.biasKey]: tf.zeros([l.fanOut]) }),
    }));
    if (captured === null) {
      tf.dispose(parts);
      return null;
    }
    parts.push(width === l.fanOut ? captured : sliceColumns(captured, width));
  }
  return concatRows(parts, 1);
}

/**
 * `ceil(n/fanOut)` gradient passes: with `U[start + c, c] = 1`, column `c` of
 * `∂⟨U, z⟩/∂W = hᵀU` is the input of example `start + c` — up to `fanOut` examples per pass, so a
 * narrow layer after a wide one (a readout) costs a few passes instead of `fanIn/fanOut`.
 */
function inputsByGradient(p: NtkProblem, l: DenseLayer, x: tf.Tensor): tf.Tensor | null {
  const n = x.shape[0] as number;
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < n; start += l.fanOut) {
    const count = Math.min(l.fanOut, n - start);
    let tapped = false;
    const part = tf.tidy(() => {
      const select = selectExamples(n, l.fanOut, start, count);
      const theta = paramList(p);
      const [grad] = tf.grads((w: tf.Tensor) => {
        // Keeps w on the tape when the layer is never tapped (then the result is discarded).
        let picked = tf.mul(tf.sum(w), 0);
        const tap: Tap = (layer, z) => {
          if (layer === l.layer) {
            tapped = true;
            picked = tf.sum(tf.mul(z, select));
          }
          return z;
        };
        rawForward(p, withValues(p, theta, { [l.kernelKey]: w }), x, tap);
        return picked;
      })([p.params[l.kernelKey] as tf.Tensor]);
      return tf.transpose(tf.slice(grad as tf.Tensor, [0, 0], [l.fanIn, count]));
    });
    if (!tapped) {
      part.dispose();
      tf.dispose(parts);
      return null;
    }
    parts.push(part);
  }
  return concatRows(parts, 0);
}

/** `U` `[n, fanOut]` with `U[start + c, c] = 1` for `c < count`. */
function selectExamples(n: number, fanOut: number, start: number, count: number): tf.Tensor {
  const values = new Float32Array(n * fanOut);
  for (let c = 0; c < count; c++) values[(start + c) * fanOut + c] = 1;
  return tf.tensor2d(values, [n, fanOut]);
}

function concatRows(parts: tf.Tensor[], axis: number): tf.Tensor {
  if (parts.length === 1) return parts[0] as tf.Tensor;
  const joined = tf.concat(parts, axis);
  tf.dispose(parts);
  return joined;
}

/** `s = ∂z/∂b` `[fanOut]` of a layer with a bias: its pre-activation at `W = 0`, `b = 1`, less at `b = 0`. */
function biasScaleOf(p: NtkProblem, l: DenseLayer, x: tf.Tensor): tf.Tensor | null {
  const one = tf.tidy(() => exampleOf(x, 0));
  try {
    const at = (value: number) =>
      capturePreActivation(p, l, one, () => ({
        [l.kernelKey]: tf.zeros([l.fanIn, l.fanOut]),
        [l.biasKey as string]: tf.fill([l.fanOut], value),
      }));
    const withOnes = at(1);
    const withZeros = at(0);
    if (withOnes === null || withZeros === null) {
      tf.dispose([withOnes, withZeros].filter((t): t is tf.Tensor => t !== null));
      return null;
    }
    const scale = tf.tidy(() => tf.reshape(tf.sub(withOnes, withZeros), [l.fanOut]));
    tf.dispose([withOnes, withZeros]);
    return scale;
  } finally {
    one.dispose();
  }
}

/** The pre-activation `[n, fanOut]` that `l` taps with some parameters replaced; `null` if never tapped. */
function capturePreActivation(
  p: NtkProblem,
  l: DenseLayer,
  x: tf.Tensor,
  replacements: () => Params,
): tf.Tensor | null {
  let captured: tf.Tensor | undefined;
  tf.tidy(() => {
    const tap: Tap = (layer, z) => {
      if (layer !== l.layer) return z;
      captured = tf.keep(tf.clone(z));
      throw STOP;
    };
    try {
      rawForward(p, withValues(p, paramList(p), replacements()), x, tap);
    } catch (error) {
      if (error !== STOP) throw error;
    }
  });
  return captured ?? null;
}

function sliceColumns(z: tf.Tensor, width: number): tf.Tensor {
  const part = tf.slice(z, [0, 0], [z.shape[0] as number, width]);
  z.dispose();
  return part;
}

/** `E` `[fanIn, fanOut]` with `E[c0 + c, c] = 1` for `c < width`, zeros elsewhere. */
function identityColumns(fanIn: number, fanOut: number, c0: number, width: number): tf.Tensor {
  const values = new Float32Array(fanIn * fanOut);
  for (let c = 0; c < width; c++) values[(c0 + c) * fanOut + c] = 1;
  return tf.tensor2d(values, [fanIn, fanOut]);
}

/**
 * `Δ_l` `[O, n, fanOut]` for every layer: `∂f_a(xᵢ)/∂z_l(xᵢ)` from one `tf.grads` over zero probes,
 * with the block repeated `O` times and output `a` read from copy `a`.
 */
function preActivationGradients(
  p: NtkProblem,
  layers: readonly DenseLayer[],
  x: tf.Tensor,
  outputCount: number,
): tf.Tensor[] {
  return tf.tidy(() => {
    const n = x.shape[0] as number;
    const rows = n * outputCount;
    const repeated = tf.tile(x, [outputCount, ...x.shape.slice(1).map(() => 1)]);
    // Row r of copy a selects output a (tf.oneHot refuses a depth of 1, hence the host array).
    const selection = new Float32Array(rows * outputCount);
    for (let r = 0; r < rows; r++) selection[r * outputCount + Math.floor(r / n)] = 1;
    const select = tf.tensor2d(selection, [rows, outputCount]);
    const index = new Map(layers.map((l, k) => [l.layer, k]));
    const probes = layers.map((l) => tf.zeros([rows, l.fanOut]));
    const theta = paramList(p);
    const deltas = tf.grads((...ps: tf.Tensor[]) => {
      const tap: Tap = (layer, z) => {
        const k = index.get(layer);
        return k === undefined ? z : tf.add(z, ps[k] as tf.Tensor);
      };
      return tf.sum(tf.mul(outputs(p, theta, repeated, tap), select));
    })(probes);
    return deltas.map((d, k) => tf.reshape(d, [outputCount, n, (layers[k] as DenseLayer).fanOut]));
  });
}

/** The kernel `[n1, n2]` (summed over matching outputs) or `[n1, n2, O, O]` of two factor sets. */
export function denseKernel(
  layers: readonly DenseLayer[],
  f1: DenseFactors,
  f2: DenseFactors,
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  return tf.tidy(() => {
    const terms: tf.Tensor[] = [];
    layers.forEach((l, k) => {
      const d1 = f1.deltas[k] as tf.Tensor;
      const d2 = f2.deltas[k] as tf.Tensor;
      if (l.kernel) {
        const gram = tf.matMul(f1.inputs[k] as tf.Tensor, f2.inputs[k] as tf.Tensor, false, true);
        terms.push(deltaTerm(d1, d2, gram, outputCount, reduction));
      }
      if (l.bias) {
        const s = f1.biasScales[k] as tf.Tensor;
        terms.push(deltaTerm(tf.mul(d1, s), tf.mul(d2, s), undefined, outputCount, reduction));
      }
    });
    return terms.length === 1 ? (terms[0] as tf.Tensor) : tf.addN(terms);
  });
}

/** `Σ_a (Δ1_a Δ2_aᵀ) ⊙ G` `[n1, n2]`, or the full `[n1, n2, O, O]` for `'none'` (G = 1 when absent). */
function deltaTerm(
  d1: tf.Tensor,
  d2: tf.Tensor,
  gram: tf.Tensor | undefined,
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  const [n1, n2, fanOut] = [d1.shape[1] as number, d2.shape[1] as number, d1.shape[2] as number];
  if (reduction === 'none') {
    const full = tf.matMul(
      tf.reshape(d1, [outputCount * n1, fanOut]),
      tf.reshape(d2, [outputCount * n2, fanOut]),
      false,
      true,
    );
    const d = tf.transpose(tf.reshape(full, [outputCount, n1, outputCount, n2]), [1, 3, 0, 2]);
    return gram === undefined ? d : tf.mul(d, tf.reshape(gram, [n1, n2, 1, 1]));
  }
  const summed = tf.sum(tf.matMul(d1, d2, false, true), 0);
  return gram === undefined ? summed : tf.mul(summed, gram);
}

/** Disposes a factor set. */
export function disposeFactors(f: DenseFactors): void {
  tf.dispose([
    ...f.deltas,
    ...f.inputs.filter((h): h is tf.Tensor => h !== undefined),
    ...f.biasScales.filter((s): s is tf.Tensor => s !== undefined),
  ]);
}
