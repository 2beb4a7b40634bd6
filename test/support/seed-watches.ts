import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/adapters/aws/dynamodb.ts';
import { casesTableFromEnv } from '../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../shared/adapters/repositories/index.ts';
import { asTableWrite, nextVersion } from '../../shared/adapters/table.ts';
import { loadConfig } from '../../shared/config.ts';
import { HolidayCalendar } from '../../shared/calendar/index.ts';
import { watchRule } from '../../shared/deadlines/watch-rules.ts';
import { openWatch } from '../../shared/deadlines/watch.ts';

/** BatchWriteItem's limit per request, and how many requests are in flight at once. */
const BATCH = 25;
const IN_FLIGHT = 8;

/**
 * Seeds `n` live watches into a running local cloud's cases table (its environment is this
 * process's): one implementation-plan deadline per case, triggered at `triggeredAt`. The records
 * are the watch repository's own; they are written with BatchWriteItem, unguarded and without
 * audit — a seed of a fresh table (100,000 in a bench), not an action.
 */
export async function seedLiveWatches(n: number, triggeredAt: string, prefix = 'SEED'): Promise<string[]> {
  const { watches } = caseKernel(casesTableFromEnv());
  const db = documentClient();
  const table = loadConfig('CASES_TABLE').CASES_TABLE;
  const calendar = HolidayCalendar.builtIn();
  const rule = watchRule('implementation-plan');
  const caseIds = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);
  // One watch differs from the next only in its case: counted once, copied per case.
  const template = openWatch({ caseId: '', phase: 'project', jurisdiction: 'yongzhou/lengshuitan' }, rule, new Date(triggeredAt), calendar);
  const itemOf = (caseId: string) => {
    const write = asTableWrite(watches.save({ ...template, caseId }, 'absent'));
    if (write.op !== 'put') throw new Error('a watch is saved with a put');
    return { ...write.item, version: nextVersion(write.expect) };
  };

  const write = async (items: Record<string, unknown>[]) => {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  };
  let next = 0;
  const worker = async () => {
    for (let start = next; start < n; start = next) {
      next += BATCH;
      await write(caseIds.slice(start, start + BATCH).map(itemOf));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return caseIds;
}
