import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { checkKnownKeys, checkNumber } from '../validate/number-checks';
import { checkDtype, isTensor, sameShape } from '../validate/tensor-checks';
import { formatShape } from '../validate/format-shape';
import { type Expr, ops, type Ops, type ValueExpr } from './expr';
import type { KernelSignature } from './kernel-signature';
import { livesOnActiveBackend, wasmInternals, webGpuInternals } from './tfjs-internals';
import { WasmCallTable } from './wasm-call-table';
import { compiledWasm, runWasmKernel } from './wasm-host';
import { runWebGpuKernel } from './webgpu-host';
import { generateWasm } from './wasm-codegen';
import { generateWgsl, type WgslWidth } from './wgsl-codegen';

/** Which implementation ran: the fused WASM-SIMD or WebGPU kernel, or the tfjs-ops reference. */
export type KernelPath = 'wasm-simd' | 'webgpu' | 'reference';

/**
 * An element-wise fused kernel: update rule, reference, and which fused backends to generate.
 *
 * @typeParam I - names of the variables updated in place
 * @typeParam R - names of the tensors only read
 * @typeParam U - names of the scalar hyperparameters
 * @typeParam S - names of the one-element tensors read on the device (see `scalars`)
 */
export interface KernelDefinition<
  I extends string,
  R extends string,
  U extends string,
  S extends string = never,
> {
  /** Unique name, e.g. `'descent.scaledSubtract'`. */
  name: string;
  inouts: readonly I[];
  inputs: readonly R[];
  /**
   * One-element float32 tensors read on the device and broadcast to every element, e.g. a
   * clipping factor or a norm that earlier kernels computed (no read back to JavaScript). Passed
   * in the call's `inputs` record; the reference receives them reshaped to scalars. Default none.
   */
  scalars?: readonly S[];
  uniforms: readonly U[];
  /**
   * The update rule in the expression language: given a node for each buffer (its value before
   * the update), each scalar tensor and each hyperparameter, return the new value of every inout.
   */
  update(refs: Record<I | R | S | U, ValueExpr>, ops: Ops): Record<I, ValueExpr>;
  /**
   * The same rule in plain tfjs ops: the CPU reference, the fallback on every other backend, and
   * what parity tests hold the fused kernels to. Returns the new value of every inout.
   */
  reference(
    inouts: Record<I, tf.Tensor>,
    inputs: Record<R | S, tf.Tensor>,
    uniforms: Record<U, number>,
  ): Record<I, tf.Tensor>;
  /** Fused backends to generate (default both). */
  fused?: { wasm?: boolean; webgpu?: boolean };
}

/** Options of one kernel call. */
export interface KernelCallOptions {
  /** `'reference'` forces the tfjs-ops path (parity tests, debugging). Default `'auto'`. */
  path?: 'auto' | 'reference';
}

/** Options of {@link FusedKernel.batch}. */
export interface KernelBatchOptions<I extends string> {
  /**
   * Inouts that only these kernels read, such as optimizer moments. On wasm a written tensor is
   * re-registered with the backend so that XNNPACK forgets what it derived from the old values
   * (packed matmul and conv weights); these are skipped. Default none: every inout is.
   */
  internal?: readonly I[];
}

/**
 * Many calls of one kernel over fixed rows of in-place variables, e.g. one row per parameter of a
 * model: on wasm one call into the module runs every row (a table of arguments in the heap), on
 * other backends the rows run one by one. Made by {@link FusedKernel.batch}.
 */
export interface KernelBatch {
  /** Number of rows. */
  readonly rows: number;
  /**
   * Runs the kernel on every row, in order, in place. `reads` holds each row's read tensors (its
   * inputs, then its scalars, in the signature's order) row after row; `uniforms` each row's
   * hyperparameters row after row. Every row is validated before any runs (errors name the row
   * and its buffers).
   */
  run(
    reads: readonly tf.Tensor[],
    uniforms: ArrayLike<number>,
    options?: KernelCallOptions,
  ): KernelPath;
  /** Frees the batch's table in the wasm heap (the variables stay the caller's). */
  dispose(): void;
}

/** A callable fused kernel returned by {@link defineKernel}. */
export interface FusedKernel<
  I extends string,
  R extends string,
  U extends string,
  S extends string = never,
