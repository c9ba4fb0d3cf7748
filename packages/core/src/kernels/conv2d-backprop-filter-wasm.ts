import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../kernel/tfjs-internals';

/** tfjs's kernel name for the filter gradient of `conv2d`. */
const KERNEL = 'Conv2DBackpropFilter';

/** The attributes tfjs passes to `Conv2DBackpropFilter` (plus optional dilations). */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  dilations?: [number, number] | number;
}

/**
 * `dW[r, c, i, o] = Σ_{b, y, x} X[b, y·sh + r·dh − top, x·sw + c·dw − left, i] · dY[b, y, x, o]`
 * (zero outside the image), computed in JavaScript over the wasm heap: the inputs are read through
 * typed views at their heap offsets and the result is written into a tensor made with the backend's
 * `makeOutput`. Sums are accumulated in float64 and rounded once.
 */
function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as unknown as WasmBackendInternals;
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(
      `Conv2DBackpropFilter (descent, wasm): x and dy must be float32, got ${x.dtype} and ${dy.dtype}.`,
    );
  }
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  const channelsLast = info.dataFormat === 'channelsLast';
  const [xs0, xs1, xs2] = tf.util.computeStrides(x.shape);
  const [ys0, ys1, ys2] = tf.util.computeStrides(dy.shape);
  // Element strides (batch, row, column, channel) of x and dy in either layout.
  const xB = xs0 as number;
  const xR = channelsLast ? (xs1 as number) : (xs2 as number);
  const xC = channelsLast ? (xs2 as number) : 1;
  const xCh = channelsLast ? 1 : (xs1 as number);
  const yB = ys0 as number;
  const yR = channelsLast ? (ys1 as number) : (ys2 as number);
  const yC = channelsLast ? (ys2 as number) : 1;
  const yCh = channelsLast ? 1 : (ys1 as number);

  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { dilationHeight, dilationWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const out = backend.makeOutput([...info.filterShape], 'float32');
  // Views only after the allocation above: growing the heap detaches earlier views.
  const heap = backend.wasm.asm?.memory?.buffer ?? backend.wasm.HEAPU8.buffer;
  const view = (t: tf.TensorInfo) =>
    new Float32Array(
      heap,
      backend.dataIdMap.get(t.dataId)!.memoryOffset,
      tf.util.sizeFromShape(t.shape),
    );
  const X = view(x);
  const DY = view(dy);

  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let fr = 0; fr < filterHeight; fr++) {
        const iy = oy * strideHeight + fr * dilationHeight - top;
        if (iy < 0 || iy >= inHeight) continue;
        for (let ox = 0; ox < outWidth; ox++) {
          const dyBase = b * yB + oy * yR + ox * yC;
          for (let fc = 0; fc < filterWidth; fc++) {
            const ix = ox * strideWidth + fc * dilationWidth - left;
            if (ix < 0 || ix >= inWidth) continue;
            const xBase = b * xB + iy * xR + ix * xC;
            const wBase = (fr * filterWidth + fc) * inChannels * outChannels;
            for (let i = 0; i < inChannels; i++) {
              const xv = X[xBase + i * xCh] as number;
              if (xv === 0) continue;
              const row = wBase + i * outChannels;
              for (let o = 0; o < outChannels; o++) {
                const k = row + o;
                acc[k] = (acc[k] as number) + xv * (DY[dyBase + o * yCh] as number);
              }
            }
          }
        }
      }
    }
  }
  view(out).set(acc);
  return out;
}

/**
 * Registers descent's `Conv2DBackpropFilter` kernel for tfjs's **wasm** backend, which (in
 * tfjs-backend-wasm 4.22) has none — so the gradient of `tf.conv2d` with respect to its filter,
 * hence training any conv net, fails there. The kernel computes
 * `dW[r, c, i, o] = Σ_{b, y, x} X[b, y·s_h + r·d_h − pad_top, x·s_w + c·d_w − pad_left, i] · dY[b, y, x, o]`
 * (zero padding) in JavaScript directly over the wasm heap — typed views at the tensors' heap
 * offsets, the output allocated with the backend's own `makeOutput` — accumulating in float64. It
 * supports every attribute tfjs's CPU kernel does: `strides`, `pad` (`'valid'`, `'same'`, a number
 * or explicit `[[0,0],[t,b],[l,r],[0,0]]`), `dataFormat` (`'NHWC'`, `'NCHW'`), `dimRoundingMode`,
 * and `dilations` if given (tfjs's `conv2d` gradient itself rejects dilations > 1).
 *
 * Idempotent and cheap: registers at most once per process and does nothing when tfjs already has
 * a `Conv2DBackpropFilter` for wasm (a later tfjs version, or another copy of this package). The
 * kernel registry is global, so it may be called before or after the wasm backend is set up.
 * `@descent/nets` calls it whenever it builds a conv net.
 *
 * @returns `true` if this call registered the kernel, `false` if one was already registered.
 * @example
 * ```ts
 * registerWasmConv2DBackpropFilter();
 * await useBackend('wasm');
 * const dW = tf.grad((w) => tf.sum(tf.conv2d(x, w, 1, 'same')))(w); // now works on wasm
 * ```
 * @see tfjs-backend-cpu's `Conv2DBackpropFilter`, which this kernel matches to float32 rounding.
 */
export function registerWasmConv2DBackpropFilter(): boolean {
  if (tf.getKernel(KERNEL, 'wasm') !== undefined) return false;
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
  });
  return true;
}
