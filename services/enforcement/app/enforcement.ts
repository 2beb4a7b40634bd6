import { AGENCIES, covers, type AgencyId } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { Change, InboxRepository, Page, PageRequest, ReviewedDocumentRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { formatBeijing, MissingHolidayDataError, type HolidayCalendar, type RuleVariant } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { DOWNLOAD_URL_TTL_SECONDS, requestUploadSlot, useVerifiedUploads, type DocumentStore, type EvidenceRecord, type EvidenceStore, type UploadInstructions, type UploadRequest } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import type { CourtRef, EndReason, EnforcementChain, InstrumentTerms, PlanMeasure, RemedyKind, RemedyResult } from '../domain/chain.ts';
import { agencyClocks, responsibleFor } from '../domain/clocks.ts';
import { fileCourtReview, recordAcceptance, recordHearing, recordReviewDecision, recordRuling } from '../domain/court.ts';
import { demolitionAllowedFrom, planJointAction, recordExecution, recordForcedHandover } from '../domain/execution.ts';
import { composeInstrument } from '../domain/instrument-text.ts';
import { INSTRUMENTS, type ChainKind, type InstrumentKind, type ServiceMethod } from '../domain/instruments.ts';
import {
  checkIssue,
  decideRemedy,
  endChain,
  END_REASON_ZH,
  fileRemedy,
  findInstrument,
  issueInstrument,
  nextInstrument,
  nextStep,
  openChain,
  recordService,
  recordStatement,
  reviewStatement,
  type IssueInput,
} from '../domain/procedure.ts';
import { checkUploadUsable, enforcementUploadKey, UPLOAD_PURPOSES, type UploadPurpose } from '../domain/uploads.ts';
import { applyClockSync, syncClocks, watchKeyOf } from './clock-sync.ts';
import { householdFacts, settledOutside, type HouseholdFacts, type KernelReads } from './household-facts.ts';
import type { EnforcementRepository, EnforcementUploadRepository, InstrumentRenderer } from './ports.ts';

export interface EnforcementDeps extends KernelReads {
  uow: UnitOfWork;
  documents: ReviewedDocumentRepository;
  inbox: InboxRepository;
  watches: WatchRepository;
  scheduler: WatchScheduler;
  chains: EnforcementRepository;
  uploads: EnforcementUploadRepository;
  evidence: EvidenceStore;
  files: DocumentStore;
  renderer: InstrumentRenderer;
  calendar: () => Promise<HolidayCalendar>;
  /** The rule table the deployment follows (a chain keeps the one it opened under). */
  variant: RuleVariant;
  newId: (nowMs: number) => string;
}

/** Who may open which chain: the land bureau (or, under national law, the district government) the vacating chain; urban management the illegal-building one. */
const OPENERS: Record<ChainKind, readonly AgencyId[]> = {
  vacating: ['land-bureau', 'district-government'],
  'illegal-building': ['urban-management'],
};

const target = (chain: Pick<EnforcementChain, 'chainId' | 'projectId' | 'householdId'>) => ({ type: 'enforcement', id: chain.chainId, projectId: chain.projectId, householdId: chain.householdId });
const jurisdictionsOf = (chain: Pick<EnforcementChain, 'district' | 'township'>) => [chain.district, chain.township];

export interface OpenRequest {
  kind: ChainKind;
  /** Illegal building: the house's survey item and housing-construction's determination (文号). */
  itemId?: string | undefined;
  determination?: string | undefined;
}

/**
 * Opens the household's chain where the law lets it start (domain `openChain`), after checking
 * from the kernel that it may start at all: a household that never signed, once the plan is
 * published; a household paid in full that refuses to vacate ("compensate first, then move").
 */
export async function openEnforcement(deps: EnforcementDeps, householdId: string, input: OpenRequest, ctx: ActionContext) {
  authorizeAgency(ctx.actor, 'enforcement.open');
  if (!OPENERS[input.kind].includes(ctx.actor.agency)) {
    throw new ForbiddenError('forbidden.agency', `${input.kind === 'vacating' ? '限期腾地程序由国土资源局（或区人民政府）启动' : '违法建筑强制拆除由城管执法部门启动'}`);
  }
  const facts = await householdFacts(deps, householdId);
  authorize(ctx.actor, 'enforcement.open', [facts.project.district, facts.township]);
  const basis = await basisOf(deps, facts, input);
  const slotName = input.kind === 'vacating' ? 'vacating' : `illegal-building#${input.itemId}`;
  const slot = await deps.chains.slot(householdId, slotName);
  if (slot) {
    const previous = await deps.chains.find(slot.chainId);
    if (previous && previous.status !== 'ended') throw new ConflictError('enforcement.chain-open', `${facts.caseLabel}已有进行中的程序（${previous.chainId}）`, { chainId: previous.chainId });
  }
  const chainId = deps.newId(ctx.now.getTime());
  const seq = (slot?.seq ?? 0) + 1;
  const chain = openChain(
    { chainId, seq, kind: input.kind, projectId: facts.project.id, householdId, caseLabel: facts.caseLabel, district: facts.project.district, township: facts.township, basis, variant: deps.variant },
    ctx.actor,
    ctx.now,
  );
  await deps.uow.commit(
    [deps.chains.save(chain, 'absent'), deps.chains.takeSlot({ householdId, slot: slotName, chainId, seq }, slot?.version ?? 'absent')],
    [auditOf(ctx, 'enforcement.open', target(chain), { kind: chain.kind, basis: basis.kind, variant: chain.variant })],
  );
  return chainView(deps, chain, facts, ctx);
}

async function basisOf(deps: EnforcementDeps, facts: HouseholdFacts, input: OpenRequest): Promise<EnforcementChain['basis']> {
  if (input.kind === 'illegal-building') {
    if (!input.itemId || !input.determination) throw new RuleViolationError('enforcement.determination-required', '须写明违法建筑的调查项目编号和市住建局的认定文书文号（§三(九)）');
    return { kind: 'illegal-building', itemId: input.itemId, determination: input.determination, note: `经市住建局认定为违法建筑（${input.determination}），移交城管执法部门执行` };
  }
  if (facts.agreement) {
    const paid = facts.payment?.agreementId === facts.agreement.agreementId && facts.payment.paidInFullAt !== undefined;
    if (!paid || facts.handover?.status !== 'refused') {
      throw new RuleViolationError('enforcement.not-eligible', `${facts.caseLabel}已签订协议：须补偿款足额支付并登记拒不腾地后，方可启动限期腾地程序（先补偿、后搬迁）`, {});
    }
    return { kind: 'refused-after-payment', agreementId: facts.agreement.agreementId, agreementNumber: facts.agreement.number, refusedAt: facts.handover.updatedAt, note: facts.handover.detail ?? '补偿款已足额支付，被征收户拒不腾地' };
  }
  const plan = await deps.documents.find(facts.project.id, 'plan');
  if (plan?.status !== 'published') throw new RuleViolationError('enforcement.plan-not-published', '征地补偿安置实施方案尚未发布，补偿标准未定，不能启动限期腾地程序', {});
  return { kind: 'no-agreement', note: `被征收户在征地补偿安置实施方案发布后未签订征收土地协议（方案于${formatBeijing(plan.publishedAt ?? '')}发布）` };
}

/** The chain for an action: the agency's duty first, then the case's jurisdiction; a household that settled meanwhile ends it. */
async function load(deps: EnforcementDeps, chainId: string, action: Action, ctx: ActionContext) {
  authorizeAgency(ctx.actor, action);
  const { version, ...chain } = await deps.chains.get(chainId);
  // The courts act on the application wherever they sit; everyone else within the case's jurisdiction.
  authorize(ctx.actor, action, jurisdictionsOf(chain));
  const facts = await householdFacts(deps, chain.householdId);
  return { chain: chain as EnforcementChain, version, facts };
}

interface Step {
  next: EnforcementChain;
  audit: Record<string, unknown>;
  changes?: Change[];
  events?: InboxEvent[];
}

/**
 * One act on the chain: the record changes (the domain checked it), its clocks follow, and the
 * chain, the uploads it used, the watches and the inbox events commit in one transaction with the
 * audit record. The workflows hear of it after the commit.
 */
async function act(deps: EnforcementDeps, chainId: string, action: Action, ctx: ActionContext, step: (chain: EnforcementChain, calendar: HolidayCalendar) => Promise<Step>) {
  const { chain, version, facts } = await load(deps, chainId, action, ctx);
  const settled = settledOutside(chain, facts);
  if (settled && action !== 'enforcement.end') {
    throw new ConflictError('enforcement.settled', `${settled.note}，强制执行程序应予终结，不能继续办理`, { reason: settled.reason });
  }
  const calendar = await deps.calendar();
  const { next, audit, changes = [], events = [] } = await step(chain, calendar);
  const sync = await syncClocks(deps, next, ctx.actor, ctx.now, calendar, reasonOf(next));
  await deps.uow.commit(
    [deps.chains.save(next, version), ...changes, ...sync.changes, ...events.map((e) => deps.inbox.add(e))],
    [auditOf(ctx, action, target(next), { ...audit, clocksOpened: sync.opened.map((w) => w.ruleId), clocksCancelled: sync.cancelled.map((w) => w.ruleId) })],
  );
  await applyClockSync(deps.scheduler, next, sync, ctx.now);
  return chainView(deps, next, facts, ctx, calendar);
}

function reasonOf(chain: EnforcementChain): string {
  if (chain.status === 'ended') return `程序终结：${chain.ended ? END_REASON_ZH[chain.ended.reason] : ''}`;
  if (chain.status === 'suspended') return '行政复议或行政诉讼未决，程序中止';
  return `程序重新启动（第 ${chain.round} 轮）`;
}

async function uploads(deps: EnforcementDeps, chain: EnforcementChain, purposes: readonly UploadPurpose[], uploadIds: readonly string[], usedBy: string, ctx: ActionContext): Promise<{ evidence: EvidenceRecord[]; changes: Change[] }> {
  const slots = {
    find: (id: string) => deps.uploads.find(chain.chainId, id),
    check: (upload: Parameters<typeof checkUploadUsable>[0]) => checkUploadUsable(upload, { chainId: chain.chainId, purposes }, ctx.actor),
    use: (upload: Parameters<typeof checkUploadUsable>[0], by: string, version: number): Change => deps.uploads.save({ ...upload, usedBy: by }, version),
  };
  return useVerifiedUploads(deps.evidence, slots, uploadIds, usedBy, ctx.now);
}

/** A presigned slot for one file of the case; who may ask depends on what the file is for. */
export async function requestEnforcementUpload(deps: EnforcementDeps, chainId: string, input: UploadRequest<UploadPurpose>, ctx: ActionContext): Promise<UploadInstructions> {
  const rule = UPLOAD_PURPOSES[input.purpose];
  const { chain } = await load(deps, chainId, rule.action, ctx);
  return requestUploadSlot(deps, input, {
    rule,
    keyOf: (uploadId) => enforcementUploadKey(chain.projectId, chain.chainId, input.purpose, uploadId),
    save: (slot) => deps.uploads.save({ ...slot, chainId: chain.chainId, projectId: chain.projectId, purpose: input.purpose }, 'absent'),
    target: target(chain),
  }, ctx);
}

export interface IssueRequest {
  kind: InstrumentKind;
  number: string;
  terms: InstrumentTerms;
  court?: CourtRef | undefined;
}

/**
 * Issues the next instrument: checked against the record (order, service, waiting period,
 * suspension, issuer), rendered as a PDF stating the case, the legal basis and the household's
 * rights and periods, stored once (its SHA-256 recorded), and recorded on the chain.
 */
export async function issueEnforcementInstrument(deps: EnforcementDeps, chainId: string, input: IssueRequest, ctx: ActionContext) {
  let document: { key: string; sha256: string; size: number } | undefined;
  const view = await act(deps, chainId, 'enforcement.issue', ctx, async (chain, calendar) => {
    const instrumentId = deps.newId(ctx.now.getTime());
    const issue: IssueInput = { instrumentId, kind: input.kind, number: input.number, terms: input.terms, ...(input.court ? { court: input.court } : {}) };
    // Nothing is rendered or stored for a refused step.
    checkIssue(chain, issue, ctx.actor, ctx.now, calendar);
    const text = composeInstrument({ chain, instrument: issue, issuedAt: ctx.now.toISOString() });
    const pdf = await deps.renderer.instrumentPdf(text, ctx.now.toISOString());
    const key = `projects/${chain.projectId}/enforcement/${chain.chainId}/instruments/${instrumentId}.pdf`;
    const stored = await deps.files.put(key, pdf, 'application/pdf', `${INSTRUMENTS[input.kind].titleZh}-${input.number}.pdf`);
    document = { key: stored.key, sha256: stored.sha256, size: stored.size };
    const next = issueInstrument(chain, issue, document, ctx.actor, ctx.now, calendar);
    return { next, audit: { instrumentId, kind: input.kind, number: input.number, documentSha256: stored.sha256 } };
  });
  const url = await deps.files.presignDownload(document!.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now);
  return { ...view, document: { ...document!, url } };
}

/** A download link for an instrument's PDF, as issued and served. */
export async function instrumentDocument(deps: EnforcementDeps, chainId: string, instrumentId: string, ctx: ActionContext) {
  const { chain } = await load(deps, chainId, 'enforcement.read', ctx);
  const instrument = chain.instruments.find((i) => i.instrumentId === instrumentId);
  if (!instrument) throw new NotFoundError('enforcement.instrument-not-found', `本案没有该文书：${instrumentId}`, { instrumentId });
  await auditRead(deps.uow, ctx, 'enforcement.document-read', target(chain), { instrumentId });
  const url = await deps.files.presignDownload(instrument.document.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now);
  return { ...instrument.document, url, title: INSTRUMENTS[instrument.kind].titleZh, number: instrument.number };
}

export interface ServiceRequest {
  method: ServiceMethod;
  deliveredAt: string;
  servedBy: string;
  recipient?: string | undefined;
  witnesses: string[];
  remediesStated?: boolean | undefined;
  uploadIds: string[];
  /** Filing the application: the ACL art. 55 materials, uploaded as `court-materials`. */
  materialUploadIds?: string[] | undefined;
}

/** The instrument reached the household (or the court): how, when, by whom, with proof. Periods start here. */
export async function serveEnforcementInstrument(deps: EnforcementDeps, chainId: string, instrumentId: string, input: ServiceRequest, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.serve', ctx, async (chain, calendar) => {
    const instrument = findInstrument(chain, instrumentId);
    const service = { method: input.method, deliveredAt: new Date(input.deliveredAt), servedBy: input.servedBy, witnesses: input.witnesses, ...(input.recipient ? { recipient: input.recipient } : {}), ...(input.remediesStated !== undefined ? { remediesStated: input.remediesStated } : {}) };
    const proof = await uploads(deps, chain, ['service-proof'], input.uploadIds, `service:${instrumentId}`, ctx);
    const materials = input.materialUploadIds?.length ? await uploads(deps, chain, ['court-materials'], input.materialUploadIds, `filing:${instrumentId}`, ctx) : { evidence: [], changes: [] };
    const next = recordService(chain, instrumentId, service, proof.evidence, ctx.actor, ctx.now, calendar, materials.evidence);
    const served = next.instruments.find((i) => i.instrumentId === instrumentId)!;
    const events = [servedEvent(deps, next, served.instrumentId, 'land-bureau', ctx.now), servedEvent(deps, next, served.instrumentId, 'leading-group-office', ctx.now)];
    if (instrument.kind === 'court-application') events.push(servedEvent(deps, next, served.instrumentId, instrument.court!.agency, ctx.now, [instrument.court!.jurisdiction]));
    return {
      next,
      changes: [...proof.changes, ...materials.changes],
      events,
      audit: { instrumentId, kind: instrument.kind, method: input.method, deliveredAt: served.service!.deliveredAt, effectiveAt: served.service!.effectiveAt, proof: proof.evidence.map((e) => e.sha256), ...(materials.evidence.length ? { materials: materials.evidence.map((e) => e.sha256) } : {}) },
    };
  });
}

