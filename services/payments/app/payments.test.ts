import { beforeEach, describe, expect, it } from 'vitest';
import { fundsShortV1 } from '../../../events/funds-short.v1.ts';
import { paymentInstructedV1 } from '../../../events/payment-instructed.v1.ts';
import { AGENTS, ctxOf } from '../../../test/support/fakes.ts';
import { ACCOUNTS, availableFen, COMPENSATION_DUE, deposited, DUE, fullyFunded, paymentsWorld, type PaymentsWorld } from '../../../test/support/payments.ts';
import { instructBody } from '../schemas.ts';
import { recordBankOutcome } from './bank-outcome.ts';
import { PAYMENT_RULE } from './household-payments.ts';
import { correctRejectedPayment, instructHouseholdPayments, readHouseholdPayments, restartPaymentWorkflow, type InstructionRequest } from './payments.ts';

let world: PaymentsWorld;
beforeEach(async () => {
  world = await paymentsWorld();
});

const asFinance = (at = '2026-10-10T10:00:00+08:00') => ctxOf(AGENTS.finance, at);
const request = (over: Partial<InstructionRequest> = {}): InstructionRequest => ({ instalment: 1, subsidyTo: 'resettled-persons', accounts: ACCOUNTS, ...over });
const instruct = (over: Partial<InstructionRequest> = {}, ctx = asFinance()) => instructHouseholdPayments(world.deps, 'H1', request(over), ctx);
/** Everything stored but the audit trail. */
const snapshot = () => JSON.stringify([...world.store.items.entries()]);
const clearNumbers = ACCOUNTS.map((a) => a.accountNumber);

