import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { SCHEMES } from './test-support/schemes';

async function values(t: tf.Tensor): Promise<number[]> {
  const data = Array.from(await t.data());
  t.dispose();
  return data;
}

/** The first `count` tensors `@descent/init`'s scheme draws for `shape` from one `new Rng(seed)`. */
async function referenceStream(
  reference: (shape: readonly number[], options: never) => tf.Tensor,
  shape: number[],
  options: Record<string, unknown>,
  seed: number | string,
  count: number,
): Promise<number[][]> {
  const rng = new Rng(seed);
  const out: number[][] = [];
  for (let i = 0; i < count; i++)
    out.push(await values(reference(shape, { ...options, rng } as never)));
  return out;
}

forEachBackend('descent initializers equal @descent/init bit for bit', () => {
  for (const s of SCHEMES) {
    describe(s.name, () => {
      it('draws the scheme’s tensor for a dense and a conv2d kernel (first call = { seed })', async () => {
        for (const shape of [s.dense, s.conv].filter((x) => x !== null)) {
          const initializer = s.make({ ...s.options, seed: 11 });
          const got = await expectNoLeaks(async () => values(initializer.apply(shape)));
          const want = await values(s.reference(shape, { ...s.options, seed: 11 } as never));
          expect(got).toEqual(want);
          expect(new Set(got).size, 'not a constant tensor').toBeGreaterThan(1);
        }
      });

      it('continues one seeded stream: the k-th apply is the k-th draw of a shared Rng', async () => {
        const initializer = s.make({ ...s.options, seed: 'layers' });
        const got = [
          await values(initializer.apply(s.conv)),
          await values(initializer.apply(s.conv, 'float32')),
          await values(initializer.apply(s.conv)),
        ];
        expect(got).toEqual(await referenceStream(s.reference, s.conv, s.options, 'layers', 3));
        expect(got[1]).not.toEqual(got[0]);
      });

      it('is accepted as a layer’s kernelInitializer and used as given', async () => {
        const initializer = s.make({ ...s.options, seed: 5 });
        const layer =
          s.dense === null
            ? tfl.layers.conv2d({ filters: 5, kernelSize: 3, kernelInitializer: initializer })
            : tfl.layers.dense({ units: 4, kernelInitializer: initializer });
        const model = tfl.sequential({
          layers: [
            tfl.layers.inputLayer({ inputShape: s.dense === null ? [4, 4, 2] : [6] }),
            layer,
          ],
        });
        expect((layer as unknown as { kernelInitializer: unknown }).kernelInitializer).toBe(
          initializer,
        );
        const kernel = await values(layer.getWeights()[0]!.clone());
        const shape = s.dense ?? s.conv;
        expect(kernel).toEqual(
          await values(s.reference(shape, { ...s.options, seed: 5 } as never)),
        );
        model.dispose();
      });

      it('reports its class name and a JSON config holding the options and the seed', () => {
        const initializer = s.make({ ...s.options, seed: 3 });
        expect(initializer.getClassName()).toBe(s.className);
        expect(initializer.getConfig()).toEqual({ ...s.options, seed: 3 });
        expect(tf.serialization.SerializationMap.getMap().classNameMap[s.className]?.[0]).toBe(
          initializer.constructor,
        );
      });
    });
  }
});

forEachBackend('one initializer shared by two layers', () => {
  it('gives them different kernels: the first and second draw of its seeded stream', async () => {
    const s = SCHEMES.find((c) => c.name === 'glorotUniform')!;
    const shared = s.make({ seed: 21 });
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ inputShape: [6], units: 6, kernelInitializer: shared }),
        tfl.layers.dense({ units: 6, kernelInitializer: shared }),
      ],
    });
    const kernels = [
      await values(model.layers[0]!.getWeights()[0]!.clone()),
      await values(model.layers[1]!.getWeights()[0]!.clone()),
    ];
    expect(kernels[1]).not.toEqual(kernels[0]);
    expect(kernels).toEqual(await referenceStream(s.reference, [6, 6], {}, 21, 2));
    model.dispose();
  });
});

forEachBackend('an initializer without a seed', () => {
  it('draws one at construction and records it, so the config reproduces its tensors', async () => {
    const s = SCHEMES.find((c) => c.name === 'heNormal')!;
    const [a, b] = [s.make({}), s.make({})];
    const seed = a.getConfig().seed as number;
    expect(Number.isInteger(seed)).toBe(true);
    expect(b.getConfig().seed).not.toBe(seed);
    const rebuilt = s.make(a.getConfig());
    expect(await values(rebuilt.apply([8, 8]))).toEqual(await values(a.apply([8, 8])));
  });
});
