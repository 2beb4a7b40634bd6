import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import type { HouseholdPaymentStatus, HouseholdStep, PayableAgreement } from '../../../shared/cases/household-money.ts';
import { isPaidInFull } from '../../../shared/cases/household-money.ts';
import type {
  Change,
  HouseholdPaymentStatusRepository,
  HouseholdStepRepository,
  InboxRepository,
  PayableAgreementRepository,
  ProjectRepository,
  UnitOfWork,
  WatchRepository,
} from '../../../shared/cases/ports.ts';
import { cancelLiveWatches, ENFORCEMENT_PHASE_PREFIX } from '../../../shared/cases/cancel-watches.ts';
import type { Project } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import type { EvidenceStore, UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import type { Fen } from '../../../shared/money.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import {
  CERTIFICATE_KINDS,
  checkClearing,
  checkHandover,
  checkRefusal,
  confirmHandover,
  emptyHandover,
  enforcementEligibility,
  handoverState,
  householdSteps,
  recordCancellation,
  recordClearing,
  recordHandover,
  recordRefusal,
  type CertificateKind,
  type HandoverState,
  type HouseholdHandover,
} from '../domain/handover.ts';
import type { DistributionRepository, HandoverRepository, HandoverUploadRepository } from './ports.ts';
import { UPLOAD_PURPOSES } from '../domain/uploads.ts';
import { checkPurposeScope, openHandoverUpload, verifiedUploads, type UploadRequest } from './uploads.ts';

export interface HandoverDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  payableAgreements: PayableAgreementRepository;
  paymentStatus: HouseholdPaymentStatusRepository;
  householdSteps: HouseholdStepRepository;
  inbox: InboxRepository;
  /** The household's clocks: a voluntary handover cancels its enforcement chain's. */
  watches: WatchRepository;
  handovers: HandoverRepository;
  uploads: HandoverUploadRepository;
  distributions: DistributionRepository;
  evidence: EvidenceStore;
  newId: (nowMs: number) => string;
}

/** What this service knows of a household: only what the kernel publishes (decision 0007, 0021). */
export interface HouseholdCase {
  householdId: string;
  project: Project;
  /** The agreement in force (the latest signed one), as compensation published it. */
  agreement: PayableAgreement;
  /** The project's district and the household's township. */
  jurisdictions: string[];
}

/**
 * The household as the kernel shows it after signing. An agency without the duty is refused first;
 * a household with no signed agreement has nothing to hand over yet (404), whoever asks.
 */
export async function loadHouseholdCase(deps: Pick<HandoverDeps, 'projects' | 'payableAgreements'>, householdId: string, action: Action, ctx: ActionContext): Promise<HouseholdCase> {
  authorizeAgency(ctx.actor, action);
  const agreements = (await deps.payableAgreements.ofHousehold(householdId)).map((a) => withoutVersion(a));
  const agreement = agreements.filter((a) => a.status === 'signed').at(-1);
  if (!agreement) throw new NotFoundError('handover.no-agreement', `被征收户 ${householdId} 不存在或尚未签订征收土地协议：先签协议、足额补偿，后腾地`, { householdId });
  const project = await deps.projects.get(agreement.projectId);
  const group = project.villageGroups.find((g) => g.id === agreement.villageGroupId);
  const jurisdictions = [project.district, ...(group ? [group.township] : [])];
  authorize(ctx.actor, action, jurisdictions);
  return { householdId, project, agreement, jurisdictions };
}

/** The audit target of a household's handover act: chained under the household (decision 0012). */
const handoverTarget = (hc: HouseholdCase) => ({ type: 'handover', id: hc.householdId, projectId: hc.project.id, householdId: hc.householdId });

/** The file, its version, the payment status and the published steps' versions, read together. */
async function current(deps: HandoverDeps, hc: HouseholdCase) {
  const [stored, status, steps] = await Promise.all([deps.handovers.find(hc.householdId), deps.paymentStatus.find(hc.householdId), deps.householdSteps.ofHousehold(hc.householdId)]);
  const file = stored ? withoutVersion(stored) : emptyHandover(hc.householdId, hc.project.id);
  const stepVersions = new Map(steps.map((s) => [s.key, s.version]));
  // Paid in full means the agreement in force: a supplement signed since is unpaid until payments says so.
  const ofAgreementInForce = status?.agreementId === hc.agreement.agreementId ? withoutVersion(status) : undefined;
  return { file, version: stored?.version ?? ('absent' as const), status: ofAgreementInForce, stepVersions };
}

