import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { AgencyId } from '../../../shared/agencies.ts';
import { meetWatch, openWatch, type WatchRule } from '../../../shared/deadlines/watch.ts';
import type { Identity } from '../../../shared/identity.ts';
import { deadlinesDepsOn } from '../../deadlines/adapters/deps.ts';
import { fallDueTask } from '../../deadlines/app/use-cases.ts';
import { expectRefused } from '../../../test/support/compensation.ts';
import { AGENTS, calendar, ctxOf, MemoryBucket, RecordingAlerts, RecordingScheduler, sequentialIds, sha256 } from '../../../test/support/fakes.ts';
import { scorecardExportResponse, scorecardResponse, scorecardSettingsResponse } from '../scorecard-schemas.ts';
import { TableScorecardSettingsRepository } from '../adapters/scorecard-settings-repository.ts';
import { scorecardRenderer } from '../adapters/scorecard-xlsx.ts';
import { exportScorecard, readScorecard, readScorecardSettings, setDeductionRate, type ScorecardDeps } from './scorecard.ts';

/**
 * The scorecard use cases on the memory table, fed by the deadline worker itself: watches opened,
 * met or not, and judged by `fallDueTask`, which writes the met and overdue records the scorecard
 * reads. Hours-long periods keep the due instants plain to check by hand.
 */
const OFFICE: Identity = { user: 'lin.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const DISCIPLINE: Identity = { user: 'gao.dc', agency: 'discipline-commission', jurisdiction: 'yongzhou' };
const LSQ = 'yongzhou/lengshuitan';
const MEIWAN = 'yongzhou/lengshuitan/meiwan';

let store: MemoryTable;
let bucket: MemoryBucket;
let deps: ScorecardDeps;
const world = () => ({ store, bucket });

const rule = (id: string, responsibleAgency: AgencyId, extra: Partial<WatchRule> = {}): WatchRule => ({
  id,
  step: `办理 ${id}`,
  clock: 'agency-deadline',
  period: '24h',
  responsibleAgency,
  escalateTo: ['leading-group-office'],
  source: '§四(三)',
  ...extra,
});

/** Opens a 24-hour watch at `triggeredAt`, meets it at `metAt` (if given), and fires its timer at the due instant. */
async function judged(caseId: string, watchRule: WatchRule, jurisdiction: string, triggeredAt: string, metAt?: string, options: Parameters<typeof openWatch>[4] = {}) {
  const worker = deadlinesDepsOn(store, { alerts: new RecordingAlerts(), scheduler: new RecordingScheduler(), newId: sequentialIds });
  let watch = openWatch({ caseId, phase: 'test', jurisdiction }, watchRule, new Date(triggeredAt), await calendar(), options);
  if (metAt && Date.parse(metAt) < Date.parse(watch.dueAt)) watch = meetWatch(watch, new Date(metAt), 'someone');
  await worker.uow.commit([worker.watches.save(watch, 'absent')], []);
  await fallDueTask(worker, { caseId, ruleId: watchRule.id }, new Date(watch.dueAt), 'timer');
  if (metAt && Date.parse(metAt) >= Date.parse(watch.dueAt)) {
    const stored = await worker.watches.get(caseId, watchRule.id);
    await worker.uow.commit([worker.watches.save(meetWatch(stored.watch, new Date(metAt), 'someone'), stored.version)], []);
  }
}

beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  const kernel = caseKernel(store);
  deps = { uow: kernel.uow, performance: kernel.performance, watches: kernel.watches, settings: new TableScorecardSettingsRepository(store), files: bucket, renderer: scorecardRenderer, newId: sequentialIds };
  // W1: due 10-11T02:00Z, met the day before → met in time (land bureau, Lengshuitan).
  await judged('P-1', rule('plan-a', 'land-bureau'), LSQ, '2026-10-10T02:00:00Z', '2026-10-10T10:00:00Z');
  // W2: due 10-11T02:00Z, met 10-12T03:30Z: 25.5 h late → 26 h.
  await judged('P-2', rule('plan-b', 'land-bureau'), LSQ, '2026-10-10T02:00:00Z', '2026-10-12T03:30:00Z');
  // W3: a resolution due 10-21T00:00Z, still undone.
  await judged('M-1', rule('resolution/R-1', 'township'), MEIWAN, '2026-10-20T00:00:00Z');
  // W4: a court's deadline missed: the city does not assess it, nothing is recorded.
  await judged('E-1', rule('court-acceptance', 'basic-court', { assessed: false }), LSQ, '2026-10-05T00:00:00Z');
  // W5: due 11-01T10:00Z (18:00 Beijing, 1 November): November's.
  await judged('P-3', rule('plan-c', 'land-bureau'), LSQ, '2026-10-31T10:00:00Z', '2026-10-31T12:00:00Z');
});

