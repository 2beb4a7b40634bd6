import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Alert } from '../../../shared/alerts/alert.ts';
import type { Change, Versioned } from '../../../shared/cases/ports.ts';
import type { AlertOutboxRepository, PendingAlert } from '../app/ports.ts';

const key = (caseId: string, ruleId: string) => ({ pk: casePk(caseId), sk: `ALERT#${ruleId}` });

export class TableAlertOutboxRepository implements AlertOutboxRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(caseId: string, ruleId: string): Promise<Versioned<PendingAlert> | undefined> {
    const { pk, sk } = key(caseId, ruleId);
    const item = await this.#table.get(pk, sk);
    return item ? entityOf<PendingAlert>(item) : undefined;
  }

  add(caseId: string, ruleId: string, alert: Alert): Change {
    return put('alert', itemOf(key(caseId, ruleId), 'alert', { alert }), 'absent');
  }

  update(caseId: string, ruleId: string, state: PendingAlert, expected: number): Change {
    return put('alert', itemOf(key(caseId, ruleId), 'alert', state), expected);
  }
}
