import { AGENCIES, CITY, findJurisdiction } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { PerformanceRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { DOWNLOAD_URL_TTL_SECONDS, XLSX_CONTENT_TYPE, type DocumentStore } from '../../../shared/evidence/evidence.ts';
import { authorize } from '../../../shared/permissions.ts';
import {
  checkDeductionRate,
  computeScorecard,
  inPeriod,
  parseScorecardPeriod,
  periodTextZh,
  type ScorecardRow,
  type ScorecardSettings,
  type ScorecardView,
} from '../domain/scorecard.ts';
import { judgedDeadlines } from './misses.ts';
import type { ScorecardRenderer, ScorecardSettingsRepository } from './ports.ts';

export interface ScorecardDeps {
  uow: UnitOfWork;
  performance: PerformanceRepository;
  watches: WatchRepository;
  settings: ScorecardSettingsRepository;
  files: DocumentStore;
  renderer: ScorecardRenderer;
  newId: (nowMs: number) => string;
}

/** The rate until the leading group office sets one: nothing is deducted. */
const DEFAULT_DEDUCTION_RATE_BP = 0;

/**
 * The scorecard of a Beijing month (`2026-10`) or year (`2026`) for every agency (seed §四(三)),
 * computed from the deadline worker's records as they stand; a read of performance data, audited.
 */
export async function readScorecard(deps: Omit<ScorecardDeps, 'files' | 'renderer'>, query: { period: string }, ctx: ActionContext): Promise<NamedScorecardView> {
  authorize(ctx.actor, 'performance.read', [CITY.id]);
  const view = await scorecardView(deps, query.period, ctx.now);
  await auditRead(deps.uow, ctx, 'scorecard.read', { type: 'scorecard', id: view.period.value }, { rows: view.rows.length, judged: view.totals.judged, missed: view.totals.missed, deductionRateBp: view.deductionRateBp });
  return { ...view, rows: view.rows.map(withNames) };
}

/** A row as the API answers it: the Chinese names beside the ids, as the exported workbook has them (the console holds no name tables). */
export type NamedScorecardRow = ScorecardRow & { agencyName: string; jurisdictionName: string };
export type NamedScorecardView = Omit<ScorecardView, 'rows'> & { rows: NamedScorecardRow[] };

const withNames = (row: ScorecardRow): NamedScorecardRow => ({ ...row, agencyName: AGENCIES[row.agency].nameZh, jurisdictionName: findJurisdiction(row.jurisdiction)?.nameZh ?? row.jurisdiction });

/** The scorecard as an .xlsx, stored once under its own key with its SHA-256; a download URL for it. */
export async function exportScorecard(deps: ScorecardDeps, query: { period: string }, ctx: ActionContext): Promise<{ sha256: string; size: number; url: string }> {
  authorize(ctx.actor, 'performance.read', [CITY.id]);
  const view = await scorecardView(deps, query.period, ctx.now);
  const bytes = await deps.renderer.scorecardXlsx(view);
  const exportId = deps.newId(ctx.now.getTime());
  const stored = await deps.files.put(`oversight/scorecards/${view.period.value}/${exportId}.xlsx`, bytes, XLSX_CONTENT_TYPE, `绩效考核-${periodTextZh(view.period)}.xlsx`);
  await auditRead(deps.uow, ctx, 'scorecard.export', { type: 'scorecard', id: view.period.value }, { exportId, key: stored.key, sha256: stored.sha256, rows: view.rows.length, deductionRateBp: view.deductionRateBp });
  const url = await deps.files.presignDownload(stored.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now);
  return { sha256: stored.sha256, size: stored.size, url };
}

/** The deduction rate as it stands (the default until the leading group office sets one). */
export async function readScorecardSettings(deps: Pick<ScorecardDeps, 'settings'>, ctx: ActionContext): Promise<ScorecardSettings | { deductionRateBp: number }> {
  authorize(ctx.actor, 'performance.read', [CITY.id]);
  const stored = await deps.settings.find();
  return stored ? withoutVersion(stored) : { deductionRateBp: DEFAULT_DEDUCTION_RATE_BP };
}

/** The leading group office sets the rate of work funds deducted (basis points, 0..10000); audited. */
export async function setDeductionRate(deps: Pick<ScorecardDeps, 'uow' | 'settings'>, input: { deductionRateBp: number }, ctx: ActionContext): Promise<ScorecardSettings> {
  authorize(ctx.actor, 'scorecard.settings', [CITY.id]);
  const deductionRateBp = checkDeductionRate(input.deductionRateBp);
  const stored = await deps.settings.find();
  const settings: ScorecardSettings = { deductionRateBp, updatedBy: ctx.actor, updatedAt: ctx.now.toISOString() };
  await deps.uow.commit(
    [deps.settings.save(settings, stored?.version ?? 'absent')],
    [auditOf(ctx, 'scorecard.settings', { type: 'scorecard-settings', id: 'scorecard' }, { from: stored?.deductionRateBp ?? DEFAULT_DEDUCTION_RATE_BP, to: deductionRateBp })],
  );
  return settings;
}

async function scorecardView(deps: Pick<ScorecardDeps, 'performance' | 'watches' | 'settings'>, periodText: string, now: Date): Promise<ScorecardView> {
  const period = parseScorecardPeriod(periodText);
  const [judged, settings] = await Promise.all([judgedDeadlines(deps, (dueAt) => inPeriod(dueAt, period)), deps.settings.find()]);
  const overdue = judged.overdue.map(({ watch: _watch, ...record }) => record);
  const deductionRateBp = settings?.deductionRateBp ?? DEFAULT_DEDUCTION_RATE_BP;
  return { ...computeScorecard({ period, met: judged.met, overdue, deductionRateBp, now }), deductionRateBp, generatedAt: now.toISOString() };
}
