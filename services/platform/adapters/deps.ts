import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import type { PlatformDeps } from '../app/use-cases.ts';

export function platformDepsOn(table: Table, ports: { scheduler: WatchScheduler }): PlatformDeps {
  const kernel = caseKernel(table);
  return { ...kernel, calendar: holidaySource(kernel.holidayYears), ...ports };
}

export function platformDeps(): PlatformDeps {
  return platformDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { scheduler: schedulerFromEnv() });
}
