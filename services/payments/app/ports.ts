import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { Deposit, FundBalance, FundKind, LedgerEntry, LedgerMovement } from '../domain/ledger.ts';
import type { FundsRefusal } from '../domain/payment-clock.ts';
import type { Payment } from '../domain/payment.ts';
import type { VoucherUpload } from '../domain/voucher-upload.ts';

/** The project's account (decision 0025): no movement reads the entries, only the records it concerns. */
export interface LedgerRepository {
  /** A fund's running figures (one never deposited into holds nothing). */
  balance(projectId: string, fund: FundKind): Promise<FundBalance>;
  deposit(projectId: string, depositId: string): Promise<Versioned<Deposit> | undefined>;
  /** The deposit that holds a bank voucher number, and the version of its claim on it. */
  voucherHolder(projectId: string, voucherNumber: string): Promise<{ deposit: Deposit; claim: number } | undefined>;
  /** Every deposit of the project (a few per project). */
  deposits(projectId: string): Promise<Deposit[]>;
  /** The newest entries, newest first. */
  latest(projectId: string, limit: number): Promise<LedgerEntry[]>;
  /** Every entry, oldest first: for an audit of the account, never for a movement. */
  entries(projectId: string): Promise<LedgerEntry[]>;
  /**
   * The writes of movements: their entries, each fund's figures moved in one addition (on condition
   * that the available balance covers what the movements need — else `ledger.balance-moved`, and
   * the caller reads again), and the deposit's record (`expected` guards it and its voucher claim).
   */
  write(movements: readonly LedgerMovement[], expected?: { deposit?: Expected; voucherClaim?: Expected }): Change[];
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
