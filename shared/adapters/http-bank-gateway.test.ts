import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../errors.ts';
import { BankOutcomeUnknownError, BankUnavailableError, type PaymentInstruction } from '../payments/bank-gateway.ts';
import { HttpBankGateway } from './http-bank-gateway.ts';

const instruction: PaymentInstruction = {
  idempotencyKey: 'agr-1:owner:1',
  payee: { accountNumber: '6222020200112233445', accountName: '张三' },
  amountFen: 5_000_000,
  currency: 'CNY',
  purpose: '征地补偿款（协议 agr-1，第 1 期）',
};
const accepted = { idempotencyKey: 'agr-1:owner:1', status: 'accepted', bankReference: 'B1', acceptedAt: '2025-03-01T02:00:00.000Z' };

/** A gateway whose every request gets `answer` (a Response, or an error thrown by fetch). */
function gatewayAnswering(answer: () => Response | Error) {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init });
    const result = answer();
    if (result instanceof Error) throw result;
    return result;
  }) as typeof fetch;
  return { gateway: new HttpBankGateway({ endpoint: 'http://bank.test/api/', fetch: fake }), requests };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const networkError = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('HttpBankGateway.instruct', () => {
  it('posts the instruction as JSON and returns the bank state', async () => {
    const { gateway, requests } = gatewayAnswering(() => json(201, accepted));
    await expect(gateway.instruct(instruction)).resolves.toEqual(accepted);
    expect(requests[0]!.url).toBe('http://bank.test/api/payments');
    expect(requests[0]!.init?.method).toBe('POST');
    expect(JSON.parse(String(requests[0]!.init?.body))).toEqual(instruction);
    expect(requests[0]!.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('refuses a bad instruction before sending anything', async () => {
    const { gateway, requests } = gatewayAnswering(() => json(201, accepted));
    await expect(gateway.instruct({ ...instruction, amountFen: 10.5 })).rejects.toBeInstanceOf(ValidationError);
    expect(requests).toHaveLength(0);
  });

  it('calls a refused connection "unavailable": nothing reached the bank', async () => {
    const { gateway } = gatewayAnswering(() => networkError('ECONNREFUSED'));
    await expect(gateway.instruct(instruction)).rejects.toBeInstanceOf(BankUnavailableError);
    const throttled = gatewayAnswering(() => json(429, {}));
    await expect(throttled.gateway.instruct(instruction)).rejects.toBeInstanceOf(BankUnavailableError);
  });

  it.each([
    ['a timeout', () => new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['a reset', () => networkError('ECONNRESET')],
    ['a closed socket', () => networkError('UND_ERR_SOCKET')],
    ['a 502', () => json(502, {})],
    ['a 2xx it cannot read', () => new Response('<html>', { status: 200 })],
    ['a 2xx naming another key', () => json(200, { ...accepted, idempotencyKey: 'agr-2:owner:1' })],
  ])('calls %s "outcome unknown": query before anything else', async (_, answer) => {
    const { gateway } = gatewayAnswering(answer);
    const failure = await gateway.instruct(instruction).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BankOutcomeUnknownError);
    expect(failure).not.toBeInstanceOf(BankUnavailableError);
    expect(failure).toMatchObject({ code: 'bank.outcome-unknown', category: 'unavailable', details: { idempotencyKey: 'agr-1:owner:1' } });
  });

  it('reports a key reused with other content as a conflict, a refused instruction as invalid', async () => {
    await expect(gatewayAnswering(() => json(409, {})).gateway.instruct(instruction)).rejects.toBeInstanceOf(ConflictError);
    const refused = gatewayAnswering(() => json(400, { error: { code: 'instruction-invalid', message: '户名不能为空' } }));
    await expect(refused.gateway.instruct(instruction)).rejects.toThrow('户名不能为空');
  });
});

describe('HttpBankGateway.query', () => {
  it('asks by the key and passes `unknown` on', async () => {
    const { gateway, requests } = gatewayAnswering(() => json(200, { idempotencyKey: 'agr-1:owner:1', status: 'unknown' }));
    await expect(gateway.query('agr-1:owner:1')).resolves.toEqual({ idempotencyKey: 'agr-1:owner:1', status: 'unknown' });
    expect(requests[0]!.url).toBe('http://bank.test/api/payments/agr-1%3Aowner%3A1');
  });

  it('calls any outage of a read "unavailable"', async () => {
    for (const answer of [() => networkError('ECONNRESET'), () => json(503, {}), () => new DOMException('timeout', 'TimeoutError')]) {
      await expect(gatewayAnswering(answer).gateway.query('agr-1:owner:1')).rejects.toBeInstanceOf(BankUnavailableError);
    }
  });

  it('never reads a 404 or another payment as "no payment"', async () => {
    await expect(gatewayAnswering(() => json(404, {})).gateway.query('agr-1:owner:1')).rejects.toThrow('HTTP 404');
    await expect(gatewayAnswering(() => json(200, { ...accepted, idempotencyKey: 'agr-2:owner:1' })).gateway.query('agr-1:owner:1')).rejects.toThrow('another payment');
  });
});
