import type { Change } from '../../../shared/cases/ports.ts';
import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { HukouSuspensionRepository } from '../app/ports.ts';
import type { HukouResumption, HukouSuspension } from '../domain/hukou.ts';

/** One acknowledgement and one resumption per project, on its case. */
const SK = 'HUKOU-SUSPENSION';
const RESUMED_SK = 'HUKOU-RESUMPTION';

export class TableHukouSuspensionRepository implements HukouSuspensionRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string): Promise<HukouSuspension | undefined> {
    const item = await this.#table.get(casePk(projectId), SK);
    if (!item) return undefined;
    const { version: _version, ...suspension } = entityOf<HukouSuspension>(item);
    return suspension;
  }

  add(suspension: HukouSuspension, onConflict: Error): Change {
    return put('hukou-suspension', itemOf({ pk: casePk(suspension.projectId), sk: SK }, 'hukou-suspension', suspension), 'absent', onConflict);
  }

  async findResumption(projectId: string): Promise<HukouResumption | undefined> {
    const item = await this.#table.get(casePk(projectId), RESUMED_SK);
    if (!item) return undefined;
    const { version: _version, ...resumption } = entityOf<HukouResumption>(item);
    return resumption;
  }

  addResumption(resumption: HukouResumption, onConflict: Error): Change {
    return put('hukou-resumption', itemOf({ pk: casePk(resumption.projectId), sk: RESUMED_SK }, 'hukou-resumption', resumption), 'absent', onConflict);
  }
}
