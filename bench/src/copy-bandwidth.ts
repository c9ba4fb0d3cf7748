/**
 * In-process memory bandwidth in GB/s: the ceiling against which a memory-bound kernel's bytes
 * moved per second are read.
 *
 * Method: `repeats` copies (default 9) of a `bytes`-byte buffer (default 64 MiB, far past any
 * cache) into another with `TypedArray.prototype.set` (a memcpy), each timed alone; the **best**
 * copy counts, as `2 · bytes / time` (read + write, as a kernel's figure counts its traffic). The
 * first copy also faults in the target's fresh pages; taking the best leaves that out, and leaves
 * out copies slowed by other processes. A case's figure is a median, so on a loaded machine its
 * percentage of this best is a lower bound.
 */
export function measureCopyBandwidth(bytes = 64 << 20, repeats = 9): number {
  const source = new Uint8Array(bytes).fill(1);
  const target = new Uint8Array(bytes);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    target.set(source);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const best = times[0] as number;
  return (2 * bytes) / (best / 1000) / 1e9;
}
