import { describe, expect, it } from 'vitest';
import type { MetRecord, OverdueRecord } from '../../cases/ports.ts';
import { MemoryTable } from '../memory-table.ts';
import { TablePerformanceRepository } from './performance-repository.ts';
import { TableUnitOfWork } from './unit-of-work.ts';

const overdue = (agency: OverdueRecord['agency'], caseId: string): OverdueRecord => ({ agency, jurisdiction: 'yongzhou', caseId, ruleId: 'r', step: 's', dueAt: '2026-10-01T16:00:00.000Z', recordedAt: '2026-10-01T16:00:01.000Z', source: '§五' });
const met = (agency: MetRecord['agency'], caseId: string): MetRecord => ({ ...overdue(agency, caseId), metAt: '2026-10-01T10:00:00.000Z' });

describe('performance records of an agency', () => {
  it('reads the agency partition alone, met and overdue apart; a second record of the same deadline met is refused', async () => {
    const table = new MemoryTable();
    const repo = new TablePerformanceRepository(table);
    const uow = new TableUnitOfWork(table);
    await uow.commit([repo.recordMet(met('finance', 'C-1')), repo.recordOverdue(overdue('finance', 'C-2')), repo.recordMet(met('land-bureau', 'C-1'))], []);
    expect(await repo.ofAgency('finance')).toEqual({ met: [met('finance', 'C-1')], overdue: [overdue('finance', 'C-2')] });
    expect(await repo.ofAgency('township')).toEqual({ met: [], overdue: [] });
    expect(await repo.findMet('land-bureau', 'C-1', 'r')).toEqual(met('land-bureau', 'C-1'));
    expect(await repo.findMet('land-bureau', 'C-2', 'r')).toBeUndefined();
    await expect(uow.commit([repo.recordMet(met('finance', 'C-1'))], [])).rejects.toMatchObject({ code: 'performance.met-already-recorded' });
    // The overdue list (the index) holds the misses alone.
    expect((await repo.page({ limit: 10 })).items).toEqual([overdue('finance', 'C-2')]);
  });
});
