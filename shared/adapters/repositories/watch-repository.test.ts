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
