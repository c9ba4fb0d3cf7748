import type * as tf from '@tensorflow/tfjs-core';
import type { KernelSignature } from './kernel-signature';
import type { WasmBackendInternals } from './tfjs-internals';
import { detachIfShared, forgetDerivedData, type TensorData, type WasmEntries } from './wasm-host';
import { tableRecordBytes } from './wasm-codegen';

/**
 * The calls of a kernel batch as a table in the tfjs wasm heap, one record per row (`n`, buffer
 * offsets, scalar offsets, hyperparameters), run by the module's `runTable` in one call from
 * JavaScript. The rows' variables are fixed; their heap data is looked up on every run, since an
 * `assign` replaces it and a use on another backend moves it out of this heap and back (same
 * `dataId`, new offset).
 */
export class WasmCallTable {
  private readonly offset: number;
  private readonly words: number;
  private i32: Int32Array;
  private f32: Float32Array;
  private readonly infos: (TensorData | undefined)[];
  private readonly readOffsets: Int32Array;

  constructor(
    readonly backend: WasmBackendInternals,
    private readonly entries: WasmEntries,
    private readonly signature: KernelSignature,
    private readonly rows: readonly (readonly tf.Variable[])[],
    /** Per inout position: drop the backend's derived data after a write (see `forgetDerivedData`). */
    private readonly forget: readonly boolean[],
  ) {
    const recordBytes = tableRecordBytes(signature);
    this.words = recordBytes / 4;
    this.offset = backend.wasm._malloc(Math.max(1, rows.length) * recordBytes);
    const cells = rows.length * signature.inouts.length;
    this.infos = new Array<TensorData | undefined>(cells).fill(undefined);
    this.readOffsets = new Int32Array(
      rows.length * (signature.inputs.length + signature.scalars.length),
    );
    const buffer = this.memory().buffer;
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
  }

  /**
   * Runs every row in place, in order. `reads` and `uniforms` hold the rows' read tensors and
   * hyperparameters row after row (already validated). Returns false, having written nothing,
   * when a tensor does not live on this backend (the caller then runs the rows one by one).
   */
  run(reads: readonly tf.Tensor[], uniforms: ArrayLike<number>): boolean {
    if (!this.resolveInouts() || !this.resolveReads(reads)) return false;
    this.writeRecords(uniforms);
    this.entries.runTable(this.offset, this.rows.length);
    this.forgetWritten();
    return true;
  }

  /** Returns the table's bytes to the backend's allocator. */
  free(): void {
    this.backend.wasm._free(this.offset);
  }

  private memory(): WebAssembly.Memory {
    return this.backend.wasm.asm!.memory!;
  }

  /** Heap data of every row's inouts; shared buffers get a private copy first (as single calls do). */
  private resolveInouts(): boolean {
    const data = this.backend.dataIdMap;
    const width = this.signature.inouts.length;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r] as readonly tf.Variable[];
      for (let j = 0; j < width; j++) {
        const v = row[j] as tf.Variable;
        let info = data.get(v.dataId);
        if (info === undefined) return false;
        if (info.refCount > 1) {
          detachIfShared(this.backend, v);
          info = data.get(v.dataId) as TensorData;
        }
        this.infos[r * width + j] = info;
      }
    }
    return true;
  }

  private resolveReads(reads: readonly tf.Tensor[]): boolean {
    const data = this.backend.dataIdMap;
    for (let i = 0; i < reads.length; i++) {
      const info = data.get((reads[i] as tf.Tensor).dataId);
      if (info === undefined) return false;
      this.readOffsets[i] = info.memoryOffset;
    }
    return true;
  }

  private writeRecords(uniforms: ArrayLike<number>): void {
    const buffer = this.memory().buffer;
    // Views are remade after the heap grew (a detached copy or a moved tensor can grow it).
    if (this.i32.buffer !== buffer) {
      this.i32 = new Int32Array(buffer);
      this.f32 = new Float32Array(buffer);
    }
    const { i32, f32, words } = this;
    const width = this.signature.inouts.length;
    const readCount = this.signature.inputs.length + this.signature.scalars.length;
    const uniformCount = this.signature.uniforms.length;
    let at = this.offset >> 2;
    for (let r = 0; r < this.rows.length; r++, at += words) {
      i32[at] = (this.rows[r] as readonly tf.Variable[])[0]!.size;
      let w = at + 1;
      for (let j = 0; j < width; j++) i32[w++] = this.infos[r * width + j]!.memoryOffset;
      for (let i = 0; i < readCount; i++) i32[w++] = this.readOffsets[r * readCount + i] as number;
      for (let u = 0; u < uniformCount; u++) f32[w++] = uniforms[r * uniformCount + u] as number;
    }
  }

  private forgetWritten(): void {
    const width = this.signature.inouts.length;
    for (let r = 0; r < this.rows.length; r++) {
      const size = (this.rows[r] as readonly tf.Variable[])[0]!.size;
      if (size === 0) continue;
      for (let j = 0; j < width; j++) {
        if (this.forget[j]) forgetDerivedData(this.backend, this.infos[r * width + j]!, size);
      }
    }
  }
}