export interface RemedyRequest {
  kind: RemedyKind;
  instrumentId: string;
  filedAt: string;
  body: string;
  caseNumber?: string | undefined;
}

/** A reconsideration or lawsuit against a decision: the chain is suspended (the legal affairs office coordinates, §三(十三)). */
export async function fileEnforcementRemedy(deps: EnforcementDeps, chainId: string, input: RemedyRequest, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.remedy', ctx, async (chain) => {
    const remedyId = deps.newId(ctx.now.getTime());
    const next = fileRemedy(chain, { remedyId, kind: input.kind, instrumentId: input.instrumentId, filedAt: new Date(input.filedAt), body: input.body, ...(input.caseNumber ? { caseNumber: input.caseNumber } : {}) }, ctx.actor, ctx.now);
    const events = (['land-bureau', 'legal-affairs-office', 'leading-group-office'] as const).map((to) => suspendedEvent(deps, next, remedyId, to, ctx.now));
    return { next, events, audit: { remedyId, kind: input.kind, instrumentId: input.instrumentId, filedAt: input.filedAt } };
  });
}

export interface OutcomeRequest {
  result: RemedyResult;
  decidedAt: string;
  servedAt: string;
  summary: string;
  uploadIds: string[];
}

export async function decideEnforcementRemedy(deps: EnforcementDeps, chainId: string, remedyId: string, input: OutcomeRequest, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.remedy', ctx, async (chain) => {
    const documents = input.uploadIds.length > 0 ? await uploads(deps, chain, ['remedy-document'], input.uploadIds, `remedy:${remedyId}`, ctx) : { evidence: [], changes: [] };
    const next = decideRemedy(chain, remedyId, { result: input.result, decidedAt: new Date(input.decidedAt), servedAt: new Date(input.servedAt), summary: input.summary }, documents.evidence, ctx.actor, ctx.now);
    const events = (['land-bureau', 'leading-group-office'] as const).map((to) => resumedEvent(deps, next, remedyId, to, ctx.now));
    return { next, changes: documents.changes, events, audit: { remedyId, result: input.result, decidedAt: input.decidedAt, servedAt: input.servedAt, round: next.round, status: next.status } };
  });
}