> {
  (
    inouts: Record<I, tf.Variable>,
    inputs: Record<R | S, tf.Tensor>,
    uniforms: Record<U, number>,
    options?: KernelCallOptions,
  ): KernelPath;
  readonly kernelName: string;
  readonly signature: KernelSignature;
  /**
   * The same call with buffers by position, in the signature's order: `inouts`, then `reads` (the
   * inputs followed by the scalars), then `uniforms`. Validation is the same (errors name the
   * buffers); it skips building records, for callers that run it once per variable per step.
   */
  positional(
    inouts: readonly tf.Variable[],
    reads: readonly tf.Tensor[],
    uniforms: readonly number[],
    options?: KernelCallOptions,
  ): KernelPath;
  /**
   * Binds rows of in-place variables (each row the inouts of one call, in the signature's order)
   * for repeated runs: checked once here (live float32 variables, one shape per row, distinct),
   * then each {@link KernelBatch.run} checks only what can change (liveness, the reads, the
   * hyperparameters). Call `dispose()` when done.
   */
  batch(rows: readonly (readonly tf.Variable[])[], options?: KernelBatchOptions<I>): KernelBatch;
  /** The path a call would take on the active backend. */
  pathOnActiveBackend(): KernelPath;
  /** The generated WGSL source, one element (`1`) or one `vec4` (`4`) per thread (for inspection). */
  wgsl(width?: WgslWidth): string;
  /** The generated WebAssembly module bytes. */
  wasm(sharedMemory?: boolean): Uint8Array<ArrayBuffer>;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const names = new Set<string>();

/**
 * Defines one fused element-wise op with a CPU reference implementation (tfjs ops) and generated
 * WASM-SIMD and WebGPU implementations that update variables **in place**:
 *
 * - **wasm**: a generated `f32x4` module that imports the tfjs wasm backend's own
 *   `WebAssembly.Memory` and addresses tensors at their heap offsets (no copies, no data segment,
 *   no stack). Needs the single-threaded tfjs build (the threaded one does not expose its memory);
 *   otherwise the reference path runs.
 * - **webgpu**: one compute pipeline binding the inouts `read_write` and the inputs `read`, recorded
 *   into tfjs's own command encoder; hyperparameters are uniforms, so schedules never recompile.
 * - **safety**: a variable whose buffer is shared (`refCount > 1`, e.g. `tf.variable(x)` aliases `x`)
 *   first gets a private copy; written buffers drop tfjs's CPU-side cache.
 * - **anything else** (cpu, other backends, tensors not yet moved to the active backend): the
 *   reference, assigned to the variables.
 *
 * Every call validates first — names, liveness, dtype float32, equal shapes, finite
 * hyperparameters — and throws a {@link DescentError} before touching any variable.
 *
 * @example
 * ```ts
 * const scaledSubtract = defineKernel({
 *   name: 'example.scaledSubtract', inouts: ['p'], inputs: ['g'], uniforms: ['alpha'],
 *   update: ({ p, g, alpha }, { sub, mul }) => ({ p: sub(p, mul(alpha, g)) }),
 *   reference: ({ p }, { g }, { alpha }) => ({ p: tf.sub(p, tf.mul(tf.scalar(alpha), g)) }),
 * });
 * scaledSubtract({ p: weights }, { g: grad }, { alpha: 0.1 });   // 'wasm-simd' on wasm
 * ```
 */
export function defineKernel<
  I extends string,
  R extends string,
  U extends string,
  S extends string = never,
>(definition: KernelDefinition<I, R, U, S>): FusedKernel<I, R, U, S> {
  const signature = validateDefinition(definition);
  const refs = Object.fromEntries(
    [...signature.inouts, ...signature.inputs, ...signature.scalars, ...signature.uniforms].map(
      (name) => [name, { kind: 'ref', name }],
    ),
  ) as Record<I | R | S | U, ValueExpr>;
  const outputs = definition.update(refs, ops) as Record<string, Expr>;
  checkKnownKeys(`${definition.name}: update() result`, Object.keys(outputs), signature.inouts);
  const fusedWasm = definition.fused?.wasm ?? true;
  const fusedWebGpu = definition.fused?.webgpu ?? true;

  const pathOnActiveBackend = (): KernelPath => {
    if (fusedWasm && wasmInternals()) return 'wasm-simd';
    if (fusedWebGpu && webGpuInternals()) return 'webgpu';
    return 'reference';
  };

  const readNames = [...signature.inputs, ...signature.scalars];
  const inputCount = signature.inputs.length;
  const records = (
    inouts: readonly tf.Variable[],
    reads: readonly tf.Tensor[],
    uniforms: readonly number[],
  ) => ({
    inouts: Object.fromEntries(signature.inouts.map((n, i) => [n, inouts[i]])) as Record<
      I,
      tf.Variable
    >,
    inputs: Object.fromEntries(readNames.map((n, i) => [n, reads[i]])) as Record<R | S, tf.Tensor>,
    uniforms: Object.fromEntries(signature.uniforms.map((n, i) => [n, uniforms[i]])) as Record<
      U,
      number
    >,
  });

  const positional = (
    inouts: readonly tf.Variable[],
    reads: readonly tf.Tensor[],
    uniforms: readonly number[],
    options: KernelCallOptions = {},
  ): KernelPath => {
    if (!isValidPositional(signature, inouts, reads, uniforms)) {
      const r = records(inouts, reads, uniforms);
      validateCall(definition.name, signature, r.inouts, r.inputs, r.uniforms);
    }
    return execute(inouts, reads, uniforms, options);
  };

  /** Runs a validated call on the fused path of the active backend, else the reference. */
  const execute = (
    inouts: readonly tf.Variable[],
    reads: readonly tf.Tensor[],
    uniforms: readonly number[],
    options: KernelCallOptions,
  ): KernelPath => {
    const path = options.path === 'reference' ? 'reference' : pathOnActiveBackend();
    if (path === 'wasm-simd') {
      const ran = runWasmKernel(
        wasmInternals()!,
        definition.name,
        signature,
        outputs,
        inouts,
        reads.slice(0, inputCount),
        reads.slice(inputCount),
        uniforms,
      );
      if (ran) return path;
    } else if (
      path === 'webgpu' &&
      inouts.every(livesOnActiveBackend) &&
      reads.every(livesOnActiveBackend)
    ) {
      runWebGpuKernel(
        webGpuInternals()!,
        definition.name,
        signature,
        outputs,
        inouts,
        reads.slice(0, inputCount),
        reads.slice(inputCount),
        uniforms,
      );
      return path;
    }
    const r = records(inouts, reads, uniforms);
    runReference(definition, r.inouts, r.inputs, r.uniforms);
    return 'reference';
  };

  const kernel = (
    inouts: Record<I, tf.Variable>,
    inputs: Record<R | S, tf.Tensor>,
    uniforms: Record<U, number>,
    options: KernelCallOptions = {},
  ): KernelPath => {
    validateCall(definition.name, signature, inouts, inputs, uniforms);
    return execute(
      signature.inouts.map((name) => inouts[name as I]),
      readNames.map((name) => inputs[name as R | S]),
      signature.uniforms.map((name) => uniforms[name as U]),
      options,
    );
  };
  const batch = (
    given: readonly (readonly tf.Variable[])[],
    batchOptions: KernelBatchOptions<I> = {},
  ): KernelBatch => {
    if (!Array.isArray(given)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${definition.name}: batch rows must be an array of rows of ${signature.inouts.length} variables (${signature.inouts.join(', ')}); got ${typeof given}.`,
      );
    }
    for (const [r, row] of given.entries()) validateRow(definition.name, signature, row, r);
    // Our own copy: the caller's arrays may change after the checks (the wasm table is sized once).
    const rows = given.map((row) => [...row]);
    checkKnownKeys(
      `${definition.name}: batch option internal`,
      batchOptions.internal ?? [],
      signature.inouts,
    );
    const internal = new Set<string>(batchOptions.internal ?? []);
    const forget = signature.inouts.map((name) => !internal.has(name));
    let table: WasmCallTable | undefined;
    let disposed = false;
    const runRows = (
      reads: readonly tf.Tensor[],
      uniforms: ArrayLike<number>,
      options: KernelCallOptions,
    ): KernelPath => {
      const path = options.path === 'reference' ? 'reference' : pathOnActiveBackend();
      if (path === 'wasm-simd') {
        const backend = wasmInternals()!;
        if (table?.backend !== backend) {
          table?.free();
          const entries = compiledWasm(backend, definition.name, signature, outputs);
          table = new WasmCallTable(backend, entries, signature, rows, forget);
        }
        if (table.run(reads, uniforms)) return path;
      }
      let ran: KernelPath = path; // a batch of no rows reports the path it would take
      rows.forEach((row, r) => {
        const rowReads = reads.slice(r * readNames.length, (r + 1) * readNames.length);
        const width = signature.uniforms.length;
        const rowUniforms = Array.from({ length: width }, (_, u) => uniforms[r * width + u]!);
        ran = execute(row, rowReads, rowUniforms, options);
      });
      return ran;
    };
    return {
      rows: rows.length,
      run(reads, uniforms, options = {}) {
        if (disposed) {
          throw new DescentError('DISPOSED', `${definition.name}: this kernel batch was disposed.`);
        }
        if (!isValidBatchRun(signature, rows, reads, uniforms)) {
          explainBatchRun(definition.name, signature, rows, reads, uniforms, records);
        }
        return runRows(reads, uniforms, options);
      },
      dispose() {
        // The table lives in the heap of the backend it was made for, active or not.
        table?.free();
        table = undefined;
        disposed = true;
      },
    };
  };
  return Object.assign(kernel, {
    kernelName: definition.name,
    signature,
    positional,
    batch,
    pathOnActiveBackend,
    wgsl: (width: WgslWidth = 1) => generateWgsl(signature, outputs, width),
    wasm: (sharedMemory = false) => generateWasm(signature, outputs, sharedMemory),
  });
}

function runReference<I extends string, R extends string, U extends string, S extends string>(
  definition: KernelDefinition<I, R, U, S>,
  inouts: Record<I, tf.Variable>,
  inputs: Record<R | S, tf.Tensor>,
  uniforms: Record<U, number>,
): void {
  const next = tf.tidy(() => {
    const reads = { ...inputs };
    for (const name of definition.scalars ?? []) reads[name] = tf.reshape(inputs[name], []);
    return definition.reference(inouts, reads, uniforms);
  });
  for (const name of definition.inouts) inouts[name].assign(next[name]);
  tf.dispose(Object.values(next) as tf.Tensor[]);
}

function validateDefinition<I extends string, R extends string, U extends string, S extends string>(
  d: KernelDefinition<I, R, U, S>,
): KernelSignature {
  const scalars = d.scalars ?? [];
  const all = [...d.inouts, ...d.inputs, ...scalars, ...d.uniforms];
  const bad = all.filter((n) => !IDENTIFIER.test(n));
  if (bad.length > 0 || new Set(all).size !== all.length || d.inouts.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `defineKernel(${JSON.stringify(d.name)}): buffer and uniform names must be distinct identifiers with at least one inout; got inouts ${JSON.stringify(d.inouts)}, inputs ${JSON.stringify(d.inputs)}, scalars ${JSON.stringify(scalars)}, uniforms ${JSON.stringify(d.uniforms)}.`,
    );
  }
  if (names.has(d.name)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `defineKernel: a kernel named ${JSON.stringify(d.name)} is already defined.`,
    );
  }
  names.add(d.name);
  return {
    inouts: [...d.inouts],
    inputs: [...d.inputs],
    scalars: [...scalars],
    uniforms: [...d.uniforms],
  };
}

/** The inouts of a call: live float32 variables of one shape, no variable twice. */
function validateInouts(
  kernelName: string,
  signature: KernelSignature,
  inouts: Record<string, unknown>,
): void {
  for (const name of signature.inouts) {
    const v = inouts[name];
    if (!isLiveFloat32(v)) checkDtype(`${kernelName}: variable ${name}`, v, 'float32');
    if (typeof (v as Partial<tf.Variable>).assign !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${kernelName}: ${name} (shape ${formatShape((v as tf.Tensor).shape)}) must be a tf.Variable, updated in place; got a plain tensor.`,
      );
    }
  }
  const first = signature.inouts[0]!;
  const shape = (inouts[first] as tf.Tensor).shape;
  for (const name of signature.inouts) {
    const t = inouts[name] as tf.Tensor;
    if (!sameShape(t.shape, shape)) throw shapeMismatch(kernelName, name, t, first, shape);
  }
  for (let i = 0; i < signature.inouts.length; i++) {
    for (let j = i + 1; j < signature.inouts.length; j++) {
      if (inouts[signature.inouts[i]!] === inouts[signature.inouts[j]!]) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${kernelName}: the same variable was passed for two in-place buffers (${signature.inouts.join(', ')}).`,
        );
      }
    }
  }
}

function shapeMismatch(
  kernelName: string,
  name: string,
  t: tf.Tensor,
  first: string,
  shape: readonly number[],
): DescentError {
  return new DescentError(
    'SHAPE_MISMATCH',
    `${kernelName}: ${name} has shape ${formatShape(t.shape)} but ${first} has shape ${formatShape(shape)}; they must match.`,
  );
}

/** One row of a batch: the inouts of one call (variables, live, float32, one shape, distinct). */
function validateRow(
  kernelName: string,
  signature: KernelSignature,
  row: readonly tf.Variable[],
  index: number,
): void {
  if (!Array.isArray(row) || row.length !== signature.inouts.length) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${kernelName}: batch row ${index} must be an array of ${signature.inouts.length} variables (${signature.inouts.join(', ')}).`,
    );
  }
  const inouts = Object.fromEntries(signature.inouts.map((name, i) => [name, row[i]]));
  validateInouts(`${kernelName} (batch row ${index})`, signature, inouts);
}

