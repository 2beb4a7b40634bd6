import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { ALL_ROUTES } from '../../services/all-routes.ts';
import { routeKeyOf } from '../../shared/http/routes.ts';
import { apiClient, NEW_PROJECT, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * Agency × jurisdiction, route by route, through the local API with real tokens: every route but
 * the two public ones needs a token (401), and each refuses an agency without the duty and an
 * agency of the right kind from another jurisdiction (403).
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let projectId: string;

const OTHER = {
  etdzTownship: { agency: 'township', jurisdiction: 'yongzhou/etdz/township-a' },
  etdzDistrict: { agency: 'district-government', jurisdiction: 'yongzhou/etdz' },
  finance: { agency: 'finance', jurisdiction: 'yongzhou' },
  etdzPolice: { agency: 'public-security', jurisdiction: 'yongzhou/etdz' },
} as const;

const photo = Buffer.from('photo');
const upload = { document: 'notice', villageGroupId: 'g1', fileName: 'p.jpg', contentType: 'image/jpeg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') };
const registration = { villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村一组', collectiveLevel: 'group' }, description: '集体土地', onBehalf: false };
const year = { year: 2027, holidays: ['2027-01-01'], workdays: [], source: '测试数据（非国务院安排）', updatedAt: '2026-11-27' };

type Who = { agency: string; jurisdiction: string };
/** route key → [path, body, agencies refused for lack of duty, refused for jurisdiction] */
const MATRIX = (): Record<string, [string, unknown, Who[], Who[]]> => ({
  'POST /projects': ['/projects', NEW_PROJECT, [WHO.meiwan, WHO.legal], [WHO.etdzBranch, OTHER.etdzDistrict]],
  'GET /projects/{projectId}': [`/projects/${projectId}`, undefined, [], [OTHER.etdzTownship, OTHER.etdzDistrict]],
  'GET /projects/{projectId}/timeline': [`/projects/${projectId}/timeline`, undefined, [], [OTHER.etdzTownship, WHO.etdzBranch]],
  'PUT /projects/{projectId}/notice': [`/projects/${projectId}/notice`, { title: 't', body: 'b', registrationPeriod: '30d', registrationPlace: 'p' }, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'GET /projects/{projectId}/notice': [`/projects/${projectId}/notice`, undefined, [], [OTHER.etdzTownship]],
  'POST /projects/{projectId}/notice/review': [`/projects/${projectId}/notice/review`, { decision: 'approve' }, [WHO.landBranch, WHO.district], []],
  'POST /projects/{projectId}/notice/publish': [`/projects/${projectId}/notice/publish`, undefined, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'POST /projects/{projectId}/evidence-uploads': [`/projects/${projectId}/evidence-uploads`, upload, [WHO.landBranch, WHO.police], [WHO.yitang, OTHER.etdzTownship]],
  'POST /projects/{projectId}/postings': [`/projects/${projectId}/postings`, { document: 'notice', villageGroupId: 'g1', uploadIds: ['X'], postedAt: '2026-09-01T12:00:00+08:00', place: { description: 'p' } }, [WHO.landBranch], [WHO.yitang, OTHER.etdzTownship]],
  'POST /projects/{projectId}/hukou-suspension/acknowledge': [`/projects/${projectId}/hukou-suspension/acknowledge`, undefined, [WHO.landBranch, WHO.meiwan], [OTHER.etdzPolice]],
  'POST /projects/{projectId}/registrations': [`/projects/${projectId}/registrations`, registration, [WHO.legal, WHO.police], [WHO.yitang, WHO.etdzBranch]],
  'GET /projects/{projectId}/registrations': [`/projects/${projectId}/registrations`, undefined, [WHO.police, OTHER.finance], [OTHER.etdzTownship, WHO.etdzBranch]],
  'PUT /projects/{projectId}/plan': [`/projects/${projectId}/plan`, PLAN_DRAFT, [WHO.legal, WHO.district], [WHO.etdzBranch]],
  'GET /projects/{projectId}/plan': [`/projects/${projectId}/plan`, undefined, [], [OTHER.etdzTownship]],
  'POST /projects/{projectId}/plan/review': [`/projects/${projectId}/plan/review`, { decision: 'approve' }, [WHO.landBranch], []],
  'POST /projects/{projectId}/plan/publish': [`/projects/${projectId}/plan/publish`, undefined, [WHO.legal], [WHO.etdzBranch]],
  'PUT /calendar/years/{year}': ['/calendar/years/2027', year, [WHO.landBranch, WHO.legal], []],
  'GET /performance/overdue': ['/performance/overdue', undefined, [WHO.landBranch, WHO.meiwan], []],
  'GET /calendar/jobs/{jobId}': ['/calendar/jobs/recount-any', undefined, [WHO.landBranch, WHO.meiwan], []],
});

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });
  call = apiClient(cloud);
  ({ projectId } = await publishNoticeViaApi(call));
});
afterAll(async () => {
  await cloud?.stop();
});

describe('every route', () => {
  it('needs a token, except the OpenAPI document and the health check', async () => {
    for (const route of ALL_ROUTES) {
      const path = route.path.replace('{projectId}', projectId).replace('{year}', '2027');
      const response = await fetch(`${cloud.apiUrl}${path}`, { method: route.method });
      expect(response.status, routeKeyOf(route)).toBe(route.auth === 'none' ? 200 : 401);
    }
  });

  it('refuses agencies without the duty, and the right agency from another jurisdiction (403)', async () => {
    const matrix = MATRIX();
    const protectedRoutes = ALL_ROUTES.filter((r) => r.auth === 'jwt').map(routeKeyOf);
    // Routes open to every agency in its own jurisdiction have no target to refuse on.
    const everyAgency = ['GET /inbox', 'GET /calendar/deadline', 'GET /calendar/years'];
    expect([...Object.keys(matrix), ...everyAgency].sort()).toEqual([...protectedRoutes].sort());
    for (const [key, [path, body, noDuty, otherPlace]] of Object.entries(matrix)) {
      const method = key.split(' ')[0]!;
      for (const who of [...noDuty, ...otherPlace]) {
        const response = await call(who, method, path, body);
        expect(response.status, `${key} as ${who.agency}@${who.jurisdiction}: ${JSON.stringify(response.body)}`).toBe(403);
        expect(response.body.error.code).toMatch(/^forbidden\./);
      }
    }
  });
});
