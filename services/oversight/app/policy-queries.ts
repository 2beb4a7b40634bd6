import { CITY, findJurisdiction, type AgencyId } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { InboxRepository, Page, PageRequest, ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import {
  applyPolicyQuery,
  currentOpinion,
  decidePolicyQuery,
  districtGovernmentZh,
  nextStep,
  POLICY_QUERY_STATUS_ZH,
  recordTopicMeeting,
  submitForApproval,
  submitPolicyQuery,
  type NextStep,
  type PolicyDecision,
  type PolicyQuery,
  type PolicyQueryInput,
} from '../domain/policy-query.ts';
import type { PolicyQueryRepository } from './ports.ts';

export interface PolicyQueryDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  inbox: InboxRepository;
  policyQueries: PolicyQueryRepository;
  newId: (nowMs: number) => string;
}

/** The query as served: the record and who acts next. */
export type PolicyQueryView = PolicyQuery & { next: NextStep };
const viewOf = (query: PolicyQuery): PolicyQueryView => ({ ...query, next: nextStep(query) });

const target = (q: Pick<PolicyQuery, 'queryId' | 'projectId'>) => ({ type: 'policy-query', id: q.queryId, ...(q.projectId ? { projectId: q.projectId } : {}) });

/**
 * Where each step is taken: the district's own steps in the district; the topic meeting and the
 * approval at city level — the letter goes to the city land bureau (书面函告市国土资源局), not to
 * its district branch, and the approval is the city government's.
 */
const DISTRICT_STEP = (q: PolicyQuery) => [q.district];
const CITY_STEP = () => [CITY.id];

/**
 * The district government's letter on a policy it cannot apply with confidence, with its proposal:
 * for its own district (and, if it arose in one, a project of that district). The land bureau is
 * asked to convene the topic meeting.
 */
export async function submitDistrictPolicyQuery(deps: PolicyQueryDeps, input: PolicyQueryInput, ctx: ActionContext): Promise<PolicyQueryView> {
  authorizeAgency(ctx.actor, 'policy-query.submit');
  const district = ctx.actor.jurisdiction;
  if (findJurisdiction(district)?.level !== 'district') {
    throw new ForbiddenError('forbidden.jurisdiction', '政策请示由区人民政府（管委会）就本区提出', { action: 'policy-query.submit', jurisdiction: district });
  }
  if (input.projectId) {
    const { version: _v, ...project } = await deps.projects.get(input.projectId);
    // A query on a project is the project's district's to raise.
    authorize(ctx.actor, 'policy-query.submit', [project.district]);
  }
  const query = submitPolicyQuery(deps.newId(ctx.now.getTime()), district, input, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.policyQueries.save(query, 'absent'), deps.inbox.add(stepEvent(deps, query, 'land-bureau', ctx.now))],
    [auditOf(ctx, 'policy-query.submit', target(query), { district, letter: query.letter.number, subject: query.subject })],
  );
  return viewOf(query);
}

export function recordPolicyTopicMeeting(deps: PolicyQueryDeps, queryId: string, input: { heldAt: string; attendees: AgencyId[]; opinion: string }, ctx: ActionContext) {
  return act(deps, queryId, 'policy-query.meeting', CITY_STEP, ctx, (q) => recordTopicMeeting(q, input, ctx.actor, ctx.now), (q) => {
    const meeting = currentOpinion(q)!;
    return { round: meeting.round, heldAt: q.steps.at(-1)!.at, attendees: input.attendees };
  });
}

/** The meeting's opinion goes to the city government for approval. */
export function submitPolicyOpinionForApproval(deps: PolicyQueryDeps, queryId: string, input: { reference: string }, ctx: ActionContext) {
  return act(
    deps,
    queryId,
    'policy-query.submit-for-approval',
    CITY_STEP,
    ctx,
    (q) => submitForApproval(q, input, ctx.actor, ctx.now),
    (q) => ({ round: currentOpinion(q)!.round, reference: input.reference }),
    (q) => [stepEvent(deps, q, 'city-government', ctx.now)],
  );
}

/**
 * The city government approves the opinion (the district is told to apply it) or returns it with
 * its reasons (the district is told, and the land bureau studies it again).
 */
export function decidePolicyOpinion(
  deps: PolicyQueryDeps,
  queryId: string,
  input: { decision: PolicyDecision; decidedAt: string; reasons?: string | undefined; reference?: string | undefined },
  ctx: ActionContext,
) {
  return act(
    deps,
    queryId,
    'policy-query.decide',
    CITY_STEP,
    ctx,
    (q) => decidePolicyQuery(q, input, ctx.actor, ctx.now),
    (q) => ({ decision: input.decision, round: currentOpinion(q)!.round, decidedAt: q.steps.at(-1)!.at }),
    (q) => [stepEvent(deps, q, 'district-government', ctx.now), ...(q.status === 'returned' ? [stepEvent(deps, q, 'land-bureau', ctx.now)] : [])],
  );
}

/** The district records that the approved opinion applies, and from when. */
export function applyPolicyOpinion(deps: PolicyQueryDeps, queryId: string, input: { appliedFrom: string; note?: string | undefined }, ctx: ActionContext) {
  return act(deps, queryId, 'policy-query.apply', DISTRICT_STEP, ctx, (q) => applyPolicyQuery(q, input, ctx.actor, ctx.now), (q) => ({ appliedFrom: q.steps.at(-1)!.at }));
}

