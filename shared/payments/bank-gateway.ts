/**
 * The bank gateway PORT: what a city's bank integration implements so that a compensation is paid
 * exactly once (docs/bank-protocol.md). Types and small pure helpers only — no I/O here.
 *
 * Exactly once rests on one rule: a payment is named by a deterministic idempotency key
 * (agreement, payee group, instalment); the bank makes at most one transfer per key, and a caller
 * that does not know what happened asks the bank by that key before it does anything else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ConflictError, DependencyUnavailableError, OUTCOME_UNKNOWN_MESSAGE, UnauthenticatedError, ValidationError } from '../errors.ts';

export const PAYMENT_CURRENCY = 'CNY';

/** Ids and payee groups are key segments: no ':' so a key splits back unambiguously. */
const SEGMENT = /^[A-Za-z0-9._-]{1,80}$/;

/** Which line group of a signed agreement a payment pays: one payment per group and instalment. */
export interface PaymentKeyParts {
  agreementId: string;
  /** e.g. `collective`, `owner`, `person-<personId>` (a resettled person's subsidy). */
  payeeGroup: string;
  /** 1 for the first instalment (a batch of the agreement's payments). */
  instalment: number;
  /** n for the n-th corrected instruction after a rejection (absent: the original): a new key, so the bank never takes it for the rejected one. */
  correction?: number;
}

/** The idempotency key: `${agreementId}:${payeeGroup}:${instalment}` (+ `:r<n>` for a correction). Same parts → same key → same payment. */
export function idempotencyKeyOf(parts: PaymentKeyParts): string {
  if (!SEGMENT.test(parts.agreementId)) throw invalidKey('agreementId');
  if (!SEGMENT.test(parts.payeeGroup)) throw invalidKey('payeeGroup');
  if (!Number.isSafeInteger(parts.instalment) || parts.instalment < 1) throw invalidKey('instalment');
  const correction = parts.correction ?? 0;
  if (!Number.isSafeInteger(correction) || correction < 0 || correction > 999_999) throw invalidKey('correction');
  const key = `${parts.agreementId}:${parts.payeeGroup}:${parts.instalment}`;
  return correction === 0 ? key : `${key}:r${correction}`;
}

/** The parts of a key made by {@link idempotencyKeyOf}. */
export function parseIdempotencyKey(key: string): PaymentKeyParts {
  const match = KEY.exec(key);
  if (!match) throw invalidKey('idempotencyKey');
  return { agreementId: match[1]!, payeeGroup: match[2]!, instalment: Number(match[3]), ...(match[4] ? { correction: Number(match[4]) } : {}) };
}

const invalidKey = (field: string) => new ValidationError('bank.key-invalid', `付款幂等键的组成部分（${field}）格式不正确`, { field });

const KEY = /^([A-Za-z0-9._-]{1,80}):([A-Za-z0-9._-]{1,80}):([1-9]\d{0,14})(?::r([1-9]\d{0,5}))?$/;

export const idempotencyKeySchema = z.string().regex(KEY, { error: '付款幂等键格式不正确' });

/** Bank account numbers (借记卡 16–19 digits, 对公账户 up to 30 or so): digits only. */
export const accountNumberSchema = z.string().regex(/^\d{8,32}$/, { error: '银行账号应为 8 到 32 位数字' });

/** Masked for display and logs: first 4 and last 4 digits only (like ID numbers). */
export function maskAccountNumber(accountNumber: string): string {
  return `${accountNumber.slice(0, 4)}${'*'.repeat(Math.max(0, accountNumber.length - 8))}${accountNumber.slice(-4)}`;
}

/** The payee as the bank needs it. The clear account number exists only here, at the edge. */
export const payeeSchema = z.strictObject({
  accountNumber: accountNumberSchema,
  /** 户名: must match the account holder's name or the bank rejects the transfer. */
  accountName: z.string().trim().min(1, { error: '户名不能为空' }).max(100),
  /** 开户行 (optional; some banks route by it). */
  bankName: z.string().trim().min(1).max(100).optional(),
});
export type Payee = z.infer<typeof payeeSchema>;