/** The file and the timeline steps it now implies, written in one transaction with the audit record. */
function fileChanges(deps: HandoverDeps, file: HouseholdHandover, version: number | 'absent', stepVersions: Map<string, number>, published: readonly string[], now: Date): Change[] {
  const steps = householdSteps(file, now).filter((s) => published.includes(s.key));
  return [deps.handovers.save(file, version), ...steps.map((s: HouseholdStep) => deps.householdSteps.save(s, stepVersions.get(s.key) ?? 'absent'))];
}

/** A presigned slot for a household's handover, refusal or clearing evidence; who may ask depends on the purpose. */
export async function requestHandoverUpload(deps: HandoverDeps, householdId: string, input: UploadRequest, ctx: ActionContext): Promise<UploadInstructions> {
  checkPurposeScope(input.purpose, 'household');
  const hc = await loadHouseholdCase(deps, householdId, UPLOAD_PURPOSES[input.purpose].action, ctx);
  return openHandoverUpload(deps, { owner: { householdId }, projectId: hc.project.id, target: handoverTarget(hc) }, input, ctx);
}

export interface HandoverRequest {
  handedOverAt: string;
  place: string;
  parcels: string[];
  uploadIds: string[];
  note?: string | undefined;
}

/**
 * The township or the land bureau's branch records the vacating and handover with photos, after
 * full payment (checked from the kernel's payment status, never from a workflow). The other party
 * is told to confirm.
 */
export async function recordHouseholdHandover(deps: HandoverDeps, householdId: string, input: HandoverRequest, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'handover.record', ctx);
  const { file, version, status, stepVersions } = await current(deps, hc);
  // The payment gate first: an unpaid household's photos are not even verified.
  checkHandover(file, { handedOverAt: new Date(input.handedOverAt), place: input.place, parcels: input.parcels }, status, ctx.actor, ctx.now);
  const photos = await verifiedUploads(deps, { householdId }, ['handover-photo'], input.uploadIds, `handover:${householdId}`, ctx);
  const next = recordHandover(file, { handedOverAt: new Date(input.handedOverAt), place: input.place, parcels: input.parcels, photos: photos.evidence, note: input.note }, status, ctx.actor, ctx.now);
  const other = ctx.actor.agency === 'township' ? 'land-bureau' : 'township';
  // Vacating of its own accord ends an enforcement chain's clocks (decision 0026). A workflow already
  // waiting on an overdue one ends at its weekly look at the record: this function releases none.
  const enforcement = await cancelLiveWatches(deps.watches, householdId, ENFORCEMENT_PHASE_PREFIX, ctx.now, '被征收户已自行腾地、交地，强制执行程序终结');
  await deps.uow.commit(
    [...fileChanges(deps, next, version, stepVersions, ['handover'], ctx.now), ...photos.changes, ...enforcement.changes, deps.inbox.add(handoverEvent(deps, hc, next, other, ctx.now))],
    [auditOf(ctx, 'handover.record', handoverTarget(hc), { handedOverAt: next.handover!.handedOverAt, parcels: input.parcels, photos: photos.evidence.map((e) => e.sha256) })],
  );
  return handoverView(hc, next, status, ctx.now);
}

/** The other party's sign-off completes the handover: the land bureau and urban management are told. */
export async function confirmHouseholdHandover(deps: HandoverDeps, householdId: string, input: { note?: string | undefined }, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'handover.record', ctx);
  const { file, version, status, stepVersions } = await current(deps, hc);
  const next = confirmHandover(file, input.note, status, ctx.actor, ctx.now);
  await deps.uow.commit(
    [
      ...fileChanges(deps, next, version, stepVersions, ['handover', 'clearing', 'certificates'], ctx.now),
      // Certificates are cancelled next (§三(一)) and the land cleared (§三(十)).
      deps.inbox.add(handoverEvent(deps, hc, next, 'land-bureau', ctx.now)),
      deps.inbox.add(handoverEvent(deps, hc, next, 'urban-management', ctx.now)),
    ],
    [auditOf(ctx, 'handover.confirm', handoverTarget(hc), { handedOverAt: next.handover!.handedOverAt, recordedBy: next.handover!.recordedBy.agency })],
  );
  return handoverView(hc, next, status, ctx.now);
}

export interface RefusalRequest {
  refusedAt: string;
  persuasionCount: number;
  measures: string;
  uploadIds: string[];
}

