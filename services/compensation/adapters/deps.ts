import { caseStoreFromEnv } from '../../../shared/aws/case-store.ts';
import { schedulerFromEnv } from '../../../shared/aws/scheduler.ts';
import type { CompensationDeps } from '../app/use-cases.ts';

export function compensationDeps(): CompensationDeps {
  return { store: caseStoreFromEnv(), scheduler: schedulerFromEnv() };
}
