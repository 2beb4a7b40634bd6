import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { LedgerRepository, VoucherUploadRepository } from '../app/ports.ts';
import type { LedgerEntry } from '../domain/ledger.ts';
import type { VoucherUpload } from '../domain/voucher-upload.ts';

/**
 * The account has its own partition per project (not the case's): the ledger is read whole on
 * every movement, so it should hold nothing else of any size. Entries sort by their zero-padded seq.
 */
export const accountPk = (projectId: string) => `ACCOUNT#${projectId}`;
const ENTRY = 'ENTRY#';
export const entrySk = (seq: number) => `${ENTRY}${String(seq).padStart(10, '0')}`;
const uploadSk = (uploadId: string) => `VOUCHER-UPLOAD#${uploadId}`;

export class TableLedgerRepository implements LedgerRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async entries(projectId: string): Promise<LedgerEntry[]> {
    const items = await this.#table.query(accountPk(projectId), ENTRY);
    return items.map((item) => {
      const { version: _version, ...entry } = entityOf<LedgerEntry>(item);
      return entry as LedgerEntry;
    });
  }

  append(entry: LedgerEntry): Change {
    // The seq is the guard: two appends computed from the same entries take the same key.
    const onConflict = new ConflictError('ledger.concurrent-append', `专户第${entry.seq}笔分录已由他人同时写入，请刷新后重试`, { seq: entry.seq });
    return put('ledger-entry', itemOf({ pk: accountPk(entry.projectId), sk: entrySk(entry.seq) }, 'ledger-entry', entry), 'absent', onConflict);
  }
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
