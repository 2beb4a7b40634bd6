import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/identity.ts';
import { ACTORS, confirmedHousehold, evidence, NOTICE_PUBLISHED_AT, STANDARD, STANDARD_LOCKED_AT } from '../../../test/support/households.ts';
import { attachDocument, draftAgreement, signAgreement, type AgreementMode } from '../../compensation/domain/agreement.ts';
import { computeCompensation } from '../../compensation/domain/compensation.ts';
import {
  correctPayment,
  idempotencyKey,
  instructPayments,
  markConfirmed,
  markRejected,
  markSent,
  markUnknown,
  nextAction,
  payoutsOf,
  resolveByQuery,
  type AgreementForPayment,
  type InstructionInput,
  type PayeeAccount,
  type PayeeGroup,
  type Payment,
} from './payment.ts';

const FINANCE: Identity = { user: 'qian.fin', agency: 'finance', jurisdiction: 'yongzhou' };
const signedAt = new Date('2026-09-26T02:00:00.000Z');
const now = new Date('2026-10-10T02:00:00.000Z');
const later = new Date('2026-10-10T03:00:00.000Z');
const refused = (code: string, category = 'rule', text?: string) => expect.objectContaining({ code, category, ...(text ? { message: expect.stringContaining(text) } : {}) });

/** The worked household of the compensation tests, signed: the real Agreement is what payments reads. */
function signed(mode: AgreementMode = { kind: 'cash', optionId: 'money' }, agreementId = 'A1'): AgreementForPayment {
  const household = confirmedHousehold();
  const compensation = computeCompensation({ household, noticePublishedAt: NOTICE_PUBLISHED_AT, resettledMemberIds: ['m1', 'm2'], standard: STANDARD, standardLockedAt: STANDARD_LOCKED_AT, now: signedAt });
  const draft = attachDocument(draftAgreement({ agreementId, number: '冷征协〔2026〕001号', household, compensation, standard: STANDARD, mode, existing: [], actor: ACTORS.landBranch, now: signedAt }).agreement, 'b'.repeat(64));
  const { agreement } = signAgreement(draft, household, [draft], { documentSha256: 'b'.repeat(64), place: '梅湾街道办事处', evidence: evidence('signed.jpg', ACTORS.landBranch), signedAt }, ACTORS.landBranch, signedAt);
  expect(agreement.status).toBe('signed');
  return { ...agreement, status: 'signed' };
}

const account = (name: string, digits = '1234'): PayeeAccount => ({ accountName: name, bankName: '中国农业银行冷水滩支行', accountMasked: `6228********${digits}`, accountRef: `vault:${name}` });
const ACCOUNTS: Partial<Record<PayeeGroup, PayeeAccount>> = {
  collective: account('梅湾村一组'),
  household: account('张三'),
  'person-m1': account('张三', '5678'),
  'person-m2': account('李四'),
  'social-security-fund': account('永州市社会保险基金专户'),
};
const instruct = (over: Partial<InstructionInput> = {}) => instructPayments({ agreement: signed(), subsidyTo: 'resettled-persons', instalment: 1, earlier: [], accounts: ACCOUNTS, actor: FINANCE, now, ...over });
const amounts = (payments: readonly { payeeGroup: string; amountFen: number }[]) => Object.fromEntries(payments.map((p) => [p.payeeGroup, p.amountFen]));

