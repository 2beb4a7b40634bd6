import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { LedgerEntry } from '../domain/ledger.ts';
import type { VoucherUpload } from '../domain/voucher-upload.ts';

export interface LedgerRepository {
  /** Every entry of the project's account, in `seq` order. */
  entries(projectId: string): Promise<LedgerEntry[]>;
  /**
   * Appends an entry on condition that its `seq` is still free: of two writers that read the same
   * entries, one commits and the other is refused with `ledger.concurrent-append` and re-reads.
   */
  append(entry: LedgerEntry): Change;
}

export interface VoucherUploadRepository {
  find(projectId: string, uploadId: string): Promise<Versioned<VoucherUpload> | undefined>;
  save(upload: VoucherUpload, expected: Expected): Change;
}
