import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { HttpBankGateway } from '../../../shared/adapters/http-bank-gateway.ts';
import { bankAccountVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { sfnClient } from '../../../shared/adapters/aws/sfn.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { secretFromEnv } from '../../../shared/adapters/secrets-manager-secret.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import type { EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { newId } from '../../../shared/ids.ts';
import type { BankGateway, NonceStore } from '../../../shared/payments/bank-gateway.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import type { AccountDeps } from '../app/account.ts';
import type { PaymentsApiDeps, PaymentsDeps, PaymentWorkerDeps } from '../app/household-payments.ts';
import type { BankWaitReleaser, PaymentWorkflowStarter } from '../app/ports.ts';
import { TableLedgerRepository, TableVoucherUploadRepository } from './account-repository.ts';
import { TableNonceStore } from './dynamodb-nonce-store.ts';
import { TableFundsRefusalRepository, TablePaymentRepository } from './payment-repository.ts';
import { paymentWorkflowsFromEnv, SfnBankWaitReleaser } from './sfn-payment-workflows.ts';

/** The account's repositories on a table (deposits and their confirmation need no more). */
export function accountDepsOn(table: Table, ports: { evidence: EvidenceStore; newId: (nowMs: number) => string }): AccountDeps {
  const kernel = caseKernel(table);
  return { uow: kernel.uow, projects: kernel.projects, inbox: kernel.inbox, counters: kernel.counters, ledger: new TableLedgerRepository(table), uploads: new TableVoucherUploadRepository(table), ...ports };
}

/** What every payment use case reads and writes: the ledger, payments, refusals and the kernel's household records. */
function paymentRepositoriesOn(table: Table) {
  const kernel = caseKernel(table);
  return {
    uow: kernel.uow,
    projects: kernel.projects,
    inbox: kernel.inbox,
    counters: kernel.counters,
    ledger: new TableLedgerRepository(table),
    payments: new TablePaymentRepository(table),
    refusals: new TableFundsRefusalRepository(table),
    payableAgreements: kernel.payableAgreements,
    paymentStatus: kernel.paymentStatus,
    householdSteps: kernel.householdSteps,
    watches: kernel.watches,
  };
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

/** The payments service's repositories on a table, with the other ports given (tests, benches). */
export function paymentsDepsOn(table: Table, ports: PaymentsPorts): PaymentsDeps {
  const { nonces, ...rest } = ports;
  return { ...paymentRepositoriesOn(table), uploads: new TableVoucherUploadRepository(table), nonces: nonces ?? new TableNonceStore(table), ...rest };
}

/**
 * The API: seals payee accounts (never decrypts them), starts a workflow per payment, releases a
 * payment's wait when the bank's callback comes, verifies callbacks with the secret kept in Secrets
 * Manager (read on the first callback, once per instance). It never talks to the bank.
 */
export function paymentsApiDeps(): PaymentsApiDeps {
  const table = casesTableFromEnv();
  const workflows = paymentWorkflowsFromEnv();
  return {
    ...paymentRepositoriesOn(table),
    uploads: new TableVoucherUploadRepository(table),
    nonces: new TableNonceStore(table),
    evidence: evidenceStoreFromEnv(),
    newId,
    scheduler: schedulerFromEnv(),
    pii: bankAccountVaultFromEnv(),
    callbackSecret: secretFromEnv('BANK_CALLBACK_SECRET_ARN'),
    workflows,
    releaser: workflows,
  };
}

/** The payment workflow's worker: the bank, and payee accounts revealed only to instruct it. */
export function paymentWorkerDeps(): PaymentWorkerDeps {
  const table = casesTableFromEnv();
  return {
    ...paymentRepositoriesOn(table),
    newId,
    scheduler: schedulerFromEnv(),
    pii: bankAccountVaultFromEnv(),
    bank: new HttpBankGateway({ endpoint: loadConfig('BANK_URL').BANK_URL }),
    releaser: new SfnBankWaitReleaser(sfnClient()),
  };
}
