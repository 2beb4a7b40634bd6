import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { CaseCounterRepository, InboxRepository, ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf, type Project } from '../../../shared/cases/project.ts';
import { openUploadSlot, verifyEvidence, type EvidenceStore, type UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { log } from '../../../shared/log.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import { authorize } from '../../../shared/permissions.ts';
import { applyMovements, availableFromEntries, confirmDeposit, confirmedFromEntries, FUND_NAME, recordDeposit, reverseDeposit, type DepositConfirmed, type DepositRecorded, type FundKind, type LedgerEntry, type Reversal } from '../domain/ledger.ts';
import { withRetries } from './household-payments.ts';
import { checkVoucherDeclared, checkVoucherUsable, voucherKey, type VoucherUpload } from '../domain/voucher-upload.ts';
import type { LedgerRepository, VoucherUploadRepository } from './ports.ts';

export interface AccountDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  inbox: InboxRepository;
  ledger: LedgerRepository;
  counters: CaseCounterRepository;
  uploads: VoucherUploadRepository;
  evidence: EvidenceStore;
  newId: (nowMs: number) => string;
}

/** Who deposits into which fund (ledger.ts DEPOSITOR): the investment groups, or finance for the subsidy. */
const DEPOSIT_ACTION = { compensation: 'account.deposit', 'social-security-subsidy': 'account.subsidy-deposit' } as const;

