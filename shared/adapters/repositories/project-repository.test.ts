import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../cases/project.ts';
import { MemoryTable } from '../memory-table.ts';
import { TableProjectRepository } from './project-repository.ts';
import { TableUnitOfWork } from './unit-of-work.ts';

const LENGSHUITAN = 'yongzhou/lengshuitan';
const ETDZ = 'yongzhou/etdz';
const BOTH = [LENGSHUITAN, ETDZ];

const project = (id: string, district: string, minute: number): Project => ({
  id,
  name: `项目${id}`,
  district,
  villageGroups: [{ id: 'g1', name: '一组', village: '某村', township: `${district}/x` }],
  createdAt: new Date(Date.UTC(2026, 8, 1, 0, minute)).toISOString(),
  createdBy: { user: 'u', agency: 'district-government', jurisdiction: district },
});

async function filed(projects: Project[]) {
  const table = new MemoryTable();
  const repo = new TableProjectRepository(table);
  await new TableUnitOfWork(table).commit(projects.map((p) => repo.create(p)), []);
  return repo;
}

async function everyPage(repo: TableProjectRepository, districts: string[], limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await repo.pageInDistricts(districts, { limit, cursor });
    pages.push(page.items.map((p) => p.id));
    cursor = page.cursor;
    if (pages.length > 100) throw new Error('paging does not end');
  } while (cursor);
  return pages;
}

describe('projects of several districts, a page at a time', () => {
  it('merges the districts newest first, each page full until the last, every project once', async () => {
    const repo = await filed([
      project('L1', LENGSHUITAN, 1),
      project('E2', ETDZ, 2),
      project('L3', LENGSHUITAN, 3),
      project('L4', LENGSHUITAN, 4),
      project('E5', ETDZ, 5),
    ]);
    expect(await everyPage(repo, BOTH, 2)).toEqual([['E5', 'L4'], ['L3', 'E2'], ['L1']]);
    expect(await everyPage(repo, [ETDZ], 10)).toEqual([['E5', 'E2']]);
    expect(await everyPage(repo, [], 10)).toEqual([[]]);
  });

  it('gives every project of the districts once, newest first, whatever the page size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ district: fc.constantFrom(...BOTH), minute: fc.integer({ min: 0, max: 59 }) }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (specs, limit) => {
          const projects = specs.map((s, i) => project(`P${i}`, s.district, s.minute));
          const pages = await everyPage(await filed(projects), BOTH, limit);
          const listed = pages.flat();
          expect([...listed].sort()).toEqual(projects.map((p) => p.id).sort());
          const minutes = listed.map((id) => projects.find((p) => p.id === id)!.createdAt);
          expect(minutes).toEqual([...minutes].sort().reverse());
          // Only the last page may be short.
          for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a cursor of another caller\'s districts, an edited one and garbage (400 request.cursor)', async () => {
    const repo = await filed([project('L1', LENGSHUITAN, 1), project('L2', LENGSHUITAN, 2), project('E3', ETDZ, 3), project('E4', ETDZ, 4)]);
    const city = await repo.pageInDistricts(BOTH, { limit: 1 });
    const district = await repo.pageInDistricts([LENGSHUITAN], { limit: 1 });
    expect(city.cursor).toBeDefined();
    expect(district.cursor).toBeDefined();
    const refused = [
      [[LENGSHUITAN], city.cursor],
      [[ETDZ], district.cursor],
      [BOTH, district.cursor],
      [[LENGSHUITAN], `${district.cursor}A`],
      [[LENGSHUITAN], 'garbage'],
      [[LENGSHUITAN], 'c'],
    ] as const;
    for (const [districts, cursor] of refused) {
      await expect(repo.pageInDistricts(districts, { limit: 1, cursor }), `${districts} ${cursor}`).rejects.toMatchObject({ code: 'request.cursor' });
    }
  });
});
