import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { isDescentError } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expectConverges, uniqueSuffix } from '../test-support/optimizer-harness';
import { saveAndLoadWithOptimizer } from '../test-support/layers-harness';
import { LBFGS, lbfgs } from './lbfgs';

/** A differentiable function of a flat float64 vector. */
interface RefFunction {
  f(x: Float64Array): number;
  grad(x: Float64Array): Float64Array;
}

interface RefOptions {
  lr: number;
  maxIter: number;
  maxEval: number;
  tolGrad: number;
  tolChange: number;
  history: number;
  wolfe: boolean;
}

const dotF = (a: Float64Array, b: Float64Array) =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);
const maxAbsF = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const sumAbsF = (a: Float64Array) => a.reduce((m, v) => m + Math.abs(v), 0);
const plus = (a: Float64Array, alpha: number, b: Float64Array) =>
  a.map((v, i) => v + alpha * (b[i] as number));

/** Minimizer of the cubic through (a, fa, ga), (b, fb, gb) (Nocedal & Wright eq. 3.59), clamped to [lo, hi]. */
function cubicMin(
  a: number,
  fa: number,
  ga: number,
  b: number,
  fb: number,
  gb: number,
  lo = Math.min(a, b),
  hi = Math.max(a, b),
): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return (lo + hi) / 2;
  const d2 = Math.sqrt(disc);
  const [x1, x2, g1, g2] = a <= b ? [a, b, ga, gb] : [b, a, gb, ga];
  // Written from the far point x2 toward x1 (a ≤ b), or from a toward b otherwise, as minFunc does.
  const m =
    a <= b
      ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
      : a - (a - b) * ((ga + d2 - d1) / (ga - gb + 2 * d2));
  return Math.min(Math.max(m, lo), hi);
}

/**
 * Float64 L-BFGS written from Nocedal & Wright (Algorithm 7.4 two-loop recursion with H₀ = γI,
 * γ = sᵀy/yᵀy; Algorithms 3.5–3.6 strong-Wolfe bracketing and zoom with cubic interpolation), with
 * torch.optim.LBFGS's iteration control (first step scaled by min(1, 1/‖g‖₁), curvature pairs kept
 * when yᵀs > 1e-10, stopping tests, memory carried across steps).
 */
class ReferenceLbfgs {
  private n = 0;
  private d?: Float64Array;
  private t = 0;
  private gPrev?: Float64Array;
  private S: Float64Array[] = [];
  private Y: Float64Array[] = [];
  private rho: number[] = [];
  private gamma = 1;

  constructor(private readonly o: RefOptions) {}

  step(x: Float64Array, fn: RefFunction): number {
    const { o } = this;
    let f = fn.f(x);
    let g = fn.grad(x);
    const f0 = f;
    if (maxAbsF(g) <= o.tolGrad) return f0;
    let evals = 1;
    for (let k = 1; k <= o.maxIter; k++) {
      this.n += 1;
      if (this.n === 1 || !this.d || !this.gPrev) {
        this.d = g.map((v) => -v);
        this.S = [];
        this.Y = [];
        this.rho = [];
        this.gamma = 1;
      } else {
        const y = plus(g, -1, this.gPrev);
        const s = this.d.map((v) => v * this.t);
        const ys = dotF(y, s);
        if (ys > 1e-10) {
          if (this.S.length === o.history) {
            this.S.shift();
            this.Y.shift();
            this.rho.shift();
          }
          this.S.push(s);
          this.Y.push(y);
          this.rho.push(1 / ys);
          this.gamma = ys / dotF(y, y);
        }
        // Two-loop recursion: r = H g.
        let q = Float64Array.from(g);
        const alpha: number[] = [];
        for (let i = this.S.length - 1; i >= 0; i--) {
          alpha[i] = (this.rho[i] as number) * dotF(this.S[i] as Float64Array, q);
          q = plus(q, -(alpha[i] as number), this.Y[i] as Float64Array);
        }
        let r = q.map((v) => v * this.gamma);
        for (let i = 0; i < this.S.length; i++) {
          const beta = (this.rho[i] as number) * dotF(this.Y[i] as Float64Array, r);
          r = plus(r, (alpha[i] as number) - beta, this.S[i] as Float64Array);
        }
        this.d = r.map((v) => -v);
      }
      const d = this.d;
      this.gPrev = g;
      const fPrev = f;
      this.t = this.n === 1 ? Math.min(1, 1 / sumAbsF(g)) * o.lr : o.lr;
      const gtd = dotF(g, d);
      if (gtd > -o.tolChange) break;
      let used = 0;
      if (o.wolfe) {
        const r = this.wolfe(x, fn, this.t, d, f, g, gtd);
        this.t = r.t;
        f = r.f;
        g = r.g;
        used = r.evals;
        x.set(plus(x, this.t, d));
      } else {
        x.set(plus(x, this.t, d));
        if (k !== o.maxIter) {
          f = fn.f(x);
          g = fn.grad(x);
          used = 1;
        }
      }
      evals += used;
      if (k === o.maxIter || evals >= o.maxEval) break;
      if (used > 0 && maxAbsF(g) <= o.tolGrad) break;
      if (maxAbsF(d) * Math.abs(this.t) <= o.tolChange) break;
      if (Math.abs(f - fPrev) < o.tolChange) break;
    }
    return f0;
  }