/**
 * 拒不腾地 after full payment: the household becomes eligible for the enforcement chain; the land
 * bureau (which starts it, §五(一)5) and the leading group office are told.
 */
export async function recordHandoverRefusal(deps: HandoverDeps, householdId: string, input: RefusalRequest, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'handover.refusal', ctx);
  const { file, version, status, stepVersions } = await current(deps, hc);
  const stated = { refusedAt: new Date(input.refusedAt), persuasionCount: input.persuasionCount, measures: input.measures };
  checkRefusal(file, stated, status, ctx.actor, ctx.now);
  const evidence = await verifiedUploads(deps, { householdId }, ['refusal-evidence'], input.uploadIds, `refusal:${householdId}#${file.refusals.length + 1}`, ctx);
  const next = recordRefusal(file, { ...stated, evidence: evidence.evidence }, status, ctx.actor, ctx.now);
  await deps.uow.commit(
    [
      ...fileChanges(deps, next, version, stepVersions, ['handover'], ctx.now),
      ...evidence.changes,
      deps.inbox.add(refusalEvent(deps, hc, next, 'land-bureau', ctx.now)),
      deps.inbox.add(refusalEvent(deps, hc, next, 'leading-group-office', ctx.now)),
    ],
    [auditOf(ctx, 'handover.refusal', handoverTarget(hc), { refusedAt: stated.refusedAt.toISOString(), persuasionCount: input.persuasionCount, evidence: evidence.evidence.map((e) => e.sha256) })],
  );
  return handoverView(hc, next, status, ctx.now);
}

/** Urban management records the clearing (清表交地) with photos, after the handover. */
export async function recordHouseholdClearing(deps: HandoverDeps, householdId: string, input: { clearedAt: string; uploadIds: string[]; note?: string | undefined }, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'handover.clearing', ctx);
  const { file, version, status, stepVersions } = await current(deps, hc);
  checkClearing(file, { clearedAt: new Date(input.clearedAt) }, ctx.actor, ctx.now);
  const photos = await verifiedUploads(deps, { householdId }, ['clearing-photo'], input.uploadIds, `clearing:${householdId}`, ctx);
  const next = recordClearing(file, { clearedAt: new Date(input.clearedAt), photos: photos.evidence, note: input.note }, ctx.actor, ctx.now);
  await deps.uow.commit(
    [...fileChanges(deps, next, version, stepVersions, ['clearing'], ctx.now), ...photos.changes],
    [auditOf(ctx, 'handover.clearing', handoverTarget(hc), { clearedAt: next.clearing!.clearedAt, photos: photos.evidence.map((e) => e.sha256) })],
  );
  return handoverView(hc, next, status, ctx.now);
}

export interface CancellationRequest {
  certificates: Array<{ kind: CertificateKind; number: string }>;
  registrationIds: string[];
  cancelledOn: string;
  reference?: string | undefined;
}

/** The land bureau records the certificates it cancelled (§三(一)), against the household and its registrations. */
export async function cancelCertificates(deps: HandoverDeps, householdId: string, input: CancellationRequest, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'certificate.cancel', ctx);
  const { file, version, status, stepVersions } = await current(deps, hc);
  const next = recordCancellation(file, input, ctx.actor, ctx.now);
  await deps.uow.commit(fileChanges(deps, next, version, stepVersions, ['certificates'], ctx.now), [
    auditOf(ctx, 'certificate.cancel', handoverTarget(hc), { certificates: input.certificates, registrationIds: input.registrationIds, cancelledOn: input.cancelledOn }),
  ]);
  return handoverView(hc, next, status, ctx.now);
}

/** The household's handover as one view: payment from the kernel, each act, and enforcement eligibility. */
export async function readHouseholdHandover(deps: HandoverDeps, householdId: string, ctx: ActionContext) {
  const hc = await loadHouseholdCase(deps, householdId, 'handover.read', ctx);
  const { file, status } = await current(deps, hc);
  await auditRead(deps.uow, ctx, 'handover.read', handoverTarget(hc), { state: handoverState(file) });
  return handoverView(hc, file, status, ctx.now);
}

export type HouseholdHandoverView = ReturnType<typeof handoverView>;

