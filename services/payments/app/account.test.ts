import { beforeEach, describe, expect, it } from 'vitest';
import { depositConfirmedV1 } from '../../../events/deposit-confirmed.v1.ts';
import { fundsShortV1 } from '../../../events/funds-short.v1.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { AGENTS, ctxOf, declare, MemoryBucket, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { accountDepsOn } from '../adapters/deps.ts';
import { recordDeposit, reserve } from '../domain/ledger.ts';
import { confirmAccountDeposit, readAccount, reconcileAccount, recordAccountDeposit, requestVoucherUpload, reverseAccountDeposit, type AccountDeps } from './account.ts';

let store: MemoryTable;
let bucket: MemoryBucket;
let deps: AccountDeps;
let projectId: string;
beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  deps = accountDepsOn(store, { evidence: bucket, newId: sequentialIds });
  projectId = (await projectWithPublishedNotice(store)).project.id;
});

const at = (hour: number) => ctxOf(AGENTS.investment, `2026-10-10T${String(hour).padStart(2, '0')}:00:00+08:00`);
const asFinance = (hour: number) => ctxOf(AGENTS.finance, `2026-10-10T${String(hour).padStart(2, '0')}:00:00+08:00`);

/** An investment group's voucher scan, requested, PUT and so ready to verify. */
async function voucherScan(name: string, { put = true } = {}): Promise<string> {
  const body = Buffer.from(`回单 ${name}`);
  const slot = await requestVoucherUpload(deps, projectId, { ...declare(body, 'application/pdf'), fileName: `${name}.pdf` }, at(9));
  if (put) bucket.upload(slot.url.replace('memory://', ''), body, 'application/pdf');
  return slot.uploadId;
}

async function deposit(amountFen: number, voucherNumber: string) {
  return recordAccountDeposit(deps, projectId, { amountFen, voucherNumber, valueDate: '2026-10-09', uploadId: await voucherScan(voucherNumber) }, at(10));
}

/** Everything stored but the audit trail: a refusal must leave it as it was. */
const snapshot = () => JSON.stringify([...store.items.entries()]);

