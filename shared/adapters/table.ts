import type { AuditRecord } from '../audit.ts';
import type { Change } from '../cases/ports.ts';

/**
 * The single-table storage port (decision 0004) that repositories are written against. Only
 * repositories see it: they alone know key strings and indexes; use cases see typed ports.
 *
 * One stored record: `pk` groups a case (e.g. `PROJECT#<id>`), `sk` names the record within it;
 * `gsi1pk`/`gsi1sk` place it in the cross-case index (sparse: only where set). `version` is
 * maintained by the table for optimistic locking.
 */
export interface Item {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  version?: number;
  [attribute: string]: unknown;
}

/** How a put is guarded. */
export type Expectation =
  /** The record must not exist yet (creation, exactly-once facts). */
  | { absent: true }
  /** The record must still be at this version (nobody changed it since it was read). */
  | { version: number };

/** A guarded replacement of one record. */
export interface Put extends Change {
  op: 'put';
  item: Item;
  expect: Expectation;
  /** The error to report when the expectation fails (a domain-specific 409/422). */
  onConflict?: Error;
}

/** Adds to a numeric attribute of a record, creating it at 0 if absent (counters). */
export interface Increment extends Change {
  op: 'increment';
  key: { pk: string; sk: string };
  attribute: string;
  by: number;
  /** Attributes written when the counter record is created. */
  init?: Record<string, unknown>;
  /**
   * Only if the attribute is at least this before the addition (a balance that must cover what is
   * drawn): otherwise the transaction fails with `onConflict`. An absent attribute fails the check.
   */
  atLeast?: number;
  onConflict?: Error;
}

export type TableWrite = Put | Increment;

/** A position in a paged read, before it is sealed into an opaque cursor for the caller. */
export type PagePosition = Record<string, string>;

export interface Table {
  get(pk: string, sk: string): Promise<Item | undefined>;
  /** Records of one case, optionally only those whose sk starts with `skPrefix`, by sk. */
  query(pk: string, skPrefix?: string): Promise<Item[]>;
  /** One page of a case's records by sk (`backward`: the last first); `cursor` continues after the last page (opaque). */
  page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined; backward?: boolean }): Promise<{ items: Item[]; cursor?: string }>;
  /** Records across cases in the index partition `gsi1pk`, by gsi1sk, optionally up to `untilSk`. */
  queryIndex(gsi1pk: string, options?: { untilSk?: string; limit?: number }): Promise<Item[]>;
  /**
   * One page of an index partition by gsi1sk, newest first (`forward`: oldest first), optionally only
   * those whose gsi1sk starts with `skPrefix`; `cursor` continues (opaque).
   */
  pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined; forward?: boolean; skPrefix?: string | undefined }): Promise<{ items: Item[]; cursor?: string }>;
  /** Every write and every audit record commits together, or none does. */
  commit(writes: readonly TableWrite[], audit: readonly AuditRecord[]): Promise<void>;
  /** Appends audit records alone (reads of personal data, for instance). */
  appendAudit(audit: readonly AuditRecord[]): Promise<void>;
}

/** The version a put will store, given its expectation. */
export function nextVersion(expect: Expectation): number {
  return 'absent' in expect ? 1 : expect.version + 1;
}

/** A repository's change, as the table writes it (changes come only from repositories). */
export function asTableWrite(change: Change): TableWrite {
  const write = change as Partial<TableWrite>;
  if (write.op !== 'put' && write.op !== 'increment') throw new Error(`not a repository change: ${change.record}`);
  return write as TableWrite;
}

/** Wraps an entity as a stored record. */
export function itemOf(key: { pk: string; sk: string }, type: string, entity: object, index?: { gsi1pk: string; gsi1sk: string }): Item {
  const { version: _version, ...rest } = entity as { version?: number };
  return { ...rest, pk: key.pk, sk: key.sk, type, ...(index ?? {}) };
}

/** The entity inside a record, with its version. */
export function entityOf<T>(item: Item): T & { version: number } {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...entity } = item;
  return { ...entity, version: item.version ?? 0 } as unknown as T & { version: number };
}

/** A guarded put from a repository. */
export function put(record: string, item: Item, expected: 'absent' | number, onConflict?: Error): Put {
  return { record, op: 'put', item, expect: expected === 'absent' ? { absent: true } : { version: expected }, ...(onConflict ? { onConflict } : {}) };
}
