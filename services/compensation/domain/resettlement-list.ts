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
  /** What the township reviewed: the households with a confirmed survey, and their members. */
  coReview?: { by: Identity; at: string; note?: string; householdIds: string[]; memberIds: string[] };
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

/**
 * The township's co-review of the households whose survey is confirmed (a household still being
 * surveyed, or disputed back to draft, waits for the next round). An approved list is reopened by
 * a new co-review when a household is added.
 */
export function coReviewList(list: ResettlementList, households: readonly Household[], actor: Identity, now: Date, note?: string): ResettlementList {
  if (list.stage === 'awaiting-approval') throw new ConflictError('resettlement-list.already-co-reviewed', '名单已会审，等待区人民政府审批');
  const reviewed = listed(households);
  if (reviewed.length === 0) throw new RuleViolationError('resettlement-list.nothing-to-review', '该村民小组尚无调查结果已确认的被征收户，无可会审的人员');
  return {
    ...list,
    stage: 'awaiting-approval',
    coReview: { by: actor, at: now.toISOString(), ...(note ? { note } : {}), householdIds: reviewed.map((h) => h.householdId), memberIds: reviewed.flatMap((h) => h.members.map((m) => m.memberId)) },
  };
}

/**
 * The district's approval of the persons the township co-reviewed whose hukou check passed.
 * Refused while any of their checks is outstanding (nobody is approved on an unverified hukou), and
 * when the households or members have changed since the co-review (the township reviews again).
 * Households not yet confirmed do not hold the others up: they join in a later round.
 */
export function approveList(list: ResettlementList, households: readonly Household[], actor: Identity, now: Date): ResettlementList {
  if (list.stage !== 'awaiting-approval' || !list.coReview) throw new RuleViolationError('resettlement-list.not-co-reviewed', '安置人员名单须经乡镇（街道）会审后才能审批');
  const included = listed(households);
  const outstanding = included.flatMap((h) => h.checks.filter((c) => c.status === 'pending').map((c) => ({ household: h.householdNumber, memberId: c.memberId, kind: c.kind })));
  if (outstanding.length > 0) {
    throw new RuleViolationError('resettlement-list.checks-outstanding', `尚有 ${outstanding.length} 项户籍或军人情况核查未完成，不能审批安置人员名单`, { outstanding: outstanding.slice(0, 50) });
  }
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  if (!same(included.map((h) => h.householdId), list.coReview.householdIds) || !same(included.flatMap((h) => h.members.map((m) => m.memberId)), list.coReview.memberIds)) {
    throw new RuleViolationError('resettlement-list.changed-since-co-review', '乡镇会审后被征收户或其成员已有变化，须重新会审后再审批');
  }
  const persons = included.flatMap((h) =>
    h.members
      .filter((m) => h.checks.some((c) => c.kind === 'hukou' && c.memberId === m.memberId && c.status === 'passed'))
      .map((m) => ({ householdId: h.householdId, memberId: m.memberId, name: m.name, idNumberMasked: m.idNumberMasked })),
  );
  return { ...list, stage: 'approved', approvals: list.approvals + 1, approval: { by: actor, at: now.toISOString(), persons, householdIds: included.map((h) => h.householdId) } };
}

/** The households a list covers: those whose survey the household has confirmed. */
function listed(households: readonly Household[]): Household[] {
  return households.filter((h) => h.survey?.status === 'confirmed');
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
