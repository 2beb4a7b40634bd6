import { MemoryTable } from '../../shared/adapters/memory-table.ts';
import { MemoryPiiVault } from '../../shared/adapters/memory-pii-vault.ts';
import { paymentsDepsOn } from '../../services/payments/adapters/deps.ts';
import type { PaymentsDeps } from '../../services/payments/app/household-payments.ts';
import type { BankWaitReleaser, PaymentWorkflowStarter } from '../../services/payments/app/ports.ts';
import { availableFromEntries, confirmDeposit, confirmedFromEntries, recordDeposit, type FundKind } from '../../services/payments/domain/ledger.ts';
import { attachDocument, draftAgreement, signAgreement } from '../../services/compensation/domain/agreement.ts';
import { computeCompensation } from '../../services/compensation/domain/compensation.ts';
import type { PayableAgreement } from '../../shared/cases/household-money.ts';
import { watchRule } from '../../shared/deadlines/watch-rules.ts';
import { openWatch } from '../../shared/deadlines/watch.ts';
import { BankOutcomeUnknownError, BankUnavailableError, keyConflict, signedCallbackHeaders, type BankCallback, type BankGateway, type BankPaymentState, type KnownBankPaymentState, type PaymentInstruction } from '../../shared/payments/bank-gateway.ts';
import { AGENTS, calendar, MemoryBucket, RecordingScheduler, sequentialIds } from './fakes.ts';
import { ACTORS, confirmedHousehold, evidence, NOTICE_PUBLISHED_AT, STANDARD, STANDARD_LOCKED_AT } from './households.ts';
import { projectWithPublishedNotice } from './procedure.ts';

export const CALLBACK_SECRET = 'test-bank-callback-secret-0123456789abcdef';
export const SIGNED_AT = new Date('2026-09-26T02:00:00.000Z');

/** What the worked household's agreement pays each group (decision 0020's example). */
export const DUE = { collective: 7_125_480, household: 14_007_279, 'person-m1': 2_375_160, 'person-m2': 2_375_160, 'social-security-fund': 5_000_000 } as const;
export const COMPENSATION_DUE = DUE.collective + DUE.household + DUE['person-m1'] + DUE['person-m2'];

/** Finance's entries: account numbers in clear, as typed in (sealed at once by the use case). */
export const ACCOUNTS = [
  { payeeGroup: 'collective', accountName: '梅湾村一组', bankName: '中国农业银行冷水滩支行', accountNumber: '622848001122334455' },
  { payeeGroup: 'household', accountName: '张三', bankName: '中国农业银行冷水滩支行', accountNumber: '622848009988776655' },
  { payeeGroup: 'person-m1', accountName: '张三', bankName: '中国工商银行永州分行', accountNumber: '6222020200112233445' },
  { payeeGroup: 'person-m2', accountName: '李四', bankName: '中国工商银行永州分行', accountNumber: '6222020200556677889' },
  { payeeGroup: 'social-security-fund', accountName: '永州市社会保险基金专户', bankName: '中国建设银行永州分行', accountNumber: '43001650061052500001' },
];

/** The bank as the port promises it: one transfer per key, however often it is instructed; faults per key. */
export class FakeBank implements BankGateway {
  readonly payments = new Map<string, { instruction: PaymentInstruction; state: KnownBankPaymentState }>();
  /** Money actually moved. */
  readonly transfers: PaymentInstruction[] = [];
  readonly instructed: string[] = [];
  /** Per key, the faults of the next instruct calls, in order. */
  readonly faults = new Map<string, Array<'lost-response' | 'timeout' | 'unavailable'>>();
  #seq = 0;
  #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  async instruct(instruction: PaymentInstruction): Promise<KnownBankPaymentState> {
    const key = instruction.idempotencyKey;
    this.instructed.push(key);
    const fault = this.faults.get(key)?.shift();
    if (fault === 'unavailable') throw new BankUnavailableError({ idempotencyKey: key });
    if (fault === 'timeout') throw new BankOutcomeUnknownError({ idempotencyKey: key });
    const known = this.payments.get(key);
    if (known && JSON.stringify(known.instruction) !== JSON.stringify(instruction)) throw keyConflict(key);
    if (!known) {
      const state: KnownBankPaymentState = { idempotencyKey: key, status: 'accepted', bankReference: `FB${String(++this.#seq).padStart(8, '0')}`, acceptedAt: this.#now().toISOString() };
      this.payments.set(key, { instruction, state });
      this.transfers.push(instruction);
    }
    if (fault === 'lost-response') throw new BankOutcomeUnknownError({ idempotencyKey: key });
    return this.payments.get(key)!.state;
  }