/** The checks of a batch run that can change between runs, without building any message. */
function isValidBatchRun(
  signature: KernelSignature,
  rows: readonly (readonly tf.Variable[])[],
  reads: readonly tf.Tensor[],
  uniforms: ArrayLike<number>,
): boolean {
  const inputCount = signature.inputs.length;
  const readCount = inputCount + signature.scalars.length;
  if (
    !Array.isArray(reads) ||
    reads.length !== rows.length * readCount ||
    uniforms?.length !== rows.length * signature.uniforms.length
  ) {
    return false;
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly tf.Variable[];
    for (const v of row) if (v.isDisposed) return false;
    if (!readsFit(signature, reads, r * readCount, (row[0] as tf.Variable).shape)) return false;
  }
  return allFinite(uniforms);
}

/** Throws the error of a batch run that {@link isValidBatchRun} rejected, naming the row. */
function explainBatchRun(
  kernelName: string,
  signature: KernelSignature,
  rows: readonly (readonly tf.Variable[])[],
  reads: readonly tf.Tensor[],
  uniforms: ArrayLike<number>,
  records: (
    inouts: readonly tf.Variable[],
    reads: readonly tf.Tensor[],
    uniforms: readonly number[],
  ) => { inouts: object; inputs: object; uniforms: object },
): never {
  const readCount = signature.inputs.length + signature.scalars.length;
  const width = signature.uniforms.length;
  if (
    !Array.isArray(reads) ||
    reads.length !== rows.length * readCount ||
    uniforms?.length !== rows.length * width
  ) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${kernelName}: a batch of ${rows.length} rows takes ${rows.length * readCount} read tensors and ${rows.length * width} hyperparameters (per row: ${[...signature.inputs, ...signature.scalars].join(', ') || 'none'}; ${signature.uniforms.join(', ') || 'none'}), got ${Array.isArray(reads) ? reads.length : typeof reads} and ${uniforms?.length ?? typeof uniforms}.`,
    );
  }
  rows.forEach((row, r) => {
    const rowReads = reads.slice(r * readCount, (r + 1) * readCount);
    const rowUniforms = Array.from({ length: width }, (_, u) => uniforms[r * width + u] as number);
    const call = records(row, rowReads, rowUniforms);
    validateCall(
      `${kernelName} (batch row ${r})`,
      signature,
      call.inouts as Record<string, unknown>,
      call.inputs as Record<string, unknown>,
      call.uniforms as Record<string, unknown>,
    );
  });
  throw new DescentError('BAD_ARGUMENT', `${kernelName}: invalid batch run.`);
}

function validateCall(
  kernelName: string,
  signature: KernelSignature,
  inouts: Record<string, unknown>,
  inputs: Record<string, unknown>,
  uniforms: Record<string, unknown>,
): void {
  // Fast checks first (this runs once per variable per optimizer step); messages are built only
  // on the way to an error.
  const readNames = [...signature.inputs, ...signature.scalars];
  if (
    !hasExactly(inouts, signature.inouts) ||
    !hasExactly(inputs, readNames) ||
    !hasExactly(uniforms, signature.uniforms)
  ) {
    checkKnownKeys(`${kernelName}: variables`, Object.keys(inouts ?? {}), signature.inouts);
    checkKnownKeys(`${kernelName}: inputs`, Object.keys(inputs ?? {}), readNames);
    checkKnownKeys(
      `${kernelName}: hyperparameters`,
      Object.keys(uniforms ?? {}),
      signature.uniforms,
    );
  }
  validateInouts(kernelName, signature, inouts);
  for (const name of readNames) {
    if (!isLiveFloat32(inputs[name]))
      checkDtype(`${kernelName}: input ${name}`, inputs[name], 'float32');
  }
  for (const name of signature.scalars) {
    const t = inputs[name] as tf.Tensor;
    if (t.size !== 1) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${kernelName}: scalar input ${name} has shape ${formatShape(t.shape)}; expected one element (shape [] or [1]).`,
      );
    }
  }
  const first = signature.inouts[0]!;
  const shape = (inouts[first] as tf.Tensor).shape;
  for (const name of signature.inputs) {
    const t = inputs[name] as tf.Tensor;
    if (!sameShape(t.shape, shape)) throw shapeMismatch(kernelName, name, t, first, shape);
  }
  for (const name of signature.uniforms) {
    const u = uniforms[name];
    if (typeof u !== 'number' || !Number.isFinite(u))
      checkNumber(`${kernelName}: hyperparameter ${name}`, u);
  }
}

