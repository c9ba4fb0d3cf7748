/**
 * Draws every schedule of @descent/schedule into docs/schedules.svg (plain SVG written here, no
 * plotting library). Run from the repository root or the package:
 *
 *   npx tsx --conditions=@descent/source packages/schedule/scripts/plot.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  constant,
  cosineDecay,
  cyclic,
  cyclicMomentum,
  exponentialDecay,
  join,
  linearScaling,
  linearSchedule,
  linearWarmup,
  oneCycle,
  oneCycleMomentum,
  piecewiseConstant,
  piecewiseInterpolate,
  polynomialDecay,
  reduceOnPlateau,
  sample,
  sgdr,
  warmupCosineDecay,
} from '@descent/schedule';

interface Series {
  values: number[];
  color: string;
  dashed?: boolean;
  label?: string;
}
interface Panel {
  title: string;
  caption: string;
  series: Series[];
}

const STEPS = 1000;
const BLUE = '#2563eb';
const ORANGE = '#ea580c';
const GREY = '#64748b';
const GREEN = '#16a34a';
const lr = (values: number[], label?: string): Series => ({ values, color: BLUE, label });
const steps = (s: (t: number) => number) => sample(s, STEPS + 1);

/** reduceOnPlateau fed a noisy loss that stalls: evaluated every 25 steps. */
function plateauValues(): number[] {
  const plateau = reduceOnPlateau({ factor: 0.5, patience: 2, initValue: 0.1, minValue: 0.005 });
  const lrOf = plateau.schedule();
  return Array.from({ length: STEPS + 1 }, (_, t) => {
    const v = lrOf(t);
    if (t > 0 && t % 25 === 0) plateau.update(Math.max(0.3, 1 - t / 400) + 0.01 * Math.sin(t));
    return v;
  });
}

const base = cosineDecay({ initValue: 0.1, decaySteps: STEPS });

