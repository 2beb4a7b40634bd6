import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import type { EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { newId } from '../../../shared/ids.ts';
import type { AccountDeps } from '../app/account.ts';
import { TableLedgerRepository, TableVoucherUploadRepository } from './account-repository.ts';

export function paymentsDepsOn(table: Table, ports: { evidence: EvidenceStore; newId: (nowMs: number) => string }): AccountDeps {
  const kernel = caseKernel(table);
  return { uow: kernel.uow, projects: kernel.projects, inbox: kernel.inbox, counters: kernel.counters, ledger: new TableLedgerRepository(table), uploads: new TableVoucherUploadRepository(table), ...ports };
}

/** No paged lists: the account is read whole and shown newest first up to a limit. */
export function paymentsDeps(): AccountDeps {
  return paymentsDepsOn(casesTableFromEnv(), { evidence: evidenceStoreFromEnv(), newId });
}