export async function recordEnforcementStatement(deps: EnforcementDeps, chainId: string, input: { receivedAt: string; summary: string; uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.statement', ctx, async (chain) => {
    const statementId = deps.newId(ctx.now.getTime());
    const files = input.uploadIds.length > 0 ? await uploads(deps, chain, ['statement'], input.uploadIds, `statement:${statementId}`, ctx) : { evidence: [], changes: [] };
    const next = recordStatement(chain, { statementId, receivedAt: new Date(input.receivedAt), summary: input.summary }, files.evidence, ctx.actor, ctx.now);
    return { next, changes: files.changes, audit: { statementId, receivedAt: input.receivedAt } };
  });
}

export async function reviewEnforcementStatement(deps: EnforcementDeps, chainId: string, statementId: string, input: { established: boolean; reasoning: string }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.statement', ctx, async (chain) => ({ next: reviewStatement(chain, statementId, input, ctx.actor, ctx.now), audit: { statementId, established: input.established } }));
}

export async function recordCourtAcceptance(deps: EnforcementDeps, chainId: string, input: { accepted: boolean; at: string; servedAt?: string | undefined; caseNumber?: string | undefined; reasons?: string | undefined }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.court', ctx, async (chain) => {
    const stated = { accepted: input.accepted, at: new Date(input.at), ...(input.servedAt ? { servedAt: new Date(input.servedAt) } : {}), ...(input.caseNumber ? { caseNumber: input.caseNumber } : {}), ...(input.reasons ? { reasons: input.reasons } : {}) };
    const next = recordAcceptance(chain, stated, ctx.actor, ctx.now);
    return { next, events: [courtEvent(deps, next, input.accepted ? '受理' : '不予受理', ctx.now)], audit: { accepted: input.accepted, at: input.at, caseNumber: input.caseNumber } };
  });
}

