import { ConflictError, RuleViolationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Household } from './household.ts';

/**
 * The list of a village group's farmers converted to urban residents (农转非安置人员名单, seed
 * §三(三)(七)(十二)): public security verifies each member's hukou as of the notice date, civil
 * affairs reviews military members, the township co-reviews the list and the district government
 * approves it. Only an approved list's persons are resettled (subsidy, social security).
 */
export interface ResettlementList {
  projectId: string;
  villageGroupId: string;
  stage: 'awaiting-co-review' | 'awaiting-approval' | 'approved';
  coReview?: { by: Identity; at: string; note?: string };
  approval?: { by: Identity; at: string; persons: ResettledPerson[]; householdIds: string[] };
  /** How many times it was approved: a household added later needs the list approved again. */
  approvals: number;
}

export interface ResettledPerson {
  householdId: string;
  memberId: string;
  name: string;
  idNumberMasked: string;
}

export function emptyList(projectId: string, villageGroupId: string): ResettlementList {
  return { projectId, villageGroupId, stage: 'awaiting-co-review', approvals: 0 };
}

/** The township's co-review; an approved list is reopened by a new co-review (a household was added). */
export function coReviewList(list: ResettlementList, actor: Identity, now: Date, note?: string): ResettlementList {
  if (list.stage === 'awaiting-approval') throw new ConflictError('resettlement-list.already-co-reviewed', '名单已会审，等待区人民政府审批');
  return { ...list, stage: 'awaiting-approval', coReview: { by: actor, at: now.toISOString(), ...(note ? { note } : {}) } };
}

/**
 * The district's approval, of every member of the group's households whose hukou check passed.
 * Refused while any member's check is outstanding: nobody is approved on an unverified hukou.
 */
export function approveList(list: ResettlementList, households: readonly Household[], actor: Identity, now: Date): ResettlementList {
  if (list.stage !== 'awaiting-approval') throw new RuleViolationError('resettlement-list.not-co-reviewed', '安置人员名单须经乡镇（街道）会审后才能审批');
  const outstanding = households.flatMap((h) => h.checks.filter((c) => c.status === 'pending').map((c) => ({ household: h.householdNumber, memberId: c.memberId, kind: c.kind })));
  if (outstanding.length > 0) {
    throw new RuleViolationError('resettlement-list.checks-outstanding', `尚有 ${outstanding.length} 项户籍或军人情况核查未完成，不能审批安置人员名单`, { outstanding: outstanding.slice(0, 50) });
  }
  const unchecked = households.filter((h) => h.members.some((m) => !h.checks.some((c) => c.kind === 'hukou' && c.memberId === m.memberId)));
  if (unchecked.length > 0) {
    throw new RuleViolationError('resettlement-list.survey-unconfirmed', `尚有 ${unchecked.length} 户的调查结果未经签字确认（成员户籍尚未核查），不能审批安置人员名单`, {
      households: unchecked.map((h) => h.householdNumber).slice(0, 50),
    });
  }
  const persons = households.flatMap((h) =>
    h.members
      .filter((m) => h.checks.some((c) => c.kind === 'hukou' && c.memberId === m.memberId && c.status === 'passed'))
      .map((m) => ({ householdId: h.householdId, memberId: m.memberId, name: m.name, idNumberMasked: m.idNumberMasked })),
  );
  return { ...list, stage: 'approved', approvals: list.approvals + 1, approval: { by: actor, at: now.toISOString(), persons, householdIds: households.map((h) => h.householdId) } };
}

/** The household's members on the approved list (none until it is approved). */
export function resettledMembersOf(list: ResettlementList | undefined, householdId: string): string[] {
  if (list?.stage !== 'approved' || !list.approval) return [];
  return list.approval.persons.filter((p) => p.householdId === householdId).map((p) => p.memberId);
}

/** Whether the household was reviewed in the list's approval (its agreement needs that). */
export function listCovers(list: ResettlementList | undefined, householdId: string): boolean {
  return list?.stage === 'approved' && (list.approval?.householdIds.includes(householdId) ?? false);
}
