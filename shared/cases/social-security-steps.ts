import type { HouseholdStep, PayableAgreement } from './household-money.ts';

/**
 * The social-security steps of a household's resettled persons as the kernel publishes them for the
 * household timeline (one HouseholdStep per person, key `social-security:<memberId>`). Kept in the
 * kernel so that payments can open them in the transaction that settles the household in full,
 * and the social-security service moves them on.
 */

/** Finance funds it, HR enrols (seed §三(八)(十一)); the law requires both (SIL art. 96, LAL art. 48). */
export const SOCIAL_SECURITY_SOURCE = '方案§三(八)(十一)；《社会保险法》第九十六条；《土地管理法》第四十八条';

export const socialSecurityStepKey = (memberId: string) => `social-security:${memberId}`;
export const socialSecurityStepName = (name: string) => `社会保障：${name}`;

type Person = PayableAgreement['persons'][number];

/** A person whose subsidy finance has yet to transfer: open, with finance. */
export function awaitingTransferStep(agreement: Pick<PayableAgreement, 'householdId' | 'projectId'>, person: Person, now: Date): HouseholdStep {
  return {
    householdId: agreement.householdId,
    projectId: agreement.projectId,
    key: socialSecurityStepKey(person.memberId),
    step: socialSecurityStepName(person.name),
    status: 'open',
    responsibleAgency: 'finance',
    legalSource: SOCIAL_SECURITY_SOURCE,
    detail: '待市财政局划转被征地农民社会保障补贴资金',
    updatedAt: now.toISOString(),
  };
}

/**
 * The open steps of the agreement's persons that the household has not published yet. Payments
 * saves them (expected 'absent') in the transaction that marks the household paid in full; the
 * social-security view publishes any still missing on its first read after that.
 */
export function missingSocialSecuritySteps(agreement: Pick<PayableAgreement, 'householdId' | 'projectId' | 'persons'>, published: ReadonlyArray<Pick<HouseholdStep, 'key'>>, now: Date): HouseholdStep[] {
  const keys = new Set(published.map((s) => s.key));
  return agreement.persons.filter((p) => !keys.has(socialSecurityStepKey(p.memberId))).map((p) => awaitingTransferStep(agreement, p, now));
}
