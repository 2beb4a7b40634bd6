import type { AuditRecord } from '../audit.ts';
import { ConflictError } from '../errors.ts';
import { nextVersion, type CaseStore, type Item, type Put } from './case-store.ts';

/** In-memory CaseStore with the same conditional semantics as the DynamoDB adapter; for unit tests. */
export class MemoryCaseStore implements CaseStore {
  readonly items = new Map<string, Item>();
  readonly audit: AuditRecord[] = [];

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

  async page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined }) {
    const after = options.cursor ? Buffer.from(options.cursor, 'base64url').toString() : '';
    const all = (await this.query(pk, skPrefix)).filter((i) => i.sk > after);
    const items = all.slice(0, options.limit);
    const last = items.at(-1);
    return all.length > items.length && last ? { items, cursor: Buffer.from(last.sk).toString('base64url') } : { items };
  }

  async queryIndex(gsi1pk: string, options: { untilSk?: string; limit?: number } = {}): Promise<Item[]> {
    const until = options.untilSk;
    return [...this.items.values()]
      .filter((i) => i.gsi1pk === gsi1pk && i.gsi1sk !== undefined && (until === undefined || i.gsi1sk <= until))
      .sort((a, b) => compare(a.gsi1sk!, b.gsi1sk!))
      .slice(0, options.limit ?? Infinity)
      .map((i) => structuredClone(i));
  }

  async pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined }) {
    const position = (i: Item) => `${i.gsi1sk}\u0000${i.pk}\u0000${i.sk}`;
    const before = options.cursor ? Buffer.from(options.cursor, 'base64url').toString() : undefined;
    const all = (await this.queryIndex(gsi1pk)).reverse().filter((i) => before === undefined || position(i) < before);
    const items = all.slice(0, options.limit);
    const last = items.at(-1);
    return all.length > items.length && last ? { items, cursor: Buffer.from(position(last)).toString('base64url') } : { items };
  }

  async commit(puts: readonly Put[], audit: readonly AuditRecord[]): Promise<void> {
    for (const put of puts) {
      const existing = this.items.get(key(put.item.pk, put.item.sk));
      const ok = 'absent' in put.expect ? !existing : existing?.version === put.expect.version;
      if (!ok) throw put.onConflict ?? new ConflictError('conflict.concurrent-change', '数据已被他人修改，请刷新后重试');
    }
    for (const put of puts) {
      this.items.set(key(put.item.pk, put.item.sk), { ...structuredClone(put.item), version: nextVersion(put.expect) });
    }
    this.audit.push(...structuredClone(audit));
  }

  async appendAudit(audit: readonly AuditRecord[]): Promise<void> {
    this.audit.push(...structuredClone(audit));
  }
}

const key = (pk: string, sk: string) => `${pk}\u0000${sk}`;
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
