import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
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
