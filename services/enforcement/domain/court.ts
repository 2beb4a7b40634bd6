import { formatBeijing, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import { pendingRemedies, type CourtProceedings, type EnforcementChain } from './chain.ts';
import { requireDecidingAgency } from './procedure.ts';
import { periodEnds } from './clocks.ts';

/**
 * The court's acts on the application (ACL arts. 56–59): accept or refuse, hear both sides, rule.
 * Only the court that received the application records them; the higher court rules on a review
 * of a refusal. The court's deadlines are watched and shown, never scored.
 */

function proceedings(chain: EnforcementChain): CourtProceedings {
  if (chain.status === 'ended') throw new ConflictError('enforcement.chain-ended', '强制执行程序已终结', { chainId: chain.chainId });
  if (!chain.court) throw new RuleViolationError('enforcement.not-filed', '尚未向人民法院提交强制执行申请', { chainId: chain.chainId });
  return chain.court;
}

/** The court that received the application, and no other, acts on it. */
function requireReceivingCourt(court: CourtProceedings, actor: Identity): void {
  if (actor.agency !== court.court.agency || actor.jurisdiction !== court.court.jurisdiction) {
    throw new ForbiddenError('enforcement.not-the-court', `本申请由${court.court.name}受理，只能由该院登记`, { court: court.court });
  }
}

function checkInstant(at: Date, after: string, now: Date, what: string): void {
  if (at.getTime() < Date.parse(after) || at.getTime() > now.getTime()) {
    throw new ValidationError('enforcement.court-instant', `${what}的时间应在${formatBeijing(after)}之后、当前时间之前`, {});
  }
}

const withCourt = (chain: EnforcementChain, court: CourtProceedings, now: Date): EnforcementChain => ({ ...chain, court, updatedAt: now.toISOString() });

/**
 * Accepted or refused. `servedAt` is when a refusal reached the applicant (its 15 days to ask the
 * higher court run from then, ACL art. 56); the ruling's own instant when not given.
 */
export function recordAcceptance(chain: EnforcementChain, input: { accepted: boolean; at: Date; servedAt?: Date; caseNumber?: string; reasons?: string }, actor: Identity, now: Date): EnforcementChain {
  const court = proceedings(chain);
  requireReceivingCourt(court, actor);
  if (court.acceptance) throw new ConflictError('enforcement.acceptance-recorded', '是否受理已登记', {});
  checkInstant(input.at, court.filedAt, now, '受理或不予受理');
  if (input.accepted && !input.caseNumber) throw new ValidationError('enforcement.case-number-required', '受理的须登记案号', {});
  if (!input.accepted && !input.reasons) throw new ValidationError('enforcement.reasons-required', '不予受理的须登记理由', {});
  if (input.servedAt) checkInstant(input.servedAt, input.at.toISOString(), now, '裁定送达');
  const acceptance = {
    accepted: input.accepted,
    at: input.at.toISOString(),
    ...(input.servedAt ? { servedAt: input.servedAt.toISOString() } : {}),
    by: actor,
    ...(input.caseNumber ? { caseNumber: input.caseNumber } : {}),
    ...(input.reasons ? { reasons: input.reasons } : {}),
  };
  return withCourt(chain, { ...court, acceptance }, now);
}

/** The applicant asks the higher court to review a refusal to accept, within 15 days of its service (ACL art. 56(2)). */
export function fileCourtReview(chain: EnforcementChain, input: { filedAt: Date }, actor: Identity, now: Date, calendar: HolidayCalendar): EnforcementChain {
  const court = proceedings(chain);
  requireDecidingAgency(chain, actor, '申请复议');
  if (pendingRemedies(chain).length > 0) throw new RuleViolationError('enforcement.suspended', '有未决的行政复议或行政诉讼，程序中止，不能申请复议', {});
  if (court.acceptance?.accepted !== false) throw new RuleViolationError('enforcement.not-refused', '人民法院未裁定不予受理，无须申请复议', {});
  if (court.review) throw new ConflictError('enforcement.review-filed', '已向上一级人民法院申请复议', {});
  const served = court.acceptance.servedAt ?? court.acceptance.at;
  checkInstant(input.filedAt, court.acceptance.at, now, '申请复议');
  const closes = periodEnds('court-refusal-review', served, chain, calendar);
  if (input.filedAt.getTime() >= Date.parse(closes)) {
    throw new RuleViolationError('enforcement.review-period-over', `申请复议的期限已于${formatBeijing(closes)}届满（行政强制法第五十六条）`, { closes });
  }
  return withCourt(chain, { ...court, review: { filedAt: input.filedAt.toISOString(), by: actor } }, now);
}

/** The higher court (the intermediate court, over a basic court) rules on the review. */
export function recordReviewDecision(chain: EnforcementChain, input: { accepted: boolean; at: Date; reasons?: string }, actor: Identity, now: Date): EnforcementChain {
  const court = proceedings(chain);
  if (!court.review) throw new RuleViolationError('enforcement.no-review', '未申请复议', {});
  if (court.review.decided) throw new ConflictError('enforcement.review-decided', '复议裁定已登记', {});
  if (court.court.agency !== 'basic-court' || actor.agency !== 'intermediate-court') {
    throw new ForbiddenError('enforcement.not-the-higher-court', '复议由上一级人民法院裁定', {});
  }
  checkInstant(input.at, court.review.filedAt, now, '复议裁定');
  const decided = { accepted: input.accepted, at: input.at.toISOString(), by: actor, ...(input.reasons ? { reasons: input.reasons } : {}) };
  return withCourt(chain, { ...court, review: { ...court.review, decided } }, now);
}

function acceptedAt(court: CourtProceedings): string | undefined {
  if (court.acceptance?.accepted) return court.acceptance.at;
  return court.review?.decided?.accepted ? court.review.decided.at : undefined;
}

/** The court will hear both sides (ACL art. 58): its ruling may then take 30 days from acceptance. */
export function recordHearing(chain: EnforcementChain, input: { decidedAt: Date; reasons: string }, actor: Identity, now: Date): EnforcementChain {
  const court = proceedings(chain);
  requireReceivingCourt(court, actor);
  const accepted = acceptedAt(court);
  if (!accepted) throw new RuleViolationError('enforcement.not-accepted', '申请尚未受理', {});
  if (court.hearing || court.ruling) throw new ConflictError('enforcement.hearing-recorded', '已决定听取意见或已作出裁定', {});
  checkInstant(input.decidedAt, accepted, now, '决定听取意见');
  return withCourt(chain, { ...court, hearing: { decidedAt: input.decidedAt.toISOString(), by: actor, reasons: input.reasons } }, now);
}

export function recordRuling(
  chain: EnforcementChain,
  input: { enforce: boolean; emergency: boolean; at: Date; caseNumber: string; reasons: string },
  document: EvidenceRecord[],
  actor: Identity,
  now: Date,
): EnforcementChain {
  const court = proceedings(chain);
  requireReceivingCourt(court, actor);
  const accepted = acceptedAt(court);
  if (!accepted) throw new RuleViolationError('enforcement.not-accepted', '申请尚未受理', {});
  if (court.ruling) throw new ConflictError('enforcement.ruling-recorded', '执行裁定已登记', {});
  checkInstant(input.at, accepted, now, '裁定');
  if (document.length === 0) throw new ValidationError('enforcement.ruling-document-required', '须上传裁定书', {});
  if (input.emergency && !input.enforce) throw new ValidationError('enforcement.emergency-without-enforcement', '不准予执行的裁定不能立即执行', {});
  const ruling = { ...input, at: input.at.toISOString(), by: actor, document };
  return withCourt(chain, { ...court, ruling }, now);
}
