import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { apiClient, startTestCloud, WHO } from '../support/local-cloud.ts';
import { FINANCE, fundedAccountViaApi, signedHouseholdViaApi, type SignedHousehold } from '../support/signed-household.ts';

/**
 * The synthesized payment workflow (one Standard execution per payment) on the local Step Functions
 * with the virtual clock, the bank simulator and the real API: the bank's callback releases the
 * wait; a lost callback times the wait out into a query by the key; a lost answer to the instruction
 * is queried before anything is sent again; a rejection goes back to the branch and its correction is
 * a new payment; a household left unpaid for 3 months is alerted once and counted against the branch.
 */
const HOUR = 3_600_000;
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
/** Paid in the first test; past its last day (the last test moves the clock there) nothing is alerted. */
let paidInTime: SignedHousehold | undefined;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-09-01T09:00:00+08:00' });
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
});

const bank = () => {
  if (!cloud.bank) throw new Error('the local cloud started no bank');
  return cloud.bank;
};

/** Finance's accounts for every payee group of a signed household whose subsidy goes to its persons. */
function accountsOf(signed: SignedHousehold) {
  return [
    { payeeGroup: 'collective', accountName: '梅湾村一组', bankName: '中国农业银行冷水滩支行', accountNumber: '622848001122334455' },
    ...signed.memberIds.map((memberId, i) => ({ payeeGroup: `person-${memberId}`, accountName: i === 0 ? '张三' : '李四', bankName: '中国工商银行永州分行', accountNumber: `62220202001122334${40 + i}` })),
    { payeeGroup: 'social-security-fund', accountName: '永州市社会保险基金专户', bankName: '中国建设银行永州分行', accountNumber: '43001650061052500001' },
  ];
}

