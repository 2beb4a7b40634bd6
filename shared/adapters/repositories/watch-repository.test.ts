import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../calendar/index.ts';
import { watchRule } from '../../deadlines/watch-rules.ts';
import { openWatch } from '../../deadlines/watch.ts';
import { MemoryTable } from '../memory-table.ts';
import { asTableWrite } from '../table.ts';
import { TableWatchRepository } from './watch-repository.ts';

const on = { caseId: 'P1', phase: 'project', jurisdiction: 'yongzhou/lengshuitan' };
const watch = openWatch(on, watchRule('implementation-plan'), new Date('2026-09-01T02:00:00Z'), HolidayCalendar.builtIn());

describe('the watch repository', () => {
  it('keeps a waiting workflow\'s callback beside the watch, never inside it; a save without it drops it', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    await table.commit([asTableWrite(watches.save(watch, 'absent', { waiting: 'token-1' }))], []);
    const found = await watches.get('P1', 'implementation-plan');
    expect(found).toEqual({ watch, version: 1, waiting: 'token-1' });
    await table.commit([asTableWrite(watches.save({ ...watch, status: 'met' }, found.version))], []);
    expect((await watches.get('P1', 'implementation-plan')).waiting).toBeUndefined();
  });

  it('reads a record written before the callback moved out of the watch (callbackToken inside it)', async () => {
    const table = new MemoryTable();
    const legacy = { ...watch, callbackToken: 'old-token', pk: 'PROJECT#P1', sk: 'DEADLINE#implementation-plan', type: 'deadline', version: 3 };
    table.items.set('PROJECT#P1\u0000DEADLINE#implementation-plan', legacy);
    const found = await new TableWatchRepository(table).get('P1', 'implementation-plan');
    expect(found.waiting).toBe('old-token');
    expect(found.watch).toEqual(watch);
    expect(found.watch).not.toHaveProperty('callbackToken');
  });

  it('indexes live watches by due instant, and leaves settled ones out', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    const later = { ...watch, caseId: 'P2', dueAt: '2027-01-01T16:00:00.000Z' };
    await table.commit([asTableWrite(watches.save(later, 'absent')), asTableWrite(watches.save(watch, 'absent')), asTableWrite(watches.save({ ...watch, caseId: 'P3', status: 'met' }, 'absent'))], []);
    expect((await watches.live()).map((s) => s.watch.caseId)).toEqual(['P1', 'P2']);
  });

  it('indexes live watches per responsible agency: an agency reads its own, nearest due first, a page at a time', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    const township = { ...watch, responsibleAgency: 'township' as const };
    await table.commit([
      asTableWrite(watches.save({ ...township, caseId: 'T2', dueAt: '2026-12-02T16:00:00.000Z' }, 'absent')),
      asTableWrite(watches.save({ ...watch, caseId: 'L1', dueAt: '2026-11-01T16:00:00.000Z' }, 'absent')),
      asTableWrite(watches.save({ ...township, caseId: 'T1', dueAt: '2026-12-01T16:00:00.000Z' }, 'absent')),
      asTableWrite(watches.save({ ...township, caseId: 'T3', status: 'met' }, 'absent')),
    ], []);
    const first = await watches.liveOfAgency('township', { limit: 1 });
    expect(first.items.map((w) => w.caseId)).toEqual(['T1']);
    const second = await watches.liveOfAgency('township', { limit: 1, cursor: first.cursor });
    expect(second.items.map((w) => w.caseId)).toEqual(['T2']);
    expect(second.cursor).toBeUndefined();
    expect((await watches.liveOfAgency('land-bureau', { limit: 10 })).items.map((w) => w.caseId)).toEqual(['L1']);
    // The walk of every live watch goes agency by agency (AGENCY_IDS: the land bureau before townships).
    expect((await watches.live()).map((s) => s.watch.caseId)).toEqual(['L1', 'T1', 'T2']);
  });

  it('walks a live watch indexed before the per-agency partitions, until it is saved again', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    const legacy = { ...watch, caseId: 'OLD', pk: 'PROJECT#OLD', sk: 'DEADLINE#implementation-plan', type: 'deadline', version: 1, gsi1pk: 'DEADLINES#LIVE', gsi1sk: `${watch.dueAt}#OLD#implementation-plan` };
    table.items.set('PROJECT#OLD\u0000DEADLINE#implementation-plan', legacy);
    await table.commit([asTableWrite(watches.save(watch, 'absent'))], []);
    expect((await watches.livePage(undefined, 10)).items.map((s) => s.watch.caseId)).toEqual(['P1', 'OLD']);
    await table.commit([asTableWrite(watches.save({ ...watch, caseId: 'OLD' }, 1))], []);
    expect((await watches.live()).map((s) => s.watch.caseId)).toEqual(['OLD', 'P1']);
  });

  it('pages across the agencies\' partitions, filling each page, each watch once', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    const agencies = ['township', 'land-bureau', 'finance', 'township', 'land-bureau'] as const;
    await table.commit(agencies.map((agency, i) => asTableWrite(watches.save({ ...watch, caseId: `P${i}`, responsibleAgency: agency, dueAt: `2026-12-0${5 - i}T16:00:00.000Z` }, 'absent'))), []);
    const pages: string[][] = [];
    let position: string | undefined;
    do {
      const page = await watches.livePage(position, 2);
      pages.push(page.items.map((s) => s.watch.caseId));
      position = page.position;
    } while (position);
    expect(pages).toEqual([['P4', 'P1'], ['P3', 'P0'], ['P2']]);
    await expect(watches.livePage('99', 2)).rejects.toMatchObject({ code: 'request.cursor' });
    await expect(watches.livePage('1x', 2)).rejects.toMatchObject({ code: 'request.cursor' });
  });

  it('pages the live watches by due instant with a signed position, each once', async () => {
    const table = new MemoryTable();
    const watches = new TableWatchRepository(table);
    const days = ['2026-12-03', '2026-12-01', '2026-12-05', '2026-12-02', '2026-12-04'];
    await table.commit(days.map((d, i) => asTableWrite(watches.save({ ...watch, caseId: `P${i}`, dueAt: `${d}T16:00:00.000Z` }, 'absent'))), []);
    const seen: string[] = [];
    let position: string | undefined;
    do {
      const page = await watches.livePage(position, 2);
      seen.push(...page.items.map((s) => s.watch.dueAt.slice(0, 10)));
      position = page.position;
    } while (position);
    expect(seen).toEqual([...days].sort());
    const first = await watches.livePage(undefined, 2);
    await expect(watches.livePage(`${first.position}x`, 2)).rejects.toMatchObject({ code: 'request.cursor' });
  });
});
