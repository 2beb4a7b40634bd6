import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { EvidenceUploadRepository } from '../app/ports.ts';
import type { EvidenceUpload } from '../domain/posting.ts';

const sk = (uploadId: string) => `UPLOAD#${uploadId}`;

export class TableEvidenceUploadRepository implements EvidenceUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, uploadId: string): Promise<Versioned<EvidenceUpload> | undefined> {
    const item = await this.#table.get(casePk(projectId), sk(uploadId));
    return item ? entityOf<EvidenceUpload>(item) : undefined;
  }

  save(upload: EvidenceUpload, expected: Expected): Change {
    return put('evidence-upload', itemOf({ pk: casePk(upload.projectId), sk: sk(upload.uploadId) }, 'evidence-upload', upload), expected);
  }
}
