import type { Section } from '../section';
import { algorithmsSection } from './algorithms';
import { convergenceSection } from './convergence';
import { landscapeSection } from './landscape';
import { lotterySection } from './lottery';
import { normalizationSection } from './normalization';
import { ntkSection } from './ntk';

/** The tour's sections, in the order of `SECTION_IDS` (the order they run and are reported in). */
export const SECTIONS: readonly Section[] = [
  convergenceSection,
  normalizationSection,
  algorithmsSection,
  lotterySection,
  ntkSection,
  landscapeSection,
];
