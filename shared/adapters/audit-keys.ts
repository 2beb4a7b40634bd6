import type { ChainedAuditRecord } from '../audit-chain.ts';

/**
 * Where the audit table keeps the chained trail (decisions 0004, 0012): a chain's entries in one
 * partition ordered by seq, its head in a partition of its own (the only items functions may read,
 * see `Grants.caseData`), and each entry in the agency index by time.
 */
export const AUDIT_HEAD_PREFIX = 'AUDITHEAD#';

export const auditHeadKey = (chain: string) => ({ pk: `${AUDIT_HEAD_PREFIX}${chain}`, sk: 'HEAD' });

/** Zero-padded so that the sort key orders entries by seq. */
export const auditEntrySk = (seq: number) => `SEQ#${String(seq).padStart(12, '0')}`;

export function auditEntryItem(entry: ChainedAuditRecord): Record<string, unknown> {
  return { pk: entry.chain, sk: auditEntrySk(entry.seq), gsi1pk: `AGENCY#${entry.actor.agency}`, gsi1sk: entry.at, ...entry };
}

/**
 * The entry inside a stored item. Keys that do not match its content are left in, so that the
 * entry no longer hashes to its stored hash and the verifier reports it as changed.
 */
export function auditEntryOf(item: Record<string, unknown>): Record<string, unknown> {
  const { pk, sk, gsi1pk, gsi1sk, ...entry } = item;
  const actor = entry.actor as { agency?: unknown } | undefined;
  const consistent = pk === entry.chain && sk === auditEntrySk(Number(entry.seq)) && gsi1pk === `AGENCY#${String(actor?.agency)}` && gsi1sk === entry.at;
  return consistent ? entry : item;
}
