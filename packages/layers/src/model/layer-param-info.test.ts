import { describe, expect, it } from 'vitest';
import { type LayerWeight, layerParamInfo } from './layer-param-info';

function weight(name: string, shape: number[], extra: Partial<LayerWeight> = {}): LayerWeight {
  return { name, shape, trainable: true, layer: 'l', className: 'Dense', ...extra };
}

describe('layerParamInfo', () => {
  it('reads kernels as weights with Keras fans for dense and conv2d layouts', () => {
    expect(layerParamInfo(weight('dense_Dense1/kernel', [784, 300]))).toEqual({
      role: 'weight',
      layer: 'l',
      layout: 'dense',
      fanIn: 784,
      fanOut: 300,
    });
    expect(layerParamInfo(weight('c/kernel', [5, 5, 3, 8], { className: 'Conv2D' }))).toEqual({
      role: 'weight',
      layer: 'l',
      layout: 'conv2d',
      fanIn: 75,
      fanOut: 200,
    });
    expect(layerParamInfo(weight('c/depthwise_kernel', [3, 3, 4, 1])).role).toBe('weight');
  });

  it('reads bias, gamma, beta and moving statistics in either spelling, with a _<n> suffix', () => {
    const roles = [
      'd/bias',
      'd/bias_1',
      'n/gamma',
      'n/beta',
      'n/moving_mean',
      'n/moving_variance',
      'n/movingMean',
      'n/movingVariance_2',
    ].map((name) => layerParamInfo(weight(name, [6], { trainable: !name.includes('oving') })).role);
    expect(roles).toEqual(['bias', 'bias', 'scale', 'shift', 'stat', 'stat', 'stat', 'stat']);
    expect(layerParamInfo(weight('n/gamma', [6]))).toMatchObject({ fanIn: 6, fanOut: 6 });
  });

  it('places unknown names by trainability and rank', () => {
    expect(layerParamInfo(weight('r/renormStd', [4], { trainable: false })).role).toBe('stat');
    expect(layerParamInfo(weight('w/v', [4, 2])).role).toBe('weight');
    expect(layerParamInfo(weight('w/g', [2])).role).toBe('bias');
    // a frozen kernel is still a weight
    expect(layerParamInfo(weight('d/kernel', [4, 2], { trainable: false })).role).toBe('weight');
  });
});

describe('layerParamInfo: descent wrappers', () => {
  it("reads weight normalization's g as a scale, spectral normalization's u as a statistic", () => {
    const wn = { className: 'descent.WeightNormalization', layer: 'wn' };
    expect(layerParamInfo(weight('wn/g', [8], wn)).role).toBe('scale');
    expect(layerParamInfo(weight('wn/initialized', [], { ...wn, trainable: false }))).toEqual({
      role: 'stat',
      layer: 'wn',
      layout: 'vector',
      fanIn: 1,
      fanOut: 1,
    });
    const sn = { className: 'descent.SpectralNormalization', trainable: false };
    expect(layerParamInfo(weight('sn/u', [8], sn)).role).toBe('stat');
  });
});
