import { describe, expect, it } from 'vitest';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import {
  callbackEventId,
  canonicalString,
  idempotencyKeyOf,
  maskAccountNumber,
  parseIdempotencyKey,
  paymentInstructionSchema,
  signedCallbackHeaders,
  signCallback,
  verifyCallback,
  type BankCallback,
  type NonceStore,
} from './bank-gateway.ts';

const SECRET = 'test-callback-secret';
const NOW = Date.parse('2025-03-01T02:00:00Z');

function memoryNonces(): NonceStore & { size(): number } {
  const nonces = new Set<string>();
  return {
    async seen(nonce) {
      const had = nonces.has(nonce);
      nonces.add(nonce);
      return had;
    },
    size: () => nonces.size,
  };
}

const settled: BankCallback = { idempotencyKey: 'agr-1:owner:1', status: 'settled', bankReference: 'SIM0000000001', at: '2025-03-01T01:59:00.000Z', amountFen: 8_800_000 };
const body = JSON.stringify(settled);
const nonce = 'nonce-0123456789abcdef';

describe('idempotency key', () => {
  it('is the same for the same agreement, payee group and instalment, and splits back', () => {
    const parts = { agreementId: 'agr-7', payeeGroup: 'person-P12', instalment: 2 };
    expect(idempotencyKeyOf(parts)).toBe('agr-7:person-P12:2');
    expect(idempotencyKeyOf({ ...parts })).toBe(idempotencyKeyOf(parts));
    expect(parseIdempotencyKey(idempotencyKeyOf(parts))).toEqual(parts);
  });

  it('refuses parts that would make the key ambiguous', () => {
    expect(() => idempotencyKeyOf({ agreementId: 'a:b', payeeGroup: 'owner', instalment: 1 })).toThrow(ValidationError);
    expect(() => idempotencyKeyOf({ agreementId: 'a', payeeGroup: 'owner', instalment: 0 })).toThrow(ValidationError);
    expect(() => idempotencyKeyOf({ agreementId: 'a', payeeGroup: 'owner', instalment: 1.5 })).toThrow(ValidationError);
    expect(() => parseIdempotencyKey('a:owner:01')).toThrow(ValidationError);
    expect(() => parseIdempotencyKey('a:owner:1:r0')).toThrow(ValidationError);
  });

  it('gives a corrected instruction its own key that splits back', () => {
    const key = idempotencyKeyOf({ agreementId: 'agr-7', payeeGroup: 'household', instalment: 1, correction: 2 });
    expect(key).toBe('agr-7:household:1:r2');
    expect(parseIdempotencyKey(key)).toEqual({ agreementId: 'agr-7', payeeGroup: 'household', instalment: 1, correction: 2 });
    expect(idempotencyKeyOf({ agreementId: 'agr-7', payeeGroup: 'household', instalment: 1, correction: 0 })).toBe('agr-7:household:1');
  });
});

describe('payment instruction', () => {
  const instruction = {
    idempotencyKey: 'agr-1:owner:1',
    payee: { accountNumber: '6222020200112233445', accountName: '张三' },
    amountFen: 12_345_600,
    currency: 'CNY',
    purpose: '征地补偿款（协议 agr-1，第 1 期）',
  };
  it('accepts integer fen in CNY and refuses floats, zero, other currencies and unknown fields', () => {
    expect(paymentInstructionSchema.parse(instruction)).toEqual(instruction);
    expect(paymentInstructionSchema.safeParse({ ...instruction, amountFen: 12.5 }).success).toBe(false);
    expect(paymentInstructionSchema.safeParse({ ...instruction, amountFen: 0 }).success).toBe(false);
    expect(paymentInstructionSchema.safeParse({ ...instruction, currency: 'USD' }).success).toBe(false);
    expect(paymentInstructionSchema.safeParse({ ...instruction, extra: 1 }).success).toBe(false);
    expect(paymentInstructionSchema.safeParse({ ...instruction, payee: { ...instruction.payee, accountNumber: '6222-0202' } }).success).toBe(false);
  });

  it('masks account numbers to the first and last four digits', () => {
    expect(maskAccountNumber('6222020200112233445')).toBe('6222***********3445');
  });
});

