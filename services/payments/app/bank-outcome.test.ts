import { beforeEach, describe, expect, it } from 'vitest';
import { householdPaidV1 } from '../../../events/household-paid.v1.ts';
import { paymentConfirmedV1 } from '../../../events/payment-confirmed.v1.ts';
import { paymentRejectedV1 } from '../../../events/payment-rejected.v1.ts';
import { AGENTS, ctxOf } from '../../../test/support/fakes.ts';
import { ACCOUNTS, availableFen, DUE, fullyFunded, paymentsWorld, signedCallback, type PaymentsWorld } from '../../../test/support/payments.ts';
import { BANK_ACTOR, receiveBankCallback } from './bank-outcome.ts';
import { PAYMENT_RULE } from './household-payments.ts';
import { instructHouseholdPayments } from './payments.ts';
import { awaitBank, sendToBank } from './payment-workflow.ts';

let world: PaymentsWorld;
beforeEach(async () => {
  world = await paymentsWorld();
  await fullyFunded(world);
  await instructHouseholdPayments(world.deps, 'H1', { instalment: 1, subsidyTo: 'resettled-persons', accounts: ACCOUNTS }, ctxOf(AGENTS.finance, '2026-10-10T10:00:00+08:00'));
});

const KEYS = Object.keys(DUE).map((group) => `A1:${group}:1`);
const at = (iso: string) => new Date(iso);
const callbackCtx = (now: Date) => ({ actor: { user: 'anonymous', agency: 'leading-group-office' as const, jurisdiction: '' }, requestId: `cb-${now.getTime()}`, now });
/** Sends the payment to the fake bank and parks the workflow on a task token, as the workflow does. */
async function sentAndWaiting(key: string, now = at('2026-10-10T03:00:00Z')) {
  expect(await sendToBank(world.deps, { paymentId: key }, now)).toEqual({ next: 'await' });
  await awaitBank(world.deps, { paymentId: key, token: `token:${key}` });
}
const deliver = (callback: Parameters<typeof signedCallback>[0], now: Date, secret?: string) => receiveBankCallback(world.deps, signedCallback(callback, now, secret), callbackCtx(now));
const snapshot = () => JSON.stringify([...world.store.items.entries()].filter(([k]) => !k.startsWith('BANK-NONCE#')));

