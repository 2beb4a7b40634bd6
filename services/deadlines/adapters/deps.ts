import { SnsAlertPublisher } from '../../../shared/alerts/sns-alert-publisher.ts';
import { caseStoreFromEnv } from '../../../shared/aws/case-store.ts';
import { snsClient } from '../../../shared/adapters/aws/sns.ts';
import { schedulerFromEnv } from '../../../shared/aws/scheduler.ts';
import { loadConfig } from '../../../shared/config.ts';
import { newId } from '../../../shared/ids.ts';
import type { DeadlinesDeps } from '../app/use-cases.ts';

export function deadlinesDeps(): DeadlinesDeps {
  return {
    store: caseStoreFromEnv(),
    alerts: new SnsAlertPublisher(snsClient(), loadConfig('ALERTS_TOPIC_ARN').ALERTS_TOPIC_ARN),
    scheduler: schedulerFromEnv(),
    newId,
  };
}