/** 2026-11-02 08:00 Beijing. */
const NOW = '2026-11-02T00:00:00Z';

describe('reading the scorecard', () => {
  it('computes every agency from the records and the watches as they stand, at the rate the office set; audited', async () => {
    await setDeductionRate(deps, { deductionRateBp: 1000 }, ctxOf(OFFICE, '2026-10-01T00:00:00Z'));
    const card = await readScorecard(deps, { period: '2026-10' }, ctxOf(OFFICE, NOW));
    /*
     * By hand, October 2026 at 1000 bp:
     *   land-bureau/Lengshuitan: W1 met, W2 missed then met (26 h) → judged 2, share 1000×1÷2 = 500
     *   township/Meiwan: W3 missed, open: 11-02T00:00Z − 10-21T00:00Z = 12 d = 288 h; 1 resolution; share 1000
     *   (W4 the court's: no record; W5 is November's)
     * Totals: judged 3, met 1, missed 2, 26 + 288 = 314 h, max 288; share 1000×2÷3 = 666.67 → 667
     */
    expect(card).toEqual({
      period: { kind: 'month', value: '2026-10' },
      rows: [
        { agency: 'land-bureau', agencyName: '市国土资源局', jurisdiction: LSQ, jurisdictionName: '冷水滩区', judged: 2, met: 1, missed: 1, missedThenMet: 1, openOverdue: 0, latenessHoursTotal: 26, latenessHoursMax: 26, resolutionsLate: 0, onSiteMissed: 0, meetingMonthsMissed: 0, assignmentsLate: 0, deductionShareBp: 500 },
        { agency: 'township', agencyName: '乡镇人民政府 / 街道办事处', jurisdiction: MEIWAN, jurisdictionName: '梅湾街道', judged: 1, met: 0, missed: 1, missedThenMet: 0, openOverdue: 1, latenessHoursTotal: 288, latenessHoursMax: 288, resolutionsLate: 1, onSiteMissed: 0, meetingMonthsMissed: 0, assignmentsLate: 0, deductionShareBp: 1000 },
      ],
      totals: { judged: 3, met: 1, missed: 2, missedThenMet: 1, openOverdue: 1, latenessHoursTotal: 314, latenessHoursMax: 288, resolutionsLate: 1, onSiteMissed: 0, meetingMonthsMissed: 0, assignmentsLate: 0, deductionShareBp: 667 },
      deductionRateBp: 1000,
      generatedAt: new Date(NOW).toISOString(),
    });
    expect(scorecardResponse.parse(card)).toEqual(card);
    expect(store.audit.filter((a) => a.action === 'scorecard.read')).toMatchObject([{ actor: OFFICE, target: { type: 'scorecard', id: '2026-10' } }]);
  });

  it('a month later and for the year; the rate is 0 until the office sets one', async () => {
    const november = await readScorecard(deps, { period: '2026-11' }, ctxOf(DISCIPLINE, NOW));
    expect(november.rows).toMatchObject([{ agency: 'land-bureau', judged: 1, met: 1, missed: 0, deductionShareBp: 0 }]);
    expect(november.deductionRateBp).toBe(0);
    const year = await readScorecard(deps, { period: '2026' }, ctxOf(DISCIPLINE, NOW));
    expect(year.totals).toMatchObject({ judged: 4, met: 2, missed: 2, deductionShareBp: 0 });
  });

  it('refuses an agency without the duty, and a period not a month or a year, writing nothing', async () => {
    await expectRefused(world(), () => readScorecard(deps, { period: '2026-10' }, ctxOf(AGENTS.landBureau, NOW)), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => readScorecard(deps, { period: '2026-13' }, ctxOf(OFFICE, NOW)), { status: 400, code: 'scorecard.period-invalid' });
    await expectRefused(world(), () => exportScorecard(deps, { period: 'October' }, ctxOf(OFFICE, NOW)), { status: 400, code: 'scorecard.period-invalid' });
    await expectRefused(world(), () => exportScorecard(deps, { period: '2026-10' }, ctxOf(AGENTS.district, NOW)), { status: 403, code: 'forbidden.agency' });
  });
});

