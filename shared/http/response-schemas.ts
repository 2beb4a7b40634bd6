import * as z from 'zod';
import { AGENCY_IDS } from '../agencies.ts';
import type { ClockKind } from '../calendar/index.ts';

/**
 * Building blocks of the services' response schemas (what the API returns, as the OpenAPI
 * document declares it). Objects are strict: a field a use case starts returning without the
 * schema knowing — a stored secret, an internal key — fails the response tests.
 */
export const utcInstant = z.iso.datetime();
export const beijingInstant = z.iso.datetime({ offset: true });
export const day = z.iso.date();
export const agencyId = z.enum(AGENCY_IDS);

export const identityResponse = z.strictObject({ user: z.string(), agency: agencyId, jurisdiction: z.string(), name: z.string().optional() });

const review = z.strictObject({
  decision: z.enum(['approve', 'return']),
  reasons: z.string().optional(),
  revision: z.int().positive(),
  by: identityResponse,
  at: utcInstant,
});

/** Fields of a document reviewed by the legal affairs office (shared/review.ts). */
export const reviewedDocumentFields = {
  status: z.enum(['pending-review', 'returned', 'approved', 'published']),
  revision: z.int().positive(),
  draftedBy: identityResponse,
  draftedAt: utcInstant,
  reviews: z.array(review),
  publishedAt: utcInstant.optional(),
  publishedBy: identityResponse.optional(),
};

export const CLOCK_KINDS = ['waiting-period', 'agency-deadline', 'public-window'] as const satisfies readonly ClockKind[];

/** A legal clock on a case as the API shows it; never its Step Functions task token. */
export const deadlineWatchResponse = z.strictObject({
  caseId: z.string(),
  projectId: z.string().optional(),
  caseLabel: z.string().optional(),
  phase: z.string(),
  jurisdiction: z.string(),
  ruleId: z.string(),
  step: z.string(),
  clock: z.enum(CLOCK_KINDS),
  period: z.string(),
  responsibleAgency: agencyId,
  escalateTo: z.array(agencyId),
  source: z.string(),
  triggeredAt: utcInstant,
  lastDay: day,
  dueAt: utcInstant,
  status: z.enum(['open', 'met', 'overdue', 'met-late', 'elapsed', 'cancelled']),
  metAt: utcInstant.optional(),
  metBy: z.string().optional(),
  alertedAt: utcInstant.optional(),
  cancelledAt: utcInstant.optional(),
  cancelReason: z.string().optional(),
  assessed: z.literal(false).optional(),
  accountableAlso: z.array(z.strictObject({ agency: agencyId, jurisdiction: z.string(), reason: z.string(), since: utcInstant })).optional(),
});

/** A page of a list: `cursor` is present when there is more. */
export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), cursor: z.string().optional() });

/** Every error the services answer: a machine code, a Chinese message, the request id. */
export const errorResponse = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional(), requestId: z.string() }),
});

/** API Gateway's own refusals (no or bad token, before any service runs) have this shape. */
export const gatewayErrorResponse = z.strictObject({ message: z.string() });

/** One step of a case's timeline (shared/cases/timeline.ts). */
export const timelineStepResponse = z.strictObject({
  step: z.string(),
  status: z.enum(['done', 'done-late', 'open', 'overdue', 'closed', 'not-started', 'refused', 'cancelled']),
  responsibleAgency: agencyId,
  legalSource: z.string(),
  /** When the step's clock started (the deadline watch's trigger), where the step has one. */
  startedAt: utcInstant.optional(),
  startedAtBeijing: beijingInstant.optional(),
  dueAt: utcInstant.optional(),
  dueAtBeijing: beijingInstant.optional(),
  lastDay: day.optional(),
  due: z.string().optional(),
  doneAt: utcInstant.optional(),
  doneAtBeijing: beijingInstant.optional(),
  by: identityResponse.optional(),
  detail: z.string().optional(),
});

/** A verified evidence file as recorded (shared/evidence/evidence.ts EvidenceRecord). */
export const evidenceRecordResponse = z.strictObject({
  key: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.int().nonnegative(),
  contentType: z.string(),
  versionId: z.string().optional(),
  uploadedBy: identityResponse,
  verifiedAt: utcInstant,
});

/** A presigned upload slot: PUT the declared bytes once to `url`, with `headers` exactly as given (they are signed). */
export const uploadSlotResponse = z.strictObject({
  uploadId: z.string(),
  url: z.url(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: utcInstant,
});