export async function fileEnforcementCourtReview(deps: EnforcementDeps, chainId: string, input: { filedAt: string }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.court-review', ctx, async (chain, calendar) => ({ next: fileCourtReview(chain, { filedAt: new Date(input.filedAt) }, ctx.actor, ctx.now, calendar), audit: { filedAt: input.filedAt } }));
}

export async function recordCourtReviewDecision(deps: EnforcementDeps, chainId: string, input: { accepted: boolean; at: string; reasons?: string | undefined }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.court', ctx, async (chain) => {
    const next = recordReviewDecision(chain, { accepted: input.accepted, at: new Date(input.at), ...(input.reasons ? { reasons: input.reasons } : {}) }, ctx.actor, ctx.now);
    return { next, events: [courtEvent(deps, next, input.accepted ? '复议裁定受理' : '复议裁定不予受理', ctx.now)], audit: { accepted: input.accepted, at: input.at } };
  });
}

export async function recordCourtHearing(deps: EnforcementDeps, chainId: string, input: { decidedAt: string; reasons: string }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.court', ctx, async (chain) => ({ next: recordHearing(chain, { decidedAt: new Date(input.decidedAt), reasons: input.reasons }, ctx.actor, ctx.now), audit: { decidedAt: input.decidedAt } }));
}

