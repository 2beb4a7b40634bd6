import { AGENCIES, CITY, findJurisdiction, type AgencyId } from '../../../shared/agencies.ts';
import { beijingDate, formatBeijing, parseDay } from '../../../shared/calendar/index.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/**
 * A district's query on a compensation and resettlement policy it cannot apply with confidence
 * (seed §三(三)): the district government (冷水滩区人民政府 / 经开区管委会) writes to the city land
 * bureau with a proposal; the land bureau convenes a topic coordination meeting (专题协调会议) to
 * study it; the meeting's opinion goes to the city government for approval; once approved the
 * district applies it. A returned opinion goes back to the land bureau for another meeting.
 */
export const POLICY_QUERY_STATUSES = ['submitted', 'meeting-held', 'submitted-for-approval', 'approved', 'returned', 'in-force'] as const;
export type PolicyQueryStatus = (typeof POLICY_QUERY_STATUSES)[number];

export const POLICY_QUERY_STATUS_ZH: Record<PolicyQueryStatus, string> = {
  submitted: '已书面函告市国土资源局',
  'meeting-held': '已召开专题协调会议',
  'submitted-for-approval': '已报市人民政府批准',
  approved: '市人民政府已批准',
  returned: '市人民政府已退回',
  'in-force': '已执行',
};

export const POLICY_DECISIONS = ['approve', 'return'] as const;
export type PolicyDecision = (typeof POLICY_DECISIONS)[number];

/** The written letter (函) that raises the query: its document number and the date it bears. */
export interface PolicyLetter {
  number: string;
  /** Beijing calendar date `YYYY-MM-DD`. */
  date: string;
}

interface StepBase {
  /** When it took place: the letter sent, the meeting held, the decision taken, the opinion applied from. */
  at: string;
  by: Identity;
  recordedAt: string;
}

/** `round` counts the topic meetings: a returned opinion is studied again in the next round. */
export type PolicyQueryStep =
  | (StepBase & { step: 'submitted'; letter: PolicyLetter })
  | (StepBase & { step: 'topic-meeting'; round: number; attendees: AgencyId[]; opinion: string })
  /** `reference`: the number of the land bureau's request for approval (请示文号). */
  | (StepBase & { step: 'submitted-for-approval'; round: number; reference: string })
  /** `reference`: the number of the city government's reply (批复文号), if it gave one. */
  | (StepBase & { step: 'approved'; round: number; reference?: string })
  | (StepBase & { step: 'returned'; round: number; reasons: string; reference?: string })
  | (StepBase & { step: 'applied'; note?: string });

export interface PolicyQuery {
  queryId: string;
  /** The district whose government raised it (`yongzhou/lengshuitan`, `yongzhou/etdz`). */
  district: string;
  /** The project it arose in, if one. */
  projectId?: string;
  subject: string;
  question: string;
  /** The district's proposed handling (处理建议). */
  proposal: string;
  letter: PolicyLetter;
  status: PolicyQueryStatus;
  submittedBy: Identity;
  submittedAt: string;
  steps: PolicyQueryStep[];
  updatedAt: string;
}

export interface NextStep {
  /** Who acts next; absent once the opinion is in force. */
  agency?: AgencyId;
  jurisdiction?: string;
  zh: string;
}

/** The topic meeting is the city land bureau's (市国土资源局牵头), the approval the city government's. */
export const MEETING_CONVENER: AgencyId = 'land-bureau';
export const APPROVER: AgencyId = 'city-government';

/** `区人民政府 / 经开区管委会（冷水滩区）`: the agency's name from the table, the district's from the jurisdictions. */
export function districtGovernmentZh(district: string): string {
  return `${AGENCIES['district-government'].nameZh}（${findJurisdiction(district)?.nameZh ?? district}）`;
}

/** Who acts next on the query, in words a clerk reads on the case. */
export function nextStep(query: Pick<PolicyQuery, 'status' | 'district' | 'steps'>): NextStep {
  const landBureau = { agency: MEETING_CONVENER, jurisdiction: CITY.id };
  switch (query.status) {
    case 'submitted':
      return { ...landBureau, zh: '由市国土资源局牵头召开专题协调会议研究意见' };
    case 'returned':
      return { ...landBureau, zh: '由市国土资源局根据市人民政府退回的理由重新召开专题协调会议研究意见' };
    case 'meeting-held':
      return { ...landBureau, zh: '由市国土资源局将专题协调会议意见报市人民政府批准' };
    case 'submitted-for-approval':
      return { agency: APPROVER, jurisdiction: CITY.id, zh: '由市人民政府批准或退回专题协调会议意见' };
    case 'approved':
      return { agency: 'district-government', jurisdiction: query.district, zh: `由${districtGovernmentZh(query.district)}执行经批准的意见并登记执行起始时间` };
    case 'in-force': {
      const applied = query.steps.findLast((s) => s.step === 'applied');
      return { zh: `无：经批准的意见已自 ${applied ? formatBeijing(applied.at) : '—'} 起执行` };
    }
  }
}

/** The opinion of the latest topic meeting: what goes for approval, and what applies once approved. */
export function currentOpinion(query: Pick<PolicyQuery, 'steps'>): { round: number; opinion: string } | undefined {
  const meeting = query.steps.findLast((s) => s.step === 'topic-meeting');
  return meeting && { round: meeting.round, opinion: meeting.opinion };
}