  /** Strong-Wolfe line search (c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations). */
  private wolfe(
    x: Float64Array,
    fn: RefFunction,
    t0: number,
    d: Float64Array,
    f0: number,
    g0: Float64Array,
    gtd0: number,
  ): { t: number; f: number; g: Float64Array; evals: number } {
    const c1 = 1e-4;
    const c2 = 0.9;
    const maxLs = 25;
    const dNorm = maxAbsF(d);
    type P = { t: number; f: number; g: Float64Array; gtd: number };
    const at = (t: number): P => {
      const xt = plus(x, t, d);
      const g = fn.grad(xt);
      return { t, f: fn.f(xt), g, gtd: dotF(g, d) };
    };
    const armijoFails = (p: P) => p.f > f0 + c1 * p.t * gtd0;
    const curvatureHolds = (p: P) => Math.abs(p.gtd) <= -c2 * gtd0;
    let lo: P = { t: 0, f: f0, g: g0, gtd: gtd0 };
    let cur = at(t0);
    let evals = 1;
    let lsIter = 0;
    let bracket: [P, P] | undefined;
    let found: P | undefined;
    // Bracketing phase (Algorithm 3.5).
    for (; lsIter < maxLs; lsIter++) {
      if (armijoFails(cur) || (lsIter > 1 && cur.f >= lo.f)) {
        bracket = [lo, cur];
        break;
      }
      if (curvatureHolds(cur)) {
        found = cur;
        break;
      }
      if (cur.gtd >= 0) {
        bracket = [lo, cur];
        break;
      }
      const next = cubicMin(
        lo.t,
        lo.f,
        lo.gtd,
        cur.t,
        cur.f,
        cur.gtd,
        cur.t + 0.01 * (cur.t - lo.t),
        cur.t * 10,
      );
      lo = cur;
      cur = at(next);
      evals += 1;
    }
    if (found) return { t: found.t, f: found.f, g: found.g, evals };
    if (lsIter === maxLs) bracket = [{ t: 0, f: f0, g: g0, gtd: gtd0 }, cur];
    const b = bracket as [P, P];
    // Zoom phase (Algorithm 3.6), safeguarded away from the bracket ends.
    let lowIdx: 0 | 1 = b[0].f <= b[1].f ? 0 : 1;
    let stalled = false;
    let done = false;
    while (!done && lsIter < maxLs) {
      if (Math.abs(b[1].t - b[0].t) * dNorm < 1e-9) break;
      let t = cubicMin(b[0].t, b[0].f, b[0].gtd, b[1].t, b[1].f, b[1].gtd);
      const hiT = Math.max(b[0].t, b[1].t);
      const loT = Math.min(b[0].t, b[1].t);
      const margin = 0.1 * (hiT - loT);
      if (Math.min(hiT - t, t - loT) < margin) {
        if (stalled || t >= hiT || t <= loT) {
          t = Math.abs(t - hiT) < Math.abs(t - loT) ? hiT - margin : loT + margin;
          stalled = false;
        } else stalled = true;
      } else stalled = false;
      const p = at(t);
      evals += 1;
      lsIter += 1;
      const highIdx: 0 | 1 = lowIdx === 0 ? 1 : 0;
      if (armijoFails(p) || p.f >= b[lowIdx].f) {
        b[highIdx] = p;
        lowIdx = b[0].f <= b[1].f ? 0 : 1;
      } else {
        if (curvatureHolds(p)) done = true;
        else if (p.gtd * (b[highIdx].t - b[lowIdx].t) >= 0) b[highIdx] = b[lowIdx];
        b[lowIdx] = p;
      }
    }
    const best = b[lowIdx];
    return { t: best.t, f: best.f, g: best.g, evals };
  }
}

