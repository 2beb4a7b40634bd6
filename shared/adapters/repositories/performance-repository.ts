import type { AgencyId } from '../../agencies.ts';
import type { Change, MetRecord, OverdueRecord, Page, PageRequest, PerformanceRepository } from '../../cases/ports.ts';
import { ConflictError } from '../../errors.ts';
import { entityOf, itemOf, put, type Item, type Table } from '../table.ts';

/**
 * Performance records live under the agency they count for or against (`AGENCY#<agency>`): an
 * agency's scorecard is one partition. Overdue records are also in one index, newest first; met
 * records are not (the overdue list is the misses alone).
 */
const INDEX_PK = 'OVERDUE';
const OVERDUE_PREFIX = 'OVERDUE#';
const MET_PREFIX = 'MET#';

const agencyPk = (agency: AgencyId) => `AGENCY#${agency}`;

export class TablePerformanceRepository implements PerformanceRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  recordOverdue(record: OverdueRecord): Change {
    const key = { pk: agencyPk(record.agency), sk: `${OVERDUE_PREFIX}${record.caseId}#${record.ruleId}` };
    const index = { gsi1pk: INDEX_PK, gsi1sk: `${record.recordedAt}#${record.caseId}#${record.ruleId}` };
    return put('overdue-record', itemOf(key, 'overdue-record', record, index), 'absent');
  }

  recordMet(record: MetRecord): Change {
    const onConflict = new ConflictError('performance.met-already-recorded', '该期限的按期办结记录已存在');
    return put('met-record', itemOf({ pk: agencyPk(record.agency), sk: metSk(record.caseId, record.ruleId) }, 'met-record', record), 'absent', onConflict);
  }

  async findMet(agency: AgencyId, caseId: string, ruleId: string): Promise<MetRecord | undefined> {
    const item = await this.#table.get(agencyPk(agency), metSk(caseId, ruleId));
    return item ? recordOf<MetRecord>(item) : undefined;
  }

  async ofAgency(agency: AgencyId): Promise<{ met: MetRecord[]; overdue: OverdueRecord[] }> {
    // `query` reads every page of the partition.
    const [met, overdue] = await Promise.all([this.#table.query(agencyPk(agency), MET_PREFIX), this.#table.query(agencyPk(agency), OVERDUE_PREFIX)]);
    return { met: met.map((item) => recordOf<MetRecord>(item)), overdue: overdue.map((item) => recordOf<OverdueRecord>(item)) };
  }

  async page(page: PageRequest): Promise<Page<OverdueRecord>> {
    const found = await this.#table.pageIndex(INDEX_PK, page);
    const items = found.items.map((item) => recordOf<OverdueRecord>(item));
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}

const metSk = (caseId: string, ruleId: string) => `${MET_PREFIX}${caseId}#${ruleId}`;

function recordOf<T>(item: Item): T {
  const { version: _version, ...record } = entityOf<T>(item);
  return record as T;
}
