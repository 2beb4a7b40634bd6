import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ScanCommand as CountCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/servers/net.ts';
import { apiClient, NEW_PROJECT, PLAN_DRAFT, startTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The first complete slice of the seed's procedure (§五(一) 1–3), end to end through the local
 * HTTP API with real tokens: notice → posting evidence → registration window → plan within 45 days.
 */
const CLOCK_START = '2026-09-01T09:00:00+08:00';
const root = fileURLToPath(new URL('../../', import.meta.url));
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let subscriber: Server;
const delivered: Array<{ headers: Record<string, unknown>; body: any }> = [];

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: CLOCK_START });
  call = apiClient(cloud);
  // The land bureau's own HTTP endpoint, subscribed to its alerts only (filter policy on `agency`).
  subscriber = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      delivered.push({ headers: req.headers, body: JSON.parse(text) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => subscriber.listen(0, '127.0.0.1', resolve));
  const sns = new SNSClient({ endpoint: cloud.endpoints.sns, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud.blueprint.topics[0]!.arn,
      Protocol: 'http',
      Endpoint: `http://127.0.0.1:${(subscriber.address() as AddressInfo).port}/alerts`,
      Attributes: { FilterPolicy: JSON.stringify({ agency: ['land-bureau'] }) },
      ReturnSubscriptionArn: true,
    }),
  );
  sns.destroy();
});
afterAll(async () => {
  await cloud?.stop();
  subscriber?.close();
});

