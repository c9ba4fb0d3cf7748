import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { checkOptions } from '../validate/check-options';
import { describeValue } from '../validate/describe-value';
import { checkKnownKeys, checkNumber } from '../validate/number-checks';
import { checkDtype, isTensor, sameShape } from '../validate/tensor-checks';
import { formatShape } from '../validate/format-shape';
import { checkExpr } from './check-expr';
import { children, type Expr, ops, type Ops, type ValueExpr } from './expr';
import { evaluateExpr } from './expr-to-tfjs';
import type { KernelSignature } from './kernel-signature';
import {
  livesOnActiveBackend,
  type WasmBackendInternals,
  wasmInternals,
  webGpuInternals,
} from './tfjs-internals';
import { WasmCallTable } from './wasm-call-table';
import { compiledWasm, runWasmKernel } from './wasm-host';
import { runWebGpuKernel } from './webgpu-host';
import { generateWasm } from './wasm-codegen';
import { generateWgsl, type WgslWidth } from './wgsl-codegen';

/**
 * Which implementation ran: the fused WASM-SIMD or WebGPU kernel, or `'reference'`, tfjs ops (the
 * `update` rule interpreted by {@link evaluateExpr}, or the definition's own `reference`).
 */
export type KernelPath = 'wasm-simd' | 'webgpu' | 'reference';

/**
 * An element-wise fused kernel: the update rule, written once, and which fused backends to generate.
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
   * in the call's `inputs` record; the tfjs-ops path reads them reshaped to scalars. Default none.
   */
  scalars?: readonly S[];
  uniforms: readonly U[];
  /**
   * The update rule in the expression language: given a node for each buffer (its value before
   * the update), each scalar tensor and each hyperparameter, return the new value of every inout.
   */
  update(refs: Record<I | R | S | U, ValueExpr>, ops: Ops): Record<I, ValueExpr>;
  /**
   * Optional: the same rule written in plain tfjs ops, for a rule that tfjs can compute better
   * than element by element. Without it, the tfjs-ops path (cpu, other backends, the fallback,
   * `{ path: 'reference' }`) evaluates `update` itself with {@link evaluateExpr}, so the rule is
   * written once. Receives the scalar tensors reshaped to `[]`; returns the new value of every
   * inout, shaped like it.
   */
  reference?(
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
   * buffers, and a wrong number of buffers is a `BAD_ARGUMENT`); it skips building records, for
   * callers that run it once per variable per step.
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
   *
   * @throws DescentError `BAD_ARGUMENT` for rows that are no arrays of the signature's variables or
   *   options that are no `{ internal }` with an array; `UNKNOWN_PARAM` for an unknown option or
   *   inout name; `DTYPE_MISMATCH`, `SHAPE_MISMATCH`, `DISPOSED` for a bad variable.
   */
  batch(rows: readonly (readonly tf.Variable[])[], options?: KernelBatchOptions<I>): KernelBatch;
  /** The path a call would take on the active backend. */
  pathOnActiveBackend(): KernelPath;
  /**
   * The generated WGSL source, one element (`1`) or one `vec4` (`4`) per thread (for inspection).
   *
   * @throws DescentError `BAD_ARGUMENT` for a width other than 1 or 4.
   */
  wgsl(width?: WgslWidth): string;
  /**
   * The generated WebAssembly module bytes.
   *
   * @throws DescentError `BAD_ARGUMENT` if `sharedMemory` is not a boolean.
   */
  wasm(sharedMemory?: boolean): Uint8Array<ArrayBuffer>;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const names = new Set<string>();

/** One call's inouts, and its reads (its inputs, then its scalars), by position. */
type Buffers = readonly tf.Variable[];
type Reads = readonly tf.Tensor[];

