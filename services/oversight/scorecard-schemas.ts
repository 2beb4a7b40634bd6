import * as z from 'zod';
import { agencyId, identityResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { MAX_DEDUCTION_RATE_BP } from './domain/scorecard.ts';

/** The scorecard routes' schemas (seed §四(三)); the routes are in ./schemas.ts. */

/** A Beijing calendar month (`2026-10`) or year (`2026`). */
export const scorecardQuery = z.strictObject({
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, { error: '考核期间应为年月（如 2026-10）或年份（如 2026）' }),
});

/** The share of work funds deducted when every judged deadline is missed, in basis points (1000 = 10 %). */
export const deductionRateBody = z.strictObject({
  deductionRateBp: z.int({ error: '扣减比例应为整数基点' }).min(0, { error: '扣减比例不能小于 0' }).max(MAX_DEDUCTION_RATE_BP, { error: `扣减比例不能超过 ${MAX_DEDUCTION_RATE_BP} 基点（100%）` }),
});

const count = z.int().nonnegative();
const basisPoints = z.int().min(0).max(MAX_DEDUCTION_RATE_BP);

const scorecardCounts = {
  judged: count,
  met: count,
  missed: count,
  missedThenMet: count,
  openOverdue: count,
  latenessHoursTotal: count,
  latenessHoursMax: count,
  resolutionsLate: count,
  onSiteMissed: count,
  meetingMonthsMissed: count,
  assignmentsLate: count,
  deductionShareBp: basisPoints,
};

export const scorecardResponse = z.strictObject({
  period: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('month'), value: z.string().regex(/^\d{4}-\d{2}$/) }),
    z.strictObject({ kind: z.literal('year'), value: z.string().regex(/^\d{4}$/) }),
  ]),
  rows: z.array(z.strictObject({ agency: agencyId, agencyName: z.string(), jurisdiction: z.string(), jurisdictionName: z.string(), ...scorecardCounts })),
  totals: z.strictObject(scorecardCounts),
  deductionRateBp: basisPoints,
  generatedAt: utcInstant,
});

export const scorecardExportResponse = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().positive(),
  /** A presigned download URL, valid for DOWNLOAD_URL_TTL_SECONDS. */
  url: z.string().min(1),
});

/** The rate in force; who set it and when, once the leading group office has (0 before). */
export const scorecardSettingsResponse = z.strictObject({ deductionRateBp: basisPoints, updatedBy: identityResponse.optional(), updatedAt: utcInstant.optional() });
