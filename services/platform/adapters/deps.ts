import { caseStoreFromEnv } from '../../../shared/aws/case-store.ts';
import { schedulerFromEnv } from '../../../shared/aws/scheduler.ts';
import { holidaySource } from '../../../shared/holidays/holiday-source.ts';
import type { PlatformDeps } from '../app/use-cases.ts';

export function platformDeps(): PlatformDeps {
  const store = caseStoreFromEnv();
  return { store, calendar: holidaySource(store), scheduler: schedulerFromEnv() };
}
