import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { errorResponse } from '../../shared/http/response-schemas.ts';
import { routeKeyOf, type RouteSpec } from '../../shared/http/routes.ts';
import { apiClient, NEW_PROJECT, PLAN_DRAFT, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * The API answers what its OpenAPI document declares: a short procedure through the local API
 * calls every route, and each successful body is checked against the route's response schema.
 * The schemas are strict, so a field added, renamed or leaked (a task token, a sealed ID number)
 * fails here until the schema — hence the document — says so.
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
const ROUTES = new Map<string, RouteSpec>(ALL_ROUTES.map((r) => [routeKeyOf(r), r]));
const checked = new Set<string>();

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T09:00:00+08:00' });
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
});

/** Calls a route and holds its successful answer to the declared schema. */
async function check(key: string, who: { agency: string; jurisdiction: string }, path: string, body?: unknown): Promise<any> {
  const route = ROUTES.get(key);
  if (!route) throw new Error(`no route ${key}`);
  const response = await call(who, route.method, path, body);
  expect(response.status, `${key}: ${JSON.stringify(response.body)}`).toBe(route.successStatus ?? 200);
  const parsed = route.response.safeParse(response.body);
  expect(parsed.success ? [] : parsed.error.issues, `${key} answered ${JSON.stringify(response.body)}`).toEqual([]);
  // Strict: a field the schema does not know is refused (so drift cannot pass unnoticed).
  if (response.body && typeof response.body === 'object' && !Array.isArray(response.body)) {
    expect(route.response.safeParse({ ...response.body, undeclared: 1 }).success, `${key} schema is not strict`).toBe(false);
  }
  checked.add(key);
  return response.body;
}

it('every route of a procedure answers what the OpenAPI document declares', async () => {
  await check('GET /openapi.json', WHO.landBranch, '/openapi.json');
  await check('GET /health', WHO.landBranch, '/health');
  await check('GET /health/ready', WHO.landBranch, '/health/ready');

  const project = await check('POST /projects', WHO.district, '/projects', NEW_PROJECT);
  const id = project.id as string;
  await check('GET /projects/{projectId}', WHO.landBranch, `/projects/${id}`);
  await check('PUT /projects/{projectId}/notice', WHO.landBranch, `/projects/${id}/notice`, { title: '征收土地通告', body: '通告正文', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' });
  await check('POST /projects/{projectId}/notice/review', WHO.legal, `/projects/${id}/notice/review`, { decision: 'approve' });
  const published = await check('POST /projects/{projectId}/notice/publish', WHO.landBranch, `/projects/${id}/notice/publish`);
  await check('GET /projects/{projectId}/notice', WHO.meiwan, `/projects/${id}/notice`);
  await check('GET /inbox', WHO.police, '/inbox');
  await check('POST /projects/{projectId}/hukou-suspension/acknowledge', WHO.police, `/projects/${id}/hukou-suspension/acknowledge`);

  await cloud.advance(3_600_000);
  const photo = Buffer.from(`photo ${id}`);
  const upload = await check('POST /projects/{projectId}/evidence-uploads', WHO.meiwan, `/projects/${id}/evidence-uploads`, {
    document: 'notice', villageGroupId: 'g1', fileName: 'notice.jpg', contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex'),
  });
  expect((await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: photo })).status).toBe(200);
  await check('POST /projects/{projectId}/postings', WHO.meiwan, `/projects/${id}/postings`, {
    document: 'notice', villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt: '2026-09-01T09:30:00+08:00', place: { description: '村务公开栏', latitude: 26.43, longitude: 111.61 },
  });

  // An ID number pasted with spaces around it is accepted (trimmed before the length check).
  const registered = await check('POST /projects/{projectId}/registrations', WHO.meiwan, `/projects/${id}/registrations`, {
    villageGroupId: 'g1', rightType: 'land-contract', holder: { kind: 'person', name: '张三', idNumber: '  11010519491231002x\u3000' }, contractNumber: 'C-001', description: '承包地 2 亩', onBehalf: true,
  });
  expect(registered.holder.idNumberMasked).toBe('1101**********002X');
  await check('POST /projects/{projectId}/registrations', WHO.meiwan, `/projects/${id}/registrations`, {
    villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: false,
  });
  await check('GET /projects/{projectId}/registrations', WHO.landBranch, `/projects/${id}/registrations?limit=1`);

  await check('GET /calendar/deadline', WHO.landBranch, `/calendar/deadline?period=7wd&from=${encodeURIComponent('2026-09-28T10:00:00+08:00')}`);
  // 202: the year is saved and its recount runs as a job, which GET /calendar/jobs/{jobId} follows.
  expect(ROUTES.get('PUT /calendar/years/{year}')?.successStatus).toBe(202);
  const corrected = await check('PUT /calendar/years/{year}', WHO.leadingGroup, '/calendar/years/2027', { year: 2027, holidays: ['2027-01-01', { date: '2027-10-01', name: '国庆节' }], workdays: [], source: '测试数据（非国务院安排）', updatedAt: '2026-11-27' });
  expect(corrected.job).toMatchObject({ kind: 'recount', status: 'running' });
  await cloud.advance(0);
  const job = await check('GET /calendar/jobs/{jobId}', WHO.leadingGroup, `/calendar/jobs/${corrected.job.jobId}`);
  // 2027 moves none of the project's deadlines: the job reads them and completes.
  expect(job).toMatchObject({ jobId: corrected.job.jobId, kind: 'recount', status: 'completed', counts: { changed: 0, restarted: 0, failed: 0 } });
  await check('GET /calendar/years', WHO.landBranch, '/calendar/years');

  // The 45 days pass without a plan: an overdue record, then the plan is published late.
  const planDeadline = published.deadlines.find((d: { ruleId: string }) => d.ruleId === 'implementation-plan');
  await cloud.advance(Date.parse(planDeadline.dueAt) - cloud.clock.now() + 60_000);
  const overdue = await check('GET /performance/overdue', WHO.leadingGroup, '/performance/overdue');
  // The plan, and the notice never posted in g2.
  expect(overdue.items.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['implementation-plan', 'notice-posting/g2']);
  await check('PUT /projects/{projectId}/plan', WHO.landBranch, `/projects/${id}/plan`, PLAN_DRAFT);
  await check('POST /projects/{projectId}/plan/review', WHO.legal, `/projects/${id}/plan/review`, { decision: 'approve' });
  await check('GET /projects/{projectId}/plan', WHO.meiwan, `/projects/${id}/plan`);
  const plan = await check('POST /projects/{projectId}/plan/publish', WHO.landBranch, `/projects/${id}/plan/publish`);
  expect(plan.deadline.status).toBe('met-late');
  await check('GET /projects/{projectId}/timeline', WHO.landBranch, `/projects/${id}/timeline`);

  // Errors have the one declared error shape.
  for (const [who, method, path, body, status] of [
    [WHO.landBranch, 'GET', '/projects/NOSUCHPROJECT/timeline', undefined, 404],
    [WHO.meiwan, 'POST', `/projects/${id}/registrations`, { villageGroupId: 'g1' }, 400],
    [WHO.landBranch, 'PUT', `/projects/${id}/plan`, PLAN_DRAFT, 409],
    [WHO.meiwan, 'POST', '/projects', NEW_PROJECT, 403],
  ] as const) {
    const response = await call(who, method, path, body);
    expect(response.status).toBe(status);
    expect(errorResponse.safeParse(response.body).error?.issues ?? []).toEqual([]);
  }

  expect([...checked].sort()).toEqual([...ROUTES.keys()].sort());
});
