import { type InitScheme, SCHEME_LABELS, VARIANCE_PRESERVING } from './init-schemes';
import type { SchemeRun } from './experiment';

/** Steps averaged for the loss "after training" (one step's loss is noisy). */
export const FINAL_WINDOW = 10;
/** A variance-preserving scheme's last-layer signal must be within [1/10, 10] of the first layer's. */
export const PRESERVED_BAND = 10;
/** … and its final loss at most this fraction of its initial loss. */
export const TRAINED_FRACTION = 0.5;
/** The naive init's last-layer signal must be below this (relative to the first layer's). */
export const VANISHED_BELOW = 1e-6;
/** … and its final loss at least this fraction of its initial loss (training stalls). */
export const STALLED_FRACTION = 0.9;
/** LeCun's last-layer signal must be within this factor of `2^−(L−1)` (halved by every ReLU). */
export const LECUN_FACTOR = 10;

/** The numbers the verdict reads, per scheme. */
export interface SchemeSummary {
  scheme: InitScheme;
  /** `E[z_L²] / E[z_1²]`. */
  lastLayerSignal: number;
  initialLoss: number;
  /** Mean training loss of the last {@link FINAL_WINDOW} steps. */
  finalLoss: number;
}

/** The convergence claim's verdict and its evidence sentence. */
export interface ConvergenceVerdict {
  reproduced: boolean;
  evidence: string;
  summaries: SchemeSummary[];
  /** `2^−(L−1)`: what LeCun init's halving per ReLU layer predicts for the last layer. */
  lecunPredicted: number;
}

/** Summarizes one scheme's run. */
export function summarize(run: SchemeRun): SchemeSummary {
  const tail = run.losses.slice(-FINAL_WINDOW);
  return {
    scheme: run.scheme,
    lastLayerSignal: run.signal.forward[run.signal.forward.length - 1]!,
    initialLoss: run.losses[0]!,
    finalLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
  };
}

/**
 * Decides the claim: every variance-preserving scheme (He, orthogonal ×√2, LSUV) keeps the
 * last layer's signal within [1/10, 10] of the first layer's and at least halves its loss; the
 * naive init's signal falls below 1e-6 and its loss stays above 0.9× the initial; LeCun's signal
 * is within 10× of `2^−(L−1)`.
 */
export function convergenceVerdict(runs: SchemeRun[], depth: number): ConvergenceVerdict {
  const summaries = runs.map(summarize);
  const by = (scheme: InitScheme) => summaries.find((s) => s.scheme === scheme)!;
  const lecunPredicted = 2 ** -(depth - 1);
  const naive = by('naive');
  const vanished =
    naive.lastLayerSignal < VANISHED_BELOW &&
    naive.finalLoss >= STALLED_FRACTION * naive.initialLoss;
  const lecunRatio = by('lecun').lastLayerSignal / lecunPredicted;
  const halving = lecunRatio >= 1 / LECUN_FACTOR && lecunRatio <= LECUN_FACTOR;
  const failures = [
    ...VARIANCE_PRESERVING.flatMap((scheme) => preservingFailures(by(scheme))),
    ...(vanished
      ? []
      : [
          `the naive init's signal ${sig(naive.lastLayerSignal)} or loss ${loss(naive)} does not show a vanishing, stalled net`,
        ]),
    ...(halving ? [] : [`LeCun's signal is ${lecunRatio.toPrecision(2)}× the predicted one`]),
  ];
  const reproduced = failures.length === 0;
  return {
    reproduced,
    evidence: evidence(summaries, depth, lecunPredicted, failures),
    summaries,
    lecunPredicted,
  };
}

function preservingFailures(s: SchemeSummary): string[] {
  const name = SCHEME_LABELS[s.scheme];
  const failures: string[] = [];
  if (s.lastLayerSignal < 1 / PRESERVED_BAND || s.lastLayerSignal > PRESERVED_BAND) {
    failures.push(`${name}'s signal ${sig(s.lastLayerSignal)} is outside [0.1, 10]`);
  }
  if (s.finalLoss > TRAINED_FRACTION * s.initialLoss) {
    failures.push(`${name}'s loss ${loss(s)} fell by less than half`);
  }
  return failures;
}

const sig = (x: number) =>
  x === 0 ? '0' : Math.abs(Math.log10(x)) < 2 ? x.toPrecision(2) : x.toExponential(1);
const loss = (s: SchemeSummary) => `${s.initialLoss.toFixed(2)} → ${s.finalLoss.toFixed(2)}`;

function evidence(
  summaries: SchemeSummary[],
  depth: number,
  lecunPredicted: number,
  failures: string[],
): string {
  const by = (scheme: InitScheme) => summaries.find((t) => t.scheme === scheme)!;
  const preserving = VARIANCE_PRESERVING.map((scheme) => sig(by(scheme).lastLayerSignal)).join(
    ', ',
  );
  const losses = VARIANCE_PRESERVING.map((scheme) => loss(by(scheme))).join(', ');
  return (
    `At layer ${depth} the signal E[z²] is ${preserving} times layer 1's with He, orthogonal ×√2 and LSUV, ` +
    `${sig(by('naive').lastLayerSignal)} with the naive init and ${sig(by('lecun').lastLayerSignal)} with LeCun ` +
    `(${twoToTheMinus(depth - 1)} = ${sig(lecunPredicted)} predicted); their losses went ${losses}, the naive init's ` +
    `${loss(by('naive'))}, LeCun's ${loss(by('lecun'))}. ` +
    `Criterion: He, orthogonal and LSUV within [0.1, 10] and their loss (mean of the last ${FINAL_WINDOW} steps) ` +
    `at most ${TRAINED_FRACTION}× the initial; naive below ${sig(VANISHED_BELOW)} with its loss at least ` +
    `${STALLED_FRACTION}× the initial; LeCun within ${LECUN_FACTOR}× of ${twoToTheMinus(depth - 1)}` +
    (failures.length === 0 ? '.' : `. Not met: ${failures.join('; ')}.`)
  );
}

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** `2⁻²⁹` for 29. */
export function twoToTheMinus(k: number): string {
  return `2⁻${[...String(k)].map((d) => SUPERSCRIPT_DIGITS[Number(d)]).join('')}`;
}
