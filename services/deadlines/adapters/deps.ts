import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import { alertPublisherFromEnv } from '../../../shared/adapters/sns-alert-publisher.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import type { AlertPublisher } from '../../../shared/alerts/alert.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { newId } from '../../../shared/ids.ts';
import type { DeadlinesDeps } from '../app/use-cases.ts';
import { TableAlertOutboxRepository } from './alert-outbox-repository.ts';

export function deadlinesDepsOn(table: Table, ports: { alerts: AlertPublisher; scheduler: WatchScheduler; newId: (nowMs: number) => string }): DeadlinesDeps {
  return { ...caseKernel(table), outbox: new TableAlertOutboxRepository(table), ...ports };
}

export function deadlinesDeps(): DeadlinesDeps {
  return deadlinesDepsOn(casesTableFromEnv(), { alerts: alertPublisherFromEnv(), scheduler: schedulerFromEnv(), newId });
}