/** One payment instruction (付款指令), as sent to the bank. */
export const paymentInstructionSchema = z.strictObject({
  idempotencyKey: idempotencyKeySchema,
  payee: payeeSchema,
  amountFen: z.number().int({ error: '金额必须是以“分”为单位的整数' }).positive({ error: '付款金额必须大于零' }).max(Number.MAX_SAFE_INTEGER),
  currency: z.literal(PAYMENT_CURRENCY, { error: '币种只能是人民币（CNY）' }),
  /** 用途 / 附言, in Chinese, e.g. “征地补偿款（协议 A-12，第 1 期）”. */
  purpose: z.string().trim().min(1, { error: '付款用途不能为空' }).max(140),
});
export type PaymentInstruction = z.infer<typeof paymentInstructionSchema>;

/** `unknown`: the bank has no payment under this key (never received, so none was made). */
export const BANK_PAYMENT_STATUSES = ['unknown', 'accepted', 'settled', 'rejected'] as const;
export type BankPaymentStatus = (typeof BANK_PAYMENT_STATUSES)[number];

/** Why the bank refused a transfer (退票原因). `message` is the bank's own words. */
export const rejectionSchema = z.strictObject({
  code: z.enum(['account-closed', 'name-mismatch', 'account-frozen', 'other']),
  message: z.string().min(1).max(200),
});
export type Rejection = z.infer<typeof rejectionSchema>;

const instant = z.iso.datetime({ offset: true });
const fen = z.number().int({ error: '金额必须是以“分”为单位的整数' }).positive().max(Number.MAX_SAFE_INTEGER);

/** What the bank knows of a key: the answer to `instruct` (never `unknown`) and to `query`. */
export const bankPaymentStateSchema = z.discriminatedUnion('status', [
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('unknown') }),
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('accepted'), bankReference: z.string().min(1), acceptedAt: instant }),
  /** `amountFen`: what the bank moved, checked against the instruction (a different amount is a contradiction). */
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('settled'), bankReference: z.string().min(1), acceptedAt: instant, settledAt: instant, amountFen: fen }),
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('rejected'), bankReference: z.string().min(1), acceptedAt: instant, rejectedAt: instant, reason: rejectionSchema }),
]);
export type BankPaymentState = z.infer<typeof bankPaymentStateSchema>;
export type KnownBankPaymentState = Exclude<BankPaymentState, { status: 'unknown' }>;

/**
 * The port. Errors a caller must handle:
 * - {@link BankOutcomeUnknownError} from `instruct`: the instruction may have reached the bank —
 *   `query` by the key before anything else; never send a different instruction under it.
 * - {@link BankUnavailableError}: the bank could not be reached and nothing was done; retry later.
 * - ConflictError `bank.key-conflict`: the key was already used for different content.
 */
export interface BankGateway {
  /** Sends an instruction. Repeating the same instruction returns the same payment (no second transfer). */
  instruct(instruction: PaymentInstruction): Promise<KnownBankPaymentState>;
  /** What the bank knows of a key; `unknown` means no payment was made under it. */
  query(idempotencyKey: string): Promise<BankPaymentState>;
}

/** The bank could not be reached or refused for load; the operation certainly did not happen. */
export class BankUnavailableError extends DependencyUnavailableError {
  constructor(details?: Record<string, unknown>) {
    super('bank.unavailable', '银行接口暂时不可用，请稍后重试', details);
  }
}

/** `instruct` failed after the instruction may have reached the bank: query by the key first. */
export class BankOutcomeUnknownError extends DependencyUnavailableError {
  constructor(details?: Record<string, unknown>) {
    super('bank.outcome-unknown', OUTCOME_UNKNOWN_MESSAGE, details);
  }
}

export const keyConflict = (idempotencyKey: string): ConflictError =>
  new ConflictError('bank.key-conflict', '该付款幂等键已用于内容不同的付款指令，银行拒绝重复使用', { idempotencyKey });

// ---------------------------------------------------------------------------------------------
// Callbacks (回调通知): the bank tells our API asynchronously that a payment settled or was rejected.

