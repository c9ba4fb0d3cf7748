import { expectExportsCovered } from '@descent/core/testing';
import { it } from 'vitest';
import * as layers from './index';

const INITIALIZERS = 'initializers/bad-input-initializers.test.ts';
const NORMALIZATION = 'normalization/bad-input-normalization.test.ts';
const WRAPPERS = 'wrappers/bad-input-wrappers.test.ts';
const CALLBACKS = 'callbacks/bad-input-callbacks.test.ts';
const MODEL = 'model/bad-input-model.test.ts';

/** Each callable export and the suite that refuses its bad input. */
const COVERED: Record<string, string> = {
  DescentInitializer: INITIALIZERS,
  HeNormal: INITIALIZERS,
  HeUniform: INITIALIZERS,
  heNormal: INITIALIZERS,
  heUniform: INITIALIZERS,
  LecunNormal: INITIALIZERS,
  LecunUniform: INITIALIZERS,
  lecunNormal: INITIALIZERS,
  lecunUniform: INITIALIZERS,
  GlorotNormal: INITIALIZERS,
  GlorotUniform: INITIALIZERS,
  glorotNormal: INITIALIZERS,
  glorotUniform: INITIALIZERS,
  Orthogonal: INITIALIZERS,
  orthogonal: INITIALIZERS,
  DeltaOrthogonal: INITIALIZERS,
  deltaOrthogonal: INITIALIZERS,
  TruncatedNormal: INITIALIZERS,
  truncatedNormal: INITIALIZERS,
  GeometricMean: INITIALIZERS,
  geometricMean: INITIALIZERS,
  lsuvInit: INITIALIZERS,
  AffineNormalization: NORMALIZATION,
  GroupNormalization: NORMALIZATION,
  groupNormalization: NORMALIZATION,
  InstanceNormalization: NORMALIZATION,
  instanceNormalization: NORMALIZATION,
  LayerNormalization: NORMALIZATION,
  layerNormalization: NORMALIZATION,
  BatchRenormalization: NORMALIZATION,
  batchRenormalization: NORMALIZATION,
  KernelWrapper: WRAPPERS,
  WeightNormalization: WRAPPERS,
  weightNormalization: WRAPPERS,
  SpectralNormalization: WRAPPERS,
  spectralNormalization: WRAPPERS,
  PruningCallback: CALLBACKS,
  LearningRateScheduler: CALLBACKS,
  ScheduleLogger: CALLBACKS,
  fromLayersModel: MODEL,
  lotteryTicket: MODEL,
};

it('every callable export has bad-input cases', () => {
  expectExportsCovered(layers, COVERED);
});