/**
 * Defines one fused element-wise op from its update rule, written once in the expression
 * language, and updates variables **in place** with code generated from it:
 *
 * - **wasm**: a generated `f32x4` module that imports the tfjs wasm backend's own
 *   `WebAssembly.Memory` and addresses tensors at their heap offsets (no copies, no data segment,
 *   no stack). Needs the single-threaded tfjs build (the threaded one does not expose its memory);
 *   otherwise the tfjs-ops path runs.
 * - **webgpu**: one compute pipeline binding the inouts `read_write` and the inputs `read`, recorded
 *   into tfjs's own command encoder; hyperparameters are uniforms, so schedules never recompile.
 * - **safety**: a variable whose buffer is shared (`refCount > 1`, e.g. `tf.variable(x)` aliases `x`)
 *   first gets a private copy; written buffers drop tfjs's CPU-side cache.
 * - **anything else** (cpu, other backends, tensors not yet moved to the active backend): tfjs ops
 *   — the same rule evaluated by {@link evaluateExpr}, or the definition's `reference` where it
 *   gives one — assigned to the variables.
 *
 * The three call forms (records, {@link FusedKernel.positional}, {@link FusedKernel.batch}) share
 * one path: every call validates first — names, liveness, dtype float32, equal shapes, finite
 * hyperparameters, call options — and throws a {@link DescentError} before touching any variable.
 *
 * @throws DescentError `BAD_ARGUMENT` for a definition that is no plain object or has a field of
 *   the wrong kind (named: `definition.name`, `definition.update`, …), for names that are not
 *   distinct identifiers, a name already defined, or an `update` result that lacks an inout, is no
 *   well-formed expression or reads a name outside the signature; `UNKNOWN_PARAM` for an unknown
 *   definition key or result key; `NON_FINITE` for a non-finite constant. A refused definition
 *   takes no name. Errors thrown by `update` itself pass through unchanged.
 *
 * @example
 * ```ts
 * const scaledSubtract = defineKernel({
 *   name: 'example.scaledSubtract', inouts: ['p'], inputs: ['g'], uniforms: ['alpha'],
 *   update: ({ p, g, alpha }, { sub, mul }) => ({ p: sub(p, mul(alpha, g)) }),
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
  const name = definition.name;
  const refs = Object.fromEntries(
    [...signature.inouts, ...signature.inputs, ...signature.scalars, ...signature.uniforms].map(
      (n) => [n, { kind: 'ref', name: n }],
    ),
  ) as Record<I | R | S | U, ValueExpr>;
  const outputs = definition.update(refs, ops) as Record<string, Expr>;
  validateOutputs(name, signature, outputs);
  names.add(name);
  const fusedWasm = definition.fused?.wasm ?? true;
  const fusedWebGpu = definition.fused?.webgpu ?? true;
  const runReference = referencePath(definition, signature, outputs);
  const readNames = [...signature.inputs, ...signature.scalars];
  const inputCount = signature.inputs.length;
  const readCount = readNames.length;
  const width = signature.uniforms.length;
  const rowReads = (reads: Reads, r: number) => reads.slice(r * readCount, (r + 1) * readCount);
  const rowUniforms = (uniforms: ArrayLike<number>, r: number) =>
    Array.from({ length: width }, (_, u) => uniforms[r * width + u] as number);

  const pathOnActiveBackend = (): KernelPath => {
    if (fusedWasm && wasmInternals()) return 'wasm-simd';
    if (fusedWebGpu && webGpuInternals()) return 'webgpu';
    return 'reference';
  };

  /** Runs one checked call on `path`: the fused kernel where it can run, else tfjs ops. */
  const execute = (
    path: KernelPath,
    inouts: Buffers,
    reads: Reads,
    uniforms: readonly number[],
  ): KernelPath => {
    if (path === 'wasm-simd') {
      const backend = wasmInternals()!;
      const inputs = reads.slice(0, inputCount);
      const scalars = reads.slice(inputCount);
      if (runWasmKernel(backend, name, signature, outputs, inouts, inputs, scalars, uniforms)) {
        return path;
      }
    } else if (
      path === 'webgpu' &&
      inouts.every(livesOnActiveBackend) &&
      reads.every(livesOnActiveBackend)
    ) {
      const backend = webGpuInternals()!;
      const inputs = reads.slice(0, inputCount);
      const scalars = reads.slice(inputCount);
      runWebGpuKernel(backend, name, signature, outputs, inouts, inputs, scalars, uniforms);
      return path;
    }
    runReference(inouts, reads, uniforms);
    return 'reference';
  };

  /**
   * The one call path of every form: a single call is one row, a batch run all its rows. Checks
   * every row before any runs (messages are built only on the way to an error), then runs the rows
   * in order — on wasm, a batch's rows with one call into the module through its table.
   */
  const run = (
    rows: readonly Buffers[],
    reads: Reads,
    uniforms: ArrayLike<number>,
    options: KernelCallOptions,
    batch?: { table(backend: WasmBackendInternals): WasmCallTable },
  ): KernelPath => {
    if (!isCallOptions(options)) checkCallOptions(name, options);
    const single = batch === undefined;
    const counted =
      hasCounts(signature, rows.length, reads, uniforms) && (!single || isRow(signature, rows[0]));
    // A batch's inouts were checked when bound; only their liveness can change since. A plain
    // loop: this runs on every call, and a closure per call costs more than the checks.
    let fits = counted;
    for (let r = 0; fits && r < rows.length; r++) {
      fits = callFits(
        signature,
        rows[r] as Buffers,
        reads,
        uniforms,
        r * readCount,
        r * width,
        !single,
      );
    }
    if (!fits) explainRun(single, rows, reads, uniforms);
    const path = options.path === 'reference' ? 'reference' : pathOnActiveBackend();
    if (path === 'wasm-simd' && batch?.table(wasmInternals()!).run(reads, uniforms)) return path;
    if (single) return execute(path, rows[0] as Buffers, reads, uniforms as readonly number[]);
    let ran: KernelPath = path; // a batch of no rows reports the path it would take
    rows.forEach((row, r) => {
      ran = execute(path, row, rowReads(reads, r), rowUniforms(uniforms, r));
    });
    return ran;
  };
  /** Throws the error of a run that {@link callFits} rejected: the counts, then row by row. */
  const explainRun = (
    single: boolean,
    rows: readonly Buffers[],
    reads: Reads,
    uniforms: ArrayLike<number>,
  ): never => {
    const list = (names: readonly string[]) => names.join(', ') || 'none';
    const count = (x: unknown) => (Array.isArray(x) ? x.length : typeof x);
    const got = `${count(reads)} and ${uniforms?.length ?? typeof uniforms}`;
    if (single && !(hasCounts(signature, 1, reads, uniforms) && isRow(signature, rows[0]))) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}: a call takes ${signature.inouts.length} variables (${list(signature.inouts)}), ${readCount} read tensors (${list(readNames)}) and ${width} hyperparameters (${list(signature.uniforms)}); got ${count(rows[0])}, ${got}.`,
      );
    }
    if (!hasCounts(signature, rows.length, reads, uniforms)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}: a batch of ${rows.length} rows takes ${rows.length * readCount} read tensors and ${rows.length * width} hyperparameters (per row: ${list(readNames)}; ${list(signature.uniforms)}), got ${got}.`,
      );
    }
    rows.forEach((row, r) => {
      const label = single ? name : `${name} (batch row ${r})`;
      validateCall(label, signature, row, rowReads(reads, r), rowUniforms(uniforms, r));
    });
    throw new DescentError('BAD_ARGUMENT', `${name}: invalid ${single ? 'call' : 'batch run'}.`);
  };

  const positional = (
    inouts: Buffers,
    reads: Reads,
    uniforms: readonly number[],
    options: KernelCallOptions = {},
  ): KernelPath => run([inouts], reads, uniforms, options);

  const kernel = (
    inouts: Record<I, tf.Variable>,
    inputs: Record<R | S, tf.Tensor>,
    uniforms: Record<U, number>,
    options?: KernelCallOptions,
  ): KernelPath => {
    checkNames(name, signature, inouts, inputs, uniforms);
    return positional(
      signature.inouts.map((n) => inouts[n as I]),
      readNames.map((n) => inputs[n as R | S]),
      signature.uniforms.map((n) => uniforms[n as U]),
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
        `${name}: batch rows must be an array of rows of ${signature.inouts.length} variables (${signature.inouts.join(', ')}); got ${typeof given}.`,
      );
    }
    for (const [r, row] of given.entries()) validateRow(name, signature, row, r);
    // Our own copy: the caller's arrays may change after the checks (the wasm table is sized once).
    const rows = given.map((row) => [...row]);
    checkOptions(`${name}: batch`, batchOptions, ['internal']);
    if (batchOptions.internal !== undefined && !Array.isArray(batchOptions.internal)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}: batch options.internal must be an array of inout names, got ${describeValue(batchOptions.internal)}.`,
      );
    }
    checkKnownKeys(`${name}: batch option internal`, batchOptions.internal ?? [], signature.inouts);
    const internal = new Set<string>(batchOptions.internal ?? []);
    const forget = signature.inouts.map((n) => !internal.has(n));
    let table: WasmCallTable | undefined;
    let disposed = false;
    const bound = {
      table(backend: WasmBackendInternals): WasmCallTable {
        if (table?.backend !== backend) {
          table?.free();
          const entries = compiledWasm(backend, name, signature, outputs);
          table = new WasmCallTable(backend, entries, signature, rows, forget);
        }
        return table;
      },
    };
    return {
      rows: rows.length,
      run(reads, uniforms, options = {}) {
        if (disposed) {
          throw new DescentError('DISPOSED', `${name}: this kernel batch was disposed.`);
        }
        return run(rows, reads, uniforms, options, bound);
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
    kernelName: name,
    signature,
    positional,
    batch,
    pathOnActiveBackend,
    wgsl: (width: WgslWidth = 1) => {
      if (width !== 1 && width !== 4) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${name}: wgsl width must be 1 or 4, got ${describeValue(width)}.`,
        );
      }
      return generateWgsl(signature, outputs, width);
    },
    wasm: (sharedMemory = false) => {
      if (typeof sharedMemory !== 'boolean') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${name}: wasm sharedMemory must be a boolean, got ${describeValue(sharedMemory)}.`,
        );
      }
      return generateWasm(signature, outputs, sharedMemory);
    },
  });
}

/**
 * The tfjs-ops path of a kernel: computes the new values of the inouts — with the definition's
 * `reference`, else by interpreting its `update` — and assigns them to the variables.
 */
function referencePath<I extends string, R extends string, U extends string, S extends string>(
  definition: KernelDefinition<I, R, U, S>,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
): (inouts: Buffers, reads: Reads, uniforms: readonly number[]) => void {
  const scalarFrom = signature.inputs.length;
  const given = definition.reference;
  return (inouts, reads, uniforms) => {
    const next = tf.tidy(() => {
      const record = <T>(names: readonly string[], values: readonly T[], from = 0) =>
        Object.fromEntries(names.map((n, i) => [n, values[from + i] as T]));
      const buffers = record<tf.Tensor>(signature.inouts, inouts);
      const scalars = reads.slice(scalarFrom).map((t) => tf.reshape(t, []));
      const read = { ...record(signature.inputs, reads), ...record(signature.scalars, scalars) };
      const hyper = record(signature.uniforms, uniforms);
      const result: Record<string, tf.Tensor> = given
        ? given(
            buffers as Record<I, tf.Tensor>,
            read as Record<R | S, tf.Tensor>,
            hyper as Record<U, number>,
          )
        : evaluateExpr(
            outputs as Record<string, ValueExpr>,
            { ...buffers, ...read, ...hyper },
            { shape: (inouts[0] as tf.Variable).shape },
          );
      return signature.inouts.map((n) => result[n] as tf.Tensor);
    });
    inouts.forEach((v, i) => {
      v.assign(next[i] as tf.Tensor);
    });
    // A `reference` may return a tensor it was given: that one stays the caller's.
    tf.dispose(next.filter((t) => !inouts.includes(t as tf.Variable) && !reads.includes(t)));
  };
}

/** Every key a {@link KernelDefinition} may have. */
const DEFINITION_KEYS = [
  'name',
  'inouts',
  'inputs',
  'scalars',
  'uniforms',
  'update',
  'reference',
  'fused',
] as const;

/**
 * Checks a definition's fields (kinds, names) and that no kernel of its name exists; the name is
 * taken only once the whole definition, its `update` result included, has been checked.
 */
function validateDefinition<I extends string, R extends string, U extends string, S extends string>(
  d: KernelDefinition<I, R, U, S>,
): KernelSignature {
  checkOptions(
    'defineKernel: definition',
    d,
    DEFINITION_KEYS,
    `defineKernel: the definition must be a plain object { name, inouts, inputs, uniforms, update, … }, got ${describeValue(d)}.`,
  );
  if (typeof d.name !== 'string' || d.name === '') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `defineKernel: definition.name must be a non-empty string, got ${describeValue(d.name)}.`,
    );
  }
  const label = `defineKernel(${JSON.stringify(d.name)})`;
  for (const field of ['inouts', 'inputs', 'uniforms', 'scalars'] as const) {
    const list = d[field];
    if (field === 'scalars' && list === undefined) continue;
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}: definition.${field} must be an array of names, got ${describeValue(list)}.`,
      );
    }
  }
  for (const field of ['update', 'reference'] as const) {
    const fn = d[field];
    if (typeof fn !== 'function' && (field === 'update' || fn !== undefined)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}: definition.${field} must be a function, got ${describeValue(fn)}.`,
      );
    }
  }
  if (d.fused !== undefined) {
    checkOptions(`${label}: definition.fused`, d.fused, ['wasm', 'webgpu']);
    for (const [key, value] of Object.entries(d.fused)) {
      if (value !== undefined && typeof value !== 'boolean') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${label}: definition.fused.${key} must be a boolean, got ${describeValue(value)}.`,
        );
      }
    }
  }
  const scalars = d.scalars ?? [];
  const all = [...d.inouts, ...d.inputs, ...scalars, ...d.uniforms];
  const bad = all.filter((n) => !IDENTIFIER.test(n));
  if (bad.length > 0 || new Set(all).size !== all.length || d.inouts.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}: buffer and uniform names must be distinct identifiers with at least one inout; got inouts ${JSON.stringify(d.inouts)}, inputs ${JSON.stringify(d.inputs)}, scalars ${JSON.stringify(scalars)}, uniforms ${JSON.stringify(d.uniforms)}.`,
    );
  }
  if (names.has(d.name)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `defineKernel: a kernel named ${JSON.stringify(d.name)} is already defined.`,
    );
  }
  return {
    inouts: [...d.inouts],
    inputs: [...d.inputs],
    scalars: [...scalars],
    uniforms: [...d.uniforms],
  };
}

/**
 * Checks what `update` returned: an object with a well-formed expression for every inout and no
 * other key, reading only the signature's names.
 */
function validateOutputs(name: string, signature: KernelSignature, outputs: unknown): void {
  const what = `${name}: update() result`;
  checkOptions(what, outputs, signature.inouts);
  const missing = signature.inouts.filter(
    (n) => (outputs as Record<string, unknown>)[n] === undefined,
  );
  if (missing.length > 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what} must give a new value for every inout; missing ${missing.join(', ')}.`,
    );
  }
  checkExpr(what, outputs as Record<string, unknown>);
  const known = new Set([
    ...signature.inouts,
    ...signature.inputs,
    ...signature.scalars,
    ...signature.uniforms,
  ]);
  const unknown = [...refNames(Object.values(outputs as Record<string, Expr>))].filter(
    (n) => !known.has(n),
  );
  if (unknown.length > 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what} reads ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which the signature does not name.`,
    );
  }
}

/** The names of every `ref` reachable from `roots`. */
function refNames(roots: readonly Expr[]): Set<string> {
  const found = new Set<string>();
  const seen = new Set<Expr>();
  const visit = (node: Expr): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'ref') found.add(node.name);
    for (const child of children(node)) visit(child);
  };
  for (const root of roots) visit(root);
  return found;
}

/** The names of a record call: exactly the signature's (`UNKNOWN_PARAM` for any other). */
function checkNames(
  kernelName: string,
  signature: KernelSignature,
  inouts: object,
  inputs: object,
  uniforms: object,
): void {
  const readNames = [...signature.inputs, ...signature.scalars];
  if (
    hasExactly(inouts, signature.inouts) &&
    hasExactly(inputs, readNames) &&
    hasExactly(uniforms, signature.uniforms)
  ) {
    return;
  }
  const groups = [
    ['variables', inouts, signature.inouts],
    ['inputs', inputs, readNames],
    ['hyperparameters', uniforms, signature.uniforms],
  ] as const;
  for (const [what, record, expected] of groups) {
    checkOptions(
      `${kernelName}: ${what}`,
      record,
      expected,
      `${kernelName}: ${what} must be a plain object with ${expected.join(', ') || 'no names'}, got ${describeValue(record)}.`,
    );
    const missing = expected.filter((n) => !Object.hasOwn(record, n));
    if (missing.length > 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${kernelName}: ${what} lack ${missing.join(', ')}; a call takes ${expected.join(', ')}.`,
      );
    }
  }
}

