import { beforeEach, describe, expect, it } from 'vitest';
import { AGENTS, ctxOf } from '../../../test/support/fakes.ts';
import { ACCOUNTS, DUE, fullyFunded, paymentsWorld, type PaymentsWorld } from '../../../test/support/payments.ts';
import { instructHouseholdPayments } from './payments.ts';
import { awaitBank, queryBank, sendToBank } from './payment-workflow.ts';

let world: PaymentsWorld;
beforeEach(async () => {
  world = await paymentsWorld();
  await fullyFunded(world);
  await instructHouseholdPayments(world.deps, 'H1', { instalment: 1, subsidyTo: 'resettled-persons', accounts: ACCOUNTS }, ctxOf(AGENTS.finance, '2026-10-10T10:00:00+08:00'));
});

const KEY = 'A1:household:1';
const t = (minutes: number) => new Date(Date.parse('2026-10-10T03:00:00Z') + minutes * 60_000);
const statusOf = async (key = KEY) => (await world.deps.payments.get(key)).payment.status;

describe('the payment workflow\'s tasks', () => {
  it('sends the instruction with the clear account number revealed from the vault, a Chinese purpose, and waits', async () => {
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(0))).toEqual({ next: 'await' });
    expect(world.bank.transfers).toEqual([
      { idempotencyKey: KEY, payee: { accountNumber: '622848009988776655', accountName: '张三', bankName: '中国农业银行冷水滩支行' }, amountFen: DUE.household, currency: 'CNY', purpose: '征地补偿款（协议冷征协〔2026〕001号，第1期）' },
    ]);
    expect(await statusOf()).toBe('sent');
    // Run again (a retried task): the payment is sent, nothing goes to the bank again.
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(1))).toEqual({ next: 'await' });
    expect(world.bank.instructed).toEqual([KEY]);
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'payment.sent', summary: { from: 'instructed', to: 'sent' } });
    expect(JSON.stringify(world.store.audit)).not.toContain('622848009988776655');
  });

  it('outcome unknown → query → never received → sent again under the same key: exactly one transfer', async () => {
    world.bank.faults.set(KEY, ['timeout']);
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(0))).toEqual({ next: 'query' });
    expect(await statusOf()).toBe('unknown');
    expect(await queryBank(world.deps, { paymentId: KEY }, t(1))).toEqual({ next: 'send' });
    expect(await statusOf()).toBe('instructed');
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(2))).toEqual({ next: 'await' });
    expect(world.bank.instructed).toEqual([KEY, KEY]);
    expect(world.bank.transfers.map((i) => i.idempotencyKey)).toEqual([KEY]);
    expect((await world.deps.payments.get(KEY)).payment.history.map((h) => h.status)).toEqual(['instructed', 'unknown', 'instructed', 'sent']);
  });

  it('a lost response (the bank did make it) → query finds it accepted → await; never sent twice', async () => {
    world.bank.faults.set(KEY, ['lost-response']);
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(0))).toEqual({ next: 'query' });
    expect(await queryBank(world.deps, { paymentId: KEY }, t(1))).toEqual({ next: 'await' });
    expect(await statusOf()).toBe('sent');
    // The bank settles; the wait timed out before its callback came: the query records it.
    world.bank.settle(KEY, t(2));
    expect(await queryBank(world.deps, { paymentId: KEY }, t(3))).toEqual({ next: 'done' });
    expect(await statusOf()).toBe('confirmed');
    expect(world.bank.instructed).toEqual([KEY]);
    expect(world.bank.transfers).toHaveLength(1);
    const settled = (await world.deps.ledger.entries(world.project.id)).filter((e) => e.kind === 'payment-settled');
    expect(settled).toHaveLength(1);
    // A late callback-equivalent answer later changes nothing.
    expect(await queryBank(world.deps, { paymentId: KEY }, t(4))).toEqual({ next: 'done' });
  });

  it('a bank that is down: nothing sent, the error goes to the workflow to retry, the payment stays instructed', async () => {
    world.bank.faults.set(KEY, ['unavailable']);
    await expect(sendToBank(world.deps, { paymentId: KEY }, t(0))).rejects.toMatchObject({ code: 'bank.unavailable' });
    expect(await statusOf()).toBe('instructed');
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(1))).toEqual({ next: 'await' });
    expect(world.bank.transfers).toHaveLength(1);
  });

  it('awaitBank keeps the token on a sent payment, and releases at once one already settled', async () => {
    await sendToBank(world.deps, { paymentId: KEY }, t(0));
    await awaitBank(world.deps, { paymentId: KEY, token: 'tok-1' });
    expect((await world.deps.payments.get(KEY)).waiting).toBe('tok-1');
    expect(world.workflows.released).toEqual([]);
    world.bank.settle(KEY, t(1));
    await queryBank(world.deps, { paymentId: KEY }, t(2));
    expect(world.workflows.released).toEqual([{ token: 'tok-1', output: { status: 'confirmed' } }]);
    await awaitBank(world.deps, { paymentId: KEY, token: 'tok-2' });
    expect(world.workflows.released.at(-1)).toEqual({ token: 'tok-2', output: { status: 'confirmed' } });
  });

  it('a rejected payment: the query records the bank\'s reason and the workflow is done', async () => {
    await sendToBank(world.deps, { paymentId: KEY }, t(0));
    world.bank.reject(KEY, t(1), { code: 'account-closed', message: '收款账户已销户' });
    expect(await queryBank(world.deps, { paymentId: KEY }, t(2))).toEqual({ next: 'done' });
    expect((await world.deps.payments.get(KEY)).payment.rejection?.reason).toBe('收款账户已销户（账户已销户）');
    expect(await sendToBank(world.deps, { paymentId: KEY }, t(3))).toEqual({ next: 'done' });
    expect(world.bank.instructed).toEqual([KEY]);
  });
});
