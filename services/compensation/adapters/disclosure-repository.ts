import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { DisclosureRepository } from '../app/ports.ts';
import type { Disclosure } from '../domain/disclosure.ts';

/** Keyed by village group, so a household's view reads its own group's disclosures only. */
const PREFIX = 'DISCLOSURE#';
const sk = (villageGroupId: string, disclosureId: string) => `${PREFIX}${villageGroupId}#${disclosureId}`;

export class TableDisclosureRepository implements DisclosureRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, villageGroupId: string, disclosureId: string): Promise<Versioned<Disclosure> | undefined> {
    const item = await this.#table.get(casePk(projectId), sk(villageGroupId, disclosureId));
    return item ? entityOf<Disclosure>(item) : undefined;
  }

  async ofGroup(projectId: string, villageGroupId: string): Promise<Disclosure[]> {
    const items = await this.#table.query(casePk(projectId), `${PREFIX}${villageGroupId}#`);
    return items.map((item) => {
      const { version: _version, ...disclosure } = entityOf<Disclosure>(item);
      return disclosure;
    });
  }

  save(disclosure: Disclosure, expected: Expected): Change {
    return put('disclosure', itemOf({ pk: casePk(disclosure.projectId), sk: sk(disclosure.villageGroupId, disclosure.disclosureId) }, 'disclosure', disclosure), expected);
  }
}