describe('payouts of a signed agreement', () => {
  it('cash, subsidy to the persons: 71,254.80 collective; 47,503.20 shared 23,751.60 each; 140,072.79 household; 50,000.00 fund = 308,830.79 元', () => {
    const plan = payoutsOf(signed(), 'resettled-persons');
    // collective: land compensation 59,256.00 + 11,998.80; subsidy 39,504.00 + 7,999.20 over m1, m2;
    // household: crops 1,851.75 + 0 + 300.00, attachments 800.00 + 559.83, houses 120,981.00 + 15,580.21 + 0.
    expect(amounts(plan.payouts)).toEqual({ collective: 7_125_480, household: 14_007_279, 'person-m1': 2_375_160, 'person-m2': 2_375_160, 'social-security-fund': 5_000_000 });
    expect(plan.paysOutFen).toBe(30_883_079);
    expect(plan.receivables).toEqual([]);
    expect(plan.payouts.find((p) => p.payeeGroup === 'social-security-fund')).toMatchObject({ fund: 'social-security-subsidy', basis: [{ kind: 'social-security', itemId: 'm1', amountFen: 2_500_000 }, { kind: 'social-security', itemId: 'm2', amountFen: 2_500_000 }] });
    expect(plan.payouts.find((p) => p.payeeGroup === 'person-m1')).toMatchObject({ memberId: 'm1', fund: 'compensation' });
  });

  it('subsidy to the collective (统一安置): 71,254.80 + 47,503.20 = 118,758.00 元 to the collective, no person payouts', () => {
    const plan = payoutsOf(signed(), 'collective');
    expect(amounts(plan.payouts)).toEqual({ collective: 11_875_800, household: 14_007_279, 'social-security-fund': 5_000_000 });
    expect(plan.paysOutFen).toBe(30_883_079);
  });

  it('a swap where the household owes: nothing to the household, 186,227.21 元 receivable; payouts − receivable = the total −17,469.21 元', () => {
    const plan = payoutsOf(signed({ kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '125.50' }), 'resettled-persons');
    // owner lines 140,072.79 − house price 326,300.00 = −186,227.21
    expect(amounts(plan.payouts)).toEqual({ collective: 7_125_480, 'person-m1': 2_375_160, 'person-m2': 2_375_160, 'social-security-fund': 5_000_000 });
    expect(plan.receivables).toEqual([{ payeeGroup: 'household', amountFen: 18_622_721, reason: '被征收户应补交产权调换差价186,227.21元' }]);
    expect(plan.paysOutFen - 18_622_721).toBe(-1_746_921);
  });

  it('a swap where the household receives: 140,072.79 − 130,000.00 = 10,072.79 元 to the household', () => {
    expect(amounts(payoutsOf(signed({ kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '50' }), 'collective').payouts).household).toBe(1_007_279);
  });

  it('shares an odd subsidy fen by fen to the first persons: 10 fen over three is 4, 3, 3', () => {
    const agreement: AgreementForPayment = {
      agreementId: 'A9', householdId: 'H9', projectId: 'P1', number: 'N9', status: 'signed', totalFen: 10 + 3,
      lines: [
        { kind: 'resettlement-subsidy', itemId: 'p1', amountFen: 10, payee: 'resettled-person' },
        ...['m3', 'm1', 'm2'].map((m) => ({ kind: 'social-security', itemId: m, amountFen: 1, payee: 'social-security-fund' as const })),
      ],
    };
    expect(amounts(payoutsOf(agreement, 'resettled-persons').payouts)).toEqual({ 'person-m3': 4, 'person-m1': 3, 'person-m2': 3, 'social-security-fund': 3 });
  });

  it('refuses a subsidy for persons when there are none to pay, and an agreement whose total disagrees with its lines', () => {
    const none: AgreementForPayment = { agreementId: 'A9', householdId: 'H9', projectId: 'P1', number: 'N9', status: 'signed', totalFen: 10, lines: [{ kind: 'resettlement-subsidy', itemId: 'p1', amountFen: 10, payee: 'resettled-person' }] };
    expect(() => payoutsOf(none, 'resettled-persons')).toThrow(refused('payment.no-resettled-persons', 'rule', '村集体经济组织统一安置'));
    expect(payoutsOf(none, 'collective').paysOutFen).toBe(10);
    expect(() => payoutsOf({ ...signed(), totalFen: 1 }, 'collective')).toThrow(refused('payment.agreement-total-mismatch', 'conflict'));
  });
});