/** Whether call options are absent or `{ path }` with a known path (no message built). */
function isCallOptions(options: unknown): boolean {
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null) return false;
  const path = (options as KernelCallOptions).path;
  if (path !== undefined && path !== 'auto' && path !== 'reference') return false;
  for (const key in options) if (key !== 'path') return false;
  return true;
}

/** Throws the error of call options that {@link isCallOptions} rejected. */
function checkCallOptions(kernelName: string, options: unknown): void {
  checkOptions(`${kernelName}: call`, options, ['path']);
  const path = (options as KernelCallOptions).path;
  throw new DescentError(
    'BAD_ARGUMENT',
    `${kernelName}: options.path must be 'auto' or 'reference', got ${describeValue(path)}.`,
  );
}

/** Whether `calls` calls' worth of reads and hyperparameters came, as arrays. */
function hasCounts(
  signature: KernelSignature,
  calls: number,
  reads: Reads,
  uniforms: ArrayLike<number>,
): boolean {
  const readCount = signature.inputs.length + signature.scalars.length;
  return (
    Array.isArray(reads) &&
    reads.length === calls * readCount &&
    uniforms?.length === calls * signature.uniforms.length
  );
}

/** Whether `row` is an array of one call's inouts (one per name of the signature). */
function isRow(signature: KernelSignature, row: unknown): row is Buffers {
  return Array.isArray(row) && row.length === signature.inouts.length;
}