/** The district sees its own queries; the land bureau, the city government and the leading group office every one. */
export async function readPolicyQuery(deps: PolicyQueryDeps, queryId: string, ctx: ActionContext): Promise<PolicyQueryView> {
  const { query } = await load(deps, queryId, 'policy-query.read', DISTRICT_STEP, ctx);
  await auditRead(deps.uow, ctx, 'policy-query.read', target(query));
  return viewOf(query);
}

/** A district's queries a page at a time: a district government's own unless it names one; a city agency names the district. */
export async function listDistrictPolicyQueries(deps: PolicyQueryDeps, input: PageRequest & { district?: string | undefined }, ctx: ActionContext): Promise<Page<PolicyQueryView>> {
  authorizeAgency(ctx.actor, 'policy-query.read');
  const ownDistrict = findJurisdiction(ctx.actor.jurisdiction)?.level === 'district' ? ctx.actor.jurisdiction : undefined;
  const district = input.district ?? ownDistrict;
  if (!district) throw new ValidationError('policy-query.district-required', '请指定区（district），如 yongzhou/lengshuitan');
  if (findJurisdiction(district)?.level !== 'district') throw new ValidationError('policy-query.district-unknown', `未知的区（县）辖区：${district}`);
  authorize(ctx.actor, 'policy-query.read', [district]);
  const found = await deps.policyQueries.ofDistrict(district, { limit: input.limit, cursor: input.cursor });
  await auditRead(deps.uow, ctx, 'policy-query.list', { type: 'district', id: district }, { count: found.items.length });
  return { items: found.items.map(viewOf), ...(found.cursor ? { cursor: found.cursor } : {}) };
}

async function load(deps: PolicyQueryDeps, queryId: string, action: Action, where: (q: PolicyQuery) => string[], ctx: ActionContext) {
  authorizeAgency(ctx.actor, action);
  const { version, ...query } = await deps.policyQueries.get(queryId);
  authorize(ctx.actor, action, where(query as PolicyQuery));
  return { query: query as PolicyQuery, version };
}

/** One step: loaded, checked and advanced by the domain, written in one commit with its audit record and the next actor's task. */
async function act(
  deps: PolicyQueryDeps,
  queryId: string,
  action: Action,
  where: (q: PolicyQuery) => string[],
  ctx: ActionContext,
  step: (q: PolicyQuery) => PolicyQuery,
  summary: (next: PolicyQuery) => Record<string, unknown>,
  events: (next: PolicyQuery) => InboxEvent[] = () => [],
): Promise<PolicyQueryView> {
  const { query, version } = await load(deps, queryId, action, where, ctx);
  const next = step(query);
  await deps.uow.commit(
    [deps.policyQueries.save(next, version), ...events(next).map((e) => deps.inbox.add(e))],
    [auditOf(ctx, action, target(next), { status: next.status, ...summary(next) })],
  );
  return viewOf(next);
}

export type PolicyQueryAddressee = 'land-bureau' | 'city-government' | 'district-government';

function stepEvent(deps: PolicyQueryDeps, query: PolicyQuery, addressee: PolicyQueryAddressee, now: Date): InboxEvent {
  const districtZh = districtGovernmentZh(query.district);
  const last = query.steps.at(-1)!;
  const opinion = currentOpinion(query);
  const text = (() => {
    switch (last.step) {
      case 'submitted':
        return `${districtZh}于 ${formatBeijing(last.at)} 书面函告（${query.letter.number}）：${query.question}。处理建议：${query.proposal}。请市国土资源局牵头召开专题协调会议研究意见（§三(三)）。`;
      case 'submitted-for-approval':
        return `市国土资源局（${last.reference}）报请批准第 ${last.round} 次专题协调会议就${districtZh}政策请示“${query.subject}”提出的意见：${opinion?.opinion}。请市人民政府批准或退回（§三(三)）。`;
      case 'approved':
        return `市人民政府已于 ${formatBeijing(last.at)} 批准专题协调会议意见：${opinion?.opinion}。请${districtZh}执行并登记执行起始时间。`;
      case 'returned':
        return addressee === 'land-bureau'
          ? `市人民政府于 ${formatBeijing(last.at)} 退回第 ${last.round} 次专题协调会议意见，理由：${last.reasons}。请市国土资源局重新召开专题协调会议研究意见。`
          : `市人民政府于 ${formatBeijing(last.at)} 退回专题协调会议意见，理由：${last.reasons}。市国土资源局将重新召开专题协调会议研究。`;
      default:
        throw new Error(`no task follows step ${last.step}`);
    }
  })();
  return inboxEvent({
    id: deps.newId(now.getTime()),
    at: now,
    // The event lives on a case: the project the query arose in, else the query itself.
    projectId: query.projectId ?? query.queryId,
    addressee,
    kind: 'policy-query-step',
    title: `政策请示${POLICY_QUERY_STATUS_ZH[query.status]}：${query.subject}`,
    text,
    // A city-level addressee's task is seen at city level (not by the land bureau's district branch).
    jurisdictions: [addressee === 'district-government' ? query.district : CITY.id],
    data: {
      queryId: query.queryId,
      district: query.district,
      subject: query.subject,
      status: query.status,
      letterNumber: query.letter.number,
      ...(opinion ? { round: opinion.round } : {}),
      ...(query.projectId ? { projectId: query.projectId } : {}),
    },
  });
}