/** An SPD 8×8 matrix `A = MᵀM/8 + I` and a vector `b`: f(x) = ½xᵀAx − bᵀx. */
const N = 8;
const M = Array.from({ length: N * N }, (_, i) => Math.fround(Math.sin(0.9 * i + 0.3)));
const A = Array.from({ length: N * N }, (_, ij) => {
  const i = Math.floor(ij / N);
  const j = ij % N;
  let s = 0;
  for (let k = 0; k < N; k++) s += (M[k * N + i] as number) * (M[k * N + j] as number);
  return Math.fround(s / N + (i === j ? 1 : 0));
});
const B = Array.from({ length: N }, (_, i) => Math.fround(Math.cos(1.7 * i)));
const X0 = Array.from({ length: N }, (_, i) => Math.fround(0.5 * Math.sin(2.3 * i + 1)));

const quadratic: RefFunction = {
  f: (x) => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      let ax = 0;
      for (let j = 0; j < N; j++) ax += (A[i * N + j] as number) * (x[j] as number);
      s += 0.5 * (x[i] as number) * ax - (B[i] as number) * (x[i] as number);
    }
    return s;
  },
  grad: (x) =>
    Float64Array.from({ length: N }, (_, i) => {
      let ax = 0;
      for (let j = 0; j < N; j++) ax += (A[i * N + j] as number) * (x[j] as number);
      return ax - (B[i] as number);
    }),
};

const rosenbrock: RefFunction = {
  f: ([x = 0, y = 0]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: ([x = 0, y = 0]) =>
    Float64Array.from([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]),
};

/** The quadratic over three variables of shapes [2, 2], [3] and [] (8 numbers in all). */
function quadraticVariables() {
  const s = uniqueSuffix();
  const w = tf.variable(tf.tensor(X0.slice(0, 4), [2, 2]), true, `lbfgs_q/w${s}`);
  const v = tf.variable(tf.tensor(X0.slice(4, 7), [3]), true, `lbfgs_q/v${s}`);
  const c = tf.variable(tf.scalar(X0[7] as number), true, `lbfgs_q/c${s}`);
  const a = tf.tensor(A, [N, N]);
  const b = tf.tensor(B, [N, 1]);
  const loss = () =>
    tf.tidy(() => {
      const x = tf.reshape(tf.concat([tf.reshape(w, [-1]), v, tf.reshape(c, [1])]), [N, 1]);
      const quad = tf.mul(0.5, tf.sum(tf.mul(x, tf.matMul(a, x))));
      return tf.sub(quad, tf.sum(tf.mul(b, x))) as tf.Scalar;
    });
  const values = async () =>
    Float64Array.from([...(await w.data()), ...(await v.data()), ...(await c.data())]);
  const dispose = () => tf.dispose([w, v, c, a, b]);
  return { vars: [w, v, c], loss, values, dispose };
}

function rosenbrockVariable(start: number[] = [-1.2, 1]) {
  const p = tf.variable(tf.tensor(start), true, `lbfgs_r${uniqueSuffix()}`);
  const loss = () =>
    tf.tidy(() => {
      const x = tf.slice(p, 0, 1);
      const y = tf.slice(p, 1, 1);
      return tf.sum(
        tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x))))),
      ) as tf.Scalar;
    });
  return { p, loss };
}

function refOptions(o: Partial<RefOptions>): RefOptions {
  const maxIter = o.maxIter ?? 20;
  return {
    lr: 1,
    maxIter,
    maxEval: Math.floor((maxIter * 5) / 4),
    tolGrad: 1e-7,
    tolChange: 1e-9,
    history: 100,
    wolfe: false,
    ...o,
  };
}

