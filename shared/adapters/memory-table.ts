import type { AuditRecord } from '../audit.ts';
import { linkAudit, type ChainedAuditRecord, type ChainHead } from '../audit-chain.ts';
import { ConflictError } from '../errors.ts';
import { badCursor, HmacCursorSealer, type CursorSealer } from './cursor.ts';
import { nextVersion, type Item, type Table, type TableWrite } from './table.ts';

/** The Table port in memory, with the DynamoDB adapter's conditional semantics; for unit tests. */
export class MemoryTable implements Table {
  readonly items = new Map<string, Item>();
  /** The trail in the order it was written, each entry linked into its case's chain. */
  readonly audit: ChainedAuditRecord[] = [];
  /** Each chain's head, advanced with every entry (decision 0012). */
  readonly auditHeads = new Map<string, ChainHead>();
  #cursors: CursorSealer;

  constructor(cursors: CursorSealer = new HmacCursorSealer(Buffer.from('memory-table-cursors'))) {
    this.#cursors = cursors;
  }

  async get(pk: string, sk: string): Promise<Item | undefined> {
    const item = this.items.get(key(pk, sk));
    return item && structuredClone(item);
  }

  async query(pk: string, skPrefix = ''): Promise<Item[]> {
    return [...this.items.values()]
      .filter((i) => i.pk === pk && i.sk.startsWith(skPrefix))
      .sort((a, b) => compare(a.sk, b.sk))
      .map((i) => structuredClone(i));
  }

  async page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined; backward?: boolean }) {
    const scope = `page\u0000${pk}\u0000${skPrefix}${options.backward ? '\u0000backward' : ''}`;
    const start = options.cursor ? await this.#cursors.open(options.cursor, scope) : undefined;
    if (start && (start.pk !== pk || !start.sk?.startsWith(skPrefix) || Object.keys(start).length !== 2)) throw badCursor();
    const ordered = await this.query(pk, skPrefix);
    const all = (options.backward ? ordered.reverse() : ordered).filter((i) => !start || (options.backward ? i.sk < start.sk! : i.sk > start.sk!));
    const items = all.slice(0, options.limit);
    const last = items.at(-1);
    return all.length > items.length && last ? { items, cursor: await this.#cursors.seal({ pk, sk: last.sk }, scope) } : { items };
  }

  async queryIndex(gsi1pk: string, options: { untilSk?: string; limit?: number } = {}): Promise<Item[]> {
    const until = options.untilSk;
    return [...this.items.values()]
      .filter((i) => i.gsi1pk === gsi1pk && i.gsi1sk !== undefined && (until === undefined || i.gsi1sk <= until))
      .sort((a, b) => compare(a.gsi1sk!, b.gsi1sk!) || compare(a.pk, b.pk) || compare(a.sk, b.sk))
      .slice(0, options.limit ?? Infinity)
      .map((i) => structuredClone(i));
  }

  async pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined; forward?: boolean; skPrefix?: string | undefined }) {
    const scope = `index\u0000${gsi1pk}${options.forward ? '\u0000forward' : ''}${options.skPrefix ? `\u0000${options.skPrefix}` : ''}`;
    const position = (i: Pick<Item, 'gsi1sk' | 'pk' | 'sk'>) => `${i.gsi1sk}\u0000${i.pk}\u0000${i.sk}`;
    const start = options.cursor ? await this.#cursors.open(options.cursor, scope) : undefined;
    if (start && (start.gsi1pk !== gsi1pk || !start.gsi1sk || !start.pk || !start.sk || Object.keys(start).length !== 4)) throw badCursor();
    const after = start ? position(start as Item) : undefined;
    const ordered = await this.queryIndex(gsi1pk);
    const all = (options.forward ? ordered : ordered.reverse())
      .filter((i) => !options.skPrefix || String(i.gsi1sk).startsWith(options.skPrefix))
      .filter((i) => after === undefined || (options.forward ? position(i) > after : position(i) < after));
    const items = all.slice(0, options.limit);
    const last = items.at(-1);
    return all.length > items.length && last
      ? { items, cursor: await this.#cursors.seal({ pk: last.pk, sk: last.sk, gsi1pk, gsi1sk: last.gsi1sk! }, scope) }
      : { items };
  }

  async commit(writes: readonly TableWrite[], audit: readonly AuditRecord[]): Promise<void> {
    // Like DynamoDB: a transaction touches an item once (increments of one record are merged, as
    // the DynamoDB table does; a put beside any other write of its item is refused).
    const putKeys = writes.filter((w) => w.op === 'put').map((w) => key(w.item.pk, w.item.sk));
    const incrementKeys = new Set(writes.filter((w) => w.op === 'increment').map((w) => key(w.key.pk, w.key.sk)));
    const twice = putKeys.find((k, i) => putKeys.indexOf(k) !== i || incrementKeys.has(k));
    if (twice) throw new Error(`a transaction may write an item once: ${twice}`);
    // DynamoDB refuses one update naming an attribute twice ("document paths overlap").
    const added = writes.flatMap((w) => (w.op === 'increment' ? [`${key(w.key.pk, w.key.sk)}\u0000${w.attribute}`] : []));
    const overlap = added.find((a, i) => added.indexOf(a) !== i);
    if (overlap) throw new Error(`a transaction may add to an attribute once: ${overlap}`);
    // Every condition is checked before anything is written; of the writes that fail, the one with
    // its own error is reported, as the DynamoDB table does.
    const failed = writes.filter((write) => {
      if (write.op !== 'put') {
        // An absent attribute fails the comparison, as in a DynamoDB condition.
        const held = this.items.get(key(write.key.pk, write.key.sk))?.[write.attribute];
        return write.atLeast !== undefined && !(typeof held === 'number' && held >= write.atLeast);
      }
      const existing = this.items.get(key(write.item.pk, write.item.sk));
      return !('absent' in write.expect ? !existing : existing?.version === write.expect.version);
    });
    if (failed.length > 0) throw failed.find((w) => w.onConflict)?.onConflict ?? new ConflictError('conflict.concurrent-change', '数据已被他人修改，请刷新后重试');
    for (const write of writes) {
      if (write.op === 'put') {
        this.items.set(key(write.item.pk, write.item.sk), { ...structuredClone(write.item), version: nextVersion(write.expect) });
      } else {
        const existing = this.items.get(key(write.key.pk, write.key.sk));
        const current = Number(existing?.[write.attribute] ?? 0);
        this.items.set(key(write.key.pk, write.key.sk), { ...structuredClone(write.init ?? {}), ...existing, ...write.key, [write.attribute]: current + write.by });
      }
    }
    this.#append(audit);
  }

  async appendAudit(audit: readonly AuditRecord[]): Promise<void> {
    this.#append(audit);
  }

  /** A chain's entries in order, as the verifier reads them. */
  auditChain(chain: string): ChainedAuditRecord[] {
    return this.audit.filter((e) => e.chain === chain).map((e) => structuredClone(e));
  }

  #append(audit: readonly AuditRecord[]): void {
    // One thread: nothing can advance a head between reading and writing it here.
    const linked = linkAudit(audit, this.auditHeads);
    this.audit.push(...linked.entries);
    for (const [chain, { to }] of linked.heads) this.auditHeads.set(chain, to);
  }
}

const key = (pk: string, sk: string) => `${pk}\u0000${sk}`;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
