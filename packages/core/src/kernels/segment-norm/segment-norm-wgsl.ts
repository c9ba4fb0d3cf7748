/** Workgroup sizes the shaders are generated for (powers of two ≥ 16, for the reduction). */
export type SegmentNormWorkgroup = 32 | 64;

/**
 * The workgroup size for reductions of `n` elements: 32, or 64 from 128 elements on. Measured on
 * SwiftShader (software WebGPU, what CI runs), 256-thread workgroups made group norm 3–4× slower
 * than 64 (every barrier switches every invocation); not tuned on hardware GPUs.
 */
export function workgroupFor(n: number): SegmentNormWorkgroup {
  let size = 32;
  while (size < 64 && size * 4 < n) size *= 2;
  return size as SegmentNormWorkgroup;
}

const header = (
  wg: SegmentNormWorkgroup,
) => `struct Uniforms { A: u32, S: u32, B: u32, L: u32, eps: f32 }
const WG: u32 = ${wg}u;
var<workgroup> part1: array<f32, ${wg}>;
var<workgroup> part2: array<f32, ${wg}>;

// Sums v1 and v2 over the workgroup in three barriers (few barriers matter on software
// rasterizers): 16 threads each add WG/16 partials, then every thread adds those 16.
fn reduce2(t: u32, v1: f32, v2: f32) -> vec2<f32> {
  part1[t] = v1;
  part2[t] = v2;
  workgroupBarrier();
  let span = WG / 16u;
  if (t < 16u) {
    var a1 = 0.0;
    var a2 = 0.0;
    for (var k = 0u; k < span; k = k + 1u) {
      a1 = a1 + part1[t * span + k];
      a2 = a2 + part2[t * span + k];
    }
    part1[t * span] = a1;
    part2[t * span] = a2;
  }
  workgroupBarrier();
  var r = vec2<f32>(0.0, 0.0);
  for (var k = 0u; k < 16u; k = k + 1u) {
    r = r + vec2<f32>(part1[k * span], part2[k * span]);
  }
  workgroupBarrier();
  return r;
}

// Flat index of element k (< S·L) of segment (a, b).
fn at(a: u32, b: u32, k: u32) -> u32 {
  let s = k / u.L;
  let j = k - s * u.L;
  return ((a * u.S + s) * u.B + b) * u.L + j;
}
`;

const entry = (wg: SegmentNormWorkgroup) => `@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {`;

/**
 * Forward: one workgroup per segment (a, b). Two passes over the segment for μ and σ² (tree
 * reductions), then `y = (x − μ)·rstd·γ_c + β_c`; thread 0 stores mean and rstd.
 */
export const SEGMENT_NORM_FORWARD_WGSL = (wg: SegmentNormWorkgroup): string => `${header(wg)}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(6) var<uniform> u: Uniforms;
${entry(wg)}
  let seg = wid.x + wid.y * groups.x;
  if (seg >= u.A * u.B) { return; }
  let a = seg / u.B;
  let b = seg - a * u.B;
  let n = u.S * u.L;
  var acc = 0.0;
  for (var k = t; k < n; k = k + WG) { acc = acc + x[at(a, b, k)]; }
  let mu = reduce2(t, acc, 0.0).x / f32(n);
  acc = 0.0;
  for (var k = t; k < n; k = k + WG) {
    let d = x[at(a, b, k)] - mu;
    acc = acc + d * d;
  }
  let r = 1.0 / sqrt(reduce2(t, acc, 0.0).x / f32(n) + u.eps);
  if (t == 0u) {
    mean[seg] = mu;
    rstd[seg] = r;
  }
  for (var k = t; k < n; k = k + WG) {
    let i = at(a, b, k);
    let c = b * u.L + k % u.L;
    y[i] = (x[i] - mu) * r * gamma[c] + beta[c];
  }
}`;

/**
 * Backward, dx: one workgroup per segment. `s₁ = Σ dy·γ_c`, `s₂ = Σ dy·γ_c·x̂` (one reduction),
 * then `dx = rstd·(dy·γ_c − s₁/n − x̂·s₂/n)`.
 */
export const SEGMENT_NORM_BACKWARD_DX_WGSL = (wg: SegmentNormWorkgroup): string => `${header(wg)}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> rstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<uniform> u: Uniforms;
${entry(wg)}
  let seg = wid.x + wid.y * groups.x;
  if (seg >= u.A * u.B) { return; }
  let a = seg / u.B;
  let b = seg - a * u.B;
  let n = u.S * u.L;
  let mu = mean[seg];
  let r = rstd[seg];
  var acc1 = 0.0;
  var acc2 = 0.0;
  for (var k = t; k < n; k = k + WG) {
    let i = at(a, b, k);
    let g = dy[i] * gamma[b * u.L + k % u.L];
    acc1 = acc1 + g;
    acc2 = acc2 + g * (x[i] - mu) * r;
  }
  let m = reduce2(t, acc1, acc2) / f32(n);
  for (var k = t; k < n; k = k + WG) {
    let i = at(a, b, k);
    let g = dy[i] * gamma[b * u.L + k % u.L];
    let xh = (x[i] - mu) * r;
    dx[i] = r * (g - m.x - xh * m.y);
  }
}`;

/**
 * Backward, dγ and dβ: one workgroup per channel c = b·L + j, reducing over the A·S positions:
 * `dγ_c = Σ dy·x̂`, `dβ_c = Σ dy`.
 */
export const SEGMENT_NORM_BACKWARD_PARAMS_WGSL = (
  wg: SegmentNormWorkgroup,
): string => `${header(wg)}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> mean: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> dGamma: array<f32>;
@group(0) @binding(5) var<storage, read_write> dBeta: array<f32>;
@group(0) @binding(6) var<uniform> u: Uniforms;
${entry(wg)}
  let c = wid.x + wid.y * groups.x;
  let channels = u.B * u.L;
  if (c >= channels) { return; }
  let b = c / u.L;
  let m = u.A * u.S;
  var acc1 = 0.0;
  var acc2 = 0.0;
  for (var p = t; p < m; p = p + WG) {
    let i = p * channels + c;
    let stat = (p / u.S) * u.B + b;
    let d = dy[i];
    acc1 = acc1 + d * (x[i] - mean[stat]) * rstd[stat];
    acc2 = acc2 + d;
  }
  let sums = reduce2(t, acc1, acc2);
  if (t == 0u) {
    dGamma[c] = sums.x;
    dBeta[c] = sums.y;
  }
}`;
