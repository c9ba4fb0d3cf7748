import { expect, it } from 'vitest';
import type { StepReport } from './reports';
import { upgradeTable } from './upgrade-table';

const step = (over: Partial<StepReport>): StepReport => ({
  step: 1,
  name: 'tfjs baseline',
  testAccuracy: 0.9375,
  secondsPerEpoch: 5.21,
  density: 1,
  parameters: 235_146,
  losses: [0.5],
  ...over,
});

it('renders one row per step: accuracy in percent, seconds, density and grouped parameter counts', () => {
  const table = upgradeTable([
    step({}),
    step({
      step: 5,
      name: '+ pruned',
      testAccuracy: 0.94351,
      density: 0.20000255,
      parameters: 47_729,
      secondsPerEpoch: 4.25,
    }),
  ]);
  expect(table.split('\n')).toEqual([
    'step             | test accuracy | s / epoch | density | parameters',
    '-----------------+---------------+-----------+---------+-----------',
    '1. tfjs baseline |       93.75 % |       5.2 |   1.000 |    235 146',
    '5. + pruned      |       94.35 % |       4.3 |   0.200 |     47 729',
  ]);
});
