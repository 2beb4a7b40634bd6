import type { AuditRecord } from '../audit.ts';

/**
 * One stored record of a case. `pk` groups a case (e.g. `PROJECT#<id>`), `sk` names the record
 * within it; `gsi1pk`/`gsi1sk` place it in the cross-case index (sparse: only where set).
 * `version` is maintained by the store for optimistic locking.
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

export interface Put {
  item: Item;
  expect: Expectation;
  /** The error to report when the expectation fails (a domain-specific 409/422). */
  onConflict?: Error;
}

/**
 * The persistence port every service uses. Writes of one action, and the action's audit
 * records, commit together or not at all.
 */
export interface CaseStore {
  get(pk: string, sk: string): Promise<Item | undefined>;
  /** Records of one case, optionally only those whose sk starts with `skPrefix`, by sk. */
  query(pk: string, skPrefix?: string): Promise<Item[]>;
  /** One page of a case's records by sk; `cursor` continues after the last page (opaque). */
  page(pk: string, skPrefix: string, options: { limit: number; cursor?: string | undefined }): Promise<{ items: Item[]; cursor?: string }>;
  /** Records across cases in the index partition `gsi1pk`, by gsi1sk, optionally up to `untilSk`. */
  queryIndex(gsi1pk: string, options?: { untilSk?: string; limit?: number }): Promise<Item[]>;
  /** One page of an index partition by gsi1sk, newest first; `cursor` continues (opaque). */
  pageIndex(gsi1pk: string, options: { limit: number; cursor?: string | undefined }): Promise<{ items: Item[]; cursor?: string }>;
  commit(puts: readonly Put[], audit: readonly AuditRecord[]): Promise<void>;
  /** Appends audit records alone (reads of personal data, for instance). */
  appendAudit(audit: readonly AuditRecord[]): Promise<void>;
}

/** The version a put will store, given its expectation. */
export function nextVersion(expect: Expectation): number {
  return 'absent' in expect ? 1 : expect.version + 1;
}