export interface PolicyQueryInput {
  projectId?: string | undefined;
  subject: string;
  question: string;
  proposal: string;
  letter: PolicyLetter;
}

/** The district government's letter to the land bureau: its own district's query. */
export function submitPolicyQuery(queryId: string, district: string, input: PolicyQueryInput, actor: Identity, now: Date): PolicyQuery {
  const letterDay = parseDay(input.letter.date);
  if (letterDay === undefined) throw new ValidationError('policy-query.letter-date-invalid', `函的日期无效：${input.letter.date}`);
  const today = beijingDate(now);
  if (input.letter.date > today) throw new ValidationError('policy-query.in-future', `函的日期（${input.letter.date}）晚于今天（北京时间 ${today}）`);
  const at = now.toISOString();
  const { projectId, ...rest } = input;
  return {
    queryId,
    district,
    ...(projectId ? { projectId } : {}),
    ...rest,
    letter: { ...input.letter },
    status: 'submitted',
    submittedBy: actor,
    submittedAt: at,
    steps: [{ step: 'submitted', at, by: actor, recordedAt: at, letter: { ...input.letter } }],
    updatedAt: at,
  };
}

export function recordTopicMeeting(query: PolicyQuery, input: { heldAt: string; attendees: AgencyId[]; opinion: string }, actor: Identity, now: Date): PolicyQuery {
  requireStatus(query, ['submitted', 'returned'], '登记专题协调会议');
  const heldAt = checkedInstant(query, input.heldAt, now, '专题协调会议召开时间');
  if (new Set(input.attendees).size !== input.attendees.length) throw new ValidationError('policy-query.attendee-duplicate', '参会单位重复');
  if (!input.attendees.includes(MEETING_CONVENER)) throw new ValidationError('policy-query.convener-absent', '专题协调会议由市国土资源局牵头召开，参会单位须包括市国土资源局');
  const round = query.steps.filter((s) => s.step === 'topic-meeting').length + 1;
  return advance(query, 'meeting-held', { step: 'topic-meeting', at: heldAt, by: actor, recordedAt: now.toISOString(), round, attendees: [...input.attendees], opinion: input.opinion }, now);
}

export function submitForApproval(query: PolicyQuery, input: { reference: string }, actor: Identity, now: Date): PolicyQuery {
  requireStatus(query, ['meeting-held'], '报市人民政府批准');
  const at = checkedInstant(query, now.toISOString(), now, '报批时间');
  const { round } = currentOpinion(query)!;
  return advance(query, 'submitted-for-approval', { step: 'submitted-for-approval', at, by: actor, recordedAt: at, round, reference: input.reference }, now);
}

export function decidePolicyQuery(
  query: PolicyQuery,
  input: { decision: PolicyDecision; decidedAt: string; reasons?: string | undefined; reference?: string | undefined },
  actor: Identity,
  now: Date,
): PolicyQuery {
  requireStatus(query, ['submitted-for-approval'], input.decision === 'approve' ? '批准' : '退回');
  const at = checkedInstant(query, input.decidedAt, now, '审批时间');
  const { round } = currentOpinion(query)!;
  const base = { at, by: actor, recordedAt: now.toISOString(), round, ...(input.reference ? { reference: input.reference } : {}) };
  if (input.decision === 'approve') return advance(query, 'approved', { step: 'approved', ...base }, now);
  if (!input.reasons) throw new ValidationError('policy-query.reasons-required', '退回须写明理由');
  return advance(query, 'returned', { step: 'returned', ...base, reasons: input.reasons }, now);
}

export function applyPolicyQuery(query: PolicyQuery, input: { appliedFrom: string; note?: string | undefined }, actor: Identity, now: Date): PolicyQuery {
  requireStatus(query, ['approved'], '登记执行');
  const at = checkedInstant(query, input.appliedFrom, now, '执行起始时间');
  return advance(query, 'in-force', { step: 'applied', at, by: actor, recordedAt: now.toISOString(), ...(input.note ? { note: input.note } : {}) }, now);
}

function requireStatus(query: PolicyQuery, allowed: readonly PolicyQueryStatus[], what: string): void {
  if (allowed.includes(query.status)) return;
  throw new ConflictError('policy-query.wrong-state', `政策请示 ${query.queryId} ${POLICY_QUERY_STATUS_ZH[query.status]}，不能${what}；下一步应${nextStep(query).zh}`, {
    queryId: query.queryId,
    status: query.status,
  });
}

/** An instant a step took place at: not after now, not before the step before it. */
function checkedInstant(query: PolicyQuery, instant: string, now: Date, what: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new ValidationError('policy-query.instant-invalid', `${what}无效：${instant}`);
  if (ms > now.getTime()) throw new ValidationError('policy-query.in-future', `${what}（${formatBeijing(ms)}）晚于当前时间（${formatBeijing(now)}）`);
  const previous = query.steps.at(-1)!;
  if (ms < Date.parse(previous.at)) {
    throw new ValidationError('policy-query.before-previous-step', `${what}（${formatBeijing(ms)}）早于上一步骤（${formatBeijing(previous.at)}）`);
  }
  return new Date(ms).toISOString();
}

function advance(query: PolicyQuery, status: PolicyQueryStatus, step: PolicyQueryStep, now: Date): PolicyQuery {
  return { ...query, status, steps: [...query.steps, step], updatedAt: now.toISOString() };
}
