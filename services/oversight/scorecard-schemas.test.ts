import { describe, expect, it } from 'vitest';
import { deductionRateBody, scorecardQuery, scorecardResponse } from './scorecard-schemas.ts';

describe('scorecard route schemas', () => {
  it('the period is a month YYYY-MM or a year YYYY', () => {
    for (const period of ['2026-10', '2026-01', '2026-12', '2026']) expect(scorecardQuery.safeParse({ period }).success, period).toBe(true);
    for (const period of ['2026-13', '2026-00', '2026-1', '26', '2026-10-01', '']) expect(scorecardQuery.safeParse({ period }).success, period).toBe(false);
    expect(scorecardQuery.safeParse({ period: '2026', extra: 1 }).success).toBe(false);
  });

  it('the rate is whole basis points 0..10000', () => {
    for (const deductionRateBp of [0, 1000, 10_000]) expect(deductionRateBody.safeParse({ deductionRateBp }).success).toBe(true);
    for (const deductionRateBp of [-1, 10_001, 2.5, '1000']) expect(deductionRateBody.safeParse({ deductionRateBp }).success).toBe(false);
  });

  it('the answer is strict: no field beyond the computed ones', () => {
    const totals = { judged: 0, met: 0, missed: 0, missedThenMet: 0, openOverdue: 0, latenessHoursTotal: 0, latenessHoursMax: 0, resolutionsLate: 0, onSiteMissed: 0, meetingMonthsMissed: 0, assignmentsLate: 0, deductionShareBp: 0 };
    const card = { period: { kind: 'year', value: '2026' }, rows: [], totals, deductionRateBp: 0, generatedAt: '2026-11-02T00:00:00.000Z' };
    expect(scorecardResponse.safeParse(card).success).toBe(true);
    expect(scorecardResponse.safeParse({ ...card, totals: { ...totals, bonus: 1 } }).success).toBe(false);
  });
});