it('create → draft → review → publish → postings with evidence → registrations → 45 days → alert → plan → timeline', async () => {
  // The only test here that moves the clock; its dates are the seed's worked example from the file's
  // clock start. The other tests neither move the clock nor alert nor are refused, in any order.
  expect(Math.abs(cloud.clock.now() - Date.parse(CLOCK_START)), 'another test moved the clock first').toBeLessThan(3_600_000);
  const deniedBefore = new Set((await auditEntries()).filter((e) => e.action === 'access.denied').map((e) => e.requestId));
  // Without a token, or with the wrong agency or jurisdiction, nothing happens.
  expect((await fetch(`${cloud.apiUrl}/projects`, { method: 'POST', body: '{}' })).status).toBe(401);
  expect((await call(WHO.meiwan, 'POST', '/projects', NEW_PROJECT)).status).toBe(403);
  expect((await call(WHO.etdzBranch, 'POST', '/projects', NEW_PROJECT)).status).toBe(403);
  // Refused attempts are audited too: who tried what.
  const denied = (await auditEntries()).filter((e) => e.action === 'access.denied' && !deniedBefore.has(e.requestId));
  expect(denied.map((e) => `${e.actor.agency}@${e.actor.jurisdiction} ${e.target.id} ${e.summary.code}`).sort()).toEqual([
    'land-bureau@yongzhou/etdz POST /projects forbidden.jurisdiction',
    'township@yongzhou/lengshuitan/meiwan POST /projects forbidden.agency',
  ]);

  const created = await call(WHO.district, 'POST', '/projects', NEW_PROJECT);
  expect(created.status).toBe(201);
  const id = created.body.id as string;

  expect((await call(WHO.landBranch, 'PUT', `/projects/${id}/notice`, { title: '征收土地通告', body: '通告正文', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' })).status).toBe(200);
  expect((await call(WHO.landBranch, 'POST', `/projects/${id}/notice/publish`)).body.error.code).toBe('notice.not-approved');
  expect((await call(WHO.legal, 'POST', `/projects/${id}/notice/review`, { decision: 'approve' })).body.status).toBe('approved');
  const published = await call(WHO.landBranch, 'POST', `/projects/${id}/notice/publish`);
  expect(published.status).toBe(200);
  expect(published.body.notice).not.toHaveProperty('version');
  const [plan, ...postingDeadlines] = published.body.deadlines;
  expect(plan).toMatchObject({ ruleId: 'implementation-plan', lastDay: '2026-10-16', dueAt: '2026-10-16T16:00:00.000Z' });
  // Each township has 10 working days to post the notice in each of its groups; no registration window yet.
  expect(postingDeadlines.map((d: { ruleId: string; lastDay: string; jurisdiction: string }) => [d.ruleId, d.lastDay, d.jurisdiction])).toEqual([
    ['notice-posting/g1', '2026-09-15', 'yongzhou/lengshuitan/meiwan'],
    ['notice-posting/g2', '2026-09-15', 'yongzhou/lengshuitan/yitang'],
  ]);

  // Public security is asked to suspend hukou changes; the suspension is its act, so it acknowledges it.
  const inbox = await call(WHO.police, 'GET', '/inbox');
  expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'hukou-changes-suspended', projectId: id })]);
  expect((await call(WHO.landBranch, 'POST', `/projects/${id}/hukou-suspension/acknowledge`)).status).toBe(403);
  const acknowledged = await call(WHO.police, 'POST', `/projects/${id}/hukou-suspension/acknowledge`);
  expect(acknowledged.status).toBe(200);
  expect(acknowledged.body).toMatchObject({ projectId: id, acknowledgedBy: { agency: 'public-security' } });
  expect((await call(WHO.police, 'POST', `/projects/${id}/hukou-suspension/acknowledge`)).body.error.code).toBe('hukou-suspension.already-acknowledged');
  expect((await call(WHO.landBranch, 'GET', '/inbox')).body.items).toEqual([expect.objectContaining({ kind: 'hukou-suspension-acknowledged', projectId: id })]);

  // That afternoon, townships post the notice, with a photo uploaded straight to S3 through a presigned URL;
  // each group's registration window runs from its posting.
  await cloud.advance(7 * 3_600_000);
  const windows: Record<string, { lastDay: string; dueAt: string }> = {};
  const photo = Buffer.from(`photo of the notice on the board, ${id}`);
  for (const [who, group] of [[WHO.meiwan, 'g1'], [WHO.yitang, 'g2']] as const) {
    const declared = { contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') };
    const upload = await call(who, 'POST', `/projects/${id}/evidence-uploads`, { document: 'notice', villageGroupId: group, fileName: 'notice.jpg', ...declared });
    expect(upload.status).toBe(201);
    // The SHA-256 travels as a signed header, which the template's Object Lock bucket requires.
    expect(upload.body.headers['x-amz-checksum-sha256']).toBe(Buffer.from(declared.sha256, 'hex').toString('base64'));
    expect(new URL(upload.body.url).searchParams.get('X-Amz-SignedHeaders')).toContain('x-amz-checksum-sha256');
    expect((await call(who, 'POST', `/projects/${id}/postings`, { document: 'notice', villageGroupId: group, uploadIds: [upload.body.uploadId], postedAt: '2026-09-01T15:00:00+08:00', place: { description: '村务公开栏' } })).body.error.code).toBe('evidence.missing');
    const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: photo });
    expect(put.status).toBe(200);
    const posting = await call(who, 'POST', `/projects/${id}/postings`, { document: 'notice', villageGroupId: group, uploadIds: [upload.body.uploadId], postedAt: '2026-09-01T15:00:00+08:00', place: { description: '村务公开栏', latitude: 26.43, longitude: 111.61 } });
    expect(posting.status).toBe(201);
    expect(posting.body.evidence[0]).toMatchObject({ sha256: createHash('sha256').update(photo).digest('hex'), size: photo.length, contentType: 'image/jpeg', versionId: expect.any(String) });
    windows[group] = posting.body.registrationWindow;
  }
  // 30 days from 1 September ends on 1 October, National Day: the window rolls to Thursday 8 October.
  expect(windows.g1).toMatchObject({ ruleId: 'registration-window/g1', lastDay: '2026-10-08', dueAt: '2026-10-08T16:00:00.000Z' });
  const window = windows.g1!;

  // Registrations while the window is open; a late one is refused.
  const registration = (contractNumber: string) => ({
    villageGroupId: 'g1',
    rightType: 'land-contract',
    holder: { kind: 'person', name: '张三', idNumber: '11010519491231002X' },
    contractNumber,
    description: '承包地 2 亩',
    onBehalf: true,
  });
  const first = await call(WHO.meiwan, 'POST', `/projects/${id}/registrations`, registration('C-001'));
  expect(first.status).toBe(201);
  expect(first.body.holder.idNumberMasked).toBe('1101**********002X');
  expect((await call(WHO.meiwan, 'POST', `/projects/${id}/registrations`, registration('C-001'))).status).toBe(409);
  await cloud.advance(Date.parse(window.dueAt) - cloud.clock.now() + 60_000);
  const late = await call(WHO.meiwan, 'POST', `/projects/${id}/registrations`, registration('C-002'));
  expect(late.status).toBe(422);
  expect(late.body.error.message).toContain('视为放弃补偿权利');

  // 45 days pass without a plan: one alert to the land bureau and the leading group office (the postings were in time).
  await cloud.advance(Date.parse(plan.dueAt) - cloud.clock.now() + 60_000);
  const alerts = cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === id && m.messageAttributes?.kind?.Value === 'deadline-overdue');
  expect(alerts).toHaveLength(1);
  expect(JSON.parse(alerts[0]!.message).message).toContain('2026年10月16日24时');
  await cloud.advance(0);
  const deliveredHere = delivered.filter((d) => d.body.MessageAttributes?.project?.Value === id);
  expect(deliveredHere.map((d) => d.body.Type)).toEqual(['Notification']);
  expect(deliveredHere[0]!.body.MessageAttributes.agency.Value).toContain('land-bureau');

  // The plan is published late: the standard is locked and the watch closes.
  expect((await call(WHO.landBranch, 'PUT', `/projects/${id}/plan`, PLAN_DRAFT)).status).toBe(200);
  expect((await call(WHO.legal, 'POST', `/projects/${id}/plan/review`, { decision: 'approve' })).status).toBe(200);
  // Without the joint meeting's approval the plan is not published (§四(一)).
  expect((await call(WHO.landBranch, 'POST', `/projects/${id}/plan/publish`)).body.error.code).toBe('plan.not-approved-by-joint-meeting');
  await planApprovedViaApi(cloud, call, id);
  expect((await call(WHO.landBranch, 'POST', `/projects/${id}/plan/publish`)).body.deadline.status).toBe('met-late');
  expect((await call(WHO.landBranch, 'PUT', `/projects/${id}/plan`, PLAN_DRAFT)).body.error.code).toBe('plan.locked');

  const timeline = await call(WHO.landBranch, 'GET', `/projects/${id}/timeline`);
  const steps = Object.fromEntries((timeline.body.steps as Array<{ step: string; status: string }>).map((s) => [s.step, s]));
  expect(steps['发布征收土地通告']).toMatchObject({ status: 'done', by: { agency: 'land-bureau' } });
  expect(steps['张贴征收土地通告并拍照留存：梅湾村一组']).toMatchObject({ status: 'done', lastDay: '2026-09-15', by: { agency: 'township' } });
  expect(steps['暂停办理户籍异动']).toMatchObject({ status: 'done', by: { agency: 'public-security' } });
  expect(steps['办理征地补偿登记：梅湾村一组']).toMatchObject({ status: 'closed', lastDay: '2026-10-08', due: expect.stringContaining('2026年10月8日24时'), detail: expect.stringContaining('全项目已登记 1 项') });
  expect(steps['办理征地补偿登记：伊塘村三组']).toMatchObject({ status: 'closed', lastDay: '2026-10-08' });
  expect(steps['恢复办理户籍异动']).toMatchObject({ status: 'not-started', detail: '已签订协议 0/0 户，补偿款已足额支付 0/0 户' });
  expect(steps['发布征地补偿安置实施方案']).toMatchObject({
    status: 'done-late',
    lastDay: '2026-10-16',
    due: expect.stringContaining('2026年10月16日24时'),
    dueAtBeijing: '2026-10-17T00:00:00+08:00',
    legalSource: expect.stringContaining('§五(一)3'),
  });
});

