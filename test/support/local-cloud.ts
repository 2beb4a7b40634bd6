import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud.ts';
import { CDK_OUT } from '../../infra/local/synth.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { routeKeyOf, type RouteSpec } from '../../shared/http/routes.ts';

/** A local cloud of its own for one test file, on the run's shared DynamoDB Local. */
export async function startTestCloud(options: {
  clockStart: string;
  dataDir?: string;
  fresh?: boolean;
  tablePrefix?: string;
  /** Another way to the run's DynamoDB Local (e.g. a proxy a test can cut). */
  dynamodbEndpoint?: string;
  /** Where the functions call the bank (default: the simulator). */
  bankUrl?: string;
}): Promise<LocalCloud & { dataDir: string; tablePrefix: string }> {
  const endpoint = options.dynamodbEndpoint ?? inject('dynamodbEndpoint');
  // Only the `local` vitest project runs test/global-setup.ts; elsewhere this would be undefined.
  if (!endpoint) throw new Error('a local cloud needs the global setup (DynamoDB Local): put this test under test/, in the `local` vitest project');
  process.env.LOG_LEVEL = 'silent';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'local-cloud-'));
  const tablePrefix = options.tablePrefix ?? `t${Math.random().toString(36).slice(2, 8)}-`;
  const cloud = await startLocalCloud({
    dataDir,
    cdkOut: CDK_OUT,
    fresh: options.fresh ?? true,
    clockStart: new Date(options.clockStart),
    dynamodb: { endpoint, tablePrefix },
    ...(options.bankUrl ? { bankUrl: options.bankUrl } : {}),
    log: () => undefined,
  });
  return Object.assign(cloud, { dataDir, tablePrefix });
}

/**
 * Calls one service's routes through the API, each expecting its success status and holding the
 * answer to the route's declared (strict) schema; `checked` collects the routes called, so a
 * procedure test can show it exercised every route of its service.
 */
export function schemaCheckedRoutes(call: ReturnType<typeof apiClient>, service: string) {
  const routes = new Map<string, RouteSpec>(ALL_ROUTES.filter((r) => r.service === service).map((r) => [routeKeyOf(r), r]));
  const checked = new Set<string>();
  async function check(key: string, who: { agency: string; jurisdiction: string }, path: string, body?: unknown): Promise<any> {
    const route = routes.get(key);
    if (!route) throw new Error(`no ${service} route ${key}`);
    const response = await call(who, route.method, path, body);
    expect(response.status, `${key}: ${JSON.stringify(response.body)}`).toBe(route.successStatus ?? 200);
    const parsed = route.response.safeParse(response.body);
    expect(parsed.success ? [] : parsed.error.issues, `${key} answered ${JSON.stringify(response.body)}`).toEqual([]);
    expect(route.response.safeParse({ ...response.body, undeclared: 1 }).success, `${key} schema is not strict`).toBe(false);
    checked.add(key);
    return response.body;
  }
  return { routes, checked, check };
}

/** Moves the virtual clock forward to `instant` (never back), letting every timer due on the way fire. */
export async function advanceClockTo(cloud: Pick<LocalCloud, 'clock' | 'advance'>, instant: string): Promise<void> {
  const target = Date.parse(instant);
  if (target > cloud.clock.now()) await cloud.advance(target - cloud.clock.now());
}

