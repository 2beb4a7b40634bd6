import type { Change, Expected, MaintenanceJobRepository, Versioned } from '../../cases/ports.ts';
import type { MaintenanceJob } from '../../deadlines/maintenance-job.ts';
import { NotFoundError } from '../../errors.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';

/** Jobs live in the cases table, one partition each (a job touches many cases, belongs to none). */
const key = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' });

export class TableMaintenanceJobRepository implements MaintenanceJobRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(jobId: string): Promise<Versioned<MaintenanceJob> | undefined> {
    const { pk, sk } = key(jobId);
    const item = await this.#table.get(pk, sk);
    return item ? entityOf<MaintenanceJob>(item) : undefined;
  }

  async get(jobId: string): Promise<Versioned<MaintenanceJob>> {
    const found = await this.find(jobId);
    if (!found) throw new NotFoundError('job.not-found', `维护任务不存在：${jobId}`);
    return found;
  }

  save(job: MaintenanceJob, expected: Expected): Change {
    return put('maintenance-job', itemOf(key(job.jobId), 'maintenance-job', job), expected);
  }
}
