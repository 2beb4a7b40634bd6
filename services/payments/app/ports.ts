import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { LedgerEntry } from '../domain/ledger.ts';
import type { FundsRefusal } from '../domain/payment-clock.ts';
import type { Payment } from '../domain/payment.ts';
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

/** A payment as stored, with the task token of a workflow waiting for the bank's word on it. */
export interface StoredPayment {
  payment: Payment;
  version: number;
  /** Set while the payment's workflow waits (awaitBank); given back to the releaser. */
  waiting?: string;
}

export interface PaymentRepository {
  find(paymentId: string): Promise<StoredPayment | undefined>;
  /** The payment, or a 404 `payment.not-found`. */
  get(paymentId: string): Promise<StoredPayment>;
  /** Every payment of the agreement (corrections included), by id. */
  ofAgreement(agreementId: string): Promise<StoredPayment[]>;
  /**
   * Writes the payment; a waiting token is dropped unless given again. A new payment is put on
   * condition that its key is free: of concurrent duplicate instructions one commits, the others are
   * refused with `payment.instalment-instructed`.
   */
  save(payment: Payment, expected: Expected, options?: { waiting?: string }): Change;
}

export interface FundsRefusalRepository {
  /** The agreement's refusals, oldest first. */
  ofAgreement(agreementId: string): Promise<FundsRefusal[]>;
  add(refusal: FundsRefusal): Change;
}

/** Starts the payment's workflow (Step Functions Standard); idempotent per payment. */
export interface PaymentWorkflowStarter {
  /**
   * Starts the payment's workflow; the same payment started again finds the first execution.
   * `restart` names a further execution (finance's restart of a payment nobody follows any more).
   */
  start(paymentId: string, restart?: string): Promise<void>;
}

/** Ends a payment workflow's wait for the bank (its task token), with what it should do next. */
export interface BankWaitReleaser {
  release(token: string, output: object): Promise<void>;
}
