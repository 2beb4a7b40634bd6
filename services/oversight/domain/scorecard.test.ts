import { describe, expect, it } from 'vitest';
import type { AgencyId } from '../../../shared/agencies.ts';
import type { MetRecord } from '../../../shared/cases/ports.ts';
import { computeScorecard, parseScorecardPeriod, type JudgedOverdue, type ScorecardCounts } from './scorecard.ts';

const met = (agency: AgencyId, jurisdiction: string, ruleId: string, dueAt: string): MetRecord => ({
  agency,
  jurisdiction,
  caseId: `C-${ruleId}`,
  ruleId,
  step: ruleId,
  dueAt,
  metAt: new Date(Date.parse(dueAt) - 3_600_000).toISOString(),
  source: '§五',
  recordedAt: dueAt,
});

const missed = (agency: AgencyId, jurisdiction: string, ruleId: string, dueAt: string, then: Pick<JudgedOverdue, 'status' | 'metAt' | 'cancelledAt'>): JudgedOverdue => ({
  agency,
  jurisdiction,
  caseId: `C-${ruleId}`,
  ruleId,
  step: ruleId,
  dueAt,
  recordedAt: dueAt,
  source: '§五',
  ...then,
});

const LSQ = 'yongzhou/lengshuitan';
const MEIWAN = 'yongzhou/lengshuitan/meiwan';
const YITANG = 'yongzhou/lengshuitan/yitang';

/**
 * Seeded records; each due instant's Beijing date decides its month (24:00 of a last day is the next
 * day's 00:00 in Beijing, so `2026-10-31T16:00Z` is 1 November).
 */
const MET: MetRecord[] = [
  met('land-bureau', LSQ, 'implementation-plan', '2026-10-16T16:00:00.000Z'), // m1: 10-17 00:00 → October
  met('land-bureau', LSQ, 'registration', '2026-09-30T16:00:00.000Z'), // m2: 10-01 00:00 → October
  met('land-bureau', LSQ, 'survey', '2026-09-30T15:59:59.999Z'), // m3: 09-30 23:59:59.999 → September
  met('township', MEIWAN, 'notice-posting/g1', '2026-10-10T16:00:00.000Z'), // m4: October
  met('district-government', LSQ, 'emergency-on-site/2', '2026-10-31T16:00:00.000Z'), // m5: 11-01 00:00 → November
];
const OVERDUE: JudgedOverdue[] = [
  // o1: met 26.5 h late → 27 h.
  missed('land-bureau', LSQ, 'plan-hearing', '2026-10-05T16:00:00.000Z', { status: 'met-late', metAt: '2026-10-06T18:30:00.000Z' }),
  // o2: still open: now − due = 15 d 8 h = 368 h.
  missed('land-bureau', LSQ, 'resolution/R-1', '2026-10-20T16:00:00.000Z', { status: 'overdue' }),
  // o3: the leader arrived one minute late → 1 h.
  missed('district-government', LSQ, 'emergency-on-site/1', '2026-10-01T16:30:00.000Z', { status: 'met-late', metAt: '2026-10-01T16:31:00.000Z' }),
  // o4: September's meeting, due 10-01 00:00 Beijing → October; still missing: 35 d 8 h = 848 h.
  missed('leading-group-office', 'yongzhou', 'joint-meeting/2026-09', '2026-09-30T16:00:00.000Z', { status: 'overdue' }),
  // o5: stopped (the case suspended) a day after it fell due → 24 h, neither met nor open.
  missed('township', MEIWAN, 'assignment/A-1', '2026-10-12T16:00:00.000Z', { status: 'cancelled', cancelledAt: '2026-10-13T16:00:00.000Z' }),
  // o6: due 11-02 00:00 Beijing → November.
  missed('finance', 'yongzhou', 'compensation-payment', '2026-11-01T16:00:00.000Z', { status: 'overdue' }),
  // o7: one millisecond late → rounded up to 1 h.
  missed('township', YITANG, 'notice-posting/g2', '2026-10-14T16:00:00.000Z', { status: 'met-late', metAt: '2026-10-14T16:00:00.001Z' }),
];
/** 2026-11-05 08:00 Beijing. */
const NOW = new Date('2026-11-05T00:00:00.000Z');