/**
 * The checks of one call, without building any message: live float32 variables of one shape for
 * the inouts, no variable twice (only liveness where `bound`: a batch's rows were checked when
 * bound, and a variable's dtype and shape never change); live float32 reads from `readFrom`, the
 * inputs shaped like the inouts and the scalars of one element; finite hyperparameters from
 * `uniformFrom`. Where this rejects a call, {@link validateCall} throws its error.
 */
function callFits(
  signature: KernelSignature,
  inouts: Buffers,
  reads: Reads,
  uniforms: ArrayLike<number>,
  readFrom: number,
  uniformFrom: number,
  bound: boolean,
): boolean {
  const shape = (inouts[0] as tf.Variable | undefined)?.shape;
  if (!shape) return false;
  for (let i = 0; i < inouts.length; i++) {
    const v = inouts[i] as tf.Variable;
    if (bound) {
      if (v.isDisposed) return false;
      continue;
    }
    if (!isLiveFloat32(v) || typeof v.assign !== 'function' || !sameShape(v.shape, shape)) {
      return false;
    }
    for (let j = 0; j < i; j++) if (inouts[j] === v) return false;
  }
  const inputCount = signature.inputs.length;
  const readCount = inputCount + signature.scalars.length;
  for (let i = 0; i < readCount; i++) {
    const t = reads[readFrom + i] as tf.Tensor;
    if (!isLiveFloat32(t)) return false;
    if (i < inputCount ? !sameShape(t.shape, shape) : t.size !== 1) return false;
  }
  for (let u = 0; u < signature.uniforms.length; u++) {
    if (!Number.isFinite(uniforms[uniformFrom + u])) return false;
  }
  return true;
}

