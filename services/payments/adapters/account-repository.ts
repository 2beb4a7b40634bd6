import { entityOf, itemOf, put, type Increment, type Item, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { LedgerRepository, VoucherUploadRepository } from '../app/ports.ts';
import { emptyFund, type Deposit, type FundBalance, type FundKind, type LedgerEntry, type LedgerMovement } from '../domain/ledger.ts';
import type { VoucherUpload } from '../domain/voucher-upload.ts';

/**
 * The account has its own partition per project (not the case's). In it (decision 0025):
 * - `FUND#<fund>`: the fund's running figures, moved by atomic additions — a reservation on
 *   condition that the available balance covers it;
 * - `DEPOSIT#<id>`: a deposit and where it stands (version-guarded), `VOUCHER#<number>`: which
 *   deposit holds a bank voucher number;
 * - `ENTRY#<at>#<kind>#<subject>`: the entries, written once, never changed, in time order.
 * No movement reads the entries: they are the record, the figures are what movements check.
 */
export const accountPk = (projectId: string) => `ACCOUNT#${projectId}`;
const ENTRY = 'ENTRY#';
const FUND = 'FUND#';
const DEPOSIT = 'DEPOSIT#';
const fundKey = (projectId: string, fund: FundKind) => ({ pk: accountPk(projectId), sk: `${FUND}${fund}` });
const depositSk = (depositId: string) => `${DEPOSIT}${depositId}`;
const voucherSk = (voucherNumber: string) => `VOUCHER#${voucherNumber}`;
const uploadSk = (uploadId: string) => `VOUCHER-UPLOAD#${uploadId}`;

const entryOf = (item: Item): LedgerEntry => {
  const { version: _version, ...entry } = entityOf<LedgerEntry>(item);
  return entry as LedgerEntry;
};

export class TableLedgerRepository implements LedgerRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async balance(projectId: string, fund: FundKind): Promise<FundBalance> {
    const { pk, sk } = fundKey(projectId, fund);
    const item = await this.#table.get(pk, sk);
    return item ? { fund, confirmedFen: Number(item.confirmedFen ?? 0), availableFen: Number(item.availableFen ?? 0) } : emptyFund(fund);
  }

  async deposit(projectId: string, depositId: string): Promise<Versioned<Deposit> | undefined> {
    const item = await this.#table.get(accountPk(projectId), depositSk(depositId));
    return item ? entityOf<Deposit>(item) : undefined;
  }

  async voucherHolder(projectId: string, voucherNumber: string): Promise<{ deposit: Deposit; claim: number } | undefined> {
    const claim = await this.#table.get(accountPk(projectId), voucherSk(voucherNumber));
    if (!claim) return undefined;
    const deposit = await this.deposit(projectId, String(claim.depositId));
    if (!deposit) throw new Error(`voucher ${voucherNumber} names a deposit that does not exist: ${String(claim.depositId)}`);
    return { deposit, claim: claim.version ?? 0 };
  }

  async deposits(projectId: string): Promise<Deposit[]> {
    return (await this.#table.query(accountPk(projectId), DEPOSIT)).map((item) => entityOf<Deposit>(item));
  }

  async latest(projectId: string, limit: number): Promise<LedgerEntry[]> {
    const { items } = await this.#table.page(accountPk(projectId), ENTRY, { limit, backward: true });
    return items.map(entryOf);
  }

  async entries(projectId: string): Promise<LedgerEntry[]> {
    return (await this.#table.query(accountPk(projectId), ENTRY)).map(entryOf);
  }

  write(movements: readonly LedgerMovement[], expected: { deposit?: Expected; voucherClaim?: Expected } = {}): Change[] {
    // `expected` guards one deposit: a movement of a deposit is written alone (reservations come in batches).
    if (movements.filter((m) => m.deposit).length > 1) throw new Error('one deposit movement per write');
    const changes: Change[] = [];
    for (const { entry } of movements) {
      const duplicate = new ConflictError('ledger.concurrent-append', `专户分录“${entry.entryId}”已写入`, { entryId: entry.entryId });
      changes.push(put('ledger-entry', itemOf({ pk: accountPk(entry.projectId), sk: `${ENTRY}${entry.entryId}` }, 'ledger-entry', entry), 'absent', duplicate));
    }
    changes.push(...fundUpdates(movements));
    for (const { entry, deposit } of movements) {
      if (!deposit) continue;
      const { projectId, depositId, voucherNumber } = deposit.entry;
      changes.push(put('deposit', itemOf({ pk: accountPk(projectId), sk: depositSk(depositId) }, 'deposit', deposit), expected.deposit ?? 'absent'));
      if (entry.kind === 'deposit-recorded') {
        // The voucher number is the deposit's too: of two deposits naming it at once, one commits.
        const taken = new ConflictError('ledger.voucher-duplicate', `银行回单${voucherNumber}已由他人同时登记`, { voucherNumber });
        changes.push(put('voucher-claim', itemOf({ pk: accountPk(projectId), sk: voucherSk(voucherNumber) }, 'voucher-claim', { depositId }), expected.voucherClaim ?? 'absent', taken));
      }
    }
    return changes;
  }
}

/**
 * One addition per fund and figure, whatever the number of movements: a transaction writes an item
 * once. What the reservations need is checked against the fund as it stands at commit.
 */
function fundUpdates(movements: readonly LedgerMovement[]): Increment[] {
  const byFund = new Map<string, { projectId: string; fund: FundKind; availableFen: number; confirmedFen: number; needsFen: number }>();
  for (const m of movements) {
    const key = `${m.entry.projectId}\u0000${m.fund}`;
    const sum = byFund.get(key) ?? { projectId: m.entry.projectId, fund: m.fund, availableFen: 0, confirmedFen: 0, needsFen: 0 };
    byFund.set(key, { ...sum, availableFen: sum.availableFen + m.availableFen, confirmedFen: sum.confirmedFen + m.confirmedFen, needsFen: sum.needsFen + (m.needsFen ?? 0) });
  }
  return [...byFund.values()].flatMap(({ projectId, fund, availableFen, confirmedFen, needsFen }) => {
    const key = fundKey(projectId, fund);
    const init = { type: 'fund', projectId, fund };
    const moved = new ConflictError('ledger.balance-moved', '专户可用余额已变动，请刷新后重试', { fund });
    const writes: Increment[] = [];
    if (availableFen !== 0 || needsFen > 0) {
      writes.push({ record: 'fund', op: 'increment', key, attribute: 'availableFen', by: availableFen, init, ...(needsFen > 0 ? { atLeast: needsFen, onConflict: moved } : {}) });
    }
    if (confirmedFen !== 0) writes.push({ record: 'fund', op: 'increment', key, attribute: 'confirmedFen', by: confirmedFen, init });
    return writes;
  });
}

export class TableVoucherUploadRepository implements VoucherUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string, uploadId: string): Promise<Versioned<VoucherUpload> | undefined> {
    const item = await this.#table.get(accountPk(projectId), uploadSk(uploadId));
    return item ? entityOf<VoucherUpload>(item) : undefined;
  }

  save(upload: VoucherUpload, expected: Expected): Change {
    return put('voucher-upload', itemOf({ pk: accountPk(upload.projectId), sk: uploadSk(upload.uploadId) }, 'voucher-upload', upload), expected);
  }
}
