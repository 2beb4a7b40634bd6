import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { CompensationRepository } from '../app/ports.ts';
import type { Compensation } from '../domain/household.ts';
import { householdPk } from './household-repository.ts';

const SK = 'COMPENSATION';

/** The latest computation lives with its household. */
export class TableCompensationRepository implements CompensationRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(householdId: string): Promise<Versioned<Compensation> | undefined> {
    const item = await this.#table.get(householdPk(householdId), SK);
    return item ? entityOf<Compensation>(item) : undefined;
  }

  save(compensation: Compensation, expected: Expected): Change {
    return put('compensation', itemOf({ pk: householdPk(compensation.householdId), sk: SK }, 'compensation', compensation), expected);
  }
}
