/** `‖a‖_F`, the Frobenius norm of a flattened matrix. */
export function frobeniusNorm(a: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) ** 2;
  return Math.sqrt(sum);
}

/** `‖a − b‖_F / ‖b‖_F`: how far `a` is from the reference `b`, relative to `b`'s size. */
export function relativeDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new Error(`relativeDistance: ${a.length} values against ${b.length}`);
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum) / frobeniusNorm(b);
}
