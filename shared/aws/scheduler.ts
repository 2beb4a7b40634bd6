import { loadConfig } from '../config.ts';
import { SfnWatchScheduler } from '../deadlines/sfn-scheduler.ts';
import { sfnClient } from '../adapters/aws/sfn.ts';

export function schedulerFromEnv(): SfnWatchScheduler {
  return new SfnWatchScheduler(sfnClient(), loadConfig('WATCH_WORKFLOW_ARN').WATCH_WORKFLOW_ARN);
}
