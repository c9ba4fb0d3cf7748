import * as tf from '@tensorflow/tfjs-core';
import { type ParamInfo, type Params, Rng, disposeParams } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { randomDirection } from './random-direction';

const INFO: Record<string, ParamInfo> = {
  'conv/kernel': { role: 'weight', layer: 'conv', layout: 'conv2d', fanIn: 18, fanOut: 36 },
  'conv/bias': { role: 'bias', layer: 'conv', layout: 'vector', fanIn: 4, fanOut: 4 },
  'bn/gamma': { role: 'scale', layer: 'bn', layout: 'vector', fanIn: 4, fanOut: 4 },
  'bn/beta': { role: 'shift', layer: 'bn', layout: 'vector', fanIn: 4, fanOut: 4 },
  'bn/moving_mean': { role: 'stat', layer: 'bn', layout: 'vector', fanIn: 4, fanOut: 4 },
  'dense/kernel': { role: 'weight', layer: 'dense', layout: 'dense', fanIn: 6, fanOut: 5 },
  'dense/bias': { role: 'bias', layer: 'dense', layout: 'vector', fanIn: 5, fanOut: 5 },
};

const SHAPES: Record<string, number[]> = {
  'conv/kernel': [3, 3, 2, 4],
  'conv/bias': [4],
  'bn/gamma': [4],
  'bn/beta': [4],
  'bn/moving_mean': [4],
  'dense/kernel': [6, 5],
  'dense/bias': [5],
};

/** θ with filters of very different norms (filter f of a kernel scaled by 1 + f). */
function makeParams(keys = Object.keys(SHAPES)): Params {
  const rng = new Rng(11);
  const params: Params = {};
  for (const key of keys) {
    const shape = SHAPES[key] as number[];
    const out = shape[shape.length - 1] as number;
    const values = rng.normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      0.5,
    );
    if (shape.length >= 2) {
      for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * (1 + (i % out));
    }
    params[key] = tf.tensor(values, shape);
  }
  return params;
}

/** Float64 norms of the filters (slices along the last axis). */
function filterNorms(values: ArrayLike<number>, filters: number): number[] {
  const squares = new Array<number>(filters).fill(0);
  for (let i = 0; i < values.length; i++) {
    squares[i % filters] = (squares[i % filters] as number) + (values[i] as number) ** 2;
  }
  return squares.map(Math.sqrt);
}

async function read(p: Params): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(p)) out[k] = (await t.data()) as Float32Array;
  return out;
}

/** Li et al.'s recipe written out here: Gaussian from split().child(key), filter-normalized. */
function reference(
  theta: Record<string, Float32Array>,
  seed: number,
): Record<string, Float32Array> {
  const stream = new Rng(seed).split();
  const out: Record<string, Float32Array> = {};
  for (const [key, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length <= 1) {
      out[key] = new Float32Array(size);
      continue;
    }
    const d = stream.child(key).normalArray(size);
    const filters = shape[shape.length - 1] as number;
    const dn = filterNorms(d, filters);
    const tn = filterNorms(theta[key] as Float32Array, filters);
    out[key] = d.map((v, i) => v * ((tn[i % filters] as number) / (dn[i % filters] as number)));
  }
  return out;
}