export async function recordCourtRuling(deps: EnforcementDeps, chainId: string, input: { enforce: boolean; emergency: boolean; at: string; caseNumber: string; reasons: string; uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.court', ctx, async (chain) => {
    const document = await uploads(deps, chain, ['court-ruling'], input.uploadIds, `ruling:${chain.chainId}`, ctx);
    const next = recordRuling(chain, { enforce: input.enforce, emergency: input.emergency, at: new Date(input.at), caseNumber: input.caseNumber, reasons: input.reasons }, document.evidence, ctx.actor, ctx.now);
    const events = (['land-bureau', 'leading-group-office'] as const).map((to) => rulingEvent(deps, next, to, ctx.now));
    return { next, changes: document.changes, events, audit: { enforce: input.enforce, emergency: input.emergency, at: input.at, caseNumber: input.caseNumber, document: document.evidence.map((e) => e.sha256) } };
  });
}

export interface PlanRequest {
  plannedFor: string;
  participants: Array<{ agency: AgencyId; jurisdiction: string; role: string }>;
  measures: PlanMeasure[];
  emergency?: { reason: string } | undefined;
}

/** The leading group office's joint action plan (§四(二)); every participant hears of it. */
export async function planEnforcementJointAction(deps: EnforcementDeps, chainId: string, input: PlanRequest, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.plan', ctx, async (chain, calendar) => {
    const next = planJointAction(chain, { plannedFor: new Date(input.plannedFor), participants: input.participants, measures: input.measures, ...(input.emergency ? { emergency: input.emergency } : {}) }, ctx.actor, ctx.now, calendar);
    const events = [...new Map(input.participants.map((p) => [`${p.agency}@${p.jurisdiction}`, p])).values()].map((p) => planEvent(deps, next, p, ctx.now));
    return { next, events, audit: { plannedFor: input.plannedFor, participants: input.participants.map((p) => p.agency), measures: input.measures, emergency: input.emergency?.reason } };
  });
}

