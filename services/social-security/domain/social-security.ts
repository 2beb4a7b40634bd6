import { beijingDate, formatBeijing, parseDay } from '../../../shared/calendar/index.ts';
import { isPaidInFull, type HouseholdPaymentStatus, type HouseholdStep, type PayableAgreement } from '../../../shared/cases/household-money.ts';
import { awaitingTransferStep, SOCIAL_SECURITY_SOURCE, socialSecurityStepKey, socialSecurityStepName } from '../../../shared/cases/social-security-steps.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';

/**
 * Social security of a resettled (农转城) person, after the household is paid in full: finance
 * transfers the person's subsidy into the social-security fund (被征地农民社会保障补贴资金划转,
 * seed §三(八)), then HR-social-security enrols the person in basic pension and basic medical
 * insurance (参保登记, §三(十一)). Both happen once per person, in that order.
 */

export const PENSION_SCHEMES = ['urban-employee', 'urban-rural-resident'] as const;
export const MEDICAL_SCHEMES = ['employee', 'urban-rural-resident'] as const;
export type PensionScheme = (typeof PENSION_SCHEMES)[number];
export type MedicalScheme = (typeof MEDICAL_SCHEMES)[number];

export const PENSION_NAME: Record<PensionScheme, string> = {
  'urban-employee': '城镇职工基本养老保险',
  'urban-rural-resident': '城乡居民基本养老保险',
};
export const MEDICAL_NAME: Record<MedicalScheme, string> = {
  employee: '职工基本医疗保险',
  'urban-rural-resident': '城乡居民基本医疗保险',
};

export interface SubsidyTransfer {
  amountFen: Fen;
  /** What the agreement's social-security line for the person says. */
  lineFen: Fen;
  /** Why more than the line was transferred (required then). */
  reason?: string;
  /** The bank's value date, Beijing. */
  transferDate: string;
  voucherNumber: string;
  by: Identity;
  at: string;
}

export interface Enrolment {
  pension: PensionScheme;
  medical: MedicalScheme;
  enrolmentDate: string;
  /** The social insurance number is the ID number (SIL art. 58): kept sealed, shown masked. */
  socialSecurityNumberMasked: string;
  by: Identity;
  at: string;
}

/** One person's record: created by the transfer, completed by the enrolment. */
export interface PersonSocialSecurity {
  householdId: string;
  projectId: string;
  agreementId: string;
  memberId: string;
  name: string;
  transfer: SubsidyTransfer;
  enrolment?: Enrolment;
}

export type PersonStatus = 'awaiting-payment' | 'awaiting-transfer' | 'awaiting-enrolment' | 'enrolled';

/** The agreement in force: the latest signed one (a supplement supersedes the one it amends). */
export function agreementInForce(agreements: readonly PayableAgreement[]): PayableAgreement | undefined {
  return agreements.filter((a) => a.status === 'signed').sort((a, b) => a.signedAt.localeCompare(b.signedAt)).at(-1);
}

/** What the agreement pays into the social-security fund for the person. */
export function subsidyLineFen(agreement: PayableAgreement, memberId: string): Fen {
  return agreement.lines.filter((l) => l.payee === 'social-security-fund' && l.itemId === memberId).reduce((sum, l) => sum + l.amountFen, 0);
}

/** An approved resettled person of the agreement, or a 404. */
export function personOf(agreement: PayableAgreement, memberId: string): { memberId: string; name: string } {
  const person = agreement.persons.find((p) => p.memberId === memberId);
  if (!person) throw new NotFoundError('social-security.person-not-found', `协议${agreement.number}的安置人员中没有该成员：${memberId}`);
  return person;
}

export interface TransferInput {
  amountFen: Fen;
  transferDate: string;
  voucherNumber: string;
  reason?: string | undefined;
}

/**
 * Finance records the person's subsidy transfer. Refused before the household is paid in full
 * (compensation first: the subsidy is the agreement's social-security line), a second time, for
 * less than the line (the person would be under-insured), for more without a reason, and with a
 * value date in the future or before the household was paid in full.
 */