export const bankCallbackSchema = z.discriminatedUnion('status', [
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('settled'), bankReference: z.string().min(1), at: instant, amountFen: fen }),
  z.strictObject({ idempotencyKey: idempotencyKeySchema, status: z.literal('rejected'), bankReference: z.string().min(1), at: instant, reason: rejectionSchema }),
]);
export type BankCallback = z.infer<typeof bankCallbackSchema>;

/**
 * One event however often it is delivered: a duplicate or late callback is re-signed (new
 * timestamp and nonce) but names the same key, outcome, reference and instant.
 */
export function callbackEventId(callback: BankCallback): string {
  return `${callback.idempotencyKey}|${callback.status}|${callback.bankReference}|${Date.parse(callback.at)}`;
}

export const CALLBACK_HEADERS = {
  timestamp: 'x-bank-timestamp',
  nonce: 'x-bank-nonce',
  signature: 'x-bank-signature',
} as const;

/** Clocks may differ by at most this much; older (or future) signatures are refused. */
export const MAX_CALLBACK_SKEW_MS = 5 * 60 * 1000;

/**
 * Remembers nonces. `seen` records the nonce and tells whether it was already recorded, in one
 * atomic step (e.g. a DynamoDB conditional put); keeping each nonce for 2 × the skew is enough.
 */
export interface NonceStore {
  seen(nonce: string): Promise<boolean>;
}

/** The string signed: timestamp (epoch ms, decimal), nonce and the exact body bytes, joined by '\n'. */
export function canonicalString(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}`;
}

/** HMAC-SHA256 of the canonical string, lower-case hex. */
export function signCallback(secret: string, timestamp: string, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(canonicalString(timestamp, nonce, body), 'utf8').digest('hex');
}

/** The headers of a signed callback (the bank's side; also the simulator's). */
export function signedCallbackHeaders(secret: string, body: string, nowMs: number, nonce: string): Record<string, string> {
  const timestamp = String(nowMs);
  return {
    'content-type': 'application/json; charset=utf-8',
    [CALLBACK_HEADERS.timestamp]: timestamp,
    [CALLBACK_HEADERS.nonce]: nonce,
    [CALLBACK_HEADERS.signature]: signCallback(secret, timestamp, nonce, body),
  };
}

export interface VerifyCallbackOptions {
  secret: string;
  /** Our clock, epoch ms. */
  now: number;
  nonces: NonceStore;
  maxSkewMs?: number;
}

/**
 * Authenticates a callback and returns it parsed. Refuses (UnauthenticatedError) a missing or
 * wrong signature, a timestamp more than 5 minutes from `now`, and a nonce already seen. The
 * nonce is recorded only after the signature and the timestamp hold, so forgeries burn nothing.
 * `headers` are lower-case names (as Node and API Gateway v2 give them).
 */
export async function verifyCallback(
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  options: VerifyCallbackOptions,
): Promise<BankCallback> {
  const timestamp = headers[CALLBACK_HEADERS.timestamp];
  const nonce = headers[CALLBACK_HEADERS.nonce];
  const signature = headers[CALLBACK_HEADERS.signature];
  if (!timestamp || !nonce || !signature) throw refused('bank.callback-unsigned', '银行回调缺少签名、时间戳或随机数');
  if (!/^\d{1,16}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw refused('bank.callback-unsigned', '银行回调的签名、时间戳或随机数格式不正确');
  }
  const expected = Buffer.from(signCallback(options.secret, timestamp, nonce, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw refused('bank.callback-signature', '银行回调签名不正确');
  if (Math.abs(options.now - Number(timestamp)) > (options.maxSkewMs ?? MAX_CALLBACK_SKEW_MS)) {
    throw refused('bank.callback-stale', '银行回调的时间戳与本系统时间相差超过 5 分钟');
  }
  let parsed: BankCallback;
  try {
    parsed = bankCallbackSchema.parse(JSON.parse(body));
  } catch {
    // Signed by the bank yet malformed: a protocol mismatch, not an attack — still nothing to act on.
    throw new ValidationError('bank.callback-invalid', '银行回调内容不符合约定格式');
  }
  if (await options.nonces.seen(nonce)) throw refused('bank.callback-replayed', '银行回调重复（随机数已使用），已拒绝');
  return parsed;
}

const refused = (code: string, message: string) => new UnauthenticatedError(code, message);