export async function recordEnforcementExecution(deps: EnforcementDeps, chainId: string, input: { startedAt: string; endedAt: string; summary: string; uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.execute', ctx, async (chain, calendar) => {
    const video = await uploads(deps, chain, ['execution-video'], input.uploadIds, `execution:${chain.chainId}`, ctx);
    const next = recordExecution(chain, { startedAt: new Date(input.startedAt), endedAt: new Date(input.endedAt), summary: input.summary }, video.evidence, ctx.actor, ctx.now, calendar);
    const events = (['land-bureau', 'leading-group-office'] as const).map((to) => executedEvent(deps, next, to, ctx.now));
    return { next, changes: video.changes, events, audit: { startedAt: input.startedAt, endedAt: input.endedAt, evidence: video.evidence.map((e) => e.sha256) } };
  });
}

export async function recordEnforcementHandover(deps: EnforcementDeps, chainId: string, input: { at: string; uploadIds: string[] }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.handover', ctx, async (chain) => {
    const photos = await uploads(deps, chain, ['handover-photo'], input.uploadIds, `handover:${chain.chainId}`, ctx);
    const next = recordForcedHandover(chain, { at: new Date(input.at) }, photos.evidence, ctx.actor, ctx.now);
    return { next, changes: photos.changes, audit: { at: input.at, evidence: photos.evidence.map((e) => e.sha256) } };
  });
}

/**
 * Ends the chain: for a household that signed or vacated (read from the kernel, not from the
 * request), an established statement, or a court's final refusal. Its clocks are cancelled.
 */
export async function endEnforcement(deps: EnforcementDeps, chainId: string, input: { reason: Extract<EndReason, 'agreement-signed' | 'vacated' | 'statement-established' | 'court-refused'>; note: string }, ctx: ActionContext) {
  return act(deps, chainId, 'enforcement.end', ctx, async (chain) => {
    const facts = await householdFacts(deps, chain.householdId);
    if (input.reason === 'agreement-signed' || input.reason === 'vacated') {
      const settled = settledOutside(chain, facts);
      if (settled?.reason !== input.reason) throw new RuleViolationError('enforcement.not-settled', `系统中没有该户${input.reason === 'agreement-signed' ? '在程序启动后签订协议' : '自行腾地、交地'}的记录`, {});
      return { next: endChain(chain, input.reason, `${settled.note}。${input.note}`, ctx.actor, ctx.now), audit: { reason: input.reason } };
    }
    return { next: endChain(chain, input.reason, input.note, ctx.actor, ctx.now), audit: { reason: input.reason } };
  });
}

export async function readEnforcement(deps: EnforcementDeps, chainId: string, ctx: ActionContext) {
  const { chain, facts } = await load(deps, chainId, 'enforcement.read', ctx);
  await auditRead(deps.uow, ctx, 'enforcement.read', target(chain), { status: chain.status });
  return chainView(deps, chain, facts, ctx);
}

export async function listProjectEnforcement(deps: EnforcementDeps, projectId: string, page: PageRequest, ctx: ActionContext): Promise<Page<ReturnType<typeof summaryOf>>> {
  authorizeAgency(ctx.actor, 'enforcement.read');
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'enforcement.read', [project.district, ...project.villageGroups.map((g) => g.township)]);
  const found = await deps.chains.ofProject(projectId, page);
  // Each chain is shown only within its own jurisdiction (a township sees its households).
  const items = found.items.filter((c) => jurisdictionsOf(c).some((j) => covers(ctx.actor.jurisdiction, j))).map(summaryOf);
  await auditRead(deps.uow, ctx, 'enforcement.list', { type: 'project', id: projectId, projectId }, { count: items.length });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

