import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change } from '../../../shared/cases/ports.ts';
import type { LockedStandard, StandardRepository } from '../app/ports.ts';

const SK = 'STANDARD';

export class TableStandardRepository implements StandardRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string): Promise<LockedStandard | undefined> {
    const item = await this.#table.get(casePk(projectId), SK);
    if (!item) return undefined;
    const { version: _version, ...standard } = entityOf<LockedStandard>(item);
    return standard;
  }

  lock(standard: LockedStandard, onConflict: Error): Change {
    return put('compensation-standard', itemOf({ pk: casePk(standard.projectId), sk: SK }, 'compensation-standard', standard), 'absent', onConflict);
  }
}