describe('instructing payments', () => {
  it('one payment per payee group with the deterministic key agreement:payee:instalment, masked accounts only', () => {
    const { payments, receivables } = instruct();
    expect(payments.map((p) => p.paymentId)).toEqual(['A1:collective:1', 'A1:household:1', 'A1:person-m1:1', 'A1:person-m2:1', 'A1:social-security-fund:1']);
    expect(payments.reduce((a, p) => a + p.amountFen, 0)).toBe(30_883_079);
    expect(receivables).toEqual([]);
    expect(payments[1]).toMatchObject({ agreementId: 'A1', agreementNumber: '冷征协〔2026〕001号', householdId: 'H1', projectId: 'P1', instalment: 1, status: 'instructed', correction: 0, payee: ACCOUNTS.household, instructedBy: FINANCE, instructedAt: now.toISOString(), history: [{ status: 'instructed', at: now.toISOString() }] });
    // The same input gives the same keys: a duplicate instruction is the same payment.
    expect(instruct().payments.map((p) => p.paymentId)).toEqual(payments.map((p) => p.paymentId));
  });

  it('refuses anyone but finance, an agreement not signed, a bad instalment, an instalment already instructed', () => {
    expect(() => instruct({ actor: ACTORS.landBranch })).toThrow(refused('payment.disburser', 'forbidden'));
    expect(() => instruct({ agreement: { ...signed(), status: 'superseded' } })).toThrow(refused('payment.agreement-not-signed'));
    for (const instalment of [0, 1.5]) expect(() => instruct({ instalment })).toThrow(refused('payment.instalment-invalid', 'validation'));
    const first = instruct().payments;
    expect(() => instruct({ earlier: first })).toThrow(refused('payment.instalment-instructed', 'conflict', '第1批'));
  });

  it('refuses a clear account number, a missing account or vault reference, another household’s payments', () => {
    expect(() => instruct({ accounts: { ...ACCOUNTS, household: { ...account('张三'), accountMasked: '6228480012345678' } } })).toThrow(refused('payment.account-not-masked', 'validation', '被征收户'));
    expect(() => instruct({ accounts: { ...ACCOUNTS, household: { ...account('张三'), accountMasked: '62284800****5678' } } })).toThrow(refused('payment.account-not-masked', 'validation'));
    expect(() => instruct({ accounts: { ...ACCOUNTS, 'person-m2': undefined } })).toThrow(refused('payment.account-missing', 'rule', '安置人员m2'));
    expect(() => instruct({ accounts: { ...ACCOUNTS, collective: { ...account('村'), accountRef: ' ' } } })).toThrow(refused('payment.account-ref-required', 'validation'));
    expect(() => instruct({ accounts: { ...ACCOUNTS, collective: { ...account('村'), bankName: '' } } })).toThrow(refused('payment.account-incomplete', 'validation'));
    const stranger = { ...instruct().payments[0]!, householdId: 'H2' };
    expect(() => instruct({ instalment: 2, earlier: [stranger] })).toThrow(refused('payment.other-household', 'validation'));
  });

  it('a second instalment pays only what is neither paid nor in flight; a rejected payment counts nothing, its correction does', () => {
    const first = instruct().payments.filter((p) => p.payeeGroup !== 'collective');
    const returned = markRejected(instruct().payments.find((p) => p.payeeGroup === 'collective')!, '户名不符', now);
    // Corrected: the correction (in flight) counts for the collective, the returned payment does not.
    const { correction, rejected } = correctPayment(returned, account('梅湾村一组', '7777'), FINANCE, now, 7_125_480);
    const { payments } = instruct({ instalment: 2, earlier: [...first.filter((p) => p.payeeGroup !== 'household'), rejected, correction] });
    expect(amounts(payments)).toEqual({ household: 14_007_279 });
    expect(payments.map((p) => p.paymentId)).toEqual(['A1:household:2']);
    expect(() => instruct({ instalment: 2, earlier: instruct().payments })).toThrow(refused('payment.nothing-due', 'rule'));
  });

  it('a supplementary agreement pays the difference over what the superseded one paid, and records an overpayment as receivable', () => {
    const original = instruct().payments;
    const swapped = signed({ kind: 'swap', optionId: 'swap-a', houseAreaSquareMetres: '50' }, 'A2');
    const { payments, receivables } = instruct({ agreement: swapped, earlier: original });
    // The household was paid 140,072.79 元; the supplement owes it 10,072.79 元: 130,000.00 元 overpaid.
    expect(payments).toEqual([]);
    expect(receivables).toEqual([{ payeeGroup: 'household', amountFen: 13_000_000, reason: expect.stringContaining('多付130,000.00元须追回') }]);
  });
});

