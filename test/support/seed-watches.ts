import { casesTableFromEnv } from '../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../shared/adapters/repositories/index.ts';
import { HolidayCalendar } from '../../shared/calendar/index.ts';
import { watchRule } from '../../shared/deadlines/watch-rules.ts';
import { openWatch } from '../../shared/deadlines/watch.ts';

/**
 * Seeds `n` live watches straight through the watch repository into a running local cloud's
 * cases table (its environment is this process's): one implementation-plan deadline per case,
 * triggered at `triggeredAt`. 25 to a transaction; no audit (a seed, not an action).
 */
export async function seedLiveWatches(n: number, triggeredAt: string, prefix = 'SEED'): Promise<string[]> {
  const { uow, watches } = caseKernel(casesTableFromEnv());
  const calendar = HolidayCalendar.builtIn();
  const caseIds = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);
  const rule = watchRule('implementation-plan');
  for (let i = 0; i < n; i += 25) {
    const batch = caseIds.slice(i, i + 25).map((caseId) => watches.save(openWatch({ caseId, phase: 'project', jurisdiction: 'yongzhou/lengshuitan' }, rule, new Date(triggeredAt), calendar), 'absent'));
    await uow.commit(batch, []);
  }
  return caseIds;
}