export interface VoucherUploadRequest {
  purpose?: 'deposit-voucher' | 'subsidy-voucher' | undefined;
  /** The fund the voucher is for (default: the compensation fund, or the one `purpose` names). */
  fund?: FundKind | undefined;
  contentType: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** The audit target of a money movement: the entry, chained under the project. */
const entryTarget = (entry: LedgerEntry) => ({ type: 'account-entry', id: `${entry.projectId}#${entry.entryId}`, projectId: entry.projectId });

/** An investment group asks for a presigned slot to upload a bank voucher's scan. */
export async function requestVoucherUpload(
  deps: AccountDeps,
  projectId: string,
  input: VoucherUploadRequest,
  ctx: ActionContext,
): Promise<UploadInstructions> {
  const project = await deps.projects.get(projectId);
  const fund = voucherFund(input);
  authorize(ctx.actor, DEPOSIT_ACTION[fund], jurisdictionsOf(project));
  const declared = { contentType: input.contentType, size: input.size, sha256: input.sha256.toLowerCase() };
  checkVoucherDeclared(declared);
  const uploadId = deps.newId(ctx.now.getTime());
  const key = voucherKey(project.id, uploadId);
  const { slot, instructions } = await openUploadSlot(deps.evidence, { uploadId, key, fileName: input.fileName, declared }, ctx);
  const upload: VoucherUpload = { ...slot, projectId: project.id };
  await deps.uow.commit([deps.uploads.save(upload, 'absent')], [auditOf(ctx, 'evidence.upload-requested', { type: 'evidence', id: key, projectId: project.id }, { purpose: 'deposit-voucher', ...slot.declared })]);
  return instructions;
}

function voucherFund(input: Pick<VoucherUploadRequest, 'purpose' | 'fund'>): FundKind {
  const named: FundKind | undefined = input.purpose === 'subsidy-voucher' ? 'social-security-subsidy' : input.purpose === 'deposit-voucher' ? 'compensation' : undefined;
  if (named && input.fund && named !== input.fund) throw new ValidationError('account.voucher-fund-mismatch', `回单用途“${input.purpose}”与资金“${FUND_NAME[input.fund]}”不一致`);
  return input.fund ?? named ?? 'compensation';
}

export interface DepositRequest {
  /** Default: the compensation fund. */
  fund?: FundKind | undefined;
  amountFen: Fen;
  voucherNumber: string;
  /** The bank's value date, Beijing: YYYY-MM-DD. */
  valueDate: string;
  uploadId: string;
}

/**
 * An investment group records a deposit into the compensation fund with its verified voucher scan
 * (§三(十五)) — finance, into the social-security subsidy fund (§三(八)); it counts towards the
 * fund's balance once (another user of) finance confirms it.
 */
export async function recordAccountDeposit(deps: AccountDeps, projectId: string, input: DepositRequest, ctx: ActionContext): Promise<DepositRecorded> {
  const project = await deps.projects.get(projectId);
  const fund = input.fund ?? 'compensation';
  authorize(ctx.actor, DEPOSIT_ACTION[fund], jurisdictionsOf(project));
  const upload = await deps.uploads.find(project.id, input.uploadId);
  if (!upload) throw new NotFoundError('upload.not-found', `上传不存在：${input.uploadId}`);
  const { version, ...slot } = upload;
  checkVoucherUsable(slot, project.id, ctx.actor);
  const found = await verifyEvidence(deps.evidence, slot.key, slot.declared);
  const voucher = { key: slot.key, ...found, uploadedBy: slot.requestedBy, verifiedAt: ctx.now.toISOString() };
  const depositId = deps.newId(ctx.now.getTime());
  const holder = await deps.ledger.voucherHolder(project.id, input.voucherNumber.trim());
  const movement = recordDeposit(
    { projectId: project.id, depositId, fund, amountFen: input.amountFen, voucherNumber: input.voucherNumber, valueDate: input.valueDate, voucher },
    undefined,
    holder?.deposit,
    ctx.actor,
    ctx.now,
  );
  const entry = movement.entry as DepositRecorded;
  await deps.uow.commit(
    [...deps.ledger.write([movement], { deposit: 'absent', voucherClaim: holder?.claim ?? 'absent' }), deps.uploads.save({ ...slot, usedBy: `deposit:${depositId}` }, version)],
    [auditOf(ctx, 'account.deposit', entryTarget(entry), { depositId, fund: entry.fund, amountFen: entry.amountFen, voucherNumber: entry.voucherNumber, valueDate: entry.valueDate, voucherSha256: voucher.sha256 })],
  );
  return entry;
}

/**
 * Finance confirms the deposit reached the account (§三(八)); the land bureau, which organises the
 * payments, learns that the funds are there (an inbox event).
 */
export async function confirmAccountDeposit(deps: AccountDeps, projectId: string, depositId: string, ctx: ActionContext): Promise<{ entry: DepositConfirmed; balanceFen: Fen }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'account.confirm', jurisdictionsOf(project));
  // Again from the record when another writer got there first: the fund's one item is shared by every
  // movement of the fund, and a concurrent confirmation of this deposit is then named as such.
  return withRetries(async () => {
    const stored = await deps.ledger.deposit(project.id, depositId);
    if (!stored) throw new NotFoundError('ledger.deposit-not-found', `存入记录不存在：${depositId}`);
    const { version, ...deposit } = stored;
    const movement = confirmDeposit(deposit, depositId, ctx.actor, ctx.now);
    const entry = movement.entry as DepositConfirmed;
    // What the fund holds once this commits: the figures as read plus this confirmation (a concurrent
    // movement may shift them by the time the land bureau reads the news; the account shows them live).
    const { availableFen: balanceFen } = applyMovements(await deps.ledger.balance(project.id, entry.fund), [movement]);
    await deps.uow.commit(
      [
        ...deps.ledger.write([movement], { deposit: version }),
        deps.inbox.add(fundsArrived(deps, project, deposit.entry, entry, balanceFen, ctx.now)),
        // The project's timeline weighs what was deposited against what the signed agreements pay out.
        ...(entry.fund === 'compensation' ? [deps.counters.increment(project.id, 'deposits-confirmed-fen', deposit.entry.amountFen)] : []),
      ],
      [auditOf(ctx, 'account.confirm', entryTarget(entry), { depositId, fund: entry.fund, amountFen: deposit.entry.amountFen, balanceFen })],
    );
    return { entry, balanceFen };
  });
}

export interface ReversalRequest {
  /** The deposit itself (voided, with its confirmation), or only its confirmation in force. */
  entry: 'deposit' | 'confirmation';
  reason: string;
}