describe('the bank’s answers', () => {
  const fresh = (): Payment => instruct().payments[0]!;
  const bank = { bankReference: 'ABC-0001', settledAt: '2026-10-10T10:30:00+08:00', amountFen: 7_125_480 };

  it('instructed → sent → confirmed; a duplicate callback changes nothing', () => {
    const sent = markSent(fresh(), now);
    expect(markSent(sent, later)).toBe(sent);
    const confirmed = markConfirmed(sent, bank, later);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmation: { bankReference: 'ABC-0001', settledAt: '2026-10-10T02:30:00.000Z' }, history: [{ status: 'instructed' }, { status: 'sent' }, { status: 'confirmed' }] });
    expect(markConfirmed(confirmed, bank, later)).toBe(confirmed);
    expect(nextAction(confirmed)).toBe('done');
  });

  it('refuses a confirmation with another reference or amount, or after a rejection; a rejection after a confirmation', () => {
    const confirmed = markConfirmed(markSent(fresh(), now), bank, later);
    expect(() => markConfirmed(confirmed, { ...bank, bankReference: 'ABC-0002' }, later)).toThrow(refused('payment.confirmation-conflict', 'conflict'));
    expect(() => markConfirmed(markSent(fresh(), now), { ...bank, amountFen: 1 }, later)).toThrow(refused('payment.amount-mismatch', 'conflict', '0.01元'));
    expect(() => markRejected(confirmed, '账户已销户', later)).toThrow(refused('payment.bank-contradiction', 'conflict'));
    const rejected = markRejected(markSent(fresh(), now), '账户已销户', later);
    expect(markRejected(rejected, '账户已销户', later)).toBe(rejected);
    expect(() => markConfirmed(rejected, bank, later)).toThrow(refused('payment.bank-contradiction', 'conflict'));
    expect(() => markConfirmed(fresh(), { ...bank, bankReference: ' ' }, later)).toThrow(refused('payment.bank-reference-required', 'validation'));
    expect(() => markConfirmed(fresh(), { ...bank, settledAt: 'yesterday' }, later)).toThrow(refused('payment.settled-at-invalid', 'validation'));
    expect(() => markRejected(fresh(), ' ', later)).toThrow(refused('payment.reason-required', 'validation'));
  });

  it('a timeout makes the outcome unknown: no re-sending, only the query (or the bank’s own callback) moves it', () => {
    const unknown = markUnknown(markSent(fresh(), now), later);
    expect(unknown).toMatchObject({ status: 'unknown', unknownSince: later.toISOString() });
    expect(markUnknown(unknown, later)).toBe(unknown);
    expect(nextAction(unknown)).toBe('query-bank');
    expect(() => markSent(unknown, later)).toThrow(refused('payment.query-first', 'conflict', '先按幂等键向银行查询'));
    expect(resolveByQuery(unknown, { kind: 'pending' }, later).status).toBe('sent');
    expect(resolveByQuery(unknown, { kind: 'confirmed', ...bank }, later).status).toBe('confirmed');
    expect(resolveByQuery(unknown, { kind: 'rejected', reason: '户名不符' }, later)).toMatchObject({ status: 'rejected', rejection: { reason: '户名不符' } });
    // Never received by the bank: back to instructed, to be sent again under the same key.
    const notFound = resolveByQuery(unknown, { kind: 'not-found' }, later);
    expect(notFound).toMatchObject({ status: 'instructed', paymentId: 'A1:collective:1' });
    expect(nextAction(notFound)).toBe('send');
    expect(markConfirmed(unknown, bank, later).status).toBe('confirmed');
  });

  it('refuses the transitions that cannot be', () => {
    const confirmed = markConfirmed(markSent(fresh(), now), bank, later);
    expect(() => markSent(confirmed, later)).toThrow(refused('payment.illegal-transition', 'conflict', '银行已确认付讫'));
    expect(() => markUnknown(confirmed, later)).toThrow(refused('payment.illegal-transition', 'conflict'));
    expect(() => resolveByQuery(confirmed, { kind: 'pending' }, later)).toThrow(refused('payment.illegal-transition', 'conflict'));
    expect(() => resolveByQuery(markSent(fresh(), now), { kind: 'not-found' }, later)).toThrow(refused('payment.bank-lost-instruction', 'conflict'));
    expect(resolveByQuery(fresh(), { kind: 'not-found' }, later).status).toBe('instructed');
    expect(markRejected(fresh(), '账号不存在', now).status).toBe('rejected');
  });
});

