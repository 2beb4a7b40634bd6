import { describe, expect, it } from 'vitest';
import { MemoryTable } from './adapters/memory-table.ts';
import type { AuditRecord } from './audit.ts';
import { canonicalJson, GENESIS, hashOf, linkAudit, projectChain, verifyChain, type ChainedAuditRecord } from './audit-chain.ts';

const record = (n: number, projectId = 'P1'): AuditRecord => ({
  at: `2026-09-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  requestId: `req-${n}`,
  actor: { user: 'u', agency: 'land-bureau', jurisdiction: 'yongzhou' },
  action: 'notice.draft',
  target: { type: 'notice', id: projectId, projectId },
  summary: { revision: n, note: undefined },
});

/** A chain of five entries of project P1, written through the in-memory table. */
async function fiveEntries() {
  const table = new MemoryTable();
  await table.commit([], [record(1), record(2)]);
  await table.appendAudit([record(3)]);
  await table.commit([], [record(4), record(5)]);
  const chain = projectChain('P1');
  return { table, chain, entries: table.auditChain(chain), head: table.auditHeads.get(chain) };
}

describe('canonical JSON', () => {
  it('sorts keys at every level and leaves undefined members out (as DynamoDB does)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1, hash: 'ignored' }));
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/not a JSON number/);
  });
});

describe('linking', () => {
  it('chains entries per case from the head, each over the one before', () => {
    const other: AuditRecord = { ...record(9), target: { type: 'inbox', id: 'land-bureau' } };
    const { entries, heads } = linkAudit([record(1), other, record(2)], new Map([[projectChain('P1'), { seq: 7, hash: 'a'.repeat(64) }]]));
    expect(entries.map((e) => [e.chain, e.seq])).toEqual([['project#P1', 8], ['inbox#land-bureau', 1], ['project#P1', 9]]);
    expect(entries[0]!.prevHash).toBe('a'.repeat(64));
    expect(entries[1]!.prevHash).toBe(GENESIS.hash);
    expect(entries[2]!.prevHash).toBe(entries[0]!.hash);
    expect(heads.get('project#P1')).toEqual({ from: { seq: 7, hash: 'a'.repeat(64) }, to: { seq: 9, hash: entries[2]!.hash } });
  });
});

describe('verifyChain', () => {
  it('accepts the chain the in-memory table wrote, commits and lone audit records alike', async () => {
    const { chain, entries, head } = await fiveEntries();
    expect(verifyChain(chain, entries, head)).toEqual({ ok: true, chain, count: 5, head: { seq: 5, hash: entries[4]!.hash } });
  });

  it('detects an edited entry, even one whose hash was recomputed', async () => {
    const { chain, entries, head } = await fiveEntries();
    const edited = structuredClone(entries);
    (edited[2]!.summary as Record<string, unknown>).revision = 99;
    expect(verifyChain(chain, edited, head)).toMatchObject({ ok: false, seq: 3, reason: expect.stringMatching(/entry 3 was changed/) });
    edited[2]!.hash = hashOf(edited[2]!);
    expect(verifyChain(chain, edited, head)).toMatchObject({ ok: false, seq: 4, reason: expect.stringMatching(/entry 4 does not link to entry 3/) });
  });

  it('detects a deleted entry, in the middle or at the end', async () => {
    const { chain, entries, head } = await fiveEntries();
    expect(verifyChain(chain, entries.filter((e) => e.seq !== 2), head)).toMatchObject({ ok: false, seq: 2, reason: 'entry 2 is missing (next is 3)' });
    expect(verifyChain(chain, entries.slice(0, 4), head)).toMatchObject({ ok: false, seq: 5, reason: 'entries 5–5 are missing (head at 5)' });
    expect(verifyChain(chain, entries, undefined)).toMatchObject({ ok: false, reason: 'the chain head is missing' });
  });

  it('detects reordered entries, whether their seqs were swapped or not', async () => {
    const { chain, entries, head } = await fiveEntries();
    const swapped = [entries[0]!, entries[2]!, entries[1]!, entries[3]!, entries[4]!];
    expect(verifyChain(chain, swapped, head)).toMatchObject({ ok: false, seq: 2, reason: 'entry 2 is missing (next is 3)' });
    const renumbered = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(verifyChain(chain, renumbered, head)).toMatchObject({ ok: false, seq: 2, reason: expect.stringMatching(/entry 2 does not link to entry 1/) });
  });

  it('detects an entry moved in from another chain, and a head that is not the last entry', async () => {
    const { chain, entries, head } = await fiveEntries();
    const moved: ChainedAuditRecord = { ...entries[1]!, chain: 'project#P2' };
    expect(verifyChain(chain, [entries[0]!, moved, ...entries.slice(2)], head)).toMatchObject({ ok: false, seq: 2, reason: 'entry 2 belongs to chain project#P2' });
    expect(verifyChain(chain, entries, { seq: 5, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, reason: expect.stringMatching(/is not the last entry/) });
    expect(verifyChain('project#none', [], undefined)).toMatchObject({ ok: false, reason: 'no such chain' });
  });
});