/**
 * The checks of {@link validateCall} on positional buffers, without building any message: true
 * when the call is valid (live float32 tensors of one shape, variables for the inouts, distinct
 * inouts, one-element scalars, finite uniforms). On false the caller runs `validateCall` to throw.
 */
function isValidPositional(
  signature: KernelSignature,
  inouts: readonly tf.Variable[],
  reads: readonly tf.Tensor[],
  uniforms: readonly number[],
): boolean {
  const inputCount = signature.inputs.length;
  if (
    inouts.length !== signature.inouts.length ||
    reads.length !== inputCount + signature.scalars.length ||
    uniforms.length !== signature.uniforms.length
  ) {
    return false;
  }
  const shape = inouts[0]?.shape;
  if (!shape) return false;
  for (let i = 0; i < inouts.length; i++) {
    const v = inouts[i] as tf.Variable;
    if (!isLiveFloat32(v) || typeof v.assign !== 'function' || !sameShape(v.shape, shape)) {
      return false;
    }
    for (let j = 0; j < i; j++) if (inouts[j] === v) return false;
  }
  return readsFit(signature, reads, 0, shape) && allFinite(uniforms);
}

/**
 * Whether one call's reads, starting at `from`, are live float32 tensors: the inputs shaped
 * `shape`, the scalars of one element.
 */
function readsFit(
  signature: KernelSignature,
  reads: readonly tf.Tensor[],
  from: number,
  shape: readonly number[],
): boolean {
  const inputCount = signature.inputs.length;
  const count = inputCount + signature.scalars.length;
  for (let i = 0; i < count; i++) {
    const t = reads[from + i] as tf.Tensor;
    if (!isLiveFloat32(t)) return false;
    if (i < inputCount ? !sameShape(t.shape, shape) : t.size !== 1) return false;
  }
  return true;
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** True when `record` has exactly the keys `names` (no more, no fewer). */
function hasExactly(
  record: Record<string, unknown> | null | undefined,
  names: readonly string[],
): boolean {
  if (typeof record !== 'object' || record === null) return false;
  let count = 0;
  for (const key in record) {
    if (Object.hasOwn(record, key)) count++;
  }
  return count === names.length && names.every((name) => Object.hasOwn(record, name));
}

function isLiveFloat32(value: unknown): boolean {
  return isTensor(value) && !value.isDisposed && value.dtype === 'float32';
}