  async query(idempotencyKey: string): Promise<BankPaymentState> {
    return this.payments.get(idempotencyKey)?.state ?? { idempotencyKey, status: 'unknown' };
  }

  /** The bank settles or rejects what it accepted, and tells us (the callback's body). */
  settle(key: string, at: Date): BankCallback {
    const found = this.payments.get(key)!;
    const { amountFen } = found.instruction;
    found.state = { idempotencyKey: key, status: 'settled', bankReference: found.state.bankReference, acceptedAt: found.state.acceptedAt, settledAt: at.toISOString(), amountFen };
    return { idempotencyKey: key, status: 'settled', bankReference: found.state.bankReference, at: at.toISOString(), amountFen };
  }

  reject(key: string, at: Date, reason: { code: 'account-closed' | 'name-mismatch' | 'account-frozen' | 'other'; message: string }): BankCallback {
    const found = this.payments.get(key)!;
    found.state = { idempotencyKey: key, status: 'rejected', bankReference: found.state.bankReference, acceptedAt: found.state.acceptedAt, rejectedAt: at.toISOString(), reason };
    return { idempotencyKey: key, status: 'rejected', bankReference: found.state.bankReference, at: at.toISOString(), reason };
  }
}

export class RecordingWorkflows implements PaymentWorkflowStarter, BankWaitReleaser {
  readonly started: string[] = [];
  readonly released: Array<{ token: string; output: object }> = [];
  failStarts = false;
  async start(paymentId: string) {
    if (this.failStarts) throw new Error('Step Functions unavailable');
    this.started.push(paymentId);
  }
  async release(token: string, output: object) {
    this.released.push({ token, output });
  }
}

let nonceCounter = 0;
/** A callback as the bank sends it: the exact body and fresh signed headers. */
export function signedCallback(callback: BankCallback, at: Date, secret = CALLBACK_SECRET) {
  const body = JSON.stringify(callback);
  return { headers: signedCallbackHeaders(secret, body, at.getTime(), `nonce-${String(++nonceCounter).padStart(12, '0')}`), body };
}

/** A project, one household with its signed agreement published in the kernel and its payment clock, and the payments deps. */
export async function paymentsWorld() {
  const store = new MemoryTable();
  const { project } = await projectWithPublishedNotice(store);
  let clock = new Date('2026-10-10T02:00:00.000Z');
  const bank = new FakeBank(() => clock);
  const workflows = new RecordingWorkflows();
  const scheduler = new RecordingScheduler();
  const pii = new MemoryPiiVault();
  const deps: PaymentsDeps = paymentsDepsOn(store, {
    evidence: new MemoryBucket(),
    newId: sequentialIds,
    scheduler,
    pii,
    bank,
    callbackSecret: async () => CALLBACK_SECRET,
    workflows,
    releaser: workflows,
  });
  const agreement = signedPayable(project.id);
  const watch = openWatch({ caseId: agreement.householdId, projectId: project.id, caseLabel: agreement.caseLabel, phase: 'payment', jurisdiction: agreement.jurisdiction }, watchRule('compensation-payment'), SIGNED_AT, await calendar());
  await deps.uow.commit([deps.payableAgreements.save(agreement, 'absent'), deps.watches.save(watch, 'absent', { waiting: 'clock-token' })], []);
  return {
    store,
    project,
    bank,
    workflows,
    scheduler,
    pii,
    deps,
    agreement,
    watch,
    now: () => clock,
    setNow: (at: Date) => {
      clock = at;
    },
  };
}

export type PaymentsWorld = Awaited<ReturnType<typeof paymentsWorld>>;