describe('the bank\'s signed callback', () => {
  it('a settlement confirms the payment, settles its reservation, tells the land bureau and releases the waiting workflow; a duplicate changes nothing', async () => {
    const key = 'A1:household:1';
    await sentAndWaiting(key);
    const settledAt = at('2026-10-10T03:00:05Z');
    const callback = world.bank.settle(key, settledAt);
    expect(await deliver(callback, at('2026-10-10T03:00:06Z'))).toEqual({ recorded: true });
    const { payment, waiting } = await world.deps.payments.get(key);
    expect(payment).toMatchObject({ status: 'confirmed', confirmation: { bankReference: callback.bankReference, settledAt: settledAt.toISOString() } });
    expect(waiting).toBeUndefined();
    const entries = await world.deps.ledger.entries(world.project.id);
    expect(entries.at(-1)).toMatchObject({ kind: 'payment-settled', paymentId: key, bankReference: callback.bankReference, by: BANK_ACTOR });
    expect(world.workflows.released).toEqual([{ token: `token:${key}`, output: { status: 'confirmed' } }]);
    const told = (await world.deps.inbox.page('land-bureau', { limit: 20 })).items.find((e) => e.kind === 'payment-confirmed');
    expect(paymentConfirmedV1.schema.parse(told)).toMatchObject({ data: { paymentId: key, amountFen: DUE.household, settledAt: settledAt.toISOString() } });
    expect(await world.deps.paymentStatus.find('H1')).toMatchObject({ paidFen: DUE.household });
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'payment.confirmed', actor: BANK_ACTOR, summary: { bankReference: callback.bankReference } });

    // The same event delivered again (re-signed, new nonce): recorded already, nothing written.
    const before = snapshot();
    const auditCount = world.store.audit.length;
    expect(await deliver(callback, at('2026-10-10T03:01:00Z'))).toEqual({ recorded: true });
    expect(snapshot()).toBe(before);
    expect(world.store.audit).toHaveLength(auditCount);
    expect(world.workflows.released).toHaveLength(1);
  });

  it('a forged, stale or replayed callback is 401 and writes nothing', async () => {
    const key = 'A1:collective:1';
    await sentAndWaiting(key);
    const callback = world.bank.settle(key, at('2026-10-10T03:00:05Z'));
    const now = at('2026-10-10T03:00:06Z');
    const before = snapshot();
    await expect(deliver(callback, now, 'a-secret-the-bank-never-had-0123456789')).rejects.toMatchObject({ code: 'bank.callback-signature', category: 'unauthenticated' });
    const stale = signedCallback(callback, at('2026-10-10T02:50:00Z'));
    await expect(receiveBankCallback(world.deps, stale, callbackCtx(now))).rejects.toMatchObject({ code: 'bank.callback-stale' });
    const tampered = signedCallback(callback, now);
    await expect(receiveBankCallback(world.deps, { ...tampered, body: tampered.body.replace(callback.bankReference, 'FB99999999') }, callbackCtx(now))).rejects.toMatchObject({ code: 'bank.callback-signature' });
    expect(snapshot()).toBe(before);
    expect([...world.store.items.keys()].some((k) => k.startsWith('BANK-NONCE#'))).toBe(false);

    const genuine = signedCallback(callback, now);
    await receiveBankCallback(world.deps, genuine, callbackCtx(now));
    const after = snapshot();
    await expect(receiveBankCallback(world.deps, genuine, callbackCtx(now))).rejects.toMatchObject({ code: 'bank.callback-replayed', category: 'unauthenticated' });
    expect(snapshot()).toBe(after);
  });

  it('a rejection releases the reservation and sends the bank\'s reason back to the branch', async () => {
    const key = 'A1:person-m2:1';
    await sentAndWaiting(key);
    const balanceBefore = await availableFen(world, 'compensation');
    const callback = world.bank.reject(key, at('2026-10-10T03:00:05Z'), { code: 'name-mismatch', message: '收款人户名与账号不符' });
    await deliver(callback, at('2026-10-10T03:00:06Z'));
    const { payment } = await world.deps.payments.get(key);
    expect(payment).toMatchObject({ status: 'rejected', rejection: { reason: '收款人户名与账号不符（户名不符）' } });
    const entries = await world.deps.ledger.entries(world.project.id);
    expect(entries.at(-1)).toMatchObject({ kind: 'reservation-released', paymentId: key, amountFen: DUE['person-m2'], reason: '银行退票：收款人户名与账号不符（户名不符）' });
    expect(await availableFen(world, 'compensation')).toBe(balanceBefore + DUE['person-m2']);
    const told = (await world.deps.inbox.page('land-bureau', { limit: 20 })).items.find((e) => e.kind === 'payment-rejected');
    expect(paymentRejectedV1.schema.parse(told)).toMatchObject({ jurisdictions: ['yongzhou/lengshuitan'], data: { paymentId: key, reason: '收款人户名与账号不符（户名不符）', accountMasked: '6222***********7889' } });
    expect(await world.deps.paymentStatus.find('H1')).toMatchObject({ rejectedGroups: ['person-m2'] });
    expect(world.workflows.released).toEqual([{ token: `token:${key}`, output: { status: 'rejected' } }]);
  });

  it('a settlement of another amount than instructed is a contradiction (409) for finance to check, and settles nothing', async () => {
    const key = 'A1:household:1';
    await sentAndWaiting(key);
    const callback = world.bank.settle(key, at('2026-10-10T03:00:05Z'));
    const now = at('2026-10-10T03:00:06Z');
    const before = snapshot();
    await expect(deliver({ ...(callback as Extract<typeof callback, { status: 'settled' }>), amountFen: DUE.household - 1 }, now)).rejects.toMatchObject({ code: 'payment.amount-mismatch', category: 'conflict' });
    expect(snapshot()).toBe(before);
    expect((await world.deps.payments.get(key)).payment.status).toBe('sent');
  });

  it('a callback for a payment we do not have is 404 and writes nothing but the nonce', async () => {
    const now = at('2026-10-10T03:00:06Z');
    const before = snapshot();
    await expect(deliver({ idempotencyKey: 'A9:household:1', status: 'settled', bankReference: 'FB1', at: now.toISOString(), amountFen: 100 }, now)).rejects.toMatchObject({ code: 'payment.not-found', category: 'not-found' });
    expect(snapshot()).toBe(before);
  });
});