describe('callback authentication', () => {
  const headers = signedCallbackHeaders(SECRET, body, NOW - 1_000, nonce);

  it('signs timestamp, nonce and body joined by newlines with HMAC-SHA256', () => {
    expect(canonicalString('1', 'n', '{}')).toBe('1\nn\n{}');
    // Known answer, computed independently: printf '1740794399000\nnonce-0123456789abcdef\n%s' "$body" | openssl dgst -sha256 -hmac test-callback-secret
    expect(headers['x-bank-timestamp']).toBe('1740794399000');
    expect(headers['x-bank-signature']).toBe('5cb605924e4d71be26f6bf64881ff34c46c18cee8a0ece6ba6e6fca26e463fae');
    expect(signCallback(SECRET, '1740794399000', nonce, `${body} `)).not.toBe(headers['x-bank-signature']);
  });

  it('accepts a good callback once and returns it parsed', async () => {
    const nonces = memoryNonces();
    await expect(verifyCallback(headers, body, { secret: SECRET, now: NOW, nonces })).resolves.toEqual(settled);
    await expect(verifyCallback(headers, body, { secret: SECRET, now: NOW, nonces })).rejects.toMatchObject({ code: 'bank.callback-replayed' });
  });

  it('refuses a forged signature, a tampered body and a missing header without burning the nonce', async () => {
    const nonces = memoryNonces();
    const forged = signedCallbackHeaders('not-the-secret', body, NOW, nonce);
    await expect(verifyCallback(forged, body, { secret: SECRET, now: NOW, nonces })).rejects.toMatchObject({ code: 'bank.callback-signature' });
    const tampered = body.replace('owner', 'collective');
    await expect(verifyCallback(headers, tampered, { secret: SECRET, now: NOW, nonces })).rejects.toMatchObject({ code: 'bank.callback-signature' });
    await expect(verifyCallback({ ...headers, 'x-bank-nonce': undefined }, body, { secret: SECRET, now: NOW, nonces })).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(nonces.size()).toBe(0);
    await expect(verifyCallback(headers, body, { secret: SECRET, now: NOW, nonces })).resolves.toEqual(settled);
  });

  it('refuses timestamps more than 5 minutes off, either way', async () => {
    const nonces = memoryNonces();
    const old = signedCallbackHeaders(SECRET, body, NOW - 5 * 60_000 - 1, nonce);
    const future = signedCallbackHeaders(SECRET, body, NOW + 5 * 60_000 + 1, nonce);
    const edge = signedCallbackHeaders(SECRET, body, NOW - 5 * 60_000, nonce);
    await expect(verifyCallback(old, body, { secret: SECRET, now: NOW, nonces })).rejects.toMatchObject({ code: 'bank.callback-stale' });
    await expect(verifyCallback(future, body, { secret: SECRET, now: NOW, nonces })).rejects.toMatchObject({ code: 'bank.callback-stale' });
    await expect(verifyCallback(edge, body, { secret: SECRET, now: NOW, nonces })).resolves.toEqual(settled);
  });

  it('refuses a signed body that is not a callback', async () => {
    const odd = JSON.stringify({ ...settled, status: 'accepted' });
    await expect(verifyCallback(signedCallbackHeaders(SECRET, odd, NOW, nonce), odd, { secret: SECRET, now: NOW, nonces: memoryNonces() })).rejects.toMatchObject({ code: 'bank.callback-invalid' });
  });

  it('names a re-signed duplicate as the same event, a different outcome as another', () => {
    const again: BankCallback = JSON.parse(JSON.stringify(settled)) as BankCallback;
    expect(callbackEventId(again)).toBe(callbackEventId(settled));
    expect(callbackEventId({ ...settled, at: '2025-03-01T09:59:00.000+08:00' })).toBe(callbackEventId(settled));
    const rejected: BankCallback = { ...settled, status: 'rejected', reason: { code: 'account-closed', message: '收款账户已销户' } };
    expect(callbackEventId(rejected)).not.toBe(callbackEventId(settled));
  });
});