const zero: Omit<ScorecardCounts, 'judged' | 'met' | 'missed' | 'deductionShareBp'> = {
  missedThenMet: 0,
  openOverdue: 0,
  latenessHoursTotal: 0,
  latenessHoursMax: 0,
  resolutionsLate: 0,
  onSiteMissed: 0,
  meetingMonthsMissed: 0,
  assignmentsLate: 0,
};

describe('the scorecard of a month', () => {
  it('counts each agency and jurisdiction from the records whose due instant falls in the Beijing month (checked by hand)', () => {
    const card = computeScorecard({ period: { kind: 'month', value: '2026-10' }, met: MET, overdue: OVERDUE, deductionRateBp: 1000, now: NOW });
    /*
     * By hand, October 2026 (rate 1000 bp = 10 %), rows in AGENCY_IDS order:
     *   leading-group-office/yongzhou: o4 → judged 1, missed 1, open 1, 848 h; share 1000×1÷1 = 1000
     *   land-bureau/lengshuitan: m1 m2, o1 o2 → judged 4, met 2, missed 2, met late 1, open 1,
     *     27 + 368 = 395 h, max 368, 1 resolution; share 1000×2÷4 = 500
     *   district-government/lengshuitan: o3 (m5 is November) → judged 1, met late 1, 1 h, 1 on-site; 1000
     *   township/meiwan: m4, o5 → judged 2, met 1, missed 1, 24 h, 1 assignment; share 500
     *   township/yitang: o7 → judged 1, met late 1, 1 h; 1000
     *   (m3 is September, o6 November: neither counted; finance has no row)
     * Totals: met 3, missed 6, judged 9, met late 3, open 2, 848+395+1+24+1 = 1269 h, max 848;
     *   share 1000×6÷9 = 666.67 → 667.
     */
    expect(card.rows).toEqual([
      { agency: 'leading-group-office', jurisdiction: 'yongzhou', judged: 1, met: 0, missed: 1, ...zero, openOverdue: 1, latenessHoursTotal: 848, latenessHoursMax: 848, meetingMonthsMissed: 1, deductionShareBp: 1000 },
      { agency: 'land-bureau', jurisdiction: LSQ, judged: 4, met: 2, missed: 2, ...zero, missedThenMet: 1, openOverdue: 1, latenessHoursTotal: 395, latenessHoursMax: 368, resolutionsLate: 1, deductionShareBp: 500 },
      { agency: 'district-government', jurisdiction: LSQ, judged: 1, met: 0, missed: 1, ...zero, missedThenMet: 1, latenessHoursTotal: 1, latenessHoursMax: 1, onSiteMissed: 1, deductionShareBp: 1000 },
      { agency: 'township', jurisdiction: MEIWAN, judged: 2, met: 1, missed: 1, ...zero, latenessHoursTotal: 24, latenessHoursMax: 24, assignmentsLate: 1, deductionShareBp: 500 },
      { agency: 'township', jurisdiction: YITANG, judged: 1, met: 0, missed: 1, ...zero, missedThenMet: 1, latenessHoursTotal: 1, latenessHoursMax: 1, deductionShareBp: 1000 },
    ]);
    expect(card.totals).toEqual({
      judged: 9,
      met: 3,
      missed: 6,
      missedThenMet: 3,
      openOverdue: 2,
      latenessHoursTotal: 1269,
      latenessHoursMax: 848,
      resolutionsLate: 1,
      onSiteMissed: 1,
      meetingMonthsMissed: 1,
      assignmentsLate: 1,
      deductionShareBp: 667,
    });
  });

  it('puts a due instant at Beijing midnight in the month it begins', () => {
    const card = (value: string) => computeScorecard({ period: { kind: 'month', value }, met: MET, overdue: [], deductionRateBp: 0, now: NOW });
    // 2026-10-31T16:00Z is 2026-11-01 00:00 Beijing: November's; 2026-09-30T15:59:59.999Z is still September's.
    expect(card('2026-11').rows.map((r) => [r.agency, r.met])).toEqual([['district-government', 1]]);
    expect(card('2026-09').rows.map((r) => [r.agency, r.met])).toEqual([['land-bureau', 1]]);
    expect(card('2026-10').rows.map((r) => [r.agency, r.met])).toEqual([['land-bureau', 2], ['township', 1]]);
  });

  it('an empty month: no rows, totals zero, share 0 (nothing judged)', () => {
    const card = computeScorecard({ period: { kind: 'month', value: '2026-12' }, met: MET, overdue: OVERDUE, deductionRateBp: 1000, now: NOW });
    expect(card.rows).toEqual([]);
    expect(card.totals).toMatchObject({ judged: 0, missed: 0, deductionShareBp: 0 });
  });
});