/**
 * Finance reverses a deposit recorded in error, or a confirmation given in error (§三(八)): a new
 * entry, never an edit. Money already reserved for payments is never taken back (the fund's
 * conditional update refuses it at commit; read again, the refusal names the balance it would leave).
 */
export async function reverseAccountDeposit(deps: AccountDeps, projectId: string, depositId: string, input: ReversalRequest, ctx: ActionContext): Promise<{ entry: Reversal; balanceFen: Fen }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'account.reverse', jurisdictionsOf(project));
  return withRetries(async () => {
    const stored = await deps.ledger.deposit(project.id, depositId);
    if (!stored) throw new NotFoundError('ledger.deposit-not-found', `存入记录不存在：${depositId}`);
    const { version, ...deposit } = stored;
    const balance = await deps.ledger.balance(project.id, deposit.entry.fund);
    const movement = reverseDeposit(deposit, balance, input.entry, input.reason, ctx.actor, ctx.now);
    const entry = movement.entry as Reversal;
    const balanceFen = applyMovements(balance, [movement]).availableFen;
    const counted = entry.fund === 'compensation' && movement.confirmedFen !== 0;
    await deps.uow.commit(
      [
        ...deps.ledger.write([movement], { deposit: version }),
        ...(counted ? [deps.counters.increment(project.id, 'deposits-confirmed-fen', movement.confirmedFen)] : []),
        ...(counted ? await shortAfterReversal(deps, project, deposit.entry, entry, -movement.confirmedFen, ctx.now) : []),
      ],
      [auditOf(ctx, 'account.reverse', entryTarget(entry), { depositId, reverses: entry.reverses, fund: entry.fund, amountFen: deposit.entry.amountFen, confirmedFen: movement.confirmedFen, reason: entry.reason, balanceFen })],
    );
    return { entry, balanceFen };
  });
}

/**
 * Full funds first (2021 Regulations art. 32): a reversal that takes confirmed deposits below what
 * the signed agreements pay out tells finance and the investment groups, as a signing past them does.
 */
async function shortAfterReversal(deps: AccountDeps, project: Project, deposit: DepositRecorded, reversal: Reversal, amountFen: Fen, now: Date) {
  const [payoutsFen, before] = await Promise.all([deps.counters.read(project.id, 'agreements-payout-fen'), deps.counters.read(project.id, 'deposits-confirmed-fen')]);
  const depositsFen = before - amountFen;
  const shortfallFen = payoutsFen - depositsFen;
  if (shortfallFen <= 0) return [];
  return (['finance', 'investment-group'] as const).map((addressee) =>
    deps.inbox.add(
      inboxEvent({
        id: deps.newId(now.getTime()),
        projectId: project.id,
        addressee,
        kind: 'funds-short',
        at: now,
        title: `征地拆迁专户资金不足：${project.name}`,
        text: `市财政局冲销了存入记录（银行回单${deposit.voucherNumber}，${formatYuan(amountFen)}元，原因：${reversal.reason}）。已签订协议应付补偿款合计${formatYuan(payoutsFen)}元，专户已确认到账${formatYuan(depositsFen)}元，缺口${formatYuan(shortfallFen)}元；请及时足额缴存（方案§三(八)(十五)，《土地管理法实施条例》第三十二条）。`,
        jurisdictions: [project.district],
        data: { payoutsFen, depositsFen, shortfallFen, reversedDeposit: { depositId: deposit.depositId, entryId: reversal.entryId, amountFen } },
      }),
    ),
  );
}

