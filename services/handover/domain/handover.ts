import type { AgencyId } from '../../../shared/agencies.ts';
import { beijingDate, formatBeijing } from '../../../shared/calendar/index.ts';
import type { HouseholdPaymentStatus, HouseholdStep } from '../../../shared/cases/household-money.ts';
import { isPaidInFull } from '../../../shared/cases/household-money.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { formatYuan } from '../../../shared/money.ts';

/**
 * What happens to a household's land after the compensation is paid (seed §五(一)4, §三(一)(三)(十)):
 * the township and the land bureau's branch record the vacating and handover (腾地、交地) jointly,
 * urban management the clearing (清表交地), the land bureau the cancellation of the property
 * certificates. A household that refuses to vacate after full payment (拒不腾地) becomes eligible
 * for the enforcement chain (§五(一)5). One record per household, replaced as it moves (decision 0021).
 */

export const SEED = '永州市征地拆迁联动机制实施方案';
/** "Compensate first, then move": the land is handed over only after payment. */
export const COMPENSATE_FIRST = '《民法典》第二百四十三条（先补偿、后搬迁）';

/** The two agencies that sign the handover off: either records it, the other confirms. */
export const HANDOVER_PARTIES = ['township', 'land-bureau'] as const satisfies readonly AgencyId[];
export type HandoverParty = (typeof HANDOVER_PARTIES)[number];
const PARTY_ZH: Record<HandoverParty, string> = { township: '乡镇人民政府（街道办事处）', 'land-bureau': '国土资源局（分局）' };

export interface SignOff {
  by: Identity;
  at: string;
  note?: string;
}

export interface HandoverRecord {
  /** The stated instant the household vacated and handed over the land (UTC ISO). */
  handedOverAt: string;
  place: string;
  /** Parcel numbers (地块编号) handed over. */
  parcels: string[];
  photos: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
  note?: string;
  /** The other party's sign-off: from then on the handover is complete. */
  confirmation?: SignOff;
}

export interface ClearingRecord {
  clearedAt: string;
  photos: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
  note?: string;
}

