import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.ts';
import { ConflictError } from '../errors.ts';
import { HmacCursorSealer } from './cursor.ts';
import { DynamoDbTable } from './dynamodb-table.ts';
import { put } from './table.ts';

/**
 * How the table reads DynamoDB's transaction cancellations. DynamoDB Local serialises transactions
 * and never reports a TransactionConflict, so these answers are scripted (the real service's shape).
 */
function tableAnswering(answers: Array<'ok' | Array<'None' | 'ConditionalCheckFailed' | 'TransactionConflict'>>) {
  let calls = 0;
  const db = {
    send: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)]!;
      if (answer === 'ok') return {};
      throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: answer.map((Code) => ({ Code })) });
    },
  } as unknown as DynamoDBDocumentClient;
  return { table: new DynamoDbTable(db, { cases: 'cases', audit: 'audit' }, new HmacCursorSealer(Buffer.from('s'))), calls: () => calls };
}

const writes = [put('registration', { pk: 'P#1', sk: 'REG#a' }, 'absent', new ConflictError('registration.duplicate', '重复'))];

describe('DynamoDbTable transactions', () => {
  it('tries again when another transaction touched the same item at the same moment (nothing was written)', async () => {
    const { table, calls } = tableAnswering([['None', 'TransactionConflict'], ['TransactionConflict', 'None'], 'ok']);
    await table.commit(writes, []);
    expect(calls()).toBe(3);
  });

  it('names the write whose condition failed, though puts go first and increments of one item are merged into one update', async () => {
    const moved = new ConflictError('ledger.balance-moved', '余额已变动');
    const fund = { pk: 'ACCOUNT#P', sk: 'FUND#compensation' };
    const mixed = [
      { record: 'fund', op: 'increment' as const, key: fund, attribute: 'availableFen', by: -5, atLeast: 5, onConflict: moved },
      { record: 'fund', op: 'increment' as const, key: fund, attribute: 'confirmedFen', by: 0 },
      put('payment', { pk: 'PAY#1', sk: 'PAYMENT' }, 'absent', new ConflictError('payment.instalment-instructed', '重复')),
    ];
    // Transaction items: [the payment's put, the fund's one update]; the update's condition failed.
    await expect(tableAnswering([['None', 'ConditionalCheckFailed']]).table.commit(mixed, [])).rejects.toBe(moved);
    await expect(tableAnswering([['ConditionalCheckFailed', 'None']]).table.commit(mixed, [])).rejects.toMatchObject({ code: 'payment.instalment-instructed' });
  });

  it('gives up with a 409 after a few conflicts in a row', async () => {
    const { table, calls } = tableAnswering([['None', 'TransactionConflict']]);
    await expect(table.commit(writes, [])).rejects.toMatchObject({ code: 'conflict.concurrent-change' });
    expect(calls()).toBe(5);
  });

  it("reports a failed condition as the write's own conflict, at once", async () => {
    const { table, calls } = tableAnswering([['ConditionalCheckFailed', 'TransactionConflict']]);
    await expect(table.commit(writes, [])).rejects.toMatchObject({ code: 'registration.duplicate' });
    expect(calls()).toBe(1);
  });
});

/** A table whose DynamoDB answers head reads with `heads` (in turn) and transactions with `answers`. */
function chainedTableAnswering(heads: Array<{ seq: number; hash: string } | undefined>, answers: Array<'ok' | Array<'None' | 'ConditionalCheckFailed'>>) {
  const transactions: Array<{ TransactItems: Array<{ Put?: { Item: Record<string, unknown>; ConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> } }> }> = [];
  let reads = 0;
  const db = {
    send: async (command: { input: unknown; constructor: { name: string } }) => {
      if (command.constructor.name === 'GetCommand') {
        const head = heads[Math.min(reads++, heads.length - 1)];
        return { Item: head ? { pk: 'AUDITHEAD#project#P1', sk: 'HEAD', ...head } : undefined };
      }
      const answer = answers[Math.min(transactions.length, answers.length - 1)]!;
      transactions.push(structuredClone(command.input) as (typeof transactions)[number]);
      if (answer === 'ok') return {};
      throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: answer.map((Code) => ({ Code })) });
    },
  } as unknown as DynamoDBDocumentClient;
  return { table: new DynamoDbTable(db, { cases: 'cases', audit: 'audit' }, new HmacCursorSealer(Buffer.from('s'))), transactions, reads: () => reads };
}

const record: AuditRecord = {
  at: '2026-09-01T00:00:00.000Z',
  requestId: 'req-1',
  actor: { user: 'u', agency: 'land-bureau', jurisdiction: 'yongzhou' },
  action: 'registration.create',
  target: { type: 'registration', id: 'R1', projectId: 'P1' },
};
const head = (seq: number) => ({ seq, hash: String(seq).repeat(64).slice(0, 64) });

describe('DynamoDbTable audit chain', () => {
  it('links the entry to the head it read and advances the head only from there, in the same transaction', async () => {
    const { table, transactions } = chainedTableAnswering([head(3)], ['ok']);
    await table.commit(writes, [record]);
    const [change, entry, advance] = transactions[0]!.TransactItems.map((i) => i.Put!);
    expect(change!.Item).toMatchObject({ pk: 'P#1', sk: 'REG#a' });
    expect(entry!.Item).toMatchObject({ pk: 'project#P1', sk: 'SEQ#000000000004', chain: 'project#P1', seq: 4, prevHash: head(3).hash });
    expect(entry!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(advance!.Item).toEqual({ pk: 'AUDITHEAD#project#P1', sk: 'HEAD', chain: 'project#P1', seq: 4, hash: entry!.Item.hash });
    expect(advance!.ExpressionAttributeValues).toEqual({ ':seq': 3, ':hash': head(3).hash });
  });

  it('starts a chain only if nobody started it meanwhile', async () => {
    const { table, transactions } = chainedTableAnswering([undefined], ['ok']);
    await table.appendAudit([record]);
    const [entry, advance] = transactions[0]!.TransactItems.map((i) => i.Put!);
    expect(entry!.Item).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });
    expect(advance!.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it('another writer advanced the head: reads it again and commits the whole change linked to the new head', async () => {
    const { table, transactions, reads } = chainedTableAnswering([head(3), head(4)], [['None', 'None', 'ConditionalCheckFailed'], 'ok']);
    await table.commit(writes, [record]);
    expect(reads()).toBe(2);
    expect(transactions).toHaveLength(2);
    // The retry carries the same guarded write (checked again by DynamoDB) and the entry re-linked.
    expect(transactions[1]!.TransactItems[0]).toEqual(transactions[0]!.TransactItems[0]);
    expect(transactions[1]!.TransactItems[1]!.Put!.Item).toMatchObject({ seq: 5, prevHash: head(4).hash });
    expect(transactions[1]!.TransactItems[2]!.Put!.ExpressionAttributeValues).toEqual({ ':seq': 4, ':hash': head(4).hash });
  });

  it("a write's own failed condition wins over a moved head: its conflict, at once, never a retry", async () => {
    const { table, transactions } = chainedTableAnswering([head(3)], [['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed']]);
    await expect(table.commit(writes, [record])).rejects.toMatchObject({ code: 'registration.duplicate' });
    expect(transactions).toHaveLength(1);
  });

  it('gives up with a 409 when the head keeps moving', async () => {
    const { table, transactions } = chainedTableAnswering([head(3)], [['None', 'ConditionalCheckFailed']]);
    await expect(table.appendAudit([record])).rejects.toMatchObject({ code: 'conflict.concurrent-change' });
    expect(transactions).toHaveLength(12);
  }, 20_000);
});