function fundsArrived(deps: AccountDeps, project: Project, deposit: DepositRecorded, confirmed: DepositConfirmed, balanceFen: Fen, now: Date) {
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: project.id,
    addressee: 'land-bureau',
    kind: 'deposit-confirmed',
    at: now,
    title: `专户资金已到账：${project.name} ${formatYuan(deposit.amountFen)}元`,
    text: `市财政局已确认${FUND_NAME[deposit.fund]}${formatYuan(deposit.amountFen)}元到账（银行回单${deposit.voucherNumber}，到账日期${deposit.valueDate}），专户该项资金可用余额${formatYuan(balanceFen)}元（方案§三(八)(十五)）。`,
    jurisdictions: [project.district],
    data: {
      depositId: deposit.depositId,
      entryId: confirmed.entryId,
      fund: deposit.fund,
      amountFen: deposit.amountFen,
      voucherNumber: deposit.voucherNumber,
      valueDate: deposit.valueDate,
      balanceFen,
      confirmedAt: confirmed.at,
    },
  });
}

export interface FundReconciliation {
  fund: FundKind;
  name: string;
  availableFen: Fen;
  availableFromEntriesFen: Fen;
  confirmedFen: Fen;
  confirmedFromEntriesFen: Fen;
  agrees: boolean;
}

/**
 * Reconciles the account (对账): each fund's running figures against a recomputation from every
 * entry (decision 0025). Reads the whole ledger, so it is an audit on demand, never part of a
 * movement; a difference is logged as an error for operations as well as answered.
 */
export async function reconcileAccount(deps: AccountDeps, projectId: string, ctx: ActionContext): Promise<{ projectId: string; entries: number; funds: FundReconciliation[]; agrees: boolean }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'account.read', jurisdictionsOf(project));
  const funds: FundKind[] = ['compensation', 'social-security-subsidy'];
  const [entries, balances] = await Promise.all([deps.ledger.entries(project.id), Promise.all(funds.map((fund) => deps.ledger.balance(project.id, fund)))]);
  const reconciled = balances.map((b): FundReconciliation => {
    const availableFromEntriesFen = availableFromEntries(entries, b.fund);
    const confirmedFromEntriesFen = confirmedFromEntries(entries, b.fund);
    return { fund: b.fund, name: FUND_NAME[b.fund], availableFen: b.availableFen, availableFromEntriesFen, confirmedFen: b.confirmedFen, confirmedFromEntriesFen, agrees: b.availableFen === availableFromEntriesFen && b.confirmedFen === confirmedFromEntriesFen };
  });
  const agrees = reconciled.every((f) => f.agrees);
  if (!agrees) log.error('the account disagrees with its entries', { projectId: project.id, funds: reconciled.filter((f) => !f.agrees) });
  await auditRead(deps.uow, ctx, 'account.reconcile', { type: 'project', id: project.id, projectId: project.id }, { entries: entries.length, agrees });
  return { projectId: project.id, entries: entries.length, funds: reconciled, agrees };
}

export interface AccountView {
  projectId: string;
  balances: Array<{ fund: FundKind; name: string; confirmedFen: Fen; balanceFen: Fen }>;
  /** Deposits recorded and awaiting finance's confirmation. */
  unconfirmed: DepositRecorded[];
  /** The newest `limit` entries, newest first. */
  entries: LedgerEntry[];
}

/** The account: each fund's figures, the deposits awaiting confirmation and the latest entries (reading it is audited). */
export async function readAccount(deps: AccountDeps, projectId: string, query: { limit: number }, ctx: ActionContext): Promise<AccountView> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'account.read', jurisdictionsOf(project));
  const funds: FundKind[] = ['compensation', 'social-security-subsidy'];
  const [balances, deposits, entries] = await Promise.all([
    Promise.all(funds.map((fund) => deps.ledger.balance(project.id, fund))),
    deps.ledger.deposits(project.id),
    deps.ledger.latest(project.id, query.limit),
  ]);
  const view: AccountView = {
    projectId: project.id,
    balances: balances.map((b) => ({ fund: b.fund, name: FUND_NAME[b.fund], confirmedFen: b.confirmedFen, balanceFen: b.availableFen })),
    unconfirmed: deposits.filter((d) => d.status === 'recorded').map((d) => d.entry),
    entries,
  };
  await auditRead(deps.uow, ctx, 'account.read', { type: 'project', id: project.id, projectId: project.id }, { entries: entries.length });
  return view;
}
