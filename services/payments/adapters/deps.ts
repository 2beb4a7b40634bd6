import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { HttpBankGateway } from '../../../shared/adapters/http-bank-gateway.ts';
import { piiVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import type { EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { newId } from '../../../shared/ids.ts';
import type { BankGateway, NonceStore } from '../../../shared/payments/bank-gateway.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { AccountDeps } from '../app/account.ts';
import type { PaymentsDeps } from '../app/household-payments.ts';
import type { BankWaitReleaser, PaymentWorkflowStarter } from '../app/ports.ts';
import { TableLedgerRepository, TableVoucherUploadRepository } from './account-repository.ts';
import { TableNonceStore } from './dynamodb-nonce-store.ts';
import { TableFundsRefusalRepository, TablePaymentRepository } from './payment-repository.ts';
import { paymentWorkflowsFromEnv } from './sfn-payment-workflows.ts';

/** The account's repositories on a table (deposits and their confirmation need no more). */
export function accountDepsOn(table: Table, ports: { evidence: EvidenceStore; newId: (nowMs: number) => string }): AccountDeps {
  const kernel = caseKernel(table);
  return { uow: kernel.uow, projects: kernel.projects, inbox: kernel.inbox, counters: kernel.counters, ledger: new TableLedgerRepository(table), uploads: new TableVoucherUploadRepository(table), ...ports };
}

export interface PaymentsPorts {
  evidence: EvidenceStore;
  newId: (nowMs: number) => string;
  scheduler: WatchScheduler;
  pii: PiiVault;
  bank: BankGateway;
  callbackSecret: () => Promise<string>;
  workflows: PaymentWorkflowStarter;
  releaser: BankWaitReleaser;
  /** Defaults to the nonce records in the table. */
  nonces?: NonceStore;
}

/** The payments service's repositories on a table, with the other ports given. */
export function paymentsDepsOn(table: Table, ports: PaymentsPorts): PaymentsDeps {
  const kernel = caseKernel(table);
  const { nonces, ...rest } = ports;
  return {
    ...accountDepsOn(table, ports),
    payments: new TablePaymentRepository(table),
    refusals: new TableFundsRefusalRepository(table),
    payableAgreements: kernel.payableAgreements,
    paymentStatus: kernel.paymentStatus,
    watches: kernel.watches,
    nonces: nonces ?? new TableNonceStore(table),
    ...rest,
  };
}

/**
 * The API and the payment workflow's worker hold the same deps. The account is read whole (no
 * paged lists). The callback secret is read from the configuration once per cold start.
 */
export function paymentsDeps(): PaymentsDeps {
  const config = loadConfig('BANK_URL', 'BANK_CALLBACK_SECRET');
  const workflows = paymentWorkflowsFromEnv();
  return paymentsDepsOn(casesTableFromEnv(), {
    evidence: evidenceStoreFromEnv(),
    newId,
    scheduler: schedulerFromEnv(),
    pii: piiVaultFromEnv(),
    bank: new HttpBankGateway({ endpoint: config.BANK_URL }),
    callbackSecret: async () => config.BANK_CALLBACK_SECRET,
    workflows,
    releaser: workflows,
  });
}
