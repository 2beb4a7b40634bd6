import { ExecutionAlreadyExists, type SendTaskSuccessCommand, type StartExecutionCommand, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { TableNonceStore } from './dynamodb-nonce-store.ts';
import { paymentExecutionName, SfnPaymentWorkflows } from './sfn-payment-workflows.ts';

/** Records the commands sent; answers each with the next scripted outcome. */
function fakeSfn(outcomes: Array<Error | undefined> = []) {
  const sent: unknown[] = [];
  const client = { send: async (command: unknown) => { sent.push(command); const outcome = outcomes.shift(); if (outcome) throw outcome; return {}; } } as unknown as SFNClient;
  return { client, sent };
}

describe('the payment workflows on Step Functions', () => {
  it('names the execution from the payment id (no ":"; a long key keeps a hash of the whole) and treats "already started" as started', async () => {
    expect(paymentExecutionName('A1:person-m1:1:r2')).toBe('A1_person-m1_1_r2');
    const long = `${'x'.repeat(80)}:household:1`;
    expect(paymentExecutionName(long)).toHaveLength(80);
    expect(paymentExecutionName(long)).not.toBe(paymentExecutionName(`${'x'.repeat(80)}:household:2`));
    const { client, sent } = fakeSfn([undefined, new ExecutionAlreadyExists({ message: 'exists', $metadata: {} })]);
    const workflows = new SfnPaymentWorkflows(client, 'arn:aws:states:cn-north-1:1:stateMachine:payment');
    await workflows.start('A1:household:1');
    await workflows.start('A1:household:1');
    expect(sent).toHaveLength(2);
    expect((sent[0] as StartExecutionCommand).input).toMatchObject({ name: 'A1_household_1', input: JSON.stringify({ paymentId: 'A1:household:1' }) });
  });

  it('releases a wait with the output; a wait that already ended is not an error', async () => {
    const { client, sent } = fakeSfn([undefined, new TaskTimedOut({ message: 'timed out', $metadata: {} })]);
    const workflows = new SfnPaymentWorkflows(client, 'arn');
    await workflows.release('tok', { status: 'confirmed' });
    await workflows.release('tok', { status: 'confirmed' });
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({ taskToken: 'tok', output: '{"status":"confirmed"}' });
  });
});

describe('the callback nonce store', () => {
  it('records a nonce once, with an expiry for the table\'s TTL', async () => {
    const table = new MemoryTable();
    const nonces = new TableNonceStore(table, () => Date.parse('2026-10-10T00:00:00Z'));
    expect(await nonces.seen('nonce-0000000000000001')).toBe(false);
    expect(await nonces.seen('nonce-0000000000000001')).toBe(true);
    expect(await nonces.seen('nonce-0000000000000002')).toBe(false);
    expect(await table.get('BANK-NONCE#nonce-0000000000000001', 'NONCE')).toMatchObject({ expiresAt: Date.parse('2026-10-10T00:10:00Z') / 1000 });
  });
});