const PANELS: Panel[] = [
  { title: 'constant', caption: 'constant(0.1)', series: [lr(steps(constant(0.1)))] },
  {
    title: 'piecewiseConstant',
    caption: '0.1, ×0.5 at step 300, ×0.2 at 600',
    series: [
      lr(steps(piecewiseConstant({ initValue: 0.1, boundariesAndScales: { 300: 0.5, 600: 0.2 } }))),
    ],
  },
  {
    title: 'piecewiseInterpolate',
    caption: "{300: 0.5, 600: 0.2}, 'cosine' / 'linear'",
    series: [
      lr(
        steps(
          piecewiseInterpolate({
            initValue: 0.1,
            boundariesAndScales: { 300: 0.5, 600: 0.2 },
            interpolation: 'cosine',
          }),
        ),
      ),
      {
        ...lr(
          steps(
            piecewiseInterpolate({
              initValue: 0.1,
              boundariesAndScales: { 300: 0.5, 600: 0.2 },
              interpolation: 'linear',
            }),
          ),
        ),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'exponentialDecay',
    caption: 'γ = 0.5 per 200 steps, staircase / smooth',
    series: [
      lr(
        steps(
          exponentialDecay({
            initValue: 0.1,
            transitionSteps: 200,
            decayRate: 0.5,
            staircase: true,
          }),
        ),
      ),
      {
        ...lr(steps(exponentialDecay({ initValue: 0.1, transitionSteps: 200, decayRate: 0.5 }))),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'polynomialDecay',
    caption: 'power 2 / 0.5, from step 100',
    series: [
      lr(
        steps(
          polynomialDecay({
            initValue: 0.1,
            endValue: 0.001,
            power: 2,
            transitionSteps: 800,
            transitionBegin: 100,
          }),
        ),
      ),
      {
        ...lr(
          steps(
            polynomialDecay({
              initValue: 0.1,
              endValue: 0.001,
              power: 0.5,
              transitionSteps: 800,
              transitionBegin: 100,
            }),
          ),
        ),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'linearSchedule',
    caption: '0.1 → 0.01 over steps 200…800',
    series: [
      lr(
        steps(
          linearSchedule({
            initValue: 0.1,
            endValue: 0.01,
            transitionSteps: 600,
            transitionBegin: 200,
          }),
        ),
      ),
    ],
  },
  {
    title: 'cosineDecay',
    caption: 'α = 0.1; exponent 1 / 2',
    series: [
      lr(steps(cosineDecay({ initValue: 0.1, decaySteps: 800, alpha: 0.1 }))),
      {
        ...lr(steps(cosineDecay({ initValue: 0.1, decaySteps: 800, alpha: 0.1, exponent: 2 }))),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'warmupCosineDecay',
    caption: '0 → 0.1 in 100 steps, → 0.005 at 1000',
    series: [
      lr(
        steps(
          warmupCosineDecay({
            initValue: 0,
            peakValue: 0.1,
            warmupSteps: 100,
            decaySteps: 1000,
            endValue: 0.005,
          }),
        ),
      ),
    ],
  },
  {
    title: 'sgdr',
    caption: 'T₀ = 100, T_mult = 2 (restarts 100, 300, 700)',
    series: [lr(steps(sgdr({ initValue: 0.1, t0: 100, tMult: 2, etaMin: 0.001 })))],
  },
  {
    title: "cyclic 'triangular'",
    caption: '0.01 ↔ 0.1, stepSizeUp 100',
    series: [lr(steps(cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 100 })))],
  },
  {
    title: "cyclic 'triangular2'",
    caption: 'amplitude halves every cycle',
    series: [
      lr(steps(cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 100, mode: 'triangular2' }))),
    ],
  },
  {
    title: "cyclic 'expRange'",
    caption: 'amplitude × 0.997^t',
    series: [
      lr(
        steps(
          cyclic({
            baseValue: 0.01,
            maxValue: 0.1,
            stepSizeUp: 100,
            mode: 'expRange',
            gamma: 0.997,
          }),
        ),
      ),
    ],
  },
  {
    title: 'cyclicMomentum',
    caption: '0.85 ↔ 0.95, inverse to cyclic',
    series: [
      {
        values: steps(cyclicMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, stepSizeUp: 100 })),
        color: ORANGE,
      },
    ],
  },
  {
    title: 'oneCycle',
    caption: "two-phase 'cos' / three-phase 'linear'",
    series: [
      lr(steps(oneCycle({ maxValue: 0.1, totalSteps: STEPS }))),
      {
        ...lr(
          steps(oneCycle({ maxValue: 0.1, totalSteps: STEPS, anneal: 'linear', threePhase: true })),
        ),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'oneCycleMomentum',
    caption: '0.95 → 0.85 → 0.95',
    series: [
      { values: steps(oneCycleMomentum({ totalSteps: STEPS })), color: ORANGE },
      {
        values: steps(oneCycleMomentum({ totalSteps: STEPS, anneal: 'linear', threePhase: true })),
        color: GREY,
        dashed: true,
      },
    ],
  },
  {
    title: 'linearWarmup',
    caption: 'cosineDecay with a 150-step warmup',
    series: [
      lr(steps(linearWarmup(base, { warmupSteps: 150 }))),
      { values: steps(base), color: GREY, dashed: true },
    ],
  },
  {
    title: 'join',
    caption: 'linear warmup, then sgdr from step 100',
    series: [
      lr(
        steps(
          join(
            [
              linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 100 }),
              sgdr({ initValue: 0.1, t0: 300, etaMin: 0.01 }),
            ],
            [100],
          ),
        ),
      ),
    ],
  },
  {
    title: 'linearScaling',
    caption: 'cosineDecay tuned at 256, run at 512',
    series: [
      lr(steps(linearScaling({ baseValue: base, baseBatchSize: 256, batchSize: 512 }))),
      { values: steps(base), color: GREY, dashed: true },
    ],
  },
  {
    title: 'reduceOnPlateau',
    caption: 'factor 0.5, patience 2, a stalling loss',
    series: [{ values: plateauValues(), color: GREEN }],
  },
];

const COLUMNS = 3;
const W = 300;
const H = 170;
const PLOT = { left: 46, right: 10, top: 40, bottom: 22 };

/** Drops points that lie within `tol` px of the line through their neighbours (Ramer–Douglas–Peucker). */
function simplify(points: Array<[number, number]>, tol = 0.25): Array<[number, number]> {
  if (points.length < 3) return points;
  const [x0, y0] = points[0] as [number, number];
  const [x1, y1] = points[points.length - 1] as [number, number];
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  let worst = 0;
  let index = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = points[i] as [number, number];
    const d = Math.abs((y1 - y0) * x - (x1 - x0) * y + x1 * y0 - y1 * x0) / len;
    if (d > worst) {
      worst = d;
      index = i;
    }
  }
  if (worst <= tol)
    return [points[0] as [number, number], points[points.length - 1] as [number, number]];
  return [
    ...simplify(points.slice(0, index + 1), tol).slice(0, -1),
    ...simplify(points.slice(index), tol),
  ];
}

function fmt(v: number): string {
  return Math.abs(v) >= 0.01 || v === 0 ? String(Number(v.toFixed(3))) : v.toExponential(0);
}

function panel({ title, caption, series }: Panel, index: number): string {
  const x0 = (index % COLUMNS) * W;
  const y0 = Math.floor(index / COLUMNS) * H;
  const all = series.flatMap((s) => s.values);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-12) {
    lo -= 0.05;
    hi += 0.05;
  }
  const pw = W - PLOT.left - PLOT.right;
  const ph = H - PLOT.top - PLOT.bottom;
  const px = (t: number) => x0 + PLOT.left + (t / STEPS) * pw;
  const py = (v: number) => y0 + PLOT.top + (1 - (v - lo) / (hi - lo)) * ph;
  const lines = series.map((s) => {
    const pts = simplify(s.values.map((v, t) => [px(t), py(v)]));
    const d = pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.2 : 1.8}"${s.dashed ? ' stroke-dasharray="4 3"' : ''} stroke-linejoin="round" points="${d}"/>`;
  });
  const left = x0 + PLOT.left;
  const bottom = y0 + PLOT.top + ph;
  return [
    `<g>`,
    `<text x="${x0 + 10}" y="${y0 + 17}" font-size="13" font-weight="600">${title}</text>`,
    `<text x="${x0 + 10}" y="${y0 + 31}" font-size="10" fill="${GREY}">${caption}</text>`,
    `<rect x="${left}" y="${y0 + PLOT.top}" width="${pw}" height="${ph}" fill="#f8fafc" stroke="#cbd5e1"/>`,
    `<text x="${left - 4}" y="${y0 + PLOT.top + 4}" font-size="9" text-anchor="end" fill="${GREY}">${fmt(hi)}</text>`,
    `<text x="${left - 4}" y="${bottom}" font-size="9" text-anchor="end" fill="${GREY}">${fmt(lo)}</text>`,
    `<text x="${left}" y="${bottom + 12}" font-size="9" fill="${GREY}">0</text>`,
    `<text x="${left + pw}" y="${bottom + 12}" font-size="9" text-anchor="end" fill="${GREY}">${STEPS} steps</text>`,
    ...lines,
    `</g>`,
  ].join('\n');
}