describe('paid in full', () => {
  it('the last settlement meets the payment clock at the bank\'s instant, counts the household paid and tells the land bureau, the township and finance (once)', async () => {
    for (const key of KEYS) await sentAndWaiting(key);
    const settle = async (key: string, iso: string) => deliver(world.bank.settle(key, at(iso)), at(iso));
    for (const [i, key] of KEYS.slice(0, -1).entries()) await settle(key, `2026-10-11T0${i}:00:00Z`);
    expect((await world.deps.paymentStatus.find('H1'))?.paidInFullAt).toBeUndefined();
    expect((await world.deps.watches.get('H1', PAYMENT_RULE)).watch.status).toBe('open');

    await settle(KEYS.at(-1)!, '2026-10-12T02:00:00Z');
    const status = await world.deps.paymentStatus.find('H1');
    expect(status).toMatchObject({ paidInFullAt: '2026-10-12T02:00:00.000Z', outstandingFen: 0, inFlightFen: 0 });
    const watch = await world.deps.watches.get('H1', PAYMENT_RULE);
    expect(watch.watch).toMatchObject({ status: 'met', metAt: '2026-10-12T02:00:00.000Z', metBy: 'bank' });
    expect(watch.waiting).toBeUndefined();
    expect(world.scheduler.released).toEqual([{ token: 'clock-token', watch: watch.watch }]);
    expect(await world.deps.counters.read(world.project.id, 'households-paid')).toBe(1);
    for (const addressee of ['land-bureau', 'township', 'finance'] as const) {
      const events = (await world.deps.inbox.page(addressee, { limit: 30 })).items.filter((e) => e.kind === 'household-paid');
      expect(events).toHaveLength(1);
      expect(householdPaidV1.schema.parse(events[0])).toMatchObject({ addressee, jurisdictions: ['yongzhou/lengshuitan', 'yongzhou/lengshuitan/meiwan'], data: { paidInFullAt: '2026-10-12T02:00:00.000Z', deadline: 'met', persons: [{ memberId: 'm1', name: '张三' }, { memberId: 'm2', name: '李四' }] } });
    }
    const toFinance = (await world.deps.inbox.page('finance', { limit: 30 })).items.find((e) => e.kind === 'household-paid');
    expect(toFinance!.text).toContain('张三、李四');
    expect(toFinance!.text).toContain('2026-10-12');

    // A late duplicate of the last settlement changes nothing: no second count, no second news.
    await settle(KEYS.at(-1)!, '2026-10-12T02:00:00Z');
    expect(await world.deps.counters.read(world.project.id, 'households-paid')).toBe(1);
    expect((await world.deps.inbox.page('township', { limit: 30 })).items.filter((e) => e.kind === 'household-paid')).toHaveLength(1);
    // The resettled persons' social security opens on the household timeline, for finance first.
    const steps = await world.deps.householdSteps.ofHousehold('H1');
    expect(steps.map((step) => [step.key, step.status, step.responsibleAgency])).toEqual([
      ['social-security:m1', 'open', 'finance'],
      ['social-security:m2', 'open', 'finance'],
    ]);
  });
});

describe('two bank outcomes for one household', () => {
  it('publish a status counting every confirmed payment, even when the later commit began before the other\'s settlement instant', async () => {
    const [first, second] = ['A1:collective:1', 'A1:household:1'];
    await sentAndWaiting(first);
    await sentAndWaiting(second);
    // The household's payment settles at 03:00:20 and is recorded; the collective's callback request
    // had begun at 03:00:10 and commits after it (a retry keeps the request's instant).
    await deliver(world.bank.settle(second, at('2026-10-10T03:00:20Z')), at('2026-10-10T03:00:21Z'));
    await deliver(world.bank.settle(first, at('2026-10-10T03:00:05Z')), at('2026-10-10T03:00:10Z'));
    expect(await world.deps.paymentStatus.find('H1')).toMatchObject({ paidFen: DUE.collective + DUE.household, inFlightFen: DUE['person-m1'] + DUE['person-m2'] + DUE['social-security-fund'] });
  });
});