/** A small client for the local HTTP API with a token per agency. */
export function apiClient(cloud: LocalCloud) {
  const tokens = new Map<string, string>();
  return async function call(
    /** `user` names the clerk (default `dev.<agency>`): e.g. a second finance user to confirm another's entry. */
    who: { agency: string; jurisdiction: string; user?: string | undefined },
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const key = `${who.user ?? ''}:${who.agency}@${who.jurisdiction}`;
    if (!tokens.has(key)) tokens.set(key, await cloud.token(who.agency, who.jurisdiction, who.user));
    const response = await fetch(`${cloud.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(key)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

export const WHO = {
  district: { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' },
  landBranch: { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' },
  legal: { agency: 'legal-affairs-office', jurisdiction: 'yongzhou' },
  meiwan: { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' },
  yitang: { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/yitang' },
  police: { agency: 'public-security', jurisdiction: 'yongzhou' },
  leadingGroup: { agency: 'leading-group-office', jurisdiction: 'yongzhou' },
  etdzBranch: { agency: 'land-bureau', jurisdiction: 'yongzhou/etdz' },
} as const;

export const NEW_PROJECT = {
  name: '滨江大道建设项目',
  district: 'yongzhou/lengshuitan',
  villageGroups: [
    { name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
    { name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
  ],
};

export const PLAN_DRAFT = {
  title: '滨江大道建设项目征地补偿安置实施方案',
  body: '依据经批准的征地补偿安置政策……',
  standard: {
    landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }],
    resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }],
    cropRates: [{ crop: '水稻', fenPerMu: 150_000 }],
    attachmentRates: [{ item: '水井', unit: '口', fenPerUnit: 80_000 }],
    houseRates: [{ structure: '砖混', fenPerSquareMetre: 98_000 }],
    socialSecurity: { fenPerPerson: 2_500_000 },
    resettlementOptions: [
      { id: 'money', description: '货币补偿', kind: 'cash' },
      { id: 'swap', description: '产权调换：滨江安置小区', kind: 'swap', fenPerSquareMetre: 260_000 },
    ],
  },
};

/**
 * Creates a project and publishes its notice through the API; then (unless `posted` is false)
 * each township posts it in its group at the moment of publication, with a verified photo, which
 * meets its posting deadline and starts the group's registration window. Returns the project id,
 * the plan deadline and g1's registration window.
 */
export async function publishNoticeViaApi(call: ReturnType<typeof apiClient>, registrationPeriod = '30d', { posted = true } = {}) {
  const created = await call(WHO.district, 'POST', '/projects', NEW_PROJECT);
  if (created.status !== 201) throw new Error(`create: ${JSON.stringify(created)}`);
  const projectId = created.body.id as string;
  const drafted = await call(WHO.landBranch, 'PUT', `/projects/${projectId}/notice`, { title: '征收土地通告', body: '通告正文', registrationPeriod, registrationPlace: '梅湾街道办事处' });
  if (drafted.status !== 200) throw new Error(`draft: ${JSON.stringify(drafted)}`);
  const reviewed = await call(WHO.legal, 'POST', `/projects/${projectId}/notice/review`, { decision: 'approve' });
  if (reviewed.status !== 200) throw new Error(`review: ${JSON.stringify(reviewed)}`);
  const published = await call(WHO.landBranch, 'POST', `/projects/${projectId}/notice/publish`);
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published)}`);
  const deadlines = published.body.deadlines as Array<{ ruleId: string; dueAt: string }>;
  const plan = deadlines.find((d) => d.ruleId === 'implementation-plan')!;
  const windows: Array<Awaited<ReturnType<typeof postNoticeViaApi>>> = [];
  if (posted) {
    for (const [who, group] of [[WHO.meiwan, 'g1'], [WHO.yitang, 'g2']] as const) {
      windows.push(await postNoticeViaApi(call, projectId, who, group, published.body.notice.publishedAt));
    }
  }
  return { projectId, plan, window: windows[0]!, deadlines };
}

/** The township posts the notice in its group at `postedAt` with one photo through the presigned URL; returns the group's window. */
export async function postNoticeViaApi(call: ReturnType<typeof apiClient>, projectId: string, who: { agency: string; jurisdiction: string }, group: string, postedAt: string) {
  const photo = Buffer.from(`photo of the notice in ${group} of ${projectId}`);
  const declared = { contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') };
  const upload = await call(who, 'POST', `/projects/${projectId}/evidence-uploads`, { document: 'notice', villageGroupId: group, fileName: 'notice.jpg', ...declared });
  if (upload.status !== 201) throw new Error(`evidence upload: ${JSON.stringify(upload)}`);
  const put = await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: photo });
  if (put.status !== 200) throw new Error(`evidence PUT: ${put.status}`);
  const posting = await call(who, 'POST', `/projects/${projectId}/postings`, { document: 'notice', villageGroupId: group, uploadIds: [upload.body.uploadId], postedAt, place: { description: '村务公开栏' } });
  if (posting.status !== 201) throw new Error(`posting: ${JSON.stringify(posting)}`);
  return posting.body.registrationWindow as { ruleId: string; dueAt: string; lastDay: string };
}

/** A local cloud for the whole test file: started before its tests, stopped after them. */
export function useTestCloud(options: { clockStart: string }): () => LocalCloud {
  let cloud: LocalCloud | undefined;
  beforeAll(async () => {
    cloud = await startTestCloud(options);
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  return () => {
    if (!cloud) throw new Error('the local cloud is not started yet');
    return cloud;
  };
}