it('bad input gets a clear 4xx with a Chinese message and a code, and writes nothing', async () => {
  const before = await itemCounts();
  const token = await cloud.token('district-government', 'yongzhou/lengshuitan');
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${cloud.apiUrl}/projects`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
  const cases: Array<[Response, number, string]> = [
    [await post('{"name":'), 400, 'request.malformed-json'],
    [await post(JSON.stringify({ ...NEW_PROJECT, extra: 1 })), 400, 'request.invalid'],
    [await post(JSON.stringify({ ...NEW_PROJECT, name: 42 })), 400, 'request.invalid'],
    [await post(JSON.stringify({ district: NEW_PROJECT.district })), 400, 'request.invalid'],
    [await post('name=x', 'application/x-www-form-urlencoded'), 415, 'request.content-type'],
    [await post(JSON.stringify({ ...NEW_PROJECT, name: 'x'.repeat(300_000) })), 413, 'request.too-large'],
  ];
  for (const [response, status, code] of cases) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  }
  const unknown = await call(WHO.landBranch, 'GET', '/projects/NOSUCHPROJECT/timeline');
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('project.not-found');
  expect(await itemCounts()).toEqual(before);
});

it("the console's reads refuse bad queries with a 400 (Chinese message, code) and write nothing, not even the read's audit record", async () => {
  const before = await itemCounts();
  const cases: Array<[typeof WHO.landBranch, string, string]> = [
    [WHO.landBranch, '/projects?stage=bogus', 'request.invalid'],
    [WHO.landBranch, '/projects?limit=0', 'request.invalid'],
    [WHO.landBranch, '/projects?cursor=forged', 'request.cursor'],
    [WHO.landBranch, '/my-work?limit=1001', 'request.invalid'],
    [WHO.landBranch, '/my-work?cursor=forged', 'request.cursor'],
    [WHO.landBranch, '/alerts?since=yesterday', 'request.invalid'],
    [WHO.landBranch, '/alerts?cursor=forged', 'request.cursor'],
  ];
  for (const [who, path, code] of cases) {
    const answer = await call(who, 'GET', path);
    expect([path, answer.status]).toEqual([path, 400]);
    expect([path, answer.body.error.code]).toEqual([path, code]);
    expect(answer.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  }
  expect(await itemCounts()).toEqual(before);
});

/** Every audit entry so far. */
async function auditEntries(): Promise<Array<{ requestId: string; action: string; actor: { agency: string; jurisdiction: string }; target: { id: string }; summary: { code: string } }>> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
  const table = cloud.blueprint.tables.find((t) => t.name.includes('Audit'))!;
  const out = await db.send(new ScanCommand({ TableName: table.name }));
  db.destroy();
  return (out.Items ?? []) as never;
}

/** Items in every table of the local cloud (cases and the audit trail). */
async function itemCounts(): Promise<number[]> {
  const db = new DynamoDBClient({ endpoint: cloud.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const counts = await Promise.all(cloud.blueprint.tables.map(async (t) => (await db.send(new CountCommand({ TableName: t.name, Select: 'COUNT' }))).Count ?? 0));
  db.destroy();
  return counts;
}

it('serves the OpenAPI document and health check without a token', async () => {
  const doc = (await (await fetch(`${cloud.apiUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/projects', '/projects/{projectId}/registrations', '/calendar/deadline']));
  expect((await fetch(`${cloud.apiUrl}/health`)).status).toBe(200);
});

it('the audit trail of a case is one hash chain, verified by `npm run audit:verify` against the local cloud', async () => {
  const created = await call(WHO.district, 'POST', '/projects', { ...NEW_PROJECT, name: '审计链检查' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  // A write and two reads (each read appends an audit record alone, chained too).
  for (let i = 0; i < 2; i++) expect((await call(WHO.landBranch, 'GET', `/projects/${id}/timeline`)).status).toBe(200);
  const table = cloud.blueprint.tables.find((t) => t.name.includes('Audit'))!.name;
  const verify = () =>
    spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'scripts/audit-verify.ts'), '--case', id, '--table', table], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
    });
  const ok = verify();
  expect(ok.stdout).toMatch(new RegExp(`^OK project#${id} entries=3 head=[0-9a-f]{64}\\n$`));
  expect(ok.status).toBe(0);
  // Someone with PutItem rewrites who created the project: the chain names the entry.
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: cloud.endpoints.dynamodb, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }));
  const first = (await db.send(new GetCommand({ TableName: table, Key: { pk: `project#${id}`, sk: 'SEQ#000000000001' } }))).Item!;
  expect(first.action).toBe('project.create');
  await db.send(new PutCommand({ TableName: table, Item: { ...first, actor: { ...first.actor, user: 'someone-else' } } }));
  db.destroy();
  const broken = verify();
  expect(broken.stdout).toMatch(/^BROKEN project#\S+ at entry 1: entry 1 was changed/);
  expect(broken.status).toBe(1);
});