forEachBackend('lbfgs', () => {
  it('matches a float64 L-BFGS on an 8-dimensional quadratic, fixed steps (lr 0.7, history 3, maxIter 2; 6 steps, rtol 1e-4)', async () => {
    const q = quadraticVariables();
    const opt = lbfgs({ learningRate: 0.7, historySize: 3, maxIter: 2 });
    const ref = new ReferenceLbfgs(refOptions({ lr: 0.7, history: 3, maxIter: 2 }));
    const x = Float64Array.from(X0);
    for (let step = 0; step < 6; step++) {
      const loss = await opt.stepAsync(q.loss, q.vars);
      const refLoss = ref.step(x, quadratic);
      await expectClose(loss, refLoss, { rtol: 1e-4, atol: 1e-5 });
      await expectClose(await q.values(), x, { rtol: 1e-4, atol: 1e-5 });
    }
    opt.dispose();
    q.dispose();
  });

  it('matches a float64 L-BFGS with strong-Wolfe line search on the quadratic (lr 0.5, history 3, maxIter 2; 6 steps, rtol 1e-4)', async () => {
    const q = quadraticVariables();
    const opt = lbfgs({
      learningRate: 0.5,
      historySize: 3,
      maxIter: 2,
      lineSearchFn: 'strong_wolfe',
    });
    const ref = new ReferenceLbfgs(refOptions({ lr: 0.5, history: 3, maxIter: 2, wolfe: true }));
    const x = Float64Array.from(X0);
    for (let step = 0; step < 6; step++) {
      await opt.stepAsync(q.loss, q.vars);
      ref.step(x, quadratic);
      await expectClose(await q.values(), x, { rtol: 1e-4, atol: 1e-5 });
    }
    opt.dispose();
    q.dispose();
  });

  it('matches a float64 L-BFGS with strong-Wolfe line search on Rosenbrock from [−1.2, 1] (history 4, maxIter 3; 6 steps, rtol 1e-3)', async () => {
    const r = rosenbrockVariable();
    const opt = lbfgs({ historySize: 4, maxIter: 3, lineSearchFn: 'strong_wolfe' });
    const ref = new ReferenceLbfgs(refOptions({ history: 4, maxIter: 3, wolfe: true }));
    const x = Float64Array.from([-1.2, 1]);
    for (let step = 0; step < 6; step++) {
      await opt.stepAsync(r.loss, [r.p]);
      ref.step(x, rosenbrock);
      await expectClose(r.p, x, { rtol: 1e-3, atol: 1e-4 });
    }
    opt.dispose();
    r.p.dispose();
  });

  it('leaks nothing over 100 steps (memory full) and after dispose()', async () => {
    const q = quadraticVariables();
    await expectNoLeaks(async () => {
      const opt = lbfgs({ learningRate: 1e-3, historySize: 3, maxIter: 1 });
      for (let i = 0; i < 10; i++) await opt.stepAsync(q.loss, q.vars);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 90; i++) await opt.stepAsync(q.loss, q.vars);
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
    });
    q.dispose();
  });
});

