import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { maintenanceRunnerFromEnv } from '../../../shared/adapters/sfn-maintenance-runner.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import type { MaintenanceRunner } from '../../../shared/deadlines/maintenance-job.ts';
import { newId } from '../../../shared/ids.ts';
import type { PlatformDeps } from '../app/use-cases.ts';

export function platformDepsOn(table: Table, ports: { runner: MaintenanceRunner; newId?: (nowMs: number) => string }): PlatformDeps {
  const kernel = caseKernel(table);
  return { ...kernel, calendar: holidaySource(kernel.holidayYears), newId, ...ports };
}

export function platformDeps(): PlatformDeps {
  return platformDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { runner: maintenanceRunnerFromEnv() });
}
