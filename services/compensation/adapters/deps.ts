import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import type { CompensationDeps } from '../app/use-cases.ts';
import { TableStandardRepository } from './standard-repository.ts';

export function compensationDepsOn(table: Table, ports: { scheduler: WatchScheduler }): CompensationDeps {
  return { ...caseKernel(table), standards: new TableStandardRepository(table), ...ports };
}

export function compensationDeps(): CompensationDeps {
  return compensationDepsOn(casesTableFromEnv(), { scheduler: schedulerFromEnv() });
}