forEachBackend(
  'lbfgs (synchronous reads)',
  () => {
    it('step(), stepAsync() and minimize() follow the same trajectory; varList order does not matter', async () => {
      const a = quadraticVariables();
      const b = quadraticVariables();
      const c = quadraticVariables();
      const options = { learningRate: 0.9, historySize: 2, maxIter: 3 };
      const oa = lbfgs(options);
      const ob = lbfgs(options);
      const oc = lbfgs(options);
      for (let i = 0; i < 3; i++) {
        const la = oa.step(a.loss, a.vars);
        const lb = await ob.stepAsync(b.loss, [...b.vars].reverse());
        const lc = oc.minimize(c.loss, true, c.vars) as tf.Scalar;
        expect(la).toBe(lb);
        expect(la).toBe((await lc.data())[0]);
        lc.dispose();
      }
      const va = await a.values();
      expect(Array.from(await b.values())).toEqual(Array.from(va));
      expect(Array.from(await c.values())).toEqual(Array.from(va));
      for (const o of [oa, ob, oc]) o.dispose();
      for (const q of [a, b, c]) q.dispose();
    });

    it('applyGradients runs one fixed-step iteration (torch with maxIter 1)', async () => {
      const q = quadraticVariables();
      const opt = lbfgs({ learningRate: 0.3, historySize: 2 });
      const ref = new ReferenceLbfgs(refOptions({ lr: 0.3, history: 2, maxIter: 1 }));
      const x = Float64Array.from(X0);
      for (let step = 0; step < 5; step++) {
        const { grads } = tf.variableGrads(q.loss, q.vars);
        opt.applyGradients(grads);
        tf.dispose(Object.values(grads));
        ref.step(x, quadratic);
      }
      await expectClose(await q.values(), x, { rtol: 1e-4, atol: 1e-5 });
      opt.dispose();
      q.dispose();
    });

    it('resumes exactly from getWeights/setWeights', async () => {
      const a = quadraticVariables();
      const options = { learningRate: 0.8, historySize: 3, maxIter: 2 } as const;
      const opt = lbfgs(options);
      for (let i = 0; i < 3; i++) opt.step(a.loss, a.vars);
      const saved = (await opt.getWeights()).map((w) => ({
        name: w.name,
        tensor: tf.clone(w.tensor),
      }));
      const start = await a.values();
      for (let i = 0; i < 3; i++) opt.step(a.loss, a.vars);
      const uninterrupted = await a.values();
      // Rewind the variables, restore the memory into a fresh optimizer, continue.
      a.vars.forEach((v, k) => {
        const offsets = [0, 4, 7, 8];
        const part = start.slice(offsets[k], offsets[k + 1]);
        v.assign(tf.tensor(Float32Array.from(part), v.shape));
      });
      const resumed = lbfgs(options);
      await resumed.setWeights(saved);
      tf.dispose(saved.map((w) => w.tensor));
      expect(resumed.iterations).toBe(3);
      for (let i = 0; i < 3; i++) resumed.step(a.loss, a.vars);
      expect(Array.from(await a.values())).toEqual(Array.from(uninterrupted));
      opt.dispose();
      resumed.dispose();
      a.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);

forEachBackend(
  'lbfgs (webgpu in Node)',
  () => {
    it('step() either works or throws BAD_ARGUMENT pointing to stepAsync, changing nothing', async () => {
      const q = quadraticVariables();
      const before = await q.values();
      const opt = lbfgs();
      let error: unknown;
      try {
        opt.step(q.loss, q.vars);
      } catch (e) {
        error = e;
      }
      if (error !== undefined) {
        expect(error).toMatchObject({ code: 'BAD_ARGUMENT' });
        expect(String(error)).toMatch(/stepAsync/);
        expect(Array.from(await q.values())).toEqual(Array.from(before));
        expect(opt.iterations).toBe(0);
      }
      opt.dispose();
      q.dispose();
    });
  },
  { backends: ['webgpu'] },
);

it('lbfgs converges on the parabola and on Rosenbrock within 10 000 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  await expectConverges(lbfgs(), 'parabola');
  await expectConverges(lbfgs({ lineSearchFn: 'strong_wolfe' }), 'rosenbrock');
});

it('lbfgs with strong-Wolfe reaches the Rosenbrock minimum from [0, 0] in 3 steps (cpu)', async () => {
  await tf.setBackend('cpu');
  const r = rosenbrockVariable([0, 0]);
  const opt = lbfgs({ lineSearchFn: 'strong_wolfe' });
  for (let i = 0; i < 3; i++) opt.step(r.loss, [r.p]);
  await expectClose(r.p, [1, 1], { atol: 1e-3 });
  opt.dispose();
  r.p.dispose();
});

it('lbfgs trains a tfjs-layers model with fit, and resumes exactly after model.save / loadLayersModel (cpu)', async () => {
  await tf.setBackend('cpu');
  const x = tf.tensor(
    Array.from({ length: 24 }, (_, i) => Math.sin(i)),
    [8, 3],
  );
  const y = tf.tensor(
    Array.from({ length: 8 }, (_, i) => Math.cos(2 * i)),
    [8, 1],
  );
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }),
      tfl.layers.dense({ units: 1 }),
    ],
  });
  model.compile({
    optimizer: lbfgs({ maxIter: 2, historySize: 2, lineSearchFn: 'strong_wolfe' }),
    loss: 'meanSquaredError',
  });
  const first = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  const losses = first.history.loss as number[];
  expect(losses[2] as number).toBeLessThan(losses[0] as number);

  const loaded = await saveAndLoadWithOptimizer(model);
  expect(loaded.optimizer.getClassName()).toBe('descent.LBFGS');
  expect((loaded.optimizer as LBFGS).options).toEqual((model.optimizer as LBFGS).options);
  loaded.compile({ optimizer: loaded.optimizer, loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  await loaded.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  const a = await Promise.all(model.getWeights().map((w) => w.data()));
  const b = await Promise.all(loaded.getWeights().map((w) => w.data()));
  expect(b.map((w) => Array.from(w))).toEqual(a.map((w) => Array.from(w)));
  const before = tf.memory().numTensors;
  await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  await loaded.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
  expect(tf.memory().numTensors).toBe(before); // memory full (history 2) and nothing leaked
  model.optimizer.dispose();
  loaded.optimizer.dispose();
  model.dispose();
  loaded.dispose();
  tf.dispose([x, y]);
});