const summaryOf = (chain: EnforcementChain) => ({
  chainId: chain.chainId,
  kind: chain.kind,
  householdId: chain.householdId,
  caseLabel: chain.caseLabel,
  status: chain.status,
  round: chain.round,
  instruments: chain.instruments.length,
  openedAt: chain.openedAt,
  updatedAt: chain.updatedAt,
  ...(chain.ended ? { ended: chain.ended.reason } : {}),
});

/** The case as agencies see it: the record, what comes next and when, the clocks running, and whether it settled outside. */
async function chainView(deps: EnforcementDeps, chain: EnforcementChain, facts: HouseholdFacts, ctx: ActionContext, calendar?: HolidayCalendar) {
  const cal = calendar ?? (await deps.calendar());
  const watches = (await deps.watches.ofCase(chain.householdId)).filter((w) => w.ruleId.startsWith(watchKeyOf(chain, '')));
  const clocks = agencyClocks(chain, cal).map((c) => {
    const base = watchKeyOf(chain, c.key);
    const watch = watches.filter((w) => w.ruleId === base || w.ruleId.startsWith(`${base}/x`)).find((w) => w.status !== 'cancelled');
    return { key: c.key, ruleId: c.ruleId, triggeredAt: c.triggeredAt, ...(c.metAt ? { metAt: c.metAt } : {}), ...(watch ? { dueAt: watch.dueAt, status: watch.status, responsibleAgency: watch.responsibleAgency } : {}) };
  });
  const next = whenCountable(() => nextStep(chain, cal), () => ({ instrument: nextInstrument(chain), blockedBy: 'calendar.missing-holiday-data' }));
  const settled = settledOutside(chain, facts);
  const demolition = chain.kind === 'illegal-building' ? whenCountable(() => demolitionAllowedFrom(chain, cal), () => undefined) : undefined;
  return {
    ...chain,
    next: { ...next, ...(next.instrument ? { title: INSTRUMENTS[next.instrument].titleZh, issuer: AGENCIES[issuerOf(chain, next.instrument)].nameZh } : {}), ...(next.allowedFrom ? { allowedFromBeijing: formatBeijing(next.allowedFrom) } : {}) },
    clocks,
    ...(demolition ? { demolitionAllowedFrom: demolition } : {}),
    ...(settled ? { settledOutside: settled } : {}),
    now: ctx.now.toISOString(),
  };
}

const issuerOf = (chain: EnforcementChain, kind: InstrumentKind): AgencyId => responsibleFor(INSTRUMENTS[kind].issuerRule, chain);

/** A view shows what it can: an instant in a year without holiday data is not computed (never guessed), and says so. */
function whenCountable<T>(compute: () => T, otherwise: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof MissingHolidayDataError) return otherwise();
    throw error;
  }
}

// ---- inbox events (events/*.v1.ts) ----

const householdRefOf = (chain: EnforcementChain) => ({ householdId: chain.householdId, chainId: chain.chainId, caseLabel: chain.caseLabel });

function servedEvent(deps: EnforcementDeps, chain: EnforcementChain, instrumentId: string, addressee: AgencyId, now: Date, jurisdictions = jurisdictionsOf(chain)): InboxEvent {
  const instrument = chain.instruments.find((i) => i.instrumentId === instrumentId)!;
  const service = instrument.service!;
  const title = INSTRUMENTS[instrument.kind].titleZh;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee,
    kind: 'instrument-served',
    at: now,
    title: `${title}已送达：${chain.caseLabel}`,
    text: `${title}（${instrument.number}）已于${formatBeijing(service.deliveredAt)}送达，期间自${formatBeijing(service.effectiveAt)}起算。`,
    jurisdictions,
    data: { ...householdRefOf(chain), instrumentId, kind: instrument.kind, number: instrument.number, method: service.method, deliveredAt: service.deliveredAt, effectiveAt: service.effectiveAt, documentSha256: instrument.document.sha256 },
  });
}