forEachBackend('randomDirection', () => {
  it('filter-normalizes dense and conv kernels: ‖d_f‖ = ‖θ_f‖ for every filter (rtol 1e-5)', async () => {
    const params = makeParams();
    const d = await randomDirection(params, INFO, { rng: new Rng(5) });
    const theta = await read(params);
    const dir = await read(d);
    for (const key of ['conv/kernel', 'dense/kernel']) {
      const filters = SHAPES[key]?.at(-1) as number;
      const want = filterNorms(theta[key] as Float32Array, filters);
      const got = filterNorms(dir[key] as Float32Array, filters);
      got.forEach((norm, f) => {
        expect(Math.abs(norm - (want[f] as number))).toBeLessThanOrEqual(
          1e-5 * (want[f] as number),
        );
      });
    }
    disposeParams(d);
    disposeParams(params);
  });

  it("zeroes biases, norm scales and shifts and statistics under ignore: 'biasbn'", async () => {
    const params = makeParams();
    const d = await randomDirection(params, INFO);
    const dir = await read(d);
    for (const key of ['conv/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'dense/bias']) {
      expect(Array.from(dir[key] as Float32Array)).toEqual(new Array(SHAPES[key]?.[0]).fill(0));
    }
    disposeParams(d);
    disposeParams(params);
  });

  it('is bit-identical to the recipe computed on the host, on every backend', async () => {
    const params = makeParams();
    const d = await randomDirection(params, INFO, { rng: new Rng(42) });
    const want = reference(await read(params), 42);
    const got = await read(d);
    for (const key of Object.keys(SHAPES)) {
      expect(Array.from(got[key] as Float32Array), key).toEqual(
        Array.from(want[key] as Float32Array),
      );
    }
    disposeParams(d);
    disposeParams(params);
  });

  it('does not depend on the order of the keys; two calls with one Rng give independent directions', async () => {
    const params = makeParams();
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    const a = await take(randomDirection(params, INFO, { rng: new Rng(9) }));
    const b = await take(randomDirection(reversed, INFO, { rng: new Rng(9) }));
    expect(b).toEqual(a);
    const rng = new Rng(9);
    const first = await randomDirection(params, INFO, { rng });
    const second = await randomDirection(params, INFO, { rng });
    const x = (await first['dense/kernel']?.data()) as Float32Array;
    const y = (await second['dense/kernel']?.data()) as Float32Array;
    expect(Array.from(x)).toEqual(Array.from(a['dense/kernel'] as Float32Array));
    let dot = 0;
    let xx = 0;
    let yy = 0;
    x.forEach((v, i) => {
      dot += v * (y[i] as number);
      xx += v * v;
      yy += (y[i] as number) ** 2;
    });
    // 30 independent Gaussian pairs: |cos| ≈ 1/√30 ≈ 0.18
    expect(Math.abs(dot / Math.sqrt(xx * yy))).toBeLessThan(0.7);
    disposeParams(first);
    disposeParams(second);
    disposeParams(params);
  });

  it("under ignore: 'none' gives rank ≤ 1 tensors θ itself (filter-normalized) or the raw Gaussian", async () => {
    const params = makeParams();
    const theta = await read(params);
    const copied = await randomDirection(params, INFO, { ignore: 'none', rng: new Rng(1) });
    const dir = await read(copied);
    for (const key of ['conv/bias', 'bn/gamma', 'bn/beta', 'bn/moving_mean', 'dense/bias']) {
      expect(Array.from(dir[key] as Float32Array)).toEqual(Array.from(theta[key] as Float32Array));
    }
    disposeParams(copied);
    expect(Array.from((await params['dense/bias']?.data()) as Float32Array)).toEqual(
      Array.from(theta['dense/bias'] as Float32Array),
    );
    const raw = await randomDirection(params, INFO, {
      ignore: 'none',
      filterNormalize: false,
      rng: new Rng(1),
    });
    const stream = new Rng(1).split();
    for (const [key, t] of Object.entries(raw)) {
      expect(Array.from((await t.data()) as Float32Array), key).toEqual(
        Array.from(stream.child(key).normalArray(t.size)),
      );
    }
    disposeParams(raw);
    disposeParams(params);
  });

  it("with filterNormalize: false keeps the raw Gaussian of weights and still zeroes under 'biasbn'", async () => {
    const params = makeParams();
    const d = await randomDirection(params, INFO, { filterNormalize: false, rng: new Rng(2) });
    const stream = new Rng(2).split();
    const dir = await read(d);
    expect(Array.from(dir['conv/kernel'] as Float32Array)).toEqual(
      Array.from(stream.child('conv/kernel').normalArray(72)),
    );
    expect(Array.from(dir['dense/bias'] as Float32Array)).toEqual([0, 0, 0, 0, 0]);
    disposeParams(d);
    disposeParams(params);
  });

  it('gives zeros, never NaN, for a zero filter; zeroes a rank-2 tensor whose role is not weight', async () => {
    const params: Params = {
      w: tf.tensor2d([
        [0, 1, 2],
        [0, 3, 4],
      ]),
      s: tf.tensor2d([[1, 2, 3]]),
    };
    const info: Record<string, ParamInfo> = {
      w: { role: 'weight', layer: '', layout: 'dense', fanIn: 2, fanOut: 3 },
      s: { role: 'scale', layer: '', layout: 'dense', fanIn: 1, fanOut: 3 },
    };
    const d = await randomDirection(params, info);
    const w = Array.from((await d.w?.data()) as Float32Array);
    expect(w[0]).toBe(0);
    expect(w[3]).toBe(0);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(Array.from((await d.s?.data()) as Float32Array)).toEqual([0, 0, 0]);
    disposeParams(d);
    disposeParams(params);
  });

  it('infers the roles from tfjs names when info is undefined', async () => {
    const params = makeParams();
    const inferred = await take(randomDirection(params, undefined, { rng: new Rng(4) }));
    const given = await take(randomDirection(params, INFO, { rng: new Rng(4) }));
    expect(inferred).toEqual(given);
    disposeParams(params);
  });

  it('leaves no tensor behind but the direction', async () => {
    const params = makeParams();
    await expectNoLeaks(async () => {
      const d = await randomDirection(params, INFO, { ignore: 'none' });
      disposeParams(d);
    });
    disposeParams(params);
  });
});

/** The values of a direction, which is then disposed. */
async function take(direction: Promise<Params>): Promise<Record<string, Float32Array>> {
  const d = await direction;
  const values = await read(d);
  disposeParams(d);
  return values;
}
