import { AGENCIES, CITY, type AgencyId } from '../../../shared/agencies.ts';
import { computeDeadline, formatBeijing, parsePeriod, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import {
  instrumentOf,
  pendingRemedies,
  roundInstruments,
  type CourtRef,
  type EndReason,
  type EnforcementChain,
  type Instrument,
  type InstrumentTerms,
  type RemedyKind,
  type RemedyResult,
  type ServiceRecord,
  type Statement,
} from './chain.ts';
import { applicationAllowedFrom, periodEnds, reminderAllowedFrom, remedyPeriodsEnd, responsibleFor } from './clocks.ts';
import { INSTRUMENTS, instrumentsOf, SERVICE_METHOD_ZH, type InstrumentKind, type ServiceMethod } from './instruments.ts';

/**
 * The chain's steps as pure functions of the record: each checks what the law requires before it
 * (order, service, waiting periods, suspension, who acts) and returns the next record, or throws
 * a 4xx error naming what is missing. Nothing here reads the workflow.
 */

const ENDED = (chain: EnforcementChain) =>
  new ConflictError('enforcement.chain-ended', `${chain.caseLabel}的强制执行程序已终结（${chain.ended ? END_REASON_ZH[chain.ended.reason] : ''}），不能继续办理`, { chainId: chain.chainId });

export const END_REASON_ZH: Record<EndReason, string> = {
  'agreement-signed': '被征收户已签订征收土地协议',
  vacated: '被征收户已自行腾地、交地',
  'decision-revoked': '决定已被撤销',
  'statement-established': '当事人陈述、申辩成立，已予采纳',
  'court-refused': '人民法院不予受理或不准予执行',
  executed: '已强制执行并交地',
};

/** What opening a chain is told: its identity, its household and why it starts (the rest it begins empty). */
export type OpenChainInput = Pick<EnforcementChain, 'chainId' | 'seq' | 'kind' | 'projectId' | 'householdId' | 'caseLabel' | 'district' | 'township' | 'basis' | 'variant'>;

/**
 * Opens the household's chain where the law lets it start: at the compensation notification for a
 * household that never signed; at the vacating-deadline notice for one that signed and was paid but
 * refuses to leave (its compensation is agreed — what remains is the order to hand over the land,
 * 2021 Regulations art. 62); at the demolition decision for an illegal building (ACL art. 44).
 */
export function openChain(input: OpenChainInput, actor: Identity, now: Date): EnforcementChain {
  const at = now.toISOString();
  const startsAt = startOf(input.basis);
  return {
    ...input,
    round: 1,
    rounds: [{ round: 1, startsAt, at, reason: input.basis.note }],
    instruments: [],
    remedies: [],
    statements: [],
    status: 'active',
    openedBy: actor,
    openedAt: at,
    updatedAt: at,
  };
}

function startOf(basis: EnforcementChain['basis']): InstrumentKind {
  if (basis.kind === 'illegal-building') return 'demolition-decision';
  return basis.kind === 'refused-after-payment' ? 'vacating-notice' : 'compensation-notification';
}

/** The instrument the round issues next, or undefined when all are issued. */
export function nextInstrument(chain: EnforcementChain): InstrumentKind | undefined {
  const sequence = instrumentsOf(chain.kind);
  const start = chain.rounds.find((r) => r.round === chain.round)!.startsAt;
  const issued = new Set(roundInstruments(chain).map((i) => i.kind));
  return sequence.slice(sequence.indexOf(start)).find((kind) => !issued.has(kind));
}

/** The instrument issued before `kind` in the round, if the round started before it. */
function previousOf(chain: EnforcementChain, kind: InstrumentKind): Instrument | undefined {
  const sequence = instrumentsOf(chain.kind);
  const before = sequence[sequence.indexOf(kind) - 1];
  return before ? instrumentOf(chain, before) : undefined;
}

function requireActive(chain: EnforcementChain): void {
  if (chain.status === 'ended') throw ENDED(chain);
}

function requireNotSuspended(chain: EnforcementChain, what: string): void {
  const pending = pendingRemedies(chain);
  if (pending.length === 0) return;
  const list = pending.map((r) => `${r.kind === 'reconsideration' ? '行政复议' : '行政诉讼'}（${r.body}，${formatBeijing(r.filedAt)}提出）`).join('、');
  throw new RuleViolationError('enforcement.suspended', `${chain.caseLabel}有未决的${list}，程序中止，不能${what}；待复议决定或裁判生效并登记结果后方可继续`, {
    chainId: chain.chainId,
    remedies: pending.map((r) => r.remedyId),
  });
}

/** When the step may first be taken, from the record (undefined: no waiting period applies). */
export function allowedFrom(chain: EnforcementChain, kind: InstrumentKind, calendar: HolidayCalendar): string | undefined {
  const prev = previousOf(chain, kind);
  const spec = prev ? INSTRUMENTS[prev.kind] : undefined;
  if (kind === 'performance-reminder') return reminderAllowedFrom(chain, calendar);
  if (kind === 'court-application') return applicationAllowedFrom(chain, calendar);
  if (prev?.service && spec?.waitingRule) return periodEnds(spec.waitingRule, prev.service.effectiveAt, chain, calendar);
  return undefined;
}

export interface IssueInput {
  instrumentId: string;
  kind: InstrumentKind;
  number: string;
  terms: InstrumentTerms;
  court?: CourtRef;
}

/**
 * Checks that the instrument may be issued now by this agency; the caller renders and stores it,
 * then records it with {@link issueInstrument}. Split so that nothing is rendered for a refusal.
 */
export function checkIssue(chain: EnforcementChain, input: IssueInput, actor: Identity, now: Date, calendar: HolidayCalendar): void {
  requireActive(chain);
  const spec = INSTRUMENTS[input.kind];
  const issuer = responsibleFor(spec.issuerRule, chain);
  if (actor.agency !== issuer) {
    throw new ForbiddenError('enforcement.not-issuer', `${spec.titleZh}由${AGENCIES[issuer].nameZh}作出（${chain.variant === 'national' ? '国家法律' : '实施方案'}）`, { kind: input.kind, issuer });
  }
  requireNotSuspended(chain, `作出${spec.titleZh}`);
  const next = nextInstrument(chain);
  if (next !== input.kind) {
    const expected = next ? `应作出的是${INSTRUMENTS[next].titleZh}` : '本轮文书均已作出';
    throw new RuleViolationError('enforcement.out-of-order', `${chain.caseLabel}：现在不能作出${spec.titleZh}，${expected}`, { kind: input.kind, next });
  }
  const prev = previousOf(chain, input.kind);
  if (prev && prev.round === chain.round && !prev.service) {
    throw new RuleViolationError('enforcement.previous-not-served', `${INSTRUMENTS[prev.kind].titleZh}（${prev.number}）尚未送达，期限未起算，不能作出${spec.titleZh}`, { previous: prev.instrumentId });
  }
  const from = allowedFrom(chain, input.kind, calendar);
  if (input.kind === 'performance-reminder' && !from) {
    throw new RuleViolationError('enforcement.remedy-periods-unknown', '限期腾地决定的复议、起诉期限尚不能确定，不能催告', {});
  }
  if (from && now.getTime() < Date.parse(from)) {
    throw new RuleViolationError('enforcement.waiting-period', `${spec.titleZh}须待${formatBeijing(from)}（北京时间）后方可作出：法定期间尚未届满`, { kind: input.kind, allowedFrom: from });
  }
  checkTerms(chain, input);
}

function checkTerms(chain: EnforcementChain, input: IssueInput): void {
  const { terms, kind } = input;
  const spec = INSTRUMENTS[kind];
  const needs = (ok: boolean, field: string, what: string) => {
    if (!ok) throw new ValidationError('enforcement.terms-missing', `${spec.titleZh}须载明${what}`, { field });
  };
  needs(terms.facts.trim().length > 0, 'facts', '事实和理由');
  if (kind === 'compensation-notification' || kind === 'compensation-decision') {
    needs(terms.compensationFen !== undefined, 'compensationFen', '补偿金额');
    needs((terms.compensationText ?? '').trim().length > 0, 'compensationText', '补偿标准和项目');
  }
  if (kind === 'vacating-decision' || kind === 'performance-reminder' || kind === 'demolition-decision' || kind === 'demolition-notice') {
    needs(terms.performWithin !== undefined, 'performWithin', '履行期限');
    parsePeriodOr400(terms.performWithin!);
  }
  if (kind === 'performance-reminder') needs((terms.manner ?? '').trim().length > 0, 'manner', '履行方式（行政强制法第三十五条）');
  if (kind === 'court-application') {
    needs(input.court !== undefined, 'court', '受理申请的人民法院');
    const court = input.court!;
    // The basic-level court where the land lies (ACL art. 54), or the intermediate court the seed names (§三(六)).
    const lies = court.agency === 'basic-court' ? court.jurisdiction === chain.district : court.jurisdiction === CITY.id;
    if (!lies) throw new RuleViolationError('enforcement.court-jurisdiction', '应当向不动产所在地有管辖权的人民法院申请（行政强制法第五十四条）', { court, district: chain.district });
    requireStatementsReviewed(chain);
  }
}

/** Every statement on the reminder reviewed, none established (ACL art. 36): checked at issue and again at filing. */
function requireStatementsReviewed(chain: EnforcementChain): void {
  const reminder = instrumentOf(chain, 'performance-reminder')?.instrumentId;
  const unreviewed = chain.statements.filter((s) => s.instrumentId === reminder && !s.review);
  if (unreviewed.length > 0) {
    throw new RuleViolationError('enforcement.statement-unreviewed', `当事人的陈述、申辩尚未复核（${unreviewed.length} 件），不能申请强制执行（行政强制法第三十六条）`, { statements: unreviewed.map((s) => s.statementId) });
  }
  if (chain.statements.some((s) => s.instrumentId === reminder && s.review?.established)) {
    throw new RuleViolationError('enforcement.statement-established', '当事人的陈述、申辩经复核成立，应当采纳，不能申请强制执行', {});
  }
}

/**
 * Acts that belong to the agency that decided: reviewing the household's views on its reminder,
 * asking the higher court about its application, ending its chain.
 */
export function requireDecidingAgency(chain: EnforcementChain, actor: Identity, what: string): void {
  const agency = decidingAgency(chain);
  if (actor.agency !== agency) throw new ForbiddenError('enforcement.not-deciding-agency', `${what}由作出决定的${AGENCIES[agency].nameZh}办理`, { agency });
}

function decidingAgency(chain: EnforcementChain): AgencyId {
  if (chain.kind === 'illegal-building') return responsibleFor('forced-demolition', chain);
  return responsibleFor('court-application', chain);
}

function parsePeriodOr400(text: string): void {
  try {
    parsePeriod(text);
  } catch {
    throw new ValidationError('enforcement.bad-period', `履行期限格式错误：${text}（例如 15d、10wd）`, { performWithin: text });
  }
}

/** Records the issued instrument with its stored document. */
export function issueInstrument(chain: EnforcementChain, input: IssueInput, document: Instrument['document'], actor: Identity, now: Date, calendar: HolidayCalendar): EnforcementChain {
  checkIssue(chain, input, actor, now, calendar);
  const instrument: Instrument = {
    instrumentId: input.instrumentId,
    kind: input.kind,
    round: chain.round,
    number: input.number,
    issuer: actor.agency,
    issuedBy: actor,
    issuedAt: now.toISOString(),
    terms: input.terms,
    document,
    ...(input.court ? { court: input.court } : {}),
  };
  return { ...chain, instruments: [...chain.instruments, instrument], updatedAt: now.toISOString() };
}

export interface ServiceInput {
  method: ServiceMethod;
  deliveredAt: Date;
  servedBy: string;
  recipient?: string;
  witnesses: string[];
  /** For a decision: whether the served copy stated the remedies. Required for decisions. */
  remediesStated?: boolean;
}

export function findInstrument(chain: EnforcementChain, instrumentId: string): Instrument {
  const instrument = chain.instruments.find((i) => i.instrumentId === instrumentId);
  if (!instrument) throw new RuleViolationError('enforcement.instrument-not-found', `本案没有该文书：${instrumentId}`, { instrumentId });
  return instrument;
}

export function checkService(chain: EnforcementChain, instrumentId: string, input: ServiceInput, now: Date): Instrument {
  requireActive(chain);
  const instrument = findInstrument(chain, instrumentId);
  const title = INSTRUMENTS[instrument.kind].titleZh;
  // Serving starts a period: not while a remedy suspends the chain.
  requireNotSuspended(chain, `送达${title}`);
  if (instrument.kind === 'court-application') requireStatementsReviewed(chain);
  if (instrument.round !== chain.round) throw new RuleViolationError('enforcement.superseded', `${title}（${instrument.number}）属已重新启动前的程序，不再送达`, { instrumentId });
  if (instrument.service) throw new ConflictError('enforcement.already-served', `${title}（${instrument.number}）已于${formatBeijing(instrument.service.deliveredAt)}送达，不能重复登记`, { instrumentId });
  if (input.deliveredAt.getTime() > now.getTime()) throw new ValidationError('enforcement.served-in-future', '送达时间不能晚于当前时间', {});
  if (input.deliveredAt.getTime() < Date.parse(instrument.issuedAt)) {
    throw new ValidationError('enforcement.served-before-issue', `送达时间不能早于文书作出时间（${formatBeijing(instrument.issuedAt)}）`, {});
  }
  if (INSTRUMENTS[instrument.kind].decision && input.remediesStated === undefined) {
    throw new ValidationError('enforcement.remedies-stated-required', `${title}是可申请复议、提起诉讼的决定，须登记送达的文书是否告知了复议、诉讼权利和期限`, {});
  }
  if (instrument.kind === 'court-application' && input.method !== 'in-person' && input.method !== 'post') {
    throw new ValidationError('enforcement.filing-method', '强制执行申请应当直接或邮寄提交人民法院', { method: input.method });
  }
  return instrument;
}

/**
 * The instrument reached the household (or the court). Periods run from the effective instant:
 * delivery, or for a public notice the end of its 30 days (民事诉讼法 art. 95). The application is
 * filed with the court by its service.
 */
export function recordService(
  chain: EnforcementChain,
  instrumentId: string,
  input: ServiceInput,
  proof: EvidenceRecord[],
  actor: Identity,
  now: Date,
  calendar: HolidayCalendar,
  materials: EvidenceRecord[] = [],
): EnforcementChain {
  const instrument = checkService(chain, instrumentId, input, now);
  if (proof.length === 0) throw new ValidationError('enforcement.service-proof-required', `须上传送达回证、现场照片或公告照片作为${SERVICE_METHOD_ZH[input.method]}的证据`, {});
  if (instrument.kind === 'court-application' && materials.length === 0) {
    throw new ValidationError('enforcement.materials-required', '申请强制执行须提供行政决定书及作出决定的事实、理由和依据，当事人的意见及催告情况，申请强制执行标的情况等材料（行政强制法第五十五条）', {});
  }
  const deliveredAt = input.deliveredAt.toISOString();
  const effectiveAt =
    input.method === 'public-notice' ? new Date(Date.parse(periodEnds('public-notice-service', deliveredAt, chain, calendar)) - 1).toISOString() : deliveredAt;
  const performWithin = instrument.terms.performWithin;
  const service: ServiceRecord = {
    method: input.method,
    deliveredAt,
    effectiveAt,
    servedBy: input.servedBy,
    ...(input.recipient ? { recipient: input.recipient } : {}),
    witnesses: input.witnesses,
    remediesStated: INSTRUMENTS[instrument.kind].decision ? input.remediesStated! : false,
    ...(performWithin ? { performBy: computeDeadline(performWithin, effectiveAt, calendar).lastDay } : {}),
    proof,
    recordedBy: actor,
    recordedAt: now.toISOString(),
  };
  const instruments = chain.instruments.map((i) => (i.instrumentId === instrumentId ? { ...i, service } : i));
  const court = instrument.kind === 'court-application' ? { court: instrument.court!, filedAt: deliveredAt, materials } : chain.court;
  return { ...chain, instruments, ...(court ? { court } : {}), updatedAt: now.toISOString() };
}

export interface RemedyInput {
  remedyId: string;
  kind: RemedyKind;
  instrumentId: string;
  filedAt: Date;
  body: string;
  caseNumber?: string;
}

/** A reconsideration or lawsuit against a served decision: the chain is suspended until it is decided. */
export function fileRemedy(chain: EnforcementChain, input: RemedyInput, actor: Identity, now: Date): EnforcementChain {
  requireActive(chain);
  const instrument = findInstrument(chain, input.instrumentId);
  const title = INSTRUMENTS[instrument.kind].titleZh;
  if (!INSTRUMENTS[instrument.kind].decision) {
    throw new RuleViolationError('enforcement.not-challengeable', `${title}不是可单独申请复议、提起诉讼的决定；复议、诉讼针对补偿决定、限期腾地（拆除）决定登记`, { instrumentId: input.instrumentId });
  }
  if (!instrument.service) throw new RuleViolationError('enforcement.not-served', `${title}尚未送达`, { instrumentId: input.instrumentId });
  if (input.filedAt.getTime() > now.getTime() || input.filedAt.getTime() < Date.parse(instrument.service.deliveredAt)) {
    throw new ValidationError('enforcement.remedy-filed-at', `提出时间应在文书送达（${formatBeijing(instrument.service.deliveredAt)}）之后、当前时间之前`, {});
  }
  if (chain.remedies.some((r) => r.instrumentId === input.instrumentId && r.kind === input.kind && !r.outcome)) {
    throw new ConflictError('enforcement.remedy-pending', `针对${title}的${input.kind === 'reconsideration' ? '行政复议' : '行政诉讼'}尚未审结，不能重复登记`, {});
  }
  const at = now.toISOString();
  const remedy = { ...input, filedAt: input.filedAt.toISOString(), recordedBy: actor, recordedAt: at };
  if (input.caseNumber === undefined) delete remedy.caseNumber;
  return { ...chain, remedies: [...chain.remedies, remedy], status: 'suspended', updatedAt: at };
}

export interface RemedyOutcomeInput {
  result: RemedyResult;
  decidedAt: Date;
  servedAt: Date;
  summary: string;
}

const REDO_FROM: Partial<Record<InstrumentKind, InstrumentKind>> = {
  'compensation-decision': 'compensation-notification',
  'vacating-decision': 'vacating-notice',
  'demolition-decision': 'demolition-decision',
};

/**
 * The remedy's outcome decides how the chain goes on: upheld, changed or withdrawn — it resumes
 * (the clocks run afresh from the outcome's service); revoked with an order to decide again — a
 * new round from the decision's notification; revoked outright — the chain ends.
 */
export function decideRemedy(chain: EnforcementChain, remedyId: string, input: RemedyOutcomeInput, document: EvidenceRecord[], actor: Identity, now: Date): EnforcementChain {
  requireActive(chain);
  const remedy = chain.remedies.find((r) => r.remedyId === remedyId);
  if (!remedy) throw new RuleViolationError('enforcement.remedy-not-found', `本案没有该复议、诉讼记录：${remedyId}`, { remedyId });
  if (remedy.outcome) throw new ConflictError('enforcement.remedy-decided', '该复议、诉讼的结果已登记', { remedyId });
  if (input.decidedAt.getTime() < Date.parse(remedy.filedAt) || input.servedAt < input.decidedAt || input.servedAt.getTime() > now.getTime()) {
    throw new ValidationError('enforcement.outcome-dates', '作出时间不能早于提出时间，送达时间不能早于作出时间，也不能晚于当前时间', {});
  }
  if (document.length === 0 && input.result !== 'withdrawn') {
    throw new ValidationError('enforcement.outcome-document-required', '须上传复议决定书或生效裁判文书', {});
  }
  const at = now.toISOString();
  const outcome = { result: input.result, decidedAt: input.decidedAt.toISOString(), servedAt: input.servedAt.toISOString(), summary: input.summary, document, recordedBy: actor, recordedAt: at };
  let next: EnforcementChain = { ...chain, remedies: chain.remedies.map((r) => (r.remedyId === remedyId ? { ...r, outcome } : r)), updatedAt: at };
  const decision = findInstrument(chain, remedy.instrumentId);
  if (input.result === 'revoked') {
    return { ...next, status: 'ended', ended: { reason: 'decision-revoked', at, by: actor, note: `${INSTRUMENTS[decision.kind].titleZh}（${decision.number}）被撤销：${input.summary}` } };
  }
  if (input.result === 'revoked-redo' && decision.round === chain.round) {
    const startsAt = REDO_FROM[decision.kind]!;
    const round = chain.round + 1;
    const { court, jointAction, ...rest } = next;
    // What the court and the joint action did belonged to the revoked round: kept with it, not carried on.
    const rounds = chain.rounds.map((r) => (r.round === chain.round ? { ...r, ...(court ? { court } : {}), ...(jointAction ? { jointAction } : {}) } : r));
    next = { ...rest, round, rounds: [...rounds, { round, startsAt, at, reason: `${INSTRUMENTS[decision.kind].titleZh}（${decision.number}）被撤销并责令重新作出：${input.summary}` }] };
  }
  return { ...next, status: pendingRemedies(next).length > 0 ? 'suspended' : 'active' };
}

/** The household's statement on the reminder (ACL art. 36), recorded as received. */
export function recordStatement(chain: EnforcementChain, input: { statementId: string; receivedAt: Date; summary: string }, evidence: EvidenceRecord[], actor: Identity, now: Date): EnforcementChain {
  requireActive(chain);
  requireDecidingAgency(chain, actor, '陈述、申辩');
  const reminder = instrumentOf(chain, 'performance-reminder');
  if (!reminder?.service) throw new RuleViolationError('enforcement.no-reminder', '催告书送达后方可登记当事人的陈述、申辩', {});
  if (instrumentOf(chain, 'court-application')?.service) throw new RuleViolationError('enforcement.statement-too-late', '已向人民法院提交强制执行申请，陈述、申辩应向人民法院提出', {});
  if (input.receivedAt.getTime() > now.getTime() || input.receivedAt.getTime() < Date.parse(reminder.service.deliveredAt)) {
    throw new ValidationError('enforcement.statement-received-at', '收到陈述、申辩的时间应在催告书送达之后、当前时间之前', {});
  }
  const statement: Statement = { statementId: input.statementId, instrumentId: reminder.instrumentId, receivedAt: input.receivedAt.toISOString(), summary: input.summary, evidence, recordedBy: actor, recordedAt: now.toISOString() };
  return { ...chain, statements: [...chain.statements, statement], updatedAt: now.toISOString() };
}

/** The agency reviews the statement's facts, reasons and evidence and records its conclusion (ACL art. 36). */
export function reviewStatement(chain: EnforcementChain, statementId: string, input: { established: boolean; reasoning: string }, actor: Identity, now: Date): EnforcementChain {
  requireActive(chain);
  requireDecidingAgency(chain, actor, '陈述、申辩的复核');
  const statement = chain.statements.find((s) => s.statementId === statementId);
  if (!statement) throw new RuleViolationError('enforcement.statement-not-found', `本案没有该陈述、申辩记录：${statementId}`, { statementId });
  if (statement.review) throw new ConflictError('enforcement.statement-reviewed', '该陈述、申辩已复核', { statementId });
  const review = { ...input, reviewedBy: actor, reviewedAt: now.toISOString() };
  return { ...chain, statements: chain.statements.map((s) => (s.statementId === statementId ? { ...s, review } : s)), updatedAt: now.toISOString() };
}

/**
 * Ends the chain for a reason the record shows. Execution ends it by the handover; a revocation by
 * its outcome; these are the ones an agency records.
 */
export function endChain(chain: EnforcementChain, reason: Extract<EndReason, 'agreement-signed' | 'vacated' | 'statement-established' | 'court-refused'>, note: string, actor: Identity, now: Date): EnforcementChain {
  requireActive(chain);
  requireDecidingAgency(chain, actor, '终结程序');
  if (reason === 'statement-established' && !chain.statements.some((s) => s.review?.established)) {
    throw new RuleViolationError('enforcement.no-established-statement', '没有经复核成立的陈述、申辩', {});
  }
  if (reason === 'court-refused' && !courtFinallyRefused(chain)) {
    throw new RuleViolationError('enforcement.court-not-refused', '人民法院未作出生效的不予受理或不准予执行裁定', {});
  }
  const at = now.toISOString();
  return { ...chain, status: 'ended', ended: { reason, at, by: actor, note }, updatedAt: at };
}

function courtFinallyRefused(chain: EnforcementChain): boolean {
  const court = chain.court;
  if (!court) return false;
  if (court.ruling && !court.ruling.enforce) return true;
  return court.acceptance?.accepted === false && court.review?.decided?.accepted === false;
}

/** For a view: when the next instrument is allowed, and what still holds it back. */
export function nextStep(chain: EnforcementChain, calendar: HolidayCalendar): { instrument?: InstrumentKind; allowedFrom?: string; blockedBy?: string } {
  if (chain.status === 'ended') return {};
  const instrument = nextInstrument(chain);
  if (!instrument) return {};
  if (chain.status === 'suspended') return { instrument, blockedBy: 'enforcement.suspended' };
  const prev = previousOf(chain, instrument);
  if (prev && !prev.service) return { instrument, blockedBy: 'enforcement.previous-not-served' };
  const from = allowedFrom(chain, instrument, calendar);
  return { instrument, ...(from ? { allowedFrom: from } : {}) };
}

export { remedyPeriodsEnd };