/** The worked household's real agreement, signed, as the compensation service publishes it. */
export function signedPayable(projectId: string): PayableAgreement {
  const household = { ...confirmedHousehold(), projectId };
  const compensation = computeCompensation({ household, noticePublishedAt: NOTICE_PUBLISHED_AT, resettledMemberIds: ['m1', 'm2'], standard: STANDARD, standardLockedAt: STANDARD_LOCKED_AT, now: SIGNED_AT });
  const draft = attachDocument(
    draftAgreement({ agreementId: 'A1', number: '冷征协〔2026〕001号', household, compensation, standard: STANDARD, mode: { kind: 'cash', optionId: 'money' }, existing: [], actor: ACTORS.landBranch, now: SIGNED_AT }).agreement,
    'b'.repeat(64),
  );
  const { agreement } = signAgreement(draft, household, [draft], { documentSha256: 'b'.repeat(64), place: '梅湾街道办事处', evidence: evidence('signed.jpg', ACTORS.landBranch), signedAt: SIGNED_AT }, ACTORS.landBranch, SIGNED_AT);
  const insured = new Set(agreement.lines.filter((l) => l.payee === 'social-security-fund').map((l) => l.itemId));
  return {
    agreementId: agreement.agreementId,
    householdId: household.householdId,
    projectId,
    number: agreement.number,
    kind: 'original',
    status: 'signed',
    lines: agreement.lines.map((l) => ({ kind: l.kind, itemId: l.itemId, amountFen: l.amountFen, payee: l.payee })),
    totalFen: agreement.totalFen,
    signedAt: SIGNED_AT.toISOString(),
    villageGroupId: household.villageGroupId,
    householdNumber: household.householdNumber,
    caseLabel: '梅湾村一组 梅湾一组-007 号户（户主张三）',
    jurisdiction: 'yongzhou/lengshuitan',
    persons: household.members.filter((m) => insured.has(m.memberId)).map((m) => ({ memberId: m.memberId, name: m.name })),
  };
}

let voucher = 0;
/** Confirmed money in the project's account (the investment group deposits, finance confirms). */
export async function deposited(world: Pick<PaymentsWorld, 'deps' | 'project'>, fund: FundKind, amountFen: number): Promise<void> {
  const at = new Date('2026-10-01T02:00:00.000Z');
  const depositor = fund === 'compensation' ? AGENTS.investment : { ...AGENTS.finance, user: 'sun.fi' };
  const recorded = recordDeposit({ projectId: world.project.id, depositId: `D${++voucher}`, fund, amountFen, voucherNumber: `HD-${voucher}`, valueDate: '2026-09-30', voucher: evidence(`v${voucher}.pdf`, depositor) }, undefined, undefined, depositor, at);
  await world.deps.uow.commit(world.deps.ledger.write([recorded]), []);
  const confirmed = confirmDeposit(recorded.deposit, recorded.deposit!.entry.depositId, AGENTS.finance, at);
  await world.deps.uow.commit(world.deps.ledger.write([confirmed], { deposit: 1 }), []);
}

/** A fund's available balance, checked against the recomputation from the account's entries. */
export async function availableFen(world: Pick<PaymentsWorld, 'deps' | 'project'>, fund: FundKind): Promise<number> {
  const [balance, entries] = await Promise.all([world.deps.ledger.balance(world.project.id, fund), world.deps.ledger.entries(world.project.id)]);
  if (balance.availableFen !== availableFromEntries(entries, fund)) throw new Error(`the ${fund} fund's figure ${balance.availableFen} differs from its entries' ${availableFromEntries(entries, fund)}`);
  if (balance.confirmedFen !== confirmedFromEntries(entries, fund)) throw new Error(`the ${fund} fund's confirmed ${balance.confirmedFen} differs from its entries' ${confirmedFromEntries(entries, fund)}`);
  return balance.availableFen;
}

/** Enough in both funds for the household's first instalment. */
export async function fullyFunded(world: Pick<PaymentsWorld, 'deps' | 'project'>): Promise<void> {
  await deposited(world, 'compensation', COMPENSATION_DUE);
  await deposited(world, 'social-security-subsidy', DUE['social-security-fund']);
}