describe('the scorecard of a year', () => {
  it('takes every record due in the Beijing year, from 1 January 00:00 to 31 December 24:00', () => {
    const edges = [
      met('finance', 'yongzhou', 'a', '2025-12-31T16:00:00.000Z'), // 2026-01-01 00:00 → 2026
      met('finance', 'yongzhou', 'b', '2025-12-31T15:59:59.999Z'), // 2025
      met('finance', 'yongzhou', 'c', '2026-12-31T16:00:00.000Z'), // 2027-01-01 00:00 → 2027
    ];
    const card = computeScorecard({ period: { kind: 'year', value: '2026' }, met: [...MET, ...edges], overdue: OVERDUE, deductionRateBp: 1000, now: NOW });
    /*
     * By hand: every seeded record is 2026's, plus edge a: met 5 + 1 = 6, missed 7, judged 13.
     * finance/yongzhou: a, o6 (open, due 11-01T16:00Z: 3 d 8 h = 80 h) → judged 2, share 500.
     * Totals' share: 1000×7÷13 = 538.46 → 538.
     */
    expect(card.totals).toMatchObject({ met: 6, missed: 7, judged: 13, openOverdue: 3, latenessHoursMax: 848, latenessHoursTotal: 1269 + 80, deductionShareBp: 538 });
    expect(card.rows.find((r) => r.agency === 'finance')).toMatchObject({ met: 1, missed: 1, openOverdue: 1, latenessHoursTotal: 80, deductionShareBp: 500 });
    expect(card.rows.find((r) => r.agency === 'land-bureau')).toMatchObject({ met: 3, missed: 2 });
  });
});

describe('the deduction share', () => {
  const share = (rate: number, missedCount: number, judged: number) => {
    const overdue = Array.from({ length: missedCount }, (_, i) => missed('land-bureau', LSQ, `r${i}`, '2026-10-05T16:00:00.000Z', { status: 'overdue' }));
    const metRecords = Array.from({ length: judged - missedCount }, (_, i) => met('land-bureau', LSQ, `m${i}`, '2026-10-05T16:00:00.000Z'));
    return computeScorecard({ period: { kind: 'month', value: '2026-10' }, met: metRecords, overdue, deductionRateBp: rate, now: NOW }).rows[0]!.deductionShareBp;
  };

  it('is rate × missed ÷ judged in basis points, rounded half up', () => {
    expect(share(10, 1, 4)).toBe(3); // 2.5 → 3
    expect(share(5, 1, 4)).toBe(1); // 1.25 → 1
    expect(share(1000, 1, 3)).toBe(333); // 333.33 → 333
    expect(share(1000, 2, 3)).toBe(667); // 666.67 → 667
    expect(share(10_000, 3, 3)).toBe(10_000);
    expect(share(1000, 0, 3)).toBe(0);
  });

  it('refuses a rate outside 0..10000 bp or not whole', () => {
    for (const rate of [-1, 10_001, 12.5, Number.NaN]) {
      expect(() => computeScorecard({ period: { kind: 'year', value: '2026' }, met: [], overdue: [], deductionRateBp: rate, now: NOW })).toThrow(expect.objectContaining({ code: 'scorecard.rate-invalid' }));
    }
  });
});

describe('the period as written', () => {
  it('a month YYYY-MM or a year YYYY; anything else is scorecard.period-invalid', () => {
    expect(parseScorecardPeriod('2026-10')).toEqual({ kind: 'month', value: '2026-10' });
    expect(parseScorecardPeriod('2026')).toEqual({ kind: 'year', value: '2026' });
    for (const bad of ['2026-13', '2026-00', '2026-1', '26', '2026-10-01', '']) {
      expect(() => parseScorecardPeriod(bad)).toThrow(expect.objectContaining({ code: 'scorecard.period-invalid' }));
    }
  });
});