describe('the dedicated account: deposits', () => {
  it('records an investment group\'s deposit with its voucher scan verified in the bucket, in the account\'s own partition', async () => {
    const entry = await deposit(120_000_000, 'HD-2026-001');
    expect(entry).toMatchObject({ kind: 'deposit-recorded', entryId: `2026-10-10T02:00:00.000Z#deposit-recorded#${entry.depositId}`, fund: 'compensation', amountFen: 120_000_000, voucherNumber: 'HD-2026-001', by: AGENTS.investment });
    expect(entry.voucher).toMatchObject({ contentType: 'application/pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), uploadedBy: AGENTS.investment });
    expect(store.items.get(`ACCOUNT#${projectId}\u0000ENTRY#${entry.entryId}`)).toMatchObject({ kind: 'deposit-recorded', depositId: entry.depositId });
    expect(store.items.get(`ACCOUNT#${projectId}\u0000DEPOSIT#${entry.depositId}`)).toMatchObject({ status: 'recorded', version: 1 });
    expect(store.items.get(`ACCOUNT#${projectId}\u0000VOUCHER#HD-2026-001`)).toMatchObject({ depositId: entry.depositId });
    expect(store.audit.at(-1)).toMatchObject({ action: 'account.deposit', target: { type: 'account-entry', id: `${projectId}#${entry.entryId}`, projectId }, summary: { amountFen: 120_000_000 } });
  });

  it('refuses a voucher scan not uploaded, of the wrong type, or already used, and writes nothing', async () => {
    const missing = await voucherScan('HD-9', { put: false });
    const before = snapshot();
    await expect(recordAccountDeposit(deps, projectId, { amountFen: 100, voucherNumber: 'HD-9', valueDate: '2026-10-09', uploadId: missing }, at(10))).rejects.toMatchObject({ code: 'evidence.missing' });
    expect(snapshot()).toBe(before);
    await expect(requestVoucherUpload(deps, projectId, { ...declare(Buffer.from('v'), 'video/mp4'), fileName: 'v.mp4' }, at(9))).rejects.toMatchObject({ code: 'upload.content-type' });
    await expect(requestVoucherUpload(deps, projectId, { ...declare(Buffer.from('p'), 'application/pdf'), fileName: 'p.pdf' }, ctxOf(AGENTS.landBranch, '2026-10-10T09:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    const first = await deposit(100, 'HD-1');
    const reused = { amountFen: 100, voucherNumber: 'HD-2', valueDate: '2026-10-09', uploadId: await findUploadOf(first.depositId) };
    await expect(recordAccountDeposit(deps, projectId, reused, at(11))).rejects.toMatchObject({ code: 'upload.used' });
  });

  it('refuses bad input, a voucher number already recorded and a depositor that is not an investment group, writing nothing', async () => {
    await deposit(100, 'HD-1');
    const uploadId = await voucherScan('HD-X');
    const before = snapshot();
    const input = { amountFen: 100, voucherNumber: 'HD-1', valueDate: '2026-10-09', uploadId };
    await expect(recordAccountDeposit(deps, projectId, input, at(11))).rejects.toMatchObject({ code: 'ledger.voucher-duplicate' });
    await expect(recordAccountDeposit(deps, projectId, { ...input, voucherNumber: 'HD-2', valueDate: '2026-02-30' }, at(11))).rejects.toMatchObject({ code: 'ledger.value-date-invalid' });
    await expect(recordAccountDeposit(deps, projectId, { ...input, voucherNumber: 'HD-2', amountFen: 0 }, at(11))).rejects.toMatchObject({ code: 'ledger.amount-invalid' });
    await expect(recordAccountDeposit(deps, projectId, { ...input, voucherNumber: 'HD-2' }, asFinance(11))).rejects.toMatchObject({ code: 'forbidden.agency' });
    expect(snapshot()).toBe(before);
  });

  it('takes the social-security subsidy fund from finance only, confirmed by another finance user, in its own balance', async () => {
    const body = Buffer.from('回单 SB-2026-001');
    await expect(requestVoucherUpload(deps, projectId, { fund: 'social-security-subsidy', ...declare(body, 'application/pdf'), fileName: 'sb.pdf' }, at(9))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(requestVoucherUpload(deps, projectId, { purpose: 'deposit-voucher', fund: 'social-security-subsidy', ...declare(body, 'application/pdf'), fileName: 'sb.pdf' }, asFinance(9))).rejects.toMatchObject({ code: 'account.voucher-fund-mismatch' });
    const slot = await requestVoucherUpload(deps, projectId, { purpose: 'subsidy-voucher', ...declare(body, 'application/pdf'), fileName: 'sb.pdf' }, asFinance(9));
    bucket.upload(slot.url.replace('memory://', ''), body, 'application/pdf');
    const subsidy = { fund: 'social-security-subsidy' as const, amountFen: 5_000_000, voucherNumber: 'SB-2026-001', valueDate: '2026-10-09', uploadId: slot.uploadId };
    const before = snapshot();
    await expect(recordAccountDeposit(deps, projectId, subsidy, at(10))).rejects.toMatchObject({ code: 'forbidden.agency' });
    expect(snapshot()).toBe(before);
    const entry = await recordAccountDeposit(deps, projectId, subsidy, asFinance(10));
    expect(entry).toMatchObject({ fund: 'social-security-subsidy', amountFen: 5_000_000, by: AGENTS.finance });
    await expect(confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(11))).rejects.toMatchObject({ code: 'ledger.confirm-own-deposit' });
    const colleague = ctxOf({ ...AGENTS.finance, user: 'sun.fin' }, '2026-10-10T11:00:00+08:00');
    expect((await confirmAccountDeposit(deps, projectId, entry.depositId, colleague)).balanceFen).toBe(5_000_000);
    const account = await readAccount(deps, projectId, { limit: 10 }, asFinance(12));
    expect(account.balances).toEqual([
      { fund: 'compensation', name: '征地补偿资金', confirmedFen: 0, balanceFen: 0 },
      { fund: 'social-security-subsidy', name: '被征地农民社会保障补贴资金', confirmedFen: 5_000_000, balanceFen: 5_000_000 },
    ]);
  });

  it('is confirmed by finance only, once: the recorder cannot confirm, a second confirmation is a conflict', async () => {
    const entry = await deposit(50_000_00, 'HD-1');
    const before = snapshot();
    await expect(confirmAccountDeposit(deps, projectId, entry.depositId, at(12))).rejects.toMatchObject({ code: 'forbidden.agency', category: 'forbidden' });
    await expect(confirmAccountDeposit(deps, projectId, entry.depositId, ctxOf(AGENTS.landBureau, '2026-10-10T12:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(confirmAccountDeposit(deps, projectId, 'NOSUCH', asFinance(12))).rejects.toMatchObject({ code: 'ledger.deposit-not-found', category: 'not-found' });
    expect(snapshot()).toBe(before);
    const confirmed = await confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(12));
    expect(confirmed).toMatchObject({ entry: { kind: 'deposit-confirmed', depositId: entry.depositId, amountFen: 50_000_00, by: AGENTS.finance }, balanceFen: 50_000_00 });
    expect(store.audit.at(-1)).toMatchObject({ action: 'account.confirm', target: { id: `${projectId}#${confirmed.entry.entryId}` }, actor: AGENTS.finance });
    // Counted on the project, where its timeline weighs it against what the signed agreements pay out.
    expect(await deps.counters.read(projectId, 'deposits-confirmed-fen')).toBe(50_000_00);
    const after = snapshot();
    await expect(confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(13))).rejects.toMatchObject({ code: 'ledger.deposit-already-confirmed', category: 'conflict' });
    expect(snapshot()).toBe(after);
  });

  it('tells the land bureau that the funds arrived, in the published event\'s shape', async () => {
    const entry = await deposit(80_000_00, 'HD-1');
    await confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(12));
    const told = await deps.inbox.page('land-bureau', { limit: 10 });
    const event = told.items.find((e) => e.kind === 'deposit-confirmed');
    expect(depositConfirmedV1.schema.parse(event)).toMatchObject({ addressee: 'land-bureau', jurisdictions: ['yongzhou/lengshuitan'], data: { depositId: entry.depositId, amountFen: 80_000_00, balanceFen: 80_000_00 } });
    expect(event!.text).toContain('80,000.00元');
  });

  it('counts only confirmed deposits in the balance, and shows the entries newest first', async () => {
    const a = await deposit(300_00, 'HD-1');
    const b = await deposit(200_00, 'HD-2');
    await confirmAccountDeposit(deps, projectId, a.depositId, asFinance(12));
    const view = await readAccount(deps, projectId, { limit: 2 }, ctxOf(AGENTS.landBranch, '2026-10-10T13:00:00+08:00'));
    expect(view.balances).toEqual([
      { fund: 'compensation', name: '征地补偿资金', confirmedFen: 300_00, balanceFen: 300_00 },
      { fund: 'social-security-subsidy', name: '被征地农民社会保障补贴资金', confirmedFen: 0, balanceFen: 0 },
    ]);
    expect(view.unconfirmed.map((d) => d.depositId)).toEqual([b.depositId]);
    expect(view.entries.map((e) => [e.kind, 'depositId' in e ? e.depositId : undefined])).toEqual([['deposit-confirmed', a.depositId], ['deposit-recorded', b.depositId]]);
    expect(store.audit.at(-1)).toMatchObject({ action: 'account.read' });
    await expect(readAccount(deps, projectId, { limit: 10 }, ctxOf(AGENTS.meiwan, '2026-10-10T13:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(readAccount(deps, projectId, { limit: 10 }, ctxOf(AGENTS.etdzBranch, '2026-10-10T13:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('of two deposits naming one bank voucher at once, one commits; the other is refused and writes nothing', async () => {
    const { voucher } = await deposit(100_00, 'HD-1');
    const prepare = (depositId: string) =>
      recordDeposit({ projectId, depositId, fund: 'compensation', amountFen: 100, voucherNumber: 'HD-A', valueDate: '2026-10-09', voucher }, undefined, undefined, AGENTS.investment, new Date('2026-10-10T03:00:00Z'));
    // Both read "no deposit holds HD-A" before either committed.
    const [first, second] = [prepare('D-A'), prepare('D-B')];
    await deps.uow.commit(deps.ledger.write([first]), []);
    const before = snapshot();
    await expect(deps.uow.commit(deps.ledger.write([second]), [])).rejects.toMatchObject({ code: 'ledger.voucher-duplicate', category: 'conflict' });
    expect(snapshot()).toBe(before);
  });

  it('a reservation the fund no longer covers when it commits is refused (`ledger.balance-moved`) and writes nothing', async () => {
    const { depositId } = await deposit(100_00, 'HD-1');
    await confirmAccountDeposit(deps, projectId, depositId, asFinance(12));
    const balance = await deps.ledger.balance(projectId, 'compensation');
    const draw = (paymentId: string, amountFen: number) => reserve(balance, { paymentId, projectId, fund: 'compensation', amountFen }, AGENTS.finance, new Date('2026-10-10T05:00:00Z'));
    // Both fit the balance as read (100.00 元); together they do not.
    const [first, second] = [draw('A1:household:1', 60_00), draw('A2:household:1', 50_00)];
    await deps.uow.commit(deps.ledger.write([first]), []);
    const before = snapshot();
    await expect(deps.uow.commit(deps.ledger.write([second]), [])).rejects.toMatchObject({ code: 'ledger.balance-moved', category: 'conflict' });
    expect(snapshot()).toBe(before);
    expect(await deps.ledger.balance(projectId, 'compensation')).toEqual({ fund: 'compensation', confirmedFen: 100_00, availableFen: 40_00 });
    // Two reservations of one fund in one transaction are checked together.
    const both = [draw('A3:household:1', 30_00), draw('A4:household:1', 20_00)];
    await expect(deps.uow.commit(deps.ledger.write(both), [])).rejects.toMatchObject({ code: 'ledger.balance-moved' });
    expect(snapshot()).toBe(before);
  });
});

describe('the dedicated account: reversals', () => {
  it('finance reverses a confirmation, then the deposit: new entries, the figures and the project count follow, the voucher may be recorded again', async () => {
    const entry = await deposit(70_000_00, 'HD-1');
    await confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(12));
    const before = snapshot();
    await expect(reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'deposit', reason: '录错' }, at(13))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(reverseAccountDeposit(deps, projectId, 'NOSUCH', { entry: 'deposit', reason: '录错' }, asFinance(13))).rejects.toMatchObject({ code: 'ledger.deposit-not-found', category: 'not-found' });
    await expect(reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'deposit', reason: ' ' }, asFinance(13))).rejects.toMatchObject({ code: 'ledger.reason-required' });
    expect(snapshot()).toBe(before);

    const unconfirmed = await reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'confirmation', reason: '款项实未到账' }, asFinance(13));
    expect(unconfirmed).toMatchObject({ entry: { kind: 'reversal', depositId: entry.depositId, reason: '款项实未到账' }, balanceFen: 0 });
    expect(await deps.counters.read(projectId, 'deposits-confirmed-fen')).toBe(0);
    expect((await readAccount(deps, projectId, { limit: 10 }, asFinance(14))).unconfirmed.map((d) => d.depositId)).toEqual([entry.depositId]);
    expect(store.audit.at(-2)).toMatchObject({ action: 'account.reverse', actor: AGENTS.finance, summary: { reverses: unconfirmed.entry.reverses, confirmedFen: -70_000_00, reason: '款项实未到账' } });

    await reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'deposit', reason: '回单号录错' }, asFinance(15));
    const account = await readAccount(deps, projectId, { limit: 10 }, asFinance(16));
    expect(account.unconfirmed).toEqual([]);
    expect(account.entries.map((e) => e.kind)).toEqual(['reversal', 'reversal', 'deposit-confirmed', 'deposit-recorded']);
    await expect(reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'deposit', reason: '再冲' }, asFinance(16))).rejects.toMatchObject({ code: 'ledger.already-reversed', category: 'conflict' });
    // The voided deposit no longer holds its voucher number.
    await expect(deposit(70_000_00, 'HD-1')).resolves.toMatchObject({ voucherNumber: 'HD-1' });
  });

  it('a reversal that takes the confirmed deposits below what the signed agreements pay out tells finance and the investment groups', async () => {
    await deps.uow.commit([deps.counters.increment(projectId, 'agreements-payout-fen', 50_000_00)], []);
    const small = await deposit(20_000_00, 'HD-1');
    const large = await deposit(60_000_00, 'HD-2');
    await confirmAccountDeposit(deps, projectId, small.depositId, asFinance(12));
    await confirmAccountDeposit(deps, projectId, large.depositId, asFinance(12));
    // 80,000.00 元 confirmed against 50,000.00 元 owed: taking back 20,000.00 元 leaves enough, no alert.
    await reverseAccountDeposit(deps, projectId, small.depositId, { entry: 'deposit', reason: '重复登记' }, asFinance(13));
    expect((await deps.inbox.page('finance', { limit: 20 })).items.filter((e) => e.kind === 'funds-short')).toEqual([]);
    await reverseAccountDeposit(deps, projectId, large.depositId, { entry: 'confirmation', reason: '款项实未到账' }, asFinance(14));
    for (const addressee of ['finance', 'investment-group'] as const) {
      const short = (await deps.inbox.page(addressee, { limit: 20 })).items.filter((e) => e.kind === 'funds-short');
      expect(short).toHaveLength(1);
      expect(fundsShortV1.schema.parse(short[0])).toMatchObject({ data: { payoutsFen: 50_000_00, depositsFen: 0, shortfallFen: 50_000_00, reversedDeposit: { depositId: large.depositId, amountFen: 60_000_00 } } });
      expect(short[0]!.text).toContain('缺口50,000.00元');
    }
  });

  it('never takes back money already reserved for a payment, and writes nothing', async () => {
    const entry = await deposit(100_00, 'HD-1');
    await confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(12));
    const draw = reserve(await deps.ledger.balance(projectId, 'compensation'), { paymentId: 'A1:household:1', projectId, fund: 'compensation', amountFen: 1 }, AGENTS.finance, new Date('2026-10-10T05:00:00Z'));
    await deps.uow.commit(deps.ledger.write([draw]), []);
    const before = snapshot();
    await expect(reverseAccountDeposit(deps, projectId, entry.depositId, { entry: 'deposit', reason: '录错' }, asFinance(13))).rejects.toMatchObject({ code: 'ledger.reversal-overdrawn', category: 'rule', message: expect.stringContaining('-0.01元') });
    expect(snapshot()).toBe(before);
  });
});