/**
 * The checks of one call, each throwing its own {@link DescentError} named after the buffer
 * (`label` names the kernel and the batch row): the inouts (see {@link validateInouts}), the reads
 * (live float32; the inputs shaped like the inouts, the scalars of one element), then the
 * hyperparameters (finite numbers).
 */
function validateCall(
  label: string,
  signature: KernelSignature,
  inouts: Buffers,
  reads: Reads,
  uniforms: ArrayLike<unknown>,
): void {
  validateInouts(label, signature, inouts);
  const { inputs, scalars } = signature;
  const readNames = [...inputs, ...scalars];
  readNames.forEach((n, i) => {
    if (!isLiveFloat32(reads[i])) checkDtype(`${label}: input ${n}`, reads[i], 'float32');
  });
  scalars.forEach((n, i) => {
    const t = reads[inputs.length + i] as tf.Tensor;
    if (t.size !== 1) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${label}: scalar input ${n} has shape ${formatShape(t.shape)}; expected one element (shape [] or [1]).`,
      );
    }
  });
  const shape = (inouts[0] as tf.Tensor).shape;
  inputs.forEach((n, i) => {
    const t = reads[i] as tf.Tensor;
    if (!sameShape(t.shape, shape)) throw shapeMismatch(label, signature, n, t, shape);
  });
  signature.uniforms.forEach((n, i) => {
    const u = uniforms[i];
    if (typeof u !== 'number' || !Number.isFinite(u)) {
      checkNumber(`${label}: hyperparameter ${n}`, u);
    }
  });
}

/** The inouts of a call: live float32 variables of one shape, no variable twice. */
function validateInouts(label: string, signature: KernelSignature, inouts: Buffers): void {
  signature.inouts.forEach((name, i) => {
    const v = inouts[i];
    if (!isLiveFloat32(v)) checkDtype(`${label}: variable ${name}`, v, 'float32');
    if (typeof (v as Partial<tf.Variable>).assign !== 'function') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label}: ${name} (shape ${formatShape((v as tf.Tensor).shape)}) must be a tf.Variable, updated in place; got a plain tensor.`,
      );
    }
  });
  const shape = (inouts[0] as tf.Tensor).shape;
  signature.inouts.forEach((name, i) => {
    const t = inouts[i] as tf.Tensor;
    if (!sameShape(t.shape, shape)) throw shapeMismatch(label, signature, name, t, shape);
  });
  if (new Set(inouts).size !== inouts.length) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label}: the same variable was passed for two in-place buffers (${signature.inouts.join(', ')}).`,
    );
  }
}

function shapeMismatch(
  label: string,
  signature: KernelSignature,
  name: string,
  t: tf.Tensor,
  shape: readonly number[],
): DescentError {
  return new DescentError(
    'SHAPE_MISMATCH',
    `${label}: ${name} has shape ${formatShape(t.shape)} but ${signature.inouts[0]} has shape ${formatShape(shape)}; they must match.`,
  );
}

/** One row of a batch: the inouts of one call (variables, live, float32, one shape, distinct). */
function validateRow(
  kernelName: string,
  signature: KernelSignature,
  row: readonly tf.Variable[],
  index: number,
): void {
  if (!isRow(signature, row)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${kernelName}: batch row ${index} must be an array of ${signature.inouts.length} variables (${signature.inouts.join(', ')}).`,
    );
  }
  validateInouts(`${kernelName} (batch row ${index})`, signature, row);
}

/** True when `record` has exactly the keys `names` (no more, no fewer). */
function hasExactly(record: object | null | undefined, names: readonly string[]): boolean {
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
