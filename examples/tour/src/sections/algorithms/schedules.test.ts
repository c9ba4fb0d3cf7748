import { describe, expect, it } from 'vitest';
import { SCHEDULE_IDS, scheduleFor } from './schedules';

const at = (id: (typeof SCHEDULE_IDS)[number], step: number) => {
  const s = scheduleFor(id, 0.1, 100);
  return typeof s === 'number' ? s : s(step);
};

describe('scheduleFor', () => {
  it('keeps the constant rate and peaks every schedule at it', () => {
    expect(scheduleFor('constant', 0.1, 100)).toBe(0.1);
    const peaks = SCHEDULE_IDS.map((id) =>
      Math.max(...Array.from({ length: 100 }, (_, t) => at(id, t))),
    );
    for (const peak of peaks) expect(peak).toBeCloseTo(0.1, 9);
  });

  it('decays the cosine to half at mid-run and to 0 at the end', () => {
    expect(at('cosine', 0)).toBeCloseTo(0.1, 12);
    expect(at('cosine', 50)).toBeCloseTo(0.05, 9);
    expect(at('cosine', 100)).toBeCloseTo(0, 12);
  });

  it('starts the one-cycle at η/25 and ends it near 0', () => {
    expect(at('one-cycle', 0)).toBeCloseTo(0.1 / 25, 12);
    expect(at('one-cycle', 99)).toBeLessThan(1e-6);
  });

  it('runs two triangles between η/10 and η', () => {
    expect(at('cyclical', 0)).toBeCloseTo(0.01, 12);
    expect(at('cyclical', 25)).toBeCloseTo(0.1, 12);
    expect(at('cyclical', 50)).toBeCloseTo(0.01, 12);
    expect(at('cyclical', 75)).toBeCloseTo(0.1, 12);
    expect(at('cyclical', 100)).toBeCloseTo(0.01, 12);
  });
});