describe('reconciling the account (对账)', () => {
  it('recomputes each fund from every entry and finds the running figures agree; a figure changed behind the ledger\'s back is found', async () => {
    const entry = await deposit(70_000_00, 'HD-1');
    await confirmAccountDeposit(deps, projectId, entry.depositId, asFinance(12));
    const other = await deposit(10_000_00, 'HD-2');
    await confirmAccountDeposit(deps, projectId, other.depositId, asFinance(12));
    await reverseAccountDeposit(deps, projectId, other.depositId, { entry: 'deposit', reason: '重复登记' }, asFinance(13));
    const draw = reserve(await deps.ledger.balance(projectId, 'compensation'), { paymentId: 'A1:household:1', projectId, fund: 'compensation', amountFen: 30_000_00 }, AGENTS.finance, new Date('2026-10-10T06:00:00Z'));
    await deps.uow.commit(deps.ledger.write([draw]), []);
    const report = await reconcileAccount(deps, projectId, ctxOf(AGENTS.landBranch, '2026-10-10T15:00:00+08:00'));
    expect(report).toMatchObject({ entries: 6, agrees: true });
    expect(report.funds[0]).toEqual({ fund: 'compensation', name: '征地补偿资金', availableFen: 40_000_00, availableFromEntriesFen: 40_000_00, confirmedFen: 70_000_00, confirmedFromEntriesFen: 70_000_00, agrees: true });
    expect(store.audit.at(-1)).toMatchObject({ action: 'account.reconcile', summary: { entries: 6, agrees: true } });
    // Someone adds 1 fen to the balance outside the ledger.
    const fund = store.items.get(`ACCOUNT#${projectId}\u0000FUND#compensation`)!;
    store.items.set(`ACCOUNT#${projectId}\u0000FUND#compensation`, { ...fund, availableFen: Number(fund.availableFen) + 1 });
    const tampered = await reconcileAccount(deps, projectId, asFinance(16));
    expect(tampered).toMatchObject({ agrees: false, funds: [{ fund: 'compensation', availableFen: 40_000_01, availableFromEntriesFen: 40_000_00, agrees: false }, { agrees: true }] });
    await expect(reconcileAccount(deps, projectId, ctxOf(AGENTS.meiwan, '2026-10-10T16:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
  });
});

/** The upload a deposit used (its slot records which deposit used it). */
async function findUploadOf(depositId: string): Promise<string> {
  const slot = [...store.items.values()].find((i) => i.usedBy === `deposit:${depositId}`);
  return String(slot!.uploadId);
}
