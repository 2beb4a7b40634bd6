import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import type { Identity } from '../../../shared/identity.ts';
import { AGENTS, ctxOf, RecordingScheduler, MemoryEvidenceStore, sequentialIds } from '../../../test/support/fakes.ts';
import { noticesDepsOn } from '../adapters/deps.ts';
import { projectListQuery } from '../schemas.ts';
import { createProjectCase, draftProjectNotice, listProjects, publishProjectNotice, reviewProjectNotice, type NoticesDeps, type ProjectListQuery } from './use-cases.ts';

const DRAFT = { title: '征收土地通告', body: '通告正文', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' };
const group = (township: string, name = '一组') => ({ name, village: '某村', township });

let store: MemoryTable;
let deps: NoticesDeps;
let ids: { riverside: string; shanhu: string; etdz: string };

beforeEach(async () => {
  store = new MemoryTable();
  deps = noticesDepsOn(store, { evidence: new MemoryEvidenceStore(), scheduler: new RecordingScheduler(), newId: sequentialIds });
  // Oldest first: a Lengshuitan project in Meiwan and Yitang (notice published), one in Shanhu alone (just created), one in the development zone (notice in review).
  const riverside = await createProjectCase(deps, { name: '滨江大道 Riverside 项目', district: 'yongzhou/lengshuitan', villageGroups: [group('yongzhou/lengshuitan/meiwan'), group('yongzhou/lengshuitan/yitang', '三组')] }, ctxOf(AGENTS.district, '2026-08-01T09:00:00+08:00'));
  await draftProjectNotice(deps, riverside.id, DRAFT, ctxOf(AGENTS.landBranch, '2026-08-02T09:00:00+08:00'));
  await reviewProjectNotice(deps, riverside.id, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-08-03T09:00:00+08:00'));
  await publishProjectNotice(deps, riverside.id, ctxOf(AGENTS.landBranch, '2026-08-04T09:00:00+08:00'));
  const shanhu = await createProjectCase(deps, { name: '珊瑚路拓宽项目', district: 'yongzhou/lengshuitan', villageGroups: [group('yongzhou/lengshuitan/shanhu')] }, ctxOf(AGENTS.district, '2026-08-05T09:00:00+08:00'));
  const etdz = await createProjectCase(deps, { name: '经开区滨江产业园项目', district: 'yongzhou/etdz', villageGroups: [group('yongzhou/etdz/township-a')] }, ctxOf(AGENTS.etdzBranch, '2026-08-06T09:00:00+08:00'));
  await draftProjectNotice(deps, etdz.id, DRAFT, ctxOf(AGENTS.etdzBranch, '2026-08-07T09:00:00+08:00'));
  ids = { riverside: riverside.id, shanhu: shanhu.id, etdz: etdz.id };
  store.audit.length = 0;
});

const list = (who: Identity, query: Partial<ProjectListQuery> = {}) => listProjects(deps, { limit: 50, ...query }, ctxOf(who, '2026-09-01T09:00:00+08:00'));

/** Every page of the list, as the console follows the cursor. */
async function allPages(who: Identity, query: Partial<ProjectListQuery>) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(who, { ...query, cursor });
    pages.push(page.items.map((p) => p.id));
    cursor = page.cursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe('the project list', () => {
  it('shows a city agency every district\'s projects, newest first, with stage, district name and group count', async () => {
    const { items, cursor } = await list(AGENTS.landBureau);
    expect(cursor).toBeUndefined();
    expect(items).toEqual([
      { id: ids.etdz, name: '经开区滨江产业园项目', district: 'yongzhou/etdz', districtName: '永州经济技术开发区', stage: 'notice-draft', stageName: '征收土地通告拟定中', createdAt: '2026-08-06T01:00:00.000Z', villageGroupCount: 1 },
      { id: ids.shanhu, name: '珊瑚路拓宽项目', district: 'yongzhou/lengshuitan', districtName: '冷水滩区', stage: 'created', stageName: '已立项', createdAt: '2026-08-05T01:00:00.000Z', villageGroupCount: 1 },
      { id: ids.riverside, name: '滨江大道 Riverside 项目', district: 'yongzhou/lengshuitan', districtName: '冷水滩区', stage: 'notice-published', stageName: '征收土地通告已发布', createdAt: '2026-08-01T01:00:00.000Z', villageGroupCount: 2 },
    ]);
    expect(store.audit).toEqual([expect.objectContaining({ action: 'project.list', target: { type: 'project-list', id: 'yongzhou' }, summary: { count: 3 } })]);
  });

  it('shows a district its own projects and a township those with a group in it — the rule of GET /projects/{id}', async () => {
    expect((await list(AGENTS.landBranch)).items.map((p) => p.id)).toEqual([ids.shanhu, ids.riverside]);
    expect((await list(AGENTS.etdzBranch)).items.map((p) => p.id)).toEqual([ids.etdz]);
    expect((await list(AGENTS.meiwan)).items.map((p) => p.id)).toEqual([ids.riverside]);
    expect((await list(AGENTS.yitang)).items.map((p) => p.id)).toEqual([ids.riverside]);
    expect((await list({ user: 'x', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/huangyangsi' })).items).toEqual([]);
  });

  it('finds by a part of the name, ignoring case and full-width forms, and by stage', async () => {
    expect((await list(AGENTS.landBureau, { q: '滨江' })).items.map((p) => p.id)).toEqual([ids.etdz, ids.riverside]);
    expect((await list(AGENTS.landBureau, { q: 'ＲＩＶＥＲ' })).items.map((p) => p.id)).toEqual([ids.riverside]);
    expect((await list(AGENTS.landBureau, { stage: 'created' })).items.map((p) => p.id)).toEqual([ids.shanhu]);
    expect((await list(AGENTS.landBureau, { q: '滨江', stage: 'notice-published' })).items.map((p) => p.id)).toEqual([ids.riverside]);
    expect((await list(AGENTS.landBranch, { stage: 'plan-published' })).items).toEqual([]);
    expect(store.audit.at(-1)?.summary).toEqual({ count: 0, stage: 'plan-published' });
  });

  it('filters after the index is read: a page may be short or empty, the cursor goes on to the end', async () => {
    // Meiwan's district holds two projects, the newer not Meiwan's: the first page of one is empty.
    expect(await allPages(AGENTS.meiwan, { limit: 1 })).toEqual([[], [ids.riverside]]);
    expect((await allPages(AGENTS.landBureau, { limit: 1, stage: 'created' })).flat()).toEqual([ids.shanhu]);
    expect(await allPages(AGENTS.landBureau, { limit: 2 })).toEqual([[ids.etdz, ids.shanhu], [ids.riverside]]);
  });

  it('refuses a cursor of another caller\'s list (400)', async () => {
    const city = await list(AGENTS.landBureau, { limit: 1 });
    await expect(list(AGENTS.landBranch, { limit: 1, cursor: city.cursor })).rejects.toMatchObject({ code: 'request.cursor' });
    const district = await list(AGENTS.landBranch, { limit: 1 });
    await expect(list(AGENTS.etdzBranch, { limit: 1, cursor: district.cursor })).rejects.toMatchObject({ code: 'request.cursor' });
  });
});

describe('the project list query', () => {
  it('takes a name search of up to 50 characters, a known stage, pages of up to 100; nothing else', () => {
    expect(projectListQuery.parse({})).toEqual({ limit: 50 });
    expect(projectListQuery.parse({ q: ' 滨江 ', stage: 'plan-draft', limit: '100' })).toEqual({ q: '滨江', stage: 'plan-draft', limit: 100 });
    for (const bad of [{ q: '' }, { q: '   ' }, { q: '滨'.repeat(51) }, { stage: 'signed' }, { limit: '101' }, { name: '滨江' }]) {
      expect(projectListQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