describe('correcting a rejected payment', () => {
  const rejected = () => markRejected(markSent(instruct().payments[1]!, now), '户名与账号不符', later);

  it('is a new payment linked to the rejected one, with a new key; the rejected one is never sent again', () => {
    const corrected = account('张三', '9999');
    const { correction, rejected: linked } = correctPayment(rejected(), corrected, FINANCE, later, 14_007_279);
    expect(correction).toMatchObject({ paymentId: 'A1:household:1:r1', corrects: 'A1:household:1', correction: 1, status: 'instructed', amountFen: 14_007_279, payee: corrected, instructedAt: later.toISOString(), history: [{ status: 'instructed' }] });
    expect(correction.rejection).toBeUndefined();
    expect(linked).toMatchObject({ status: 'rejected', correctedBy: 'A1:household:1:r1' });
    expect(nextAction(rejected())).toBe('correct');
    expect(nextAction(linked)).toBe('done');
    expect(() => markSent(linked, later)).toThrow(refused('payment.illegal-transition', 'conflict'));
    expect(() => correctPayment(linked, corrected, FINANCE, later, 14_007_279)).toThrow(refused('payment.already-corrected', 'conflict'));
    const again = correctPayment(markRejected(correction, '账户冻结', later), account('张三', '8888'), FINANCE, later, 14_007_279).correction;
    expect(again.paymentId).toBe(idempotencyKey('A1', 'household', 1, 2));
    expect(again.paymentId).toBe('A1:household:1:r2');
  });

  it('refuses a payment not rejected, anyone but finance, an unmasked account', () => {
    expect(() => correctPayment(instruct().payments[0]!, account('村'), FINANCE, later, 1)).toThrow(refused('payment.correct-only-rejected', 'conflict', '已下达'));
    expect(() => correctPayment(rejected(), account('张三'), ACTORS.landBranch, later, 1)).toThrow(refused('payment.disburser', 'forbidden'));
    expect(() => correctPayment(rejected(), { ...account('张三'), accountMasked: '6228480012349999' }, FINANCE, later, 1)).toThrow(refused('payment.account-not-masked', 'validation'));
  });

  it('a correction counts for the next instalment; the rejected payment does not', () => {
    const { correction, rejected: linked } = correctPayment(rejected(), account('张三', '9999'), FINANCE, later, 14_007_279);
    const others = instruct().payments.filter((p) => p.payeeGroup !== 'household');
    expect(() => instruct({ instalment: 2, earlier: [...others, linked, correction] })).toThrow(refused('payment.nothing-due'));
  });

  it('pays only what the group is still owed, and nothing when that is nothing (never twice)', () => {
    expect(correctPayment(rejected(), account('张三', '9999'), FINANCE, later, 5_000_000).correction.amountFen).toBe(5_000_000);
    expect(() => correctPayment(rejected(), account('张三', '9999'), FINANCE, later, 0)).toThrow(refused('payment.nothing-due'));
  });

  it('is the only way to pay a payee whose payment was returned: another instalment is refused until it is corrected', () => {
    const first = instruct().payments;
    const returned = first.map((p) => (p.payeeGroup === 'household' ? markRejected(markSent(p, now), '户名与账号不符', later) : p));
    expect(() => instruct({ instalment: 2, earlier: returned })).toThrow(refused('payment.correct-first', 'conflict', '被征收户'));
  });
});

describe('where the resettlement subsidy goes', () => {
  it('is decided by the first instruction: a later one may not send it elsewhere (it would be paid twice)', () => {
    const first = instruct().payments;
    expect(() => instruct({ instalment: 2, subsidyTo: 'collective', earlier: first })).toThrow(refused('payment.subsidy-destination-fixed', 'conflict', '支付给安置人员'));
    // A rejected instruction decided nothing.
    const allReturned = first.map((p) => ({ ...markRejected(markSent(p, now), '账户已销户', later), correctedBy: `${p.paymentId}:r1` }));
    expect(() => instruct({ instalment: 2, subsidyTo: 'collective', earlier: allReturned })).not.toThrow();
  });
});