/** 拒不腾地: the household refuses to vacate although paid in full; each mobilisation is recorded. */
export interface RefusalRecord {
  refusedAt: string;
  /** How many times the household was visited and persuaded (动员次数) so far. */
  persuasionCount: number;
  /** What was done, in words (走访、宣讲政策、召开座谈会 …). */
  measures: string;
  evidence: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

export const CERTIFICATE_KINDS = {
  'collective-land-use': '集体土地使用证',
  'house-ownership': '房屋所有权证',
  'land-contract': '农村土地承包经营权证',
  'real-estate': '不动产权证书',
} as const;
export type CertificateKind = keyof typeof CERTIFICATE_KINDS;

export interface CertificateCancellation {
  certificates: Array<{ kind: CertificateKind; number: string }>;
  /** The compensation registrations the certificates were registered under (references, decision 0021). */
  registrationIds: string[];
  /** The cancellation date (Beijing, YYYY-MM-DD). */
  cancelledOn: string;
  /** The land bureau's cancellation reference (注销文号), when there is one. */
  reference?: string;
  recordedBy: Identity;
  recordedAt: string;
}

export interface HouseholdHandover {
  householdId: string;
  projectId: string;
  handover?: HandoverRecord;
  clearing?: ClearingRecord;
  refusals: RefusalRecord[];
  cancellations: CertificateCancellation[];
  updatedAt: string;
}

export type HandoverState = 'not-started' | 'awaiting-confirmation' | 'handed-over' | 'refused';

export function emptyHandover(householdId: string, projectId: string): HouseholdHandover {
  return { householdId, projectId, refusals: [], cancellations: [], updatedAt: '' };
}

export function handoverState(file: HouseholdHandover): HandoverState {
  if (file.handover?.confirmation) return 'handed-over';
  if (file.handover) return 'awaiting-confirmation';
  return file.refusals.length > 0 ? 'refused' : 'not-started';
}

export const isHandedOver = (file: HouseholdHandover): file is HouseholdHandover & { handover: HandoverRecord & { confirmation: SignOff } } =>
  file.handover?.confirmation !== undefined;

/**
 * Eligible for the enforcement chain while a refusal stands and neither party has recorded a
 * handover: once one of them records that the household vacated, no enforcement may start.
 */
export function enforcementEligibility(file: HouseholdHandover): { eligible: boolean; reason?: string } {
  const last = file.refusals.at(-1);
  if (!last || file.handover) return { eligible: false };
  return {
    eligible: true,
    reason: `补偿款已足额支付，被征收户拒不腾地（${formatBeijing(last.refusedAt)}登记，已动员 ${last.persuasionCount} 次）：可启动限期腾地程序（方案§五(一)5）`,
  };
}

function partyOf(actor: Identity): HandoverParty {
  const party = HANDOVER_PARTIES.find((p) => p === actor.agency);
  if (!party) throw new ForbiddenError('forbidden.agency', '腾地、交地由乡镇（街道）与国土资源分局共同登记');
  return party;
}

/** Compensate first, then move: nothing of the handover before the bank settled the last payee group. */
export function checkPaidInFull(status: HouseholdPaymentStatus | undefined, what: string): string {
  if (isPaidInFull(status)) return status.paidInFullAt;
  const paid = status ? `已付 ${formatYuan(status.paidFen)} 元，未付 ${formatYuan(status.outstandingFen)} 元` : '尚无支付记录';
  throw new RuleViolationError('handover.not-paid', `补偿款尚未足额支付（${paid}），不能${what}：${COMPENSATE_FIRST}`, {
    paidFen: status?.paidFen ?? 0,
    outstandingFen: status?.outstandingFen ?? null,
  });
}

/** A stated instant: not in the future, not before `earliest` (named in the message). */
function checkStated(at: Date, now: Date, what: string, earliest?: { at: string; zh: string }): void {
  if (at.getTime() > now.getTime()) throw new ValidationError('handover.in-future', `${what}不能晚于当前时间（北京时间${formatBeijing(now)}）`);
  if (earliest && at.getTime() < Date.parse(earliest.at)) {
    throw new RuleViolationError('handover.too-early', `${what}（北京时间${formatBeijing(at)}）早于${earliest.zh}（${formatBeijing(earliest.at)}）`);
  }
}

function requireEvidence(evidence: readonly EvidenceRecord[], code: string, what: string): void {
  if (evidence.length === 0) throw new ValidationError(code, `须附至少一份已核验的${what}`);
}

export interface HandoverInput {
  handedOverAt: Date;
  place: string;
  parcels: string[];
  photos: EvidenceRecord[];
  note?: string | undefined;
}

/** Whether the handover may be recorded, before its photos are verified (an unpaid household's are not even looked at). */
export function checkHandover(file: HouseholdHandover, input: Omit<HandoverInput, 'photos'>, status: HouseholdPaymentStatus | undefined, actor: Identity, now: Date): void {
  partyOf(actor);
  const paidInFullAt = checkPaidInFull(status, '腾地、交地');
  if (file.handover) throw new ConflictError('handover.already-recorded', `本户腾地、交地已由${PARTY_ZH[partyOf(file.handover.recordedBy)]}登记`);
  checkStated(input.handedOverAt, now, '腾地、交地时间', { at: paidInFullAt, zh: '补偿款足额到账时间' });
  if (new Set(input.parcels).size !== input.parcels.length) throw new ValidationError('handover.parcel-duplicate', '地块编号重复');
}

/** One party records the vacating and handover with photos; the other's confirmation completes it. */
export function recordHandover(file: HouseholdHandover, input: HandoverInput, status: HouseholdPaymentStatus | undefined, actor: Identity, now: Date): HouseholdHandover {
  checkHandover(file, input, status, actor, now);
  requireEvidence(input.photos, 'handover.photo-required', '腾地、交地现场影像');
  const handover: HandoverRecord = {
    handedOverAt: input.handedOverAt.toISOString(),
    place: input.place,
    parcels: input.parcels,
    photos: input.photos,
    recordedBy: actor,
    recordedAt: now.toISOString(),
    ...(input.note ? { note: input.note } : {}),
  };
  return { ...file, handover, updatedAt: now.toISOString() };
}

/** The second party signs the handover off; the first cannot confirm its own record. */
export function confirmHandover(file: HouseholdHandover, note: string | undefined, status: HouseholdPaymentStatus | undefined, actor: Identity, now: Date): HouseholdHandover {
  const party = partyOf(actor);
  if (!file.handover) throw new RuleViolationError('handover.not-recorded', '本户尚未登记腾地、交地，无可确认');
  if (file.handover.confirmation) throw new ConflictError('handover.already-confirmed', '本户腾地、交地已由双方确认');
  const recordedBy = partyOf(file.handover.recordedBy);
  if (party === recordedBy) throw new ForbiddenError('forbidden.same-party', `腾地、交地由${PARTY_ZH[recordedBy]}登记，须由${PARTY_ZH[party === 'township' ? 'land-bureau' : 'township']}确认`);
  // A supplementary agreement may have raised what is due since the record: still paid in full?
  checkPaidInFull(status, '确认腾地、交地');
  const confirmation: SignOff = { by: actor, at: now.toISOString(), ...(note ? { note } : {}) };
  return { ...file, handover: { ...file.handover, confirmation }, updatedAt: now.toISOString() };
}

export interface RefusalInput {
  refusedAt: Date;
  persuasionCount: number;
  measures: string;
  evidence: EvidenceRecord[];
}

/** 拒不腾地, recorded after full payment and before any handover; each further refusal is appended. */
export function recordRefusal(file: HouseholdHandover, input: RefusalInput, status: HouseholdPaymentStatus | undefined, actor: Identity, now: Date): HouseholdHandover {
  checkRefusal(file, input, status, actor, now);
  requireEvidence(input.evidence, 'handover.refusal-evidence-required', '动员、送达记录或现场影像');
  const refusal: RefusalRecord = { refusedAt: input.refusedAt.toISOString(), persuasionCount: input.persuasionCount, measures: input.measures, evidence: input.evidence, recordedBy: actor, recordedAt: now.toISOString() };
  return { ...file, refusals: [...file.refusals, refusal], updatedAt: now.toISOString() };
}

export function checkRefusal(file: HouseholdHandover, input: Omit<RefusalInput, 'evidence'>, status: HouseholdPaymentStatus | undefined, actor: Identity, now: Date): void {
  partyOf(actor);
  const paidInFullAt = checkPaidInFull(status, '认定拒不腾地');
  if (file.handover) throw new ConflictError('handover.already-handed-over', '本户已登记腾地、交地，不能再登记拒不腾地');
  if (!Number.isSafeInteger(input.persuasionCount) || input.persuasionCount < 1) throw new ValidationError('handover.persuasion-count', '动员次数须为正整数');
  const last = file.refusals.at(-1);
  if (last && input.persuasionCount < last.persuasionCount) {
    throw new ValidationError('handover.persuasion-count', `动员次数是累计数，不能少于上次登记的 ${last.persuasionCount} 次`);
  }
  checkStated(input.refusedAt, now, '拒不腾地登记时间', last ? { at: last.refusedAt, zh: '上次登记的拒不腾地时间' } : { at: paidInFullAt, zh: '补偿款足额到账时间' });
}

export interface ClearingInput {
  clearedAt: Date;
  photos: EvidenceRecord[];
  note?: string | undefined;
}

/** Urban management clears the land (清表交地, §三(十)) once both parties signed the handover off. */
export function checkClearing(file: HouseholdHandover, input: Omit<ClearingInput, 'photos'>, actor: Identity, now: Date): void {
  if (actor.agency !== 'urban-management') throw new ForbiddenError('forbidden.agency', '清表交地由城管执法局登记');
  if (!isHandedOver(file)) throw new RuleViolationError('handover.not-handed-over', '本户腾地、交地尚未经乡镇（街道）与国土资源分局双方确认，不能清表交地');
  if (file.clearing) throw new ConflictError('handover.clearing-recorded', '本户清表交地已登记');
  checkStated(input.clearedAt, now, '清表时间', { at: file.handover.handedOverAt, zh: '腾地、交地时间' });
}

export function recordClearing(file: HouseholdHandover, input: ClearingInput, actor: Identity, now: Date): HouseholdHandover {
  checkClearing(file, input, actor, now);
  requireEvidence(input.photos, 'handover.photo-required', '清表现场影像');
  const clearing: ClearingRecord = { clearedAt: input.clearedAt.toISOString(), photos: input.photos, recordedBy: actor, recordedAt: now.toISOString(), ...(input.note ? { note: input.note } : {}) };
  return { ...file, clearing, updatedAt: now.toISOString() };
}

export interface CancellationInput {
  certificates: Array<{ kind: CertificateKind; number: string }>;
  registrationIds: string[];
  cancelledOn: string;
  reference?: string | undefined;
}

/** The land bureau cancels the certificates of the expropriated land and houses (§三(一)), after the handover. */
export function recordCancellation(file: HouseholdHandover, input: CancellationInput, actor: Identity, now: Date): HouseholdHandover {
  if (actor.agency !== 'land-bureau') throw new ForbiddenError('forbidden.agency', '权属证书由国土资源局注销');
  if (!isHandedOver(file)) throw new RuleViolationError('handover.not-handed-over', '本户腾地、交地尚未经双方确认，不能注销权属证书');
  if (input.certificates.length === 0) throw new ValidationError('handover.certificate-required', '须列出至少一本注销的权属证书');
  const numbers = input.certificates.map((c) => `${c.kind}#${c.number}`);
  if (new Set(numbers).size !== numbers.length) throw new ValidationError('handover.certificate-duplicate', '同一证书重复列出');
  const cancelled = new Set(file.cancellations.flatMap((c) => c.certificates.map((x) => `${x.kind}#${x.number}`)));
  const again = input.certificates.find((c) => cancelled.has(`${c.kind}#${c.number}`));
  if (again) throw new ConflictError('handover.certificate-already-cancelled', `${CERTIFICATE_KINDS[again.kind]} ${again.number} 已注销`);
  if (new Set(input.registrationIds).size !== input.registrationIds.length) throw new ValidationError('handover.registration-duplicate', '补偿登记编号重复');
  const today = beijingDate(now);
  if (!isCalendarDate(input.cancelledOn)) throw new ValidationError('handover.date-invalid', `注销日期无效：${input.cancelledOn}`);
  if (input.cancelledOn > today) throw new ValidationError('handover.in-future', `注销日期（${input.cancelledOn}）晚于今天（北京时间${today}）`);
  const handedOverOn = beijingDate(file.handover.handedOverAt);
  if (input.cancelledOn < handedOverOn) throw new RuleViolationError('handover.too-early', `注销日期（${input.cancelledOn}）早于腾地、交地日期（${handedOverOn}）`);
  const cancellation: CertificateCancellation = {
    certificates: input.certificates,
    registrationIds: input.registrationIds,
    cancelledOn: input.cancelledOn,
    ...(input.reference ? { reference: input.reference } : {}),
    recordedBy: actor,
    recordedAt: now.toISOString(),
  };
  return { ...file, cancellations: [...file.cancellations, cancellation], updatedAt: now.toISOString() };
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

const actorOf = (by: Identity) => ({ agency: by.agency, user: by.user, jurisdiction: by.jurisdiction });

/**
 * The steps the household timeline shows (kernel HouseholdStep, keys `handover`, `clearing`,
 * `certificates`): what the file says now. Clearing and certificates open once the handover is complete.
 */
export function householdSteps(file: HouseholdHandover, now: Date): HouseholdStep[] {
  const base = { householdId: file.householdId, projectId: file.projectId, updatedAt: now.toISOString() };
  const steps: HouseholdStep[] = [];
  const { handover } = file;
  const handoverStep = { ...base, key: 'handover', step: '腾地、交地', responsibleAgency: 'land-bureau' as const, legalSource: `${SEED} §五(一)4、§三(一)(三)；${COMPENSATE_FIRST}` };
  if (handover?.confirmation) {
    steps.push({ ...handoverStep, status: 'done', doneAt: handover.handedOverAt, by: actorOf(handover.recordedBy), detail: `${handover.place}，地块 ${handover.parcels.join('、')}；${handover.confirmation.by.agency === 'township' ? '乡镇（街道）' : '国土资源分局'}已确认` });
  } else if (handover) {
    steps.push({ ...handoverStep, status: 'open', detail: `${formatBeijing(handover.handedOverAt)}已登记，待另一方确认` });
  } else if (file.refusals.length > 0) {
    steps.push({ ...handoverStep, status: 'refused', detail: enforcementEligibility(file).reason! });
  }
  if (handover?.confirmation) {
    const clearing = { ...base, key: 'clearing', step: '清表交地', responsibleAgency: 'urban-management' as const, legalSource: `${SEED} §三(十)` };
    steps.push(file.clearing ? { ...clearing, status: 'done', doneAt: file.clearing.clearedAt, by: actorOf(file.clearing.recordedBy) } : { ...clearing, status: 'open' });
    const certificates = { ...base, key: 'certificates', step: '注销权属证书', responsibleAgency: 'land-bureau' as const, legalSource: `${SEED} §三(一)` };
    const last = file.cancellations.at(-1);
    steps.push(
      last
        ? {
            ...certificates,
            status: 'done',
            doneAt: last.recordedAt,
            by: actorOf(last.recordedBy),
            detail: file.cancellations.map((c) => `${c.cancelledOn} 注销 ${c.certificates.map((x) => `${CERTIFICATE_KINDS[x.kind]} ${x.number}`).join('、')}`).join('；'),
          }
        : { ...certificates, status: 'open' },
    );
  }
  return steps;
}
