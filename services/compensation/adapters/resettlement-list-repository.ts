import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { ResettlementListRepository } from '../app/ports.ts';
import type { ResettlementList } from '../domain/resettlement-list.ts';

const sk = (villageGroupId: string) => `RESETTLEMENT#${villageGroupId}`;

export class TableResettlementListRepository implements ResettlementListRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, villageGroupId: string): Promise<Versioned<ResettlementList> | undefined> {
    const item = await this.#table.get(casePk(projectId), sk(villageGroupId));
    return item ? entityOf<ResettlementList>(item) : undefined;
  }

  save(list: ResettlementList, expected: Expected): Change {
    return put('resettlement-list', itemOf({ pk: casePk(list.projectId), sk: sk(list.villageGroupId) }, 'resettlement-list', list), expected);
  }
}