function handoverView(hc: HouseholdCase, file: HouseholdHandover, status: HouseholdPaymentStatus | undefined, now: Date) {
  const { eligible, reason } = enforcementEligibility(file);
  const state: HandoverState | 'awaiting-payment' = handoverState(file) === 'not-started' && !isPaidInFull(status) ? 'awaiting-payment' : handoverState(file);
  return {
    householdId: hc.householdId,
    projectId: hc.project.id,
    villageGroupId: hc.agreement.villageGroupId,
    householdNumber: hc.agreement.householdNumber,
    caseLabel: hc.agreement.caseLabel,
    payment: paymentView(hc.agreement, status),
    state,
    handover: file.handover,
    clearing: file.clearing,
    refusals: file.refusals,
    certificates: file.cancellations.map((c) => ({ ...c, certificates: c.certificates.map((x) => ({ ...x, name: CERTIFICATE_KINDS[x.kind] })) })),
    enforcementEligible: eligible,
    ...(reason ? { enforcementReason: reason } : {}),
    now: now.toISOString(),
    nowBeijing: formatBeijing(now),
  };
}

function paymentView(agreement: PayableAgreement, status: HouseholdPaymentStatus | undefined): { agreementNumber: string; dueFen: Fen; paidFen: Fen; outstandingFen: Fen; paidInFull: boolean; paidInFullAt?: string } {
  if (!status) return { agreementNumber: agreement.number, dueFen: agreement.totalFen, paidFen: 0, outstandingFen: agreement.totalFen, paidInFull: false };
  return {
    agreementNumber: status.agreementNumber,
    dueFen: status.dueFen,
    paidFen: status.paidFen,
    outstandingFen: status.outstandingFen,
    paidInFull: isPaidInFull(status),
    ...(status.paidInFullAt ? { paidInFullAt: status.paidInFullAt } : {}),
  };
}

function householdRef(hc: HouseholdCase) {
  return { householdId: hc.householdId, villageGroupId: hc.agreement.villageGroupId, householdNumber: hc.agreement.householdNumber };
}

/** `handover-recorded`: to the other party while it awaits confirmation; to the land bureau and urban management once complete. */
function handoverEvent(deps: HandoverDeps, hc: HouseholdCase, file: HouseholdHandover, addressee: 'township' | 'land-bureau' | 'urban-management', now: Date): InboxEvent {
  const handover = file.handover!;
  const complete = handover.confirmation !== undefined;
  const next = { township: '请乡镇（街道）核实并确认', 'land-bureau': complete ? '请办理权属证书注销（方案§三(一)）' : '请国土资源分局核实并确认', 'urban-management': '请组织清表交地（方案§三(十)）' }[addressee];
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: hc.project.id,
    addressee,
    kind: 'handover-recorded',
    at: now,
    title: `${complete ? '腾地、交地已确认' : '腾地、交地待确认'}：${hc.agreement.caseLabel}`,
    text: `${hc.project.name} ${hc.agreement.caseLabel}于北京时间${formatBeijing(handover.handedOverAt)}在${handover.place}腾地、交地（地块 ${handover.parcels.join('、')}，影像 ${handover.photos.length} 份）${complete ? '，乡镇（街道）与国土资源分局均已确认' : ''}。${next}。`,
    jurisdictions: hc.jurisdictions,
    data: {
      ...householdRef(hc),
      stage: complete ? 'complete' : 'awaiting-confirmation',
      handedOverAt: handover.handedOverAt,
      place: handover.place,
      parcels: handover.parcels,
      photoCount: handover.photos.length,
      recordedBy: handover.recordedBy.agency,
      ...(handover.confirmation ? { confirmedBy: handover.confirmation.by.agency, confirmedAt: handover.confirmation.at } : {}),
    },
  });
}

function refusalEvent(deps: HandoverDeps, hc: HouseholdCase, file: HouseholdHandover, addressee: 'land-bureau' | 'leading-group-office', now: Date): InboxEvent {
  const refusal = file.refusals.at(-1)!;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: hc.project.id,
    addressee,
    kind: 'handover-refused',
    at: now,
    title: `拒不腾地：${hc.agreement.caseLabel}`,
    text: `${hc.project.name} ${hc.agreement.caseLabel}补偿款已足额支付，截至北京时间${formatBeijing(refusal.refusedAt)}经动员 ${refusal.persuasionCount} 次仍拒不腾地（${refusal.measures}）。该户可进入限期腾地程序（方案§五(一)5）。`,
    jurisdictions: hc.jurisdictions,
    data: { ...householdRef(hc), refusedAt: refusal.refusedAt, persuasionCount: refusal.persuasionCount, refusalCount: file.refusals.length, enforcementEligible: true },
  });
}
