/**
 * In-process memory bandwidth in GB/s, measured with `TypedArray.prototype.set` (a memcpy) over
 * `bytes` bytes: the ceiling against which a memory-bound kernel's bytes moved per second are read.
 * Counts read + write, as a kernel's figure does.
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
