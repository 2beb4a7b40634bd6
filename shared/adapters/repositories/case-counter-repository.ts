import type { CaseCounter, CaseCounterRepository, Change } from '../../cases/ports.ts';
import type { Increment, Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK = 'COUNTERS';

/** Counters are one record per case, incremented atomically in the transaction of the change they count. */
export class TableCaseCounterRepository implements CaseCounterRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  increment(caseId: string, counter: CaseCounter, by = 1): Change {
    const write: Increment = { record: 'case-counters', op: 'increment', key: { pk: casePk(caseId), sk: SK }, attribute: counter, by, init: { type: 'case-counters' } };
    return write;
  }

  async read(caseId: string, counter: CaseCounter): Promise<number> {
    const item = await this.#table.get(casePk(caseId), SK);
    return Number(item?.[counter] ?? 0);
  }
}
