import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { defaultLayerName } from './default-layer-name';
import { groupNormalization } from './normalization/group-normalization';
import { spectralNormalization } from './wrappers/spectral-normalization';

it('counts per factory in snake case', () => {
  const [a, b] = [defaultLayerName('fooBarBaz'), defaultLayerName('fooBarBaz')];
  expect([a, b]).toEqual(['foo_bar_baz_1', 'foo_bar_baz_2']);
  expect(defaultLayerName('other')).toBe('other_1');
});

it("names descent's layers like tfjs's own (no class-name prefix), and keeps a given name", () => {
  const first = groupNormalization({ groups: 2 });
  const second = groupNormalization({ groups: 2 });
  const index = Number(/^group_normalization_(\d+)$/.exec(first.name)?.[1]);
  expect(second.name).toBe(`group_normalization_${index + 1}`);
  expect(groupNormalization({ name: 'gn' }).name).toBe('gn');
  const wrapped = spectralNormalization({ layer: tfl.layers.dense({ units: 2 }) });
  expect(wrapped.name).toMatch(/^spectral_normalization_\d+$/);
});