export function recordTransfer(
  agreement: PayableAgreement,
  payment: HouseholdPaymentStatus | undefined,
  existing: PersonSocialSecurity | undefined,
  memberId: string,
  input: TransferInput,
  actor: Identity,
  now: Date,
): PersonSocialSecurity {
  const person = personOf(agreement, memberId);
  if (!isPaidInFull(payment) || payment.agreementId !== agreement.agreementId) {
    throw new RuleViolationError('social-security.not-paid', `本户协议${agreement.number}的补偿款尚未足额支付到位，不能划转${person.name}的社会保障补贴资金（先补偿后安置）`);
  }
  if (existing) {
    throw new ConflictError('social-security.transfer-recorded', `${person.name}的社会保障补贴资金已于${existing.transfer.transferDate}划转（凭证${existing.transfer.voucherNumber}），不能重复登记`);
  }
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) throw new ValidationError('social-security.amount-invalid', '划转金额须为大于零的整数（分）');
  const lineFen = subsidyLineFen(agreement, memberId);
  if (input.amountFen < lineFen) {
    throw new RuleViolationError('social-security.amount-short', `划转金额${formatYuan(input.amountFen)}元少于协议约定的${person.name}社会保障费用${formatYuan(lineFen)}元，不能登记`, { amountFen: input.amountFen, lineFen });
  }
  const reason = input.reason?.trim() || undefined;
  if (input.amountFen > lineFen && !reason) {
    throw new RuleViolationError('social-security.amount-differs', `划转金额${formatYuan(input.amountFen)}元多于协议约定的${formatYuan(lineFen)}元，须说明原因（reason）`, { amountFen: input.amountFen, lineFen });
  }
  const transferDate = pastDate(input.transferDate, '划转日期', now);
  const paidOn = beijingDate(payment.paidInFullAt);
  if (transferDate < paidOn) {
    throw new RuleViolationError('social-security.transfer-before-payment', `划转日期${transferDate}早于本户补偿款足额到位之日（${paidOn}）`);
  }
  const voucherNumber = input.voucherNumber.trim();
  if (!voucherNumber) throw new ValidationError('social-security.voucher-required', '须填写银行划转凭证号');
  return {
    householdId: agreement.householdId,
    projectId: agreement.projectId,
    agreementId: agreement.agreementId,
    memberId,
    name: person.name,
    transfer: { amountFen: input.amountFen, lineFen, ...(reason ? { reason } : {}), transferDate, voucherNumber, by: actor, at: now.toISOString() },
  };
}

export interface EnrolmentInput {
  pension: PensionScheme;
  medical: MedicalScheme;
  enrolmentDate: string;
}

/** Refusals that need no look at the number: checked before it is sealed. */
export function checkEnrolment(record: PersonSocialSecurity | undefined, person: { name: string }, input: EnrolmentInput, now: Date): PersonSocialSecurity {
  if (!record) throw new RuleViolationError('social-security.transfer-first', `${person.name}的社会保障补贴资金尚未由市财政局划转，不能办理参保登记`);
  if (record.enrolment) {
    throw new ConflictError('social-security.enrolled', `${record.name}已于${record.enrolment.enrolmentDate}参保登记（${PENSION_NAME[record.enrolment.pension]}、${MEDICAL_NAME[record.enrolment.medical]}），不能重复登记`);
  }
  const enrolmentDate = pastDate(input.enrolmentDate, '参保日期', now);
  if (enrolmentDate < record.transfer.transferDate) {
    throw new RuleViolationError('social-security.enrolment-before-transfer', `参保日期${enrolmentDate}早于补贴资金划转日期${record.transfer.transferDate}`);
  }
  return record;
}

/** HR-social-security records the enrolment (the number already sealed and checked to be the person's). */
export function recordEnrolment(record: PersonSocialSecurity | undefined, person: { name: string }, input: EnrolmentInput & { socialSecurityNumberMasked: string }, actor: Identity, now: Date): PersonSocialSecurity {
  const checked = checkEnrolment(record, person, input, now);
  return {
    ...checked,
    enrolment: { pension: input.pension, medical: input.medical, enrolmentDate: input.enrolmentDate, socialSecurityNumberMasked: input.socialSecurityNumberMasked, by: actor, at: now.toISOString() },
  };
}

export function personStatus(payment: HouseholdPaymentStatus | undefined, agreement: PayableAgreement, record: PersonSocialSecurity | undefined): PersonStatus {
  if (record?.enrolment) return 'enrolled';
  if (record) return 'awaiting-enrolment';
  return isPaidInFull(payment) && payment.agreementId === agreement.agreementId ? 'awaiting-transfer' : 'awaiting-payment';
}

/** The person's step on the household timeline, as the kernel publishes it. */
export function personStep(agreement: PayableAgreement, person: { memberId: string; name: string }, record: PersonSocialSecurity | undefined, now: Date): HouseholdStep {
  if (!record) return awaitingTransferStep(agreement, person, now);
  const base = {
    householdId: agreement.householdId,
    projectId: agreement.projectId,
    key: socialSecurityStepKey(person.memberId),
    step: socialSecurityStepName(person.name),
    responsibleAgency: 'hr-social-security' as const,
    legalSource: SOCIAL_SECURITY_SOURCE,
    updatedAt: now.toISOString(),
  };
  const transferred = `补贴已划转（${formatYuan(record.transfer.amountFen)}元，${record.transfer.transferDate}）`;
  const { enrolment } = record;
  if (!enrolment) return { ...base, status: 'open', detail: `${transferred}；待市人社局参保登记` };
  return {
    ...base,
    status: 'done',
    doneAt: enrolment.at,
    by: { agency: enrolment.by.agency, user: enrolment.by.user, jurisdiction: enrolment.by.jurisdiction },
    detail: `${transferred}；已参保养老、医疗（${PENSION_NAME[enrolment.pension]}、${MEDICAL_NAME[enrolment.medical]}，${enrolment.enrolmentDate}）`,
  };
}

/** A calendar date (YYYY-MM-DD) that is today or earlier in Beijing. */
function pastDate(text: string, what: string, now: Date): string {
  if (parseDay(text) === undefined) throw new ValidationError('social-security.date-invalid', `${what}“${text}”不是有效日期（YYYY-MM-DD）`);
  const today = beijingDate(now);
  if (text > today) throw new ValidationError('social-security.date-in-future', `${what}${text}晚于今天（北京时间${formatBeijing(now)}）`);
  return text;
}
