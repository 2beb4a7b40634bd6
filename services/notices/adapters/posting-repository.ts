import type { Change } from '../../../shared/cases/ports.ts';
import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { PostingRepository } from '../app/ports.ts';
import type { Posting } from '../domain/posting.ts';

const SK_PREFIX = 'POSTING#';

export class TablePostingRepository implements PostingRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofProject(projectId: string): Promise<Posting[]> {
    return (await this.#table.query(casePk(projectId), SK_PREFIX)).map((item) => {
      const { version: _version, ...posting } = entityOf<Posting>(item);
      return posting;
    });
  }

  add(posting: Posting): Change {
    const key = { pk: casePk(posting.projectId), sk: `${SK_PREFIX}${posting.document}#${posting.villageGroupId}#${posting.postingId}` };
    return put('posting', itemOf(key, 'posting', posting), 'absent');
  }
}
