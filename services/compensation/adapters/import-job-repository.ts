import { casePk } from '../../../shared/adapters/repositories/keys.ts';
import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { ImportJobRepository } from '../app/ports.ts';
import type { SurveyImportJob } from '../domain/survey-import.ts';

const sk = (jobId: string) => `IMPORT#${jobId}`;

export class TableImportJobRepository implements ImportJobRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, jobId: string): Promise<Versioned<SurveyImportJob> | undefined> {
    const item = await this.#table.get(casePk(projectId), sk(jobId));
    return item ? entityOf<SurveyImportJob>(item) : undefined;
  }

  save(job: SurveyImportJob, expected: Expected): Change {
    return put('survey-import', itemOf({ pk: casePk(job.projectId), sk: sk(job.jobId) }, 'survey-import', job), expected);
  }
}