async function instructed(signed: SignedHousehold, faults?: Parameters<ReturnType<typeof bank>['setFaults']>[0]) {
  bank().setFaults(faults ?? {});
  await fundedAccountViaApi(call, signed.projectId, { compensationFen: signed.totalFen, subsidyFen: signed.totalFen }, '2026-09-01');
  const response = await call(FINANCE, 'POST', `/households/${signed.householdId}/payments`, { instalment: 1, subsidyTo: 'resettled-persons', accounts: accountsOf(signed) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.payments as Array<{ paymentId: string; amountFen: number; payeeGroup: string }>;
}

const paymentsOf = async (householdId: string) => {
  const read = await call(WHO.landBranch, 'GET', `/households/${householdId}/payments`);
  expect(read.status, JSON.stringify(read.body)).toBe(200);
  return read.body;
};
const transfersOf = (paymentIds: readonly string[]) => bank().transfers().filter((t) => paymentIds.includes(t.idempotencyKey));

describe('a payment through the bank', () => {
  it('is sent once, confirmed by the bank\'s callback, settled in the ledger; the household is paid in full and its clock met', async () => {
    const signed = await signedHouseholdViaApi(cloud, call);
    const payments = await instructed(signed);
    expect(payments.length).toBe(signed.memberIds.length + 2);
    await cloud.advance(10_000);

    const read = await paymentsOf(signed.householdId);
    expect(read.payments.map((p: { status: string }) => p.status)).toEqual(payments.map(() => 'confirmed'));
    expect(read.status, JSON.stringify(read)).toMatchObject({ paidFen: read.status.dueFen, outstandingFen: 0, paidInFullAt: expect.any(String) });
    expect(read.clock).toMatchObject({ state: 'met' });
    const ids = payments.map((p) => p.paymentId);
    expect(transfersOf(ids).map((t) => t.idempotencyKey).sort()).toEqual([...ids].sort());
    expect(transfersOf(ids).reduce((sum, t) => sum + t.amountFen, 0)).toBe(read.status.dueFen);

    const account = await call(FINANCE, 'GET', `/projects/${signed.projectId}/account?limit=100`);
    const settled = account.body.entries.filter((e: { kind: string }) => e.kind === 'payment-settled').map((e: { paymentId: string }) => e.paymentId);
    expect(settled.sort()).toEqual([...ids].sort());

    const timeline = await call(WHO.landBranch, 'GET', `/households/${signed.householdId}/timeline`);
    expect(timeline.body.steps.find((s: { step: string }) => s.step === '足额支付征地补偿款')).toMatchObject({ status: 'done', detail: expect.stringContaining('未付 0.00 元') });
    paidInTime = signed;
  });

  it('whose callback never comes in time: the wait times out, the bank is queried by the key, the settlement recorded once', async () => {
    const signed = await signedHouseholdViaApi(cloud, call, { householdNumber: '002' });
    const agreementKey = `${signed.agreementId}:collective:1`;
    const payments = await instructed(signed, { forced: { [agreementKey]: { lateCallback: true } }, lateCallbackMs: 6 * HOUR });
    await cloud.advance(60_000);
    const waiting = await paymentsOf(signed.householdId);
    // The others are confirmed by their callbacks; the collective's settled at the bank, but nobody told us yet.
    expect(waiting.payments.find((p: { paymentId: string }) => p.paymentId === agreementKey)).toMatchObject({ status: 'sent' });
    expect(bank().payments().find((p) => p.idempotencyKey === agreementKey)).toMatchObject({ status: 'settled' });

    // Four hours of waiting, then the query: confirmed before the late callback arrives.
    await cloud.advance(4 * HOUR);
    const queried = await paymentsOf(signed.householdId);
    expect(queried.payments.find((p: { paymentId: string }) => p.paymentId === agreementKey)).toMatchObject({ status: 'confirmed' });
    expect(queried.status.paidInFullAt).toBeDefined();
    // The late callback changes nothing: still one transfer per payment, one settlement each.
    await cloud.advance(3 * HOUR);
    const ids = payments.map((p) => p.paymentId);
    expect(transfersOf(ids)).toHaveLength(ids.length);
    const account = await call(FINANCE, 'GET', `/projects/${signed.projectId}/account?limit=100`);
    expect(account.body.entries.filter((e: { kind: string; paymentId?: string }) => e.kind === 'payment-settled' && e.paymentId === agreementKey)).toHaveLength(1);
  });

  it('whose instruction got no answer (lost response, timeout): queried before anything else, paid once', async () => {
    const signed = await signedHouseholdViaApi(cloud, call, { householdNumber: '003' });
    const lost = `${signed.agreementId}:collective:1`;
    const timedOut = `${signed.agreementId}:social-security-fund:1`;
    const payments = await instructed(signed, { forced: { [lost]: { instruct: 'lost-response' }, [timedOut]: { instruct: 'timeout' } } });
    await cloud.advance(2 * 60_000);
    const read = await paymentsOf(signed.householdId);
    expect(read.payments.map((p: { status: string }) => p.status)).toEqual(payments.map(() => 'confirmed'));
    const ids = payments.map((p) => p.paymentId);
    expect(transfersOf(ids).map((t) => t.idempotencyKey).sort()).toEqual([...ids].sort());
    // The lost one went through the unknown state, found settled by the query.
    expect(read.payments.find((p: { paymentId: string }) => p.paymentId === lost).history.map((h: { status: string }) => h.status)).toContain('unknown');
  });

  it('that the bank rejects goes back to the branch with the reason; the correction is a new, linked payment, paid once', async () => {
    const signed = await signedHouseholdViaApi(cloud, call, { householdNumber: '004' });
    const rejected = `${signed.agreementId}:person-${signed.memberIds[0]}:1`;
    await instructed(signed, { forced: { [rejected]: { reject: 'name-mismatch' } } });
    await cloud.advance(60_000);
    const read = await paymentsOf(signed.householdId);
    expect(read.payments.find((p: { paymentId: string }) => p.paymentId === rejected)).toMatchObject({ status: 'rejected', rejection: { reason: expect.stringContaining('户名') } });
    expect(read.status).toMatchObject({ rejectedGroups: [`person-${signed.memberIds[0]}`] });
    expect(read.status.paidInFullAt).toBeUndefined();
    const inbox = await call(WHO.landBranch, 'GET', '/inbox?limit=100');
    expect(inbox.body.items).toContainEqual(expect.objectContaining({ kind: 'payment-rejected', data: expect.objectContaining({ paymentId: rejected }) }));

    const corrected = await call(FINANCE, 'POST', `/payments/${encodeURIComponent(rejected)}/correction`, { accountName: '张三', bankName: '中国工商银行永州分行', accountNumber: '6222020200112233999' });
    expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
    await cloud.advance(60_000);
    const after = await paymentsOf(signed.householdId);
    expect(after.payments.find((p: { paymentId: string }) => p.paymentId === `${rejected}:r1`)).toMatchObject({ status: 'confirmed', corrects: rejected });
    expect(after.status.paidInFullAt).toBeDefined();
    expect(bank().transfers().filter((t) => t.idempotencyKey.startsWith(rejected))).toHaveLength(1);
  });
});

describe('the 3-month payment clock', () => {
  it('unpaid at the due instant: one overdue alert, one record against the branch', async () => {
    const signed = await signedHouseholdViaApi(cloud, call, { householdNumber: '005' });
    await cloud.advance(Date.parse(signed.payment.dueAt) - cloud.clock.now() + HOUR);
    await cloud.advance(24 * HOUR);
    const alerts = cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === signed.projectId && m.messageAttributes?.kind?.Value === 'deadline-overdue');
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!.message).data).toMatchObject({ ruleId: 'compensation-payment', lastDay: signed.payment.lastDay });
    // To the branch that signed, finance that disburses, and the leading group office.
    expect(JSON.parse(alerts[0]!.message).agencies).toEqual(['land-bureau', 'finance', 'leading-group-office']);
    const overdue = await call(WHO.leadingGroup, 'GET', '/performance/overdue?limit=100');
    expect(overdue.body.items.filter((r: { caseId: string; ruleId: string }) => r.caseId === signed.householdId && r.ruleId === 'compensation-payment')).toEqual([expect.objectContaining({ agency: 'land-bureau' })]);
    // The household paid in time is past its last day too: no alert, no record.
    expect(paidInTime && Date.parse(paidInTime.payment.dueAt) < cloud.clock.now()).toBe(true);
    expect(cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === paidInTime!.projectId && m.messageAttributes?.kind?.Value === 'deadline-overdue')).toEqual([]);
    expect(overdue.body.items.filter((r: { caseId: string }) => r.caseId === paidInTime!.householdId)).toEqual([]);
  });
});
