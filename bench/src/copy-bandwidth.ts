/** Bytes per reference copy: 64 MiB, far past any cache. */
const COPY_BYTES = 64 << 20;

/**
 * The in-process memory bandwidth in GB/s against which a memory-bound kernel's bytes moved per
 * second are read: copies of a 64 MiB buffer into another with `TypedArray.prototype.set` (a
 * memcpy), each timed alone, counted as `2 · bytes / time` (read + write, as a kernel's figure
 * counts its traffic). The **best** copy counts: it leaves out the first copy's page faults and
 * copies slowed by other processes.
 *
 * A case compares its best sample with the best of the copies taken between its own samples
 * ({@link CopyProbe.sample} after each pair), so both figures are best-of-N under the same load.
 */
export class CopyProbe {
  private readonly source = new Uint8Array(COPY_BYTES).fill(1);
  private readonly target = new Uint8Array(COPY_BYTES);
  private bestMs = Number.POSITIVE_INFINITY;

  /** One timed copy. */
  sample(): void {
    const start = performance.now();
    this.target.set(this.source);
    this.bestMs = Math.min(this.bestMs, performance.now() - start);
  }

  /** The best copy so far in GB/s (read + write); NaN before the first sample. */
  get bestGBps(): number {
    return Number.isFinite(this.bestMs)
      ? (2 * COPY_BYTES) / (this.bestMs / 1000) / 1e9
      : Number.NaN;
  }
}

/** The best of `repeats` copies of 64 MiB in GB/s (read + write); see {@link CopyProbe}. */
export function measureCopyBandwidth(repeats = 9): number {
  const probe = new CopyProbe();
  for (let i = 0; i < repeats; i++) probe.sample();
  return probe.bestGBps;
}
