import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { CompensationUpload, UploadRepository } from '../app/ports.ts';
import { householdPk } from './household-repository.ts';

/** An upload slot lives with its case: the household's partition, or the project's for workbooks and disclosures. */
const pkOf = (upload: Pick<CompensationUpload, 'caseId' | 'projectId'>) => (upload.caseId === upload.projectId ? casePk(upload.projectId) : householdPk(upload.caseId));
const sk = (uploadId: string) => `CUPLOAD#${uploadId}`;

export class TableUploadRepository implements UploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(at: { caseId: string; projectId: string }, uploadId: string): Promise<Versioned<CompensationUpload> | undefined> {
    const item = await this.#table.get(pkOf(at), sk(uploadId));
    return item ? entityOf<CompensationUpload>(item) : undefined;
  }

  save(upload: CompensationUpload, expected: Expected): Change {
    return put('compensation-upload', itemOf({ pk: pkOf(upload), sk: sk(upload.uploadId) }, 'compensation-upload', upload), expected);
  }
}
