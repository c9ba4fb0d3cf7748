// fdlibm's e_log.c (Sun Microsystems, 1993; freely redistributable), the algorithm V8 ships as
// `Math.log`. Bundled so normal draws do not depend on the engine's libm: ECMAScript leaves
// `Math.log` implementation-approximated (engines differ in the last bit), while + − × ÷ are
// IEEE-754 correctly rounded, and `Math.sqrt` is the correctly rounded hardware square root in
// every major engine.
// Shortest round-trip decimals of fdlibm's constants (bit patterns in e_log.c's comments).
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const TWO54 = 18014398509481984;
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;

const view = new DataView(new ArrayBuffer(8));

/**
 * Natural logarithm with fdlibm's `__ieee754_log` (error < 1 ulp), bit-identical on every
 * JavaScript engine because it uses only IEEE-754 basic arithmetic and the bit layout of doubles.
 *
 * Writes `x = 2^k · (1 + f)` with `√2/2 ≤ 1 + f < √2`, then
 * `log x = k·ln2 + 2s + 2s³/3 + …` with `s = f / (2 + f)`, the series evaluated as a
 * degree-14 minimax polynomial in `s`.
 *
 * @example
 * ```ts
 * fdlibmLog(Math.E); // 1
 * ```
 */
export function fdlibmLog(input: number): number {
  let x = input;
  view.setFloat64(0, x);
  let hx = view.getInt32(0);
  const lx = view.getUint32(4);
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54; // subnormal: scale up
    x *= TWO54;
    view.setFloat64(0, x);
    hx = view.getInt32(0);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  view.setInt32(0, hx | (i ^ 0x3ff00000)); // normalize x or x/2
  x = view.getFloat64(0);
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) return logNearOne(f, k);
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + r));
    return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - r);
  return k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}

/** The |f| < 2⁻²⁰ branch of fdlibm's log. */
function logNearOne(f: number, k: number): number {
  if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
  const r = f * f * (0.5 - 0.3333333333333333 * f);
  if (k === 0) return f - r;
  return k * LN2_HI - (r - k * LN2_LO - f);
}