it('lbfgs rejects bad options and bad input, changing nothing (cpu)', async () => {
  await tf.setBackend('cpu');
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return isDescentError(e) ? e.code : `not a DescentError: ${String(e)}`;
    }
    return 'no error';
  };
  expect(code(() => lbfgs({ maxIter: 0 }))).toBe('BAD_HYPERPARAM');
  expect(code(() => lbfgs({ historySize: 1.5 }))).toBe('BAD_HYPERPARAM');
  expect(code(() => lbfgs({ learningRate: -1 }))).toBe('BAD_HYPERPARAM');
  expect(code(() => lbfgs({ learningRate: Number.NaN }))).toBe('NON_FINITE');
  expect(code(() => lbfgs({ toleranceGrad: -1 }))).toBe('BAD_HYPERPARAM');
  expect(code(() => lbfgs({ lineSearchFn: 'armijo' as 'strong_wolfe' }))).toBe('BAD_HYPERPARAM');
  expect(code(() => lbfgs({ history_size: 3 } as never))).toBe('UNKNOWN_PARAM');

  const x = tf.variable(tf.tensor([1, 2]), true, `lbfgs_err${uniqueSuffix()}`);
  const opt = lbfgs();
  await expectNoLeaks(() => {
    expect(code(() => opt.step('loss' as never, [x]))).toBe('BAD_ARGUMENT');
    expect(code(() => opt.step(() => tf.square(x) as never, [x]))).toBe('BAD_ARGUMENT');
    expect(code(() => opt.step(() => tf.sum(tf.mul(x, Number.NaN)) as tf.Scalar, [x]))).toBe(
      'NON_FINITE',
    );
    expect(code(() => opt.step(() => tf.scalar(3), [x]))).toBe('BAD_ARGUMENT');
    const g = tf.tensor([1, 2, 3]);
    expect(code(() => opt.applyGradients({ [x.name]: g }))).toBe('SHAPE_MISMATCH');
    expect(code(() => opt.applyGradients({ nope: g }))).toBe('UNKNOWN_PARAM');
    g.dispose();
  });
  await expectClose(x, [1, 2]);
  expect(opt.iterations).toBe(0);
  const y = tf.variable(tf.tensor([1, 2, 3]), true, `lbfgs_err${uniqueSuffix()}`);
  const bad = [{ name: `${y.name}/lbfgs_d`, tensor: tf.zeros([2]) }];
  await expect(opt.setWeights(bad)).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' });
  tf.dispose(bad.map((b) => b.tensor));
  opt.dispose();
  tf.dispose([x, y]);
});

it('lbfgs serializes its options (cpu)', () => {
  const opt = lbfgs({ learningRate: 0.5, historySize: 7, lineSearchFn: 'strong_wolfe' });
  expect(opt.getClassName()).toBe('descent.LBFGS');
  const config = opt.getConfig();
  const again = LBFGS.fromConfig(LBFGS, config);
  expect(again.getConfig()).toEqual(config);
  expect(tf.serialization.SerializationMap.getMap().classNameMap['descent.LBFGS']).toBeDefined();
});
