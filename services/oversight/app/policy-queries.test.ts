import { beforeEach, describe, expect, it } from 'vitest';
import { policyQueryStepV1 } from '../../../events/policy-query-step.v1.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import type { Identity } from '../../../shared/identity.ts';
import { noticesDepsOn } from '../../notices/adapters/deps.ts';
import { createProjectCase, readInbox } from '../../notices/app/use-cases.ts';
import { expectRefused } from '../../../test/support/compensation.ts';
import { AGENTS, ctxOf, MemoryBucket, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { oversightDepsOn } from '../adapters/deps.ts';
import { policyQueryResponse } from '../policy-query-schemas.ts';
import {
  applyPolicyOpinion,
  decidePolicyOpinion,
  listDistrictPolicyQueries,
  readPolicyQuery,
  recordPolicyTopicMeeting,
  submitDistrictPolicyQuery,
  submitPolicyOpinionForApproval,
} from './policy-queries.ts';

/**
 * The policy-query use cases on the memory table: the district's letter, the land bureau's topic
 * meeting, the city government's approval or return, the district's application — each step audited
 * and the next actor told in its inbox; a step by the wrong agency, district or state writes nothing.
 */
let store: MemoryTable;
let bucket: MemoryBucket;
let deps: ReturnType<typeof oversightDepsOn>;
let projectId: string;
const world = () => ({ store, bucket });
const DISTRICT = AGENTS.district;
const LAND = AGENTS.landBureau;
const CITY_GOV: Identity = { user: 'tang.cg', agency: 'city-government', jurisdiction: 'yongzhou' };
const OFFICE: Identity = { user: 'lin.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const ETDZ: Identity = { user: 'ma.dg', agency: 'district-government', jurisdiction: 'yongzhou/etdz' };
/** A Beijing instant in October 2026. */
const on = (day: number, hour = 10) => `2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const utc = (text: string) => new Date(text).toISOString();

const letter = { number: '冷政函〔2026〕15号', date: '2026-10-09' };
const submit = (overrides: Record<string, unknown> = {}, who: Identity = DISTRICT, at = on(10)) =>
  submitDistrictPolicyQuery(deps, { subject: '钢架大棚补偿', question: '钢架大棚是否按附着物计补', proposal: '按每平方米 40 元计补', letter, ...overrides }, ctxOf(who, at));
const meet = (queryId: string, day: number, who: Identity = LAND) =>
  recordPolicyTopicMeeting(deps, queryId, { heldAt: on(day), attendees: ['land-bureau', 'finance', 'district-government'], opinion: `第 ${day} 日会议意见：按附着物计补` }, ctxOf(who, on(day, 15)));
const forApproval = (queryId: string, day: number, who: Identity = LAND) => submitPolicyOpinionForApproval(deps, queryId, { reference: `永国土资〔2026〕${day}号` }, ctxOf(who, on(day)));
const decide = (queryId: string, day: number, decision: 'approve' | 'return', who: Identity = CITY_GOV) =>
  decidePolicyOpinion(deps, queryId, { decision, decidedAt: on(day), ...(decision === 'return' ? { reasons: '标准未与邻区衔接' } : {}) }, ctxOf(who, on(day, 16)));
const apply = (queryId: string, day: number, who: Identity = DISTRICT) => applyPolicyOpinion(deps, queryId, { appliedFrom: on(day, 0) }, ctxOf(who, on(day)));

const inboxOf = (who: Identity, at: string) => readInbox(noticesDepsOn(store, { evidence: bucket, scheduler: new RecordingScheduler(), newId: sequentialIds }), { limit: 50 }, ctxOf(who, at));
const stepsTold = async (who: Identity, at: string) => (await inboxOf(who, at)).items.filter((e) => e.kind === 'policy-query-step');
const auditOf = (action: string) => store.audit.filter((a) => a.action === action);

beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  deps = oversightDepsOn(store, { scheduler: new RecordingScheduler(), evidence: bucket, files: bucket, newId: sequentialIds });
  projectId = (await projectWithPublishedNotice(store)).project.id;
});

describe('the path of a policy query', () => {
  it('letter → topic meeting → for approval → returned → meeting again → approved → applied, each step audited and the next actor told', async () => {
    const submitted = await submit({ projectId });
    const { queryId } = submitted;
    expect(submitted).toMatchObject({ status: 'submitted', district: 'yongzhou/lengshuitan', projectId, letter, next: { agency: 'land-bureau', jurisdiction: 'yongzhou' } });
    const toLand = await stepsTold(LAND, on(10, 11));
    expect(toLand).toHaveLength(1);
    expect(policyQueryStepV1.schema.safeParse(toLand[0]).success).toBe(true);
    expect(toLand[0]).toMatchObject({ projectId, jurisdictions: ['yongzhou'], data: { queryId, status: 'submitted', letterNumber: letter.number, projectId } });
    expect(toLand[0]!.text).toContain('冷政函〔2026〕15号');
    // The letter goes to the city bureau: its district branch has no task of it.
    expect(await stepsTold(AGENTS.landBranch, on(10, 11))).toEqual([]);

    expect(await meet(queryId, 12)).toMatchObject({ status: 'meeting-held', next: { agency: 'land-bureau' } });
    await forApproval(queryId, 13);
    const toCity = await stepsTold(CITY_GOV, on(13, 11));
    expect(toCity.map((e) => e.data)).toEqual([expect.objectContaining({ queryId, status: 'submitted-for-approval', round: 1 })]);
    expect(policyQueryStepV1.schema.safeParse(toCity[0]).success).toBe(true);
    expect(toCity[0]!.text).toContain('第 12 日会议意见');

    const returned = await decide(queryId, 15, 'return');
    expect(returned).toMatchObject({ status: 'returned', next: { agency: 'land-bureau', zh: expect.stringContaining('重新召开专题协调会议') } });
    const [districtTold] = await stepsTold(DISTRICT, on(15, 17));
    expect(districtTold).toMatchObject({ jurisdictions: ['yongzhou/lengshuitan'], data: { status: 'returned', round: 1 } });
    expect(districtTold!.text).toContain('标准未与邻区衔接');
    const landAgain = await stepsTold(LAND, on(15, 17));
    expect(landAgain.map((e) => e.data.status)).toEqual(['returned', 'submitted']);

    expect((await meet(queryId, 19)).steps.at(-1)).toMatchObject({ step: 'topic-meeting', round: 2 });
    await forApproval(queryId, 20);
    const approved = await decide(queryId, 22, 'approve');
    expect(approved).toMatchObject({ status: 'approved', next: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' } });
    const districtEvents = await stepsTold(DISTRICT, on(22, 17));
    expect(districtEvents.map((e) => [e.data.status, e.data.round])).toEqual([['approved', 2], ['returned', 1]]);
    for (const e of districtEvents) expect(policyQueryStepV1.schema.safeParse(e).success).toBe(true);
    // Another district's government hears nothing of it.
    expect(await stepsTold(ETDZ, on(22, 17))).toEqual([]);

    const inForce = await apply(queryId, 26);
    expect(inForce).toMatchObject({ status: 'in-force', next: { zh: expect.stringContaining('2026-10-26T00:00:00+08:00') } });
    expect(inForce.next.agency).toBeUndefined();
    expect(inForce.steps.map((s) => s.step)).toEqual(['submitted', 'topic-meeting', 'submitted-for-approval', 'returned', 'topic-meeting', 'submitted-for-approval', 'approved', 'applied']);
    // What the routes answer holds to their strict response schema, at every status.
    for (const view of [submitted, returned, approved, inForce]) expect(policyQueryResponse.safeParse(JSON.parse(JSON.stringify(view))).error).toBeUndefined();

    const trail = store.audit.filter((a) => a.target.type === 'policy-query');
    expect(trail.map((a) => a.action)).toEqual([
      'policy-query.submit',
      'policy-query.meeting',
      'policy-query.submit-for-approval',
      'policy-query.decide',
      'policy-query.meeting',
      'policy-query.submit-for-approval',
      'policy-query.decide',
      'policy-query.apply',
    ]);
    expect(trail.map((a) => a.actor.agency)).toEqual(['district-government', 'land-bureau', 'land-bureau', 'city-government', 'land-bureau', 'land-bureau', 'city-government', 'district-government']);
    expect(auditOf('policy-query.decide').map((a) => a.summary)).toEqual([
      { status: 'returned', decision: 'return', round: 1, decidedAt: utc(on(15)) },
      { status: 'approved', decision: 'approve', round: 2, decidedAt: utc(on(22)) },
    ]);
    expect(trail.every((a) => a.target.projectId === projectId)).toBe(true);
  });

  it('a query on no project: its events live on the query, the district’s government sees it, the branch too', async () => {
    const { queryId } = await submit();
    const [told] = await stepsTold(LAND, on(10, 11));
    expect(told).toMatchObject({ projectId: queryId, data: { queryId } });
    expect(told!.data).not.toHaveProperty('projectId');
    expect(policyQueryStepV1.schema.safeParse(told).success).toBe(true);
    expect(await readPolicyQuery(deps, queryId, ctxOf(AGENTS.landBranch, on(11)))).toMatchObject({ queryId });
    expect(store.audit.at(-1)).toMatchObject({ action: 'policy-query.read', target: { type: 'policy-query', id: queryId } });
    expect(store.audit.at(-1)!.target).not.toHaveProperty('projectId');
  });
});

describe('refusals write nothing', () => {
  it('a step out of turn (409, saying what is next)', async () => {
    const { queryId } = await submit();
    const early = await expectRefused(world(), () => forApproval(queryId, 11), { status: 409, code: 'policy-query.wrong-state' });
    expect(early.message).toContain('下一步应由市国土资源局牵头召开专题协调会议研究意见');
    await expectRefused(world(), () => decide(queryId, 11, 'approve'), { status: 409, code: 'policy-query.wrong-state' });
    await expectRefused(world(), () => apply(queryId, 11), { status: 409, code: 'policy-query.wrong-state' });
    await meet(queryId, 12);
    await expectRefused(world(), () => meet(queryId, 13), { status: 409, code: 'policy-query.wrong-state' });
    await forApproval(queryId, 13);
    await decide(queryId, 14, 'approve');
    await expectRefused(world(), () => meet(queryId, 15), { status: 409, code: 'policy-query.wrong-state' });
    await expectRefused(world(), () => decide(queryId, 15, 'return'), { status: 409, code: 'policy-query.wrong-state' });
  });

  it('an agency without the duty (403 forbidden.agency), before the query is looked up', async () => {
    const { queryId } = await submit();
    await expectRefused(world(), () => submit({}, LAND), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => meet(queryId, 12, DISTRICT), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => meet('NO-SUCH-QUERY', 12, DISTRICT), { status: 403, code: 'forbidden.agency' });
    await meet(queryId, 12);
    await expectRefused(world(), () => forApproval(queryId, 13, CITY_GOV), { status: 403, code: 'forbidden.agency' });
    await forApproval(queryId, 13);
    await expectRefused(world(), () => decide(queryId, 14, 'approve', LAND), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => decide(queryId, 14, 'approve', OFFICE), { status: 403, code: 'forbidden.agency' });
    await decide(queryId, 14, 'approve');
    await expectRefused(world(), () => apply(queryId, 15, LAND), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => readPolicyQuery(deps, queryId, ctxOf(AGENTS.finance, on(15))), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => readPolicyQuery(deps, queryId, ctxOf(AGENTS.meiwan, on(15))), { status: 403, code: 'forbidden.agency' });
  });

  it('another district, or the land bureau’s district branch at the city’s steps (403 forbidden.jurisdiction)', async () => {
    const etdzProject = await createProjectCase(
      noticesDepsOn(store, { evidence: bucket, scheduler: new RecordingScheduler(), newId: sequentialIds }),
      { name: '经开区园区道路', district: 'yongzhou/etdz', villageGroups: [{ name: '一组', village: '甲村', township: 'yongzhou/etdz/township-a' }] },
      ctxOf(ETDZ, on(1)),
    );
    await expectRefused(world(), () => submit({ projectId: etdzProject.id }), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => submit({ projectId }, ETDZ), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => submit({ projectId: 'NO-SUCH-PROJECT' }), { status: 404, code: 'project.not-found' });
    const { queryId } = await submit({ projectId });
    await expectRefused(world(), () => readPolicyQuery(deps, queryId, ctxOf(ETDZ, on(11))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => readPolicyQuery(deps, queryId, ctxOf(AGENTS.etdzBranch, on(11))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => meet(queryId, 12, AGENTS.landBranch), { status: 403, code: 'forbidden.jurisdiction' });
    await meet(queryId, 12);
    await expectRefused(world(), () => forApproval(queryId, 13, AGENTS.landBranch), { status: 403, code: 'forbidden.jurisdiction' });
    await forApproval(queryId, 13);
    await decide(queryId, 14, 'approve');
    await expectRefused(world(), () => apply(queryId, 15, ETDZ), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => listDistrictPolicyQueries(deps, { limit: 10, district: 'yongzhou/lengshuitan' }, ctxOf(ETDZ, on(15))), { status: 403, code: 'forbidden.jurisdiction' });
    expect(await apply(queryId, 15)).toMatchObject({ status: 'in-force' });
  });

  it('bad input: instants in the future or before the step before, a return without reasons, an unknown query (4xx)', async () => {
    await expectRefused(world(), () => submit({ letter: { ...letter, date: '2026-10-11' } }), { status: 400, code: 'policy-query.in-future' });
    const { queryId } = await submit();
    await expectRefused(world(), () => recordPolicyTopicMeeting(deps, queryId, { heldAt: on(13), attendees: ['land-bureau'], opinion: 'o' }, ctxOf(LAND, on(12))), { status: 400, code: 'policy-query.in-future' });
    await expectRefused(world(), () => recordPolicyTopicMeeting(deps, queryId, { heldAt: on(10, 9), attendees: ['land-bureau'], opinion: 'o' }, ctxOf(LAND, on(12))), { status: 400, code: 'policy-query.before-previous-step' });
    await meet(queryId, 12);
    await forApproval(queryId, 13);
    await expectRefused(world(), () => decidePolicyOpinion(deps, queryId, { decision: 'return', decidedAt: on(14) }, ctxOf(CITY_GOV, on(14))), { status: 400, code: 'policy-query.reasons-required' });
    await expectRefused(world(), () => decidePolicyOpinion(deps, queryId, { decision: 'approve', decidedAt: on(12) }, ctxOf(CITY_GOV, on(14))), { status: 400, code: 'policy-query.before-previous-step' });
    await decide(queryId, 14, 'approve');
    await expectRefused(world(), () => applyPolicyOpinion(deps, queryId, { appliedFrom: on(17) }, ctxOf(DISTRICT, on(16))), { status: 400, code: 'policy-query.in-future' });
    await expectRefused(world(), () => readPolicyQuery(deps, 'NO-SUCH-QUERY', ctxOf(LAND, on(16))), { status: 404, code: 'policy-query.not-found' });
  });
});

describe('reading', () => {
  it('a district’s queries a page at a time, oldest first: its own for a district government, the named one for a city agency; every read audited', async () => {
    const ids: string[] = [];
    for (const day of [10, 11, 12]) ids.push((await submit({ subject: `请示 ${day}` }, DISTRICT, on(day))).queryId);
    const etdzQuery = await submit({ subject: '经开区请示' }, ETDZ, on(12));

    const first = await listDistrictPolicyQueries(deps, { limit: 2 }, ctxOf(DISTRICT, on(13)));
    expect(first.items.map((q) => q.queryId)).toEqual(ids.slice(0, 2));
    expect(first.cursor).toBeDefined();
    const rest = await listDistrictPolicyQueries(deps, { limit: 2, cursor: first.cursor }, ctxOf(DISTRICT, on(13)));
    expect(rest.items.map((q) => q.queryId)).toEqual(ids.slice(2));
    expect(rest.items[0]!.next.agency).toBe('land-bureau');

    for (const who of [LAND, CITY_GOV, OFFICE]) {
      expect((await listDistrictPolicyQueries(deps, { limit: 10, district: 'yongzhou/etdz' }, ctxOf(who, on(13)))).items.map((q) => q.queryId)).toEqual([etdzQuery.queryId]);
      expect(await readPolicyQuery(deps, ids[0]!, ctxOf(who, on(13)))).toMatchObject({ queryId: ids[0], subject: '请示 10' });
    }
    await expectRefused(world(), () => listDistrictPolicyQueries(deps, { limit: 10 }, ctxOf(OFFICE, on(13))), { status: 400, code: 'policy-query.district-required' });
    await expectRefused(world(), () => listDistrictPolicyQueries(deps, { limit: 10, district: 'yongzhou/lengshuitan/meiwan' }, ctxOf(OFFICE, on(13))), { status: 400, code: 'policy-query.district-unknown' });

    expect(auditOf('policy-query.list').map((a) => [a.actor.agency, a.target, a.summary])).toEqual([
      ['district-government', { type: 'district', id: 'yongzhou/lengshuitan' }, { count: 2 }],
      ['district-government', { type: 'district', id: 'yongzhou/lengshuitan' }, { count: 1 }],
      ['land-bureau', { type: 'district', id: 'yongzhou/etdz' }, { count: 1 }],
      ['city-government', { type: 'district', id: 'yongzhou/etdz' }, { count: 1 }],
      ['leading-group-office', { type: 'district', id: 'yongzhou/etdz' }, { count: 1 }],
    ]);
    expect(auditOf('policy-query.read').map((a) => a.actor.agency)).toEqual(['land-bureau', 'city-government', 'leading-group-office']);
  });
});