/** A key in the first free cell. */
function legend(index: number): string {
  const x = (index % COLUMNS) * W + 20;
  const y = Math.floor(index / COLUMNS) * H + 50;
  const item = (dy: number, color: string, dashed: boolean, text: string) =>
    `<line x1="${x}" y1="${y + dy}" x2="${x + 28}" y2="${y + dy}" stroke="${color}" stroke-width="${dashed ? 1.2 : 1.8}"${dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
    `<text x="${x + 36}" y="${y + dy + 4}" font-size="11">${text}</text>`;
  return [
    `<text x="${x}" y="${y - 20}" font-size="13" font-weight="600">key</text>`,
    item(0, BLUE, false, 'learning rate (first variant in the caption)'),
    item(20, ORANGE, false, 'momentum'),
    item(40, GREEN, false, 'reduce-on-plateau value'),
    item(60, GREY, true, 'second variant, or the schedule unwrapped'),
  ].join('\n');
}

const rows = Math.ceil((PANELS.length + 1) / COLUMNS);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * W}" height="${rows * H}" viewBox="0 0 ${COLUMNS * W} ${rows * H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" fill="#0f172a">`,
  `<title>The schedules of @descent/schedule over ${STEPS} steps (generated by scripts/plot.ts)</title>`,
  `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ...PANELS.map(panel),
  legend(PANELS.length),
  `</svg>`,
  '',
].join('\n');

const out = joinPath(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'schedules.svg');
writeFileSync(out, svg);
console.log(`wrote ${out} (${PANELS.length} panels, ${(svg.length / 1024).toFixed(1)} KiB)`);
