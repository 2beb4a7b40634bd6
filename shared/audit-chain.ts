import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit.ts';

/**
 * The audit trail is a hash chain per case (decision 0012): every entry carries the SHA-256 of the
 * entry before it in its chain, and its own hash over a canonical JSON of itself. Rewriting,
 * removing or reordering an entry breaks every link after it, and the chain head (seq and hash of
 * the last entry, kept beside the trail) tells a cut-off tail from a complete chain.
 */

/** The chain of an entry: its household's, else its project's, else its target's own. */
export function chainOf(record: AuditRecord): string {
  const { householdId, projectId, type, id } = record.target;
  if (householdId !== undefined) return householdChain(householdId);
  return projectId !== undefined ? projectChain(projectId) : `${type}#${id}`;
}

export const projectChain = (projectId: string) => `project#${projectId}`;
export const householdChain = (householdId: string) => `household#${householdId}`;

/** Where a chain stands: the number of entries and the hash of the last one. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The head of a chain with no entry yet. */
export const GENESIS: ChainHead = { seq: 0, hash: '0'.repeat(64) };

/** An audit record as stored: linked into its chain. */
export interface ChainedAuditRecord extends AuditRecord {
  chain: string;
  /** 1 for the first entry of the chain, then one more for each. */
  seq: number;
  /** `hash` of the entry before (GENESIS.hash for the first). */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  hash: string;
}

/**
 * Links records into their chains, in order, from the given heads (absent: GENESIS). Returns the
 * entries and each touched chain's head before and after — the writer advances the head from
 * `from` to `to` in the same transaction, on the condition that it is still at `from`.
 */
export function linkAudit(
  records: readonly AuditRecord[],
  heads: ReadonlyMap<string, ChainHead>,
): { entries: ChainedAuditRecord[]; heads: Map<string, { from: ChainHead; to: ChainHead }> } {
  const moved = new Map<string, { from: ChainHead; to: ChainHead }>();
  const entries = records.map((record) => {
    const chain = chainOf(record);
    const from = moved.get(chain)?.to ?? heads.get(chain) ?? GENESIS;
    const unhashed = { ...structuredClone(record), chain, seq: from.seq + 1, prevHash: from.hash };
    const entry: ChainedAuditRecord = { ...unhashed, hash: hashOf(unhashed) };
    moved.set(chain, { from: moved.get(chain)?.from ?? from, to: { seq: entry.seq, hash: entry.hash } });
    return entry;
  });
  return { entries, heads: moved };
}

/** SHA-256 (hex) of an entry's canonical JSON, its own `hash` left out. */
export function hashOf(entry: object): string {
  const { hash: _hash, ...rest } = entry as { hash?: unknown };
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * JSON with object keys sorted at every level and no whitespace; undefined members are left out,
 * as DynamoDB leaves them out (`removeUndefinedValues`), so the hash survives a round trip.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') throw new Error(`not JSON: ${typeof value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const members = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
  return `{${members.join(',')}}`;
}

export type ChainVerdict =
  | { ok: true; chain: string; count: number; head: ChainHead }
  | { ok: false; chain: string; count: number; seq: number; reason: string };

/**
 * Checks a chain offline: entries in stored order (by seq), and the head as stored. The first
 * broken link is reported: a missing or repeated seq, a prevHash that is not the previous entry's
 * hash, a hash that does not match the entry's content, or a head that is not the last entry.
 */
export function verifyChain(chain: string, entries: readonly object[], head: ChainHead | undefined): ChainVerdict {
  let previous = GENESIS;
  const broken = (seq: number, reason: string): ChainVerdict => ({ ok: false, chain, count: entries.length, seq, reason });
  for (const [i, stored] of entries.entries()) {
    const entry = stored as { chain?: unknown; seq?: unknown; prevHash?: unknown; hash?: unknown };
    const expected = previous.seq + 1;
    if (entry.chain !== chain) return broken(expected, `entry ${i + 1} belongs to chain ${String(entry.chain)}`);
    if (entry.seq !== expected) {
      return broken(expected, typeof entry.seq === 'number' && entry.seq > expected ? `entry ${expected} is missing (next is ${entry.seq})` : `entry ${expected} is out of order (found seq ${String(entry.seq)})`);
    }
    if (entry.prevHash !== previous.hash) return broken(expected, `entry ${expected} does not link to entry ${previous.seq} (prevHash ${String(entry.prevHash)}, expected ${previous.hash})`);
    const actual = hashOf(entry);
    if (entry.hash !== actual) return broken(expected, `entry ${expected} was changed (stored hash ${String(entry.hash)}, content hashes to ${actual})`);
    previous = { seq: expected, hash: actual };
  }
  if (!head) return entries.length === 0 ? broken(0, 'no such chain') : broken(previous.seq, 'the chain head is missing');
  if (head.seq !== previous.seq || head.hash !== previous.hash) {
    return broken(
      Math.min(head.seq, previous.seq + 1),
      head.seq > previous.seq ? `entries ${previous.seq + 1}–${head.seq} are missing (head at ${head.seq})` : `the head (seq ${head.seq}, ${head.hash}) is not the last entry (seq ${previous.seq}, ${previous.hash})`,
    );
  }
  return { ok: true, chain, count: entries.length, head: previous };
}
