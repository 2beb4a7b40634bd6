import { AGENCY_IDS, type AgencyId } from '../../agencies.ts';
import type { Change, Expected, Page, PageRequest, StoredWatch, WatchRepository } from '../../cases/ports.ts';
import { isLive, type DeadlineWatch } from '../../deadlines/watch.ts';
import { NotFoundError } from '../../errors.ts';
import { badCursor } from '../cursor.ts';
import { entityOf, itemOf, put, type Item, type Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK_PREFIX = 'DEADLINE#';
/**
 * Live watches are indexed per responsible agency, by due instant: an agency's work list is one
 * partition, and reconcile walks the agencies' partitions in AGENCY_IDS order (a fixed, small list).
 */
const liveIndexPk = (agency: AgencyId) => `DEADLINES#LIVE#${agency}`;
/**
 * The one partition every live watch was indexed in before the per-agency partitions: walked last
 * by reconcile, so a watch written before the change is still looked after until it is next saved.
 */
const LEGACY_LIVE_INDEX_PK = 'DEADLINES#LIVE';
const LIVE_PARTITIONS: readonly string[] = [...AGENCY_IDS.map(liveIndexPk), LEGACY_LIVE_INDEX_PK];
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
    const partitions = await Promise.all(LIVE_PARTITIONS.map((pk) => this.#table.queryIndex(pk)));
    return partitions.flat().map(stored);
  }

  /**
   * The position names the partition and, within it, the table's signed cursor
   * (`<partition index>` or `<partition index>:<cursor>`): a page fills from the next partitions
   * when one ends, so empty agencies cost a query each and no empty page.
   */
  async livePage(position: string | undefined, limit: number): Promise<{ items: StoredWatch[]; position?: string }> {
    let { partition, cursor } = openPosition(position);
    const items: StoredWatch[] = [];
    while (partition < LIVE_PARTITIONS.length && items.length < limit) {
      const page = await this.#table.pageIndex(LIVE_PARTITIONS[partition]!, { limit: limit - items.length, cursor, forward: true });
      items.push(...page.items.map(stored));
      cursor = page.cursor;
      if (!cursor) partition++;
    }
    // A full page that ended a partition continues at the next one holding any: the walk ends with
    // its last watch, not with an empty page.
    while (!cursor && partition < LIVE_PARTITIONS.length && (await this.#table.pageIndex(LIVE_PARTITIONS[partition]!, { limit: 1, forward: true })).items.length === 0) partition++;
    if (partition >= LIVE_PARTITIONS.length) return { items };
    return { items, position: cursor ? `${partition}:${cursor}` : String(partition) };
  }

  async liveOfAgency(agency: AgencyId, page: PageRequest): Promise<Page<DeadlineWatch>> {
    const found = await this.#table.pageIndex(liveIndexPk(agency), { ...page, forward: true });
    return { items: found.items.map((item) => stored(item).watch), ...(found.cursor ? { cursor: found.cursor } : {}) };
  }

  save(watch: DeadlineWatch, expected: Expected, options: { waiting?: string; onConflict?: Error } = {}): Change {
    const index = isLive(watch) ? { gsi1pk: liveIndexPk(watch.responsibleAgency), gsi1sk: `${watch.dueAt}#${watch.caseId}#${watch.ruleId}` } : undefined;
    const entity = { ...watch, ...(options.waiting ? { waitingCallback: options.waiting } : {}) };
    return put('deadline', itemOf({ pk: casePk(watch.caseId), sk: sk(watch.ruleId) }, 'deadline', entity, index), expected, options.onConflict);
  }
}

/** A maintenance position as livePage wrote it; anything else is refused like a forged cursor. */
function openPosition(position: string | undefined): { partition: number; cursor: string | undefined } {
  if (position === undefined) return { partition: 0, cursor: undefined };
  const m = /^(\d{1,3})(?::(.+))?$/.exec(position);
  const partition = m ? Number(m[1]) : Number.NaN;
  if (!(partition < LIVE_PARTITIONS.length)) throw badCursor();
  return { partition, cursor: m![2] };
}

function stored(item: Item): StoredWatch {
  // `callbackToken` is where records written before decision 0007 kept the callback, inside the watch.
  const { version, waitingCallback, callbackToken, ...watch } = entityOf<DeadlineWatch & { waitingCallback?: string; callbackToken?: string }>(item);
  const waiting = waitingCallback ?? callbackToken;
  return { watch, version, ...(waiting ? { waiting } : {}) };
}