describe('exporting the scorecard', () => {
  it('stores the workbook once with its SHA-256 and answers a download URL; audited', async () => {
    await setDeductionRate(deps, { deductionRateBp: 1000 }, ctxOf(OFFICE, '2026-10-01T00:00:00Z'));
    const answer = await exportScorecard(deps, { period: '2026-10' }, ctxOf(OFFICE, NOW));
    const [key] = [...bucket.objects.keys()];
    expect(key).toMatch(/^oversight\/scorecards\/2026-10\/ID\d+\.xlsx$/);
    const body = bucket.bytes(key!)!;
    expect(answer).toEqual({ sha256: sha256(body), size: body.length, url: `memory://${key}` });
    expect(scorecardExportResponse.parse(answer)).toEqual(answer);
    expect(bucket.objects.get(key!)?.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('考核')!;
    expect(sheet.getCell('A1').value).toBe('征地拆迁工作绩效考核 2026年10月');
    expect((sheet.getRow(5).values as unknown[]).slice(1)).toEqual(['市国土资源局', '冷水滩区', 2, 1, 1, 1, 0, 26, 26, 0, 0, 0, 0, 0.05]);
    expect((sheet.getRow(7).values as unknown[]).slice(1, 3)).toEqual(['合计', '']);
    expect(store.audit.filter((a) => a.action === 'scorecard.export')).toMatchObject([{ summary: { key, sha256: answer.sha256 } }]);
  });
});

describe('the deduction rate', () => {
  it('is the leading group office\'s to set, versioned and audited', async () => {
    expect(await readScorecardSettings(deps, ctxOf(OFFICE, NOW))).toEqual({ deductionRateBp: 0 });
    await setDeductionRate(deps, { deductionRateBp: 1000 }, ctxOf(OFFICE, '2026-10-01T00:00:00Z'));
    const second = await setDeductionRate(deps, { deductionRateBp: 1500 }, ctxOf(OFFICE, '2026-10-02T00:00:00Z'));
    expect(second).toEqual({ deductionRateBp: 1500, updatedBy: OFFICE, updatedAt: '2026-10-02T00:00:00.000Z' });
    expect(await deps.settings.find()).toEqual({ ...second, version: 2 });
    expect(await readScorecardSettings(deps, ctxOf(DISCIPLINE, NOW))).toEqual(second);
    expect(scorecardSettingsResponse.parse(second)).toEqual(second);
    expect(scorecardSettingsResponse.parse({ deductionRateBp: 0 })).toEqual({ deductionRateBp: 0 });
    expect(store.audit.filter((a) => a.action === 'scorecard.settings').map((a) => a.summary)).toEqual([
      { from: 0, to: 1000 },
      { from: 1000, to: 1500 },
    ]);
  });

  it('refuses another agency, and a rate outside 0..10000 bp or not whole, writing nothing', async () => {
    await expectRefused(world(), () => setDeductionRate(deps, { deductionRateBp: 1000 }, ctxOf(DISCIPLINE, NOW)), { status: 403, code: 'forbidden.agency' });
    for (const deductionRateBp of [-1, 10_001, 2.5]) {
      await expectRefused(world(), () => setDeductionRate(deps, { deductionRateBp }, ctxOf(OFFICE, NOW)), { status: 400, code: 'scorecard.rate-invalid' });
    }
    await setDeductionRate(deps, { deductionRateBp: 10_000 }, ctxOf(OFFICE, NOW));
    await setDeductionRate(deps, { deductionRateBp: 0 }, ctxOf(OFFICE, NOW));
  });

  it('two settings at once: one wins, the other is refused as a concurrent change', async () => {
    const results = await Promise.allSettled([setDeductionRate(deps, { deductionRateBp: 500 }, ctxOf(OFFICE, NOW)), setDeductionRate(deps, { deductionRateBp: 800 }, ctxOf(OFFICE, NOW))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'scorecard.settings-changed' });
    expect(await deps.settings.find()).toMatchObject({ deductionRateBp: 500, version: 1 });
  });
});