describe('finance instructs a household\'s payments', () => {
  it('makes one payment per payee group, each reserving its amount; the balance drops; only masked accounts are kept, shown and audited', async () => {
    await fullyFunded(world);
    const result = await instruct();
    expect(Object.fromEntries(result.payments.map((p) => [p.payeeGroup, p.amountFen]))).toEqual(DUE);
    expect(result.payments.map((p) => p.paymentId)).toEqual(['A1:collective:1', 'A1:household:1', 'A1:person-m1:1', 'A1:person-m2:1', 'A1:social-security-fund:1']);
    expect(result.payments.every((p) => p.status === 'instructed' && p.subsidyTo === 'resettled-persons')).toBe(true);
    expect(result.payments[0]!.payee).toEqual({ accountName: '梅湾村一组', bankName: '中国农业银行冷水滩支行', accountMasked: '6228**********4455' });

    const entries = await world.deps.ledger.entries(world.project.id);
    const reservations = entries.filter((e) => e.kind === 'reservation');
    expect(reservations.map((r) => [r.paymentId, r.amountFen])).toEqual(result.payments.map((p) => [p.paymentId, p.amountFen]));
    expect(await availableFen(world, 'compensation')).toBe(0);
    expect(await availableFen(world, 'social-security-subsidy')).toBe(0);
    expect(result.status).toMatchObject({ householdId: 'H1', agreementId: 'A1', dueFen: COMPENSATION_DUE + DUE['social-security-fund'], paidFen: 0, inFlightFen: COMPENSATION_DUE + DUE['social-security-fund'] });
    expect(await world.deps.paymentStatus.find('H1')).toMatchObject({ inFlightFen: result.status!.inFlightFen });

    // The clear numbers are nowhere: not stored, not in the audit trail, not in the answer; the sealed reference reveals them.
    const everything = JSON.stringify([...world.store.items.values(), world.store.audit, result]);
    for (const number of clearNumbers) expect(everything).not.toContain(number);
    const stored = await world.deps.payments.get('A1:household:1');
    expect(await world.pii.reveal(stored.payment.payee.accountRef, { purpose: 'payee-account', agreementId: 'A1', payeeGroup: 'household' })).toBe('622848009988776655');
    expect(JSON.stringify(result)).not.toContain('accountRef');

    const audit = world.store.audit.filter((a) => a.action === 'payment.instruct');
    expect(audit).toHaveLength(5);
    expect(audit[1]).toMatchObject({ actor: AGENTS.finance, target: { type: 'payment', id: 'A1:household:1', householdId: 'H1' }, summary: { amountFen: DUE.household, accountMasked: '6228**********6655' } });
    const told = (await world.deps.inbox.page('land-bureau', { limit: 10 })).items.find((e) => e.kind === 'payment-instructed');
    expect(paymentInstructedV1.schema.parse(told)).toMatchObject({ data: { agreementId: 'A1', instalment: 1, totalFen: COMPENSATION_DUE + DUE['social-security-fund'] } });
    expect(world.workflows.started).toEqual(result.payments.map((p) => p.paymentId));
  });

  it('refuses a duplicate of the same instalment with 409 and writes nothing', async () => {
    await fullyFunded(world);
    await instruct();
    const before = snapshot();
    await expect(instruct({}, asFinance('2026-10-10T11:00:00+08:00'))).rejects.toMatchObject({ code: 'payment.instalment-instructed', category: 'conflict' });
    expect(snapshot()).toBe(before);
  });

  it('of 20 concurrent identical instructions, exactly one makes the payments: one payment and one reservation per payee', async () => {
    await fullyFunded(world);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => instruct()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'payment.instalment-instructed' });
    expect((await world.deps.payments.ofAgreement('A1')).map((s) => s.payment.paymentId)).toHaveLength(5);
    const reservations = (await world.deps.ledger.entries(world.project.id)).filter((e) => e.kind === 'reservation');
    expect(reservations).toHaveLength(5);
    expect(new Set(reservations.map((r) => r.kind === 'reservation' && r.paymentId)).size).toBe(5);
  });

  it('refuses what the account cannot cover (422): keeps only the refusal, alerts finance and the investment groups, and names finance on the payment clock', async () => {
    await deposited(world, 'compensation', COMPENSATION_DUE - 100);
    await deposited(world, 'social-security-subsidy', DUE['social-security-fund']);
    const entriesBefore = await world.deps.ledger.entries(world.project.id);
    await expect(instruct()).rejects.toMatchObject({ code: 'ledger.insufficient-funds', category: 'rule' });
    expect(await world.deps.ledger.entries(world.project.id)).toEqual(entriesBefore);
    expect(await world.deps.payments.ofAgreement('A1')).toEqual([]);
    expect(await world.deps.paymentStatus.find('H1')).toBeUndefined();
    expect(await world.deps.refusals.ofAgreement('A1')).toEqual([{ agreementId: 'A1', paymentId: 'A1:person-m2:1', refusedAt: '2026-10-10T02:00:00.000Z', shortfallFen: 100 }]);
    for (const addressee of ['finance', 'investment-group'] as const) {
      const alert = (await world.deps.inbox.page(addressee, { limit: 10 })).items.find((e) => e.kind === 'funds-short');
      expect(fundsShortV1.schema.parse(alert)).toMatchObject({ data: { shortfallFen: 100, refusedPayment: { paymentId: 'A1:person-m2:1', fund: 'compensation' } } });
    }
    const watch = await world.deps.watches.get('H1', PAYMENT_RULE);
    expect(watch.watch.accountableAlso).toEqual([{ agency: 'finance', jurisdiction: 'yongzhou', reason: expect.stringContaining('尚差1.00元'), since: '2026-10-10T02:00:00.000Z' }]);
    // The workflow waiting on the clock keeps its token; nothing was started.
    expect(watch.waiting).toBe('clock-token');
    expect(world.workflows.started).toEqual([]);
    // A second refusal does not name finance twice; once funded, the same instruction goes through.
    await expect(instruct({}, asFinance('2026-10-11T10:00:00+08:00'))).rejects.toMatchObject({ code: 'ledger.insufficient-funds' });
    expect((await world.deps.watches.get('H1', PAYMENT_RULE)).watch.accountableAlso).toHaveLength(1);
    await deposited(world, 'compensation', 100);
    await expect(instruct({}, asFinance('2026-10-12T10:00:00+08:00'))).resolves.toMatchObject({ payments: expect.arrayContaining([expect.objectContaining({ paymentId: 'A1:person-m2:1' })]) });
  });

  it('refuses bad input and the wrong agency in Chinese with a code, writing nothing', async () => {
    await fullyFunded(world);
    const before = snapshot();
    await expect(instruct({ accounts: [...ACCOUNTS, ACCOUNTS[0]!] })).rejects.toMatchObject({ code: 'payment.account-duplicate', category: 'validation', message: expect.stringMatching(/重复/) });
    await expect(instruct({ accounts: [...ACCOUNTS, { ...ACCOUNTS[0]!, payeeGroup: 'person-m9' }] })).rejects.toMatchObject({ code: 'payment.payee-unknown', category: 'validation' });
    await expect(instruct({ accounts: ACCOUNTS.slice(1) })).rejects.toMatchObject({ code: 'payment.account-missing', category: 'rule' });
    await expect(instruct({}, ctxOf(AGENTS.landBranch, '2026-10-10T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(instructHouseholdPayments(world.deps, 'H-NONE', request(), asFinance())).rejects.toMatchObject({ code: 'payment.no-signed-agreement', category: 'rule' });
    expect(snapshot()).toBe(before);
    // The request schema refuses in Chinese before any use case runs.
    for (const body of [{ ...request(), instalment: 0 }, { ...request(), subsidyTo: 'someone' }, { ...request(), accounts: [{ ...ACCOUNTS[0], accountNumber: '6222-0202' }] }, { ...request(), extra: 1 }]) {
      const parsed = instructBody.safeParse(body);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/[\u4e00-\u9fff]|Unrecognized/);
    }
  });

  it('a failed workflow start is logged, not an error: the payments stay instructed', async () => {
    await fullyFunded(world);
    world.workflows.failStarts = true;
    const result = await instruct();
    expect(result.payments).toHaveLength(5);
    expect((await world.deps.payments.get('A1:collective:1')).payment.status).toBe('instructed');
    // Finance restarts it: a further execution of its own, which decides from the record; audited.
    world.workflows.failStarts = false;
    const restarted = await restartPaymentWorkflow(world.deps, 'A1:collective:1', asFinance('2026-10-10T11:00:00+08:00'));
    expect(restarted).toEqual({ paymentId: 'A1:collective:1', status: 'instructed', restartedAt: '2026-10-10T03:00:00.000Z' });
    expect(world.workflows.started).toEqual(['A1:collective:1']);
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'payment.workflow-restart', target: { id: 'A1:collective:1' } });
    await expect(restartPaymentWorkflow(world.deps, 'A1:collective:1', ctxOf(AGENTS.landBranch, '2026-10-10T11:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
  });

  it('is not restarted once the bank settled or returned it', async () => {
    await fullyFunded(world);
    await instruct();
    await recordBankOutcome(world.deps, 'A1:collective:1', { kind: 'confirmed', bankReference: 'B1', settledAt: '2026-10-10T02:00:05.000Z', amountFen: DUE.collective }, asFinance());
    await expect(restartPaymentWorkflow(world.deps, 'A1:collective:1', asFinance('2026-10-10T11:00:00+08:00'))).rejects.toMatchObject({ code: 'payment.final', category: 'conflict' });
  });
});

describe('a rejected payment corrected', () => {
  it('is a new, linked payment to the corrected account, reserving afresh; the rejected one stays rejected', async () => {
    await fullyFunded(world);
    await instruct();
    await recordBankOutcome(world.deps, 'A1:household:1', { kind: 'rejected', reason: '收款账户已销户（账户已销户）' }, asFinance('2026-10-11T10:00:00+08:00'));
    const before = snapshot();
    await expect(correctRejectedPayment(world.deps, 'A1:collective:1', { accountName: '梅湾村一组', bankName: '农行', accountNumber: '622848001122334499' }, asFinance())).rejects.toMatchObject({ code: 'payment.correct-only-rejected' });
    await expect(correctRejectedPayment(world.deps, 'A1:household:1', { accountName: '张三', bankName: '农行', accountNumber: '622848001122334499' }, ctxOf(AGENTS.landBranch, '2026-10-12T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    expect(snapshot()).toBe(before);

    const result = await correctRejectedPayment(world.deps, 'A1:household:1', { accountName: '张三', bankName: '中国建设银行', accountNumber: '6217000011112222333' }, asFinance('2026-10-12T10:00:00+08:00'));
    expect(result.correction).toMatchObject({ paymentId: 'A1:household:1:r1', corrects: 'A1:household:1', status: 'instructed', amountFen: DUE.household, payee: { accountMasked: '6217***********2333' } });
    expect(result.corrects).toMatchObject({ paymentId: 'A1:household:1', status: 'rejected', correctedBy: 'A1:household:1:r1' });
    const entries = await world.deps.ledger.entries(world.project.id);
    expect(entries.filter((e) => e.kind === 'reservation' && e.paymentId === 'A1:household:1:r1')).toHaveLength(1);
    expect(world.workflows.started.at(-1)).toBe('A1:household:1:r1');
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'payment.correct', summary: { corrects: 'A1:household:1', accountMasked: '6217***********2333' } });
    await expect(correctRejectedPayment(world.deps, 'A1:household:1', { accountName: '张三', bankName: '中国建设银行', accountNumber: '6217000011112222333' }, asFinance('2026-10-12T11:00:00+08:00'))).rejects.toMatchObject({ code: 'payment.already-corrected' });
    expect((await world.deps.paymentStatus.find('H1'))?.rejectedGroups).toEqual([]);
  });
});

describe('the household\'s payments read', () => {
  it('previews the plan before anything is instructed, for the subsidy\'s destination asked for', async () => {
    const asBranch = ctxOf(AGENTS.landBranch, '2026-10-13T10:00:00+08:00');
    expect((await readHouseholdPayments(world.deps, 'H1', {}, asBranch)).plan).toBeUndefined();
    const toPersons = await readHouseholdPayments(world.deps, 'H1', { subsidyTo: 'resettled-persons' }, asBranch);
    expect(Object.fromEntries(toPersons.plan!.payouts.map((p) => [p.payeeGroup, p.amountFen]))).toEqual(DUE);
    const toCollective = await readHouseholdPayments(world.deps, 'H1', { subsidyTo: 'collective' }, asBranch);
    expect(toCollective.plan!.payouts.map((p) => p.payeeGroup)).toEqual(['collective', 'household', 'social-security-fund']);
    expect(toCollective.plan!.paysOutFen).toBe(toPersons.plan!.paysOutFen);
    expect(toPersons.payments).toEqual([]);
  });

  it('shows the plan, every payment masked, the status and the clock with its Beijing due instant, to the branch and the township; audited', async () => {
    await fullyFunded(world);
    await instruct();
    const view = await readHouseholdPayments(world.deps, 'H1', {}, ctxOf(AGENTS.meiwan, '2026-10-13T10:00:00+08:00'));
    expect(view.plan?.payouts.map((p) => p.payeeGroup)).toEqual(Object.keys(DUE));
    expect(view.payments).toHaveLength(5);
    expect(view.clock).toMatchObject({ state: 'open', paidFen: 0, outstandingFen: COMPENSATION_DUE + DUE['social-security-fund'] });
    expect(view.deadline).toMatchObject({ ruleId: 'compensation-payment', dueBeijing: expect.stringMatching(/\+08:00$/) });
    expect(view.status).toMatchObject({ agreementId: 'A1' });
    expect(JSON.stringify(view)).not.toMatch(/accountRef|waiting|clock-token/);
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'payment.read', target: { type: 'household', id: 'H1' } });
    await expect(readHouseholdPayments(world.deps, 'H1', {}, ctxOf(AGENTS.yitang, '2026-10-13T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    await expect(readHouseholdPayments(world.deps, 'H1', {}, ctxOf(AGENTS.police, '2026-10-13T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
  });
});
