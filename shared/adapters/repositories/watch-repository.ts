import type { Change, Expected, StoredWatch, WatchRepository } from '../../cases/ports.ts';
import { isLive, type DeadlineWatch } from '../../deadlines/watch.ts';
import { NotFoundError } from '../../errors.ts';
import { entityOf, itemOf, put, type Item, type Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK_PREFIX = 'DEADLINE#';
/** Index partition of every live watch, sorted by due instant: what reconcile walks. */
const LIVE_INDEX_PK = 'DEADLINES#LIVE';
const sk = (ruleId: string) => `${SK_PREFIX}${ruleId}`;

export class TableWatchRepository implements WatchRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(caseId: string, ruleId: string): Promise<StoredWatch | undefined> {
    const item = await this.#table.get(casePk(caseId), sk(ruleId));
    return item ? stored(item) : undefined;
  }

  async get(caseId: string, ruleId: string): Promise<StoredWatch> {
    const found = await this.find(caseId, ruleId);
    if (!found) throw new NotFoundError('deadline.not-found', `期限记录不存在：${caseId}/${ruleId}`);
    return found;
  }

  async ofCase(caseId: string): Promise<DeadlineWatch[]> {
    return (await this.#table.query(casePk(caseId), SK_PREFIX)).map((item) => stored(item).watch);
  }

  async live(): Promise<StoredWatch[]> {
    return (await this.#table.queryIndex(LIVE_INDEX_PK)).map(stored);
  }

  async livePage(position: string | undefined, limit: number): Promise<{ items: StoredWatch[]; position?: string }> {
    const page = await this.#table.pageIndex(LIVE_INDEX_PK, { limit, cursor: position, forward: true });
    return { items: page.items.map(stored), ...(page.cursor ? { position: page.cursor } : {}) };
  }

  save(watch: DeadlineWatch, expected: Expected, options: { waiting?: string; onConflict?: Error } = {}): Change {
    const index = isLive(watch) ? { gsi1pk: LIVE_INDEX_PK, gsi1sk: `${watch.dueAt}#${watch.caseId}#${watch.ruleId}` } : undefined;
    const entity = { ...watch, ...(options.waiting ? { waitingCallback: options.waiting } : {}) };
    return put('deadline', itemOf({ pk: casePk(watch.caseId), sk: sk(watch.ruleId) }, 'deadline', entity, index), expected, options.onConflict);
  }
}

function stored(item: Item): StoredWatch {
  // `callbackToken` is where records written before decision 0007 kept the callback, inside the watch.
  const { version, waitingCallback, callbackToken, ...watch } = entityOf<DeadlineWatch & { waitingCallback?: string; callbackToken?: string }>(item);
  const waiting = waitingCallback ?? callbackToken;
  return { watch, version, ...(waiting ? { waiting } : {}) };
}
