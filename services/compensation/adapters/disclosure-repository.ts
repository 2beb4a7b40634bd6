import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { DisclosureRepository } from '../app/ports.ts';
import type { Disclosure } from '../domain/disclosure.ts';

const PREFIX = 'DISCLOSURE#';

export class TableDisclosureRepository implements DisclosureRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, disclosureId: string): Promise<Versioned<Disclosure> | undefined> {
    const item = await this.#table.get(casePk(projectId), `${PREFIX}${disclosureId}`);
    return item ? entityOf<Disclosure>(item) : undefined;
  }

  async ofProject(projectId: string): Promise<Disclosure[]> {
    const items = await this.#table.query(casePk(projectId), PREFIX);
    return items.map((item) => {
      const { version: _version, ...disclosure } = entityOf<Disclosure>(item);
      return disclosure;
    });
  }

  save(disclosure: Disclosure, expected: Expected): Change {
    return put('disclosure', itemOf({ pk: casePk(disclosure.projectId), sk: `${PREFIX}${disclosure.disclosureId}` }, 'disclosure', disclosure), expected);
  }
}
