import type { Change, OverdueRecord, Page, PageRequest, PerformanceRepository } from '../../cases/ports.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';

/** Overdue records live under the agency they count against, and in one index, newest first. */
const INDEX_PK = 'OVERDUE';

export class TablePerformanceRepository implements PerformanceRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  recordOverdue(record: OverdueRecord): Change {
    const key = { pk: `AGENCY#${record.agency}`, sk: `OVERDUE#${record.caseId}#${record.ruleId}` };
    const index = { gsi1pk: INDEX_PK, gsi1sk: `${record.recordedAt}#${record.caseId}#${record.ruleId}` };
    return put('overdue-record', itemOf(key, 'overdue-record', record, index), 'absent');
  }

  async page(page: PageRequest): Promise<Page<OverdueRecord>> {
    const found = await this.#table.pageIndex(INDEX_PK, page);
    const items = found.items.map((item) => {
      const { version: _version, ...record } = entityOf<OverdueRecord>(item);
      return record;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}