function suspendedEvent(deps: EnforcementDeps, chain: EnforcementChain, remedyId: string, addressee: AgencyId, now: Date): InboxEvent {
  const remedy = chain.remedies.find((r) => r.remedyId === remedyId)!;
  const what = remedy.kind === 'reconsideration' ? '行政复议' : '行政诉讼';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee,
    kind: 'chain-suspended',
    at: now,
    title: `程序中止：${chain.caseLabel}`,
    text: `被征收户于${formatBeijing(remedy.filedAt)}向${remedy.body}提起${what}，限期腾地程序中止，待结果登记后继续。`,
    jurisdictions: jurisdictionsOf(chain),
    data: { ...householdRefOf(chain), remedyId, remedyKind: remedy.kind, instrumentId: remedy.instrumentId, filedAt: remedy.filedAt, body: remedy.body },
  });
}

function resumedEvent(deps: EnforcementDeps, chain: EnforcementChain, remedyId: string, addressee: AgencyId, now: Date): InboxEvent {
  const remedy = chain.remedies.find((r) => r.remedyId === remedyId)!;
  const outcome = remedy.outcome!;
  const how = chain.status === 'ended' ? '程序终结' : chain.status === 'suspended' ? '仍有未决的复议或诉讼，程序继续中止' : outcome.result === 'revoked-redo' ? `程序自第 ${chain.round} 轮重新开始` : '程序继续';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee,
    kind: 'chain-resumed',
    at: now,
    title: `${remedy.kind === 'reconsideration' ? '复议' : '诉讼'}结果已登记：${chain.caseLabel}`,
    text: `${remedy.body}于${formatBeijing(outcome.decidedAt)}作出结果（${outcome.summary}），${formatBeijing(outcome.servedAt)}送达；${how}。`,
    jurisdictions: jurisdictionsOf(chain),
    data: { ...householdRefOf(chain), remedyId, result: outcome.result, decidedAt: outcome.decidedAt, servedAt: outcome.servedAt, status: chain.status, round: chain.round },
  });
}

function courtEvent(deps: EnforcementDeps, chain: EnforcementChain, what: string, now: Date): InboxEvent {
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee: 'land-bureau',
    kind: 'court-ruling-recorded',
    at: now,
    title: `人民法院${what}：${chain.caseLabel}`,
    text: `${chain.court!.court.name}对强制执行申请${what}。`,
    jurisdictions: jurisdictionsOf(chain),
    data: { ...householdRefOf(chain), court: chain.court!.court.name, act: what, at: now.toISOString() },
  });
}

function rulingEvent(deps: EnforcementDeps, chain: EnforcementChain, addressee: AgencyId, now: Date): InboxEvent {
  const ruling = chain.court!.ruling!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee,
    kind: 'court-ruling-recorded',
    at: now,
    title: `人民法院${ruling.enforce ? '准予执行' : '不准予执行'}：${chain.caseLabel}`,
    text: `${chain.court!.court.name}于${formatBeijing(ruling.at)}作出${ruling.caseNumber}号裁定，${ruling.enforce ? `准予执行${ruling.emergency ? '（立即执行）' : ''}，请领导小组办公室组织联合行动` : '不准予执行'}。`,
    jurisdictions: jurisdictionsOf(chain),
    data: { ...householdRefOf(chain), court: chain.court!.court.name, act: ruling.enforce ? '准予执行' : '不准予执行', at: ruling.at, caseNumber: ruling.caseNumber, enforce: ruling.enforce, emergency: ruling.emergency },
  });
}

function planEvent(deps: EnforcementDeps, chain: EnforcementChain, participant: { agency: AgencyId; jurisdiction: string; role: string }, now: Date): InboxEvent {
  const plan = chain.jointAction!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee: participant.agency,
    kind: 'joint-action-planned',
    at: now,
    title: `联合行动：${chain.caseLabel}`,
    text: `领导小组定于${formatBeijing(plan.plannedFor)}对${chain.caseLabel}实施联合行动，本单位职责：${participant.role}。`,
    jurisdictions: [participant.jurisdiction],
    data: { ...householdRefOf(chain), plannedFor: plan.plannedFor, role: participant.role },
  });
}

function executedEvent(deps: EnforcementDeps, chain: EnforcementChain, addressee: AgencyId, now: Date): InboxEvent {
  const execution = chain.execution!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: chain.projectId,
    addressee,
    kind: 'enforcement-executed',
    at: now,
    title: `已强制执行：${chain.caseLabel}`,
    text: `${formatBeijing(execution.startedAt)}至${formatBeijing(execution.endedAt)}已实施强制执行（${execution.summary}），请登记交地。`,
    jurisdictions: jurisdictionsOf(chain),
    data: { ...householdRefOf(chain), startedAt: execution.startedAt, endedAt: execution.endedAt, evidence: execution.evidence.map((e) => e.sha256) },
  });
}
