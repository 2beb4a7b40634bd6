import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { maintenanceRunnerFromEnv } from '../../../shared/adapters/sfn-maintenance-runner.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import { alertPublisherFromEnv } from '../../../shared/adapters/sns-alert-publisher.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import type { AlertPublisher } from '../../../shared/alerts/alert.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import type { MaintenanceRunner } from '../../../shared/deadlines/maintenance-job.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { newId } from '../../../shared/ids.ts';
import type { MaintenanceDeps } from '../app/maintenance.ts';
import { TableAlertOutboxRepository } from './alert-outbox-repository.ts';

export function deadlinesDepsOn(
  table: Table,
  ports: { alerts: AlertPublisher; scheduler: WatchScheduler; newId: (nowMs: number) => string; runner?: MaintenanceRunner; pageSize?: number },
): MaintenanceDeps {
  const kernel = caseKernel(table);
  const runner = ports.runner ?? { start: async () => Promise.reject(new Error('no maintenance runner wired')) };
  return { ...kernel, outbox: new TableAlertOutboxRepository(table), calendar: holidaySource(kernel.holidayYears), ...ports, runner };
}

export function deadlinesDeps(): MaintenanceDeps {
  // Maintenance pages walk the live index with signed positions (the cursor key).
  return deadlinesDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { alerts: alertPublisherFromEnv(), scheduler: schedulerFromEnv(), runner: maintenanceRunnerFromEnv(), newId });
}
