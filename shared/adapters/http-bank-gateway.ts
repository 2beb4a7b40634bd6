/**
 * The bank gateway over the JSON/HTTP protocol of docs/bank-protocol.md (the local bank simulator
 * speaks it; a city's bank or its front-end processor may too).
 *
 * The one hard case is an `instruct` whose answer never comes (timeout, reset, 5xx, an unreadable
 * body): the bank may have acted, so it surfaces as BankOutcomeUnknownError and the caller queries
 * by the key. Only a failure that certainly sent nothing (connection refused, 429) is "unavailable".
 */
import { ValidationError, isDependencyOutage, outageLeftNothingDone } from '../errors.ts';
import {
  BankOutcomeUnknownError,
  BankUnavailableError,
  bankPaymentStateSchema,
  keyConflict,
  paymentInstructionSchema,
  type BankGateway,
  type BankPaymentState,
  type KnownBankPaymentState,
  type PaymentInstruction,
} from '../payments/bank-gateway.ts';

export interface HttpBankGatewayOptions {
  /** Base URL, e.g. `https://bank-fep.example.cn/api` (no trailing slash needed). */
  endpoint: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** Extra headers on every request (e.g. the bank's API key). */
  headers?: Record<string, string>;
  /** Injectable for tests. */
  fetch?: typeof fetch;
}

export class HttpBankGateway implements BankGateway {
  #endpoint: string;
  #timeoutMs: number;
  #headers: Record<string, string>;
  #fetch: typeof fetch;

  constructor(options: HttpBankGatewayOptions) {
    this.#endpoint = options.endpoint.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#headers = options.headers ?? {};
    this.#fetch = options.fetch ?? fetch;
  }

  async instruct(instruction: PaymentInstruction): Promise<KnownBankPaymentState> {
    // Our own bad instruction is refused here, before anything leaves.
    const checked = paymentInstructionSchema.safeParse(instruction);
    if (!checked.success) throw new ValidationError('bank.instruction-invalid', '付款指令不完整或格式不正确', { issues: checked.error.issues.map((i) => i.message) });
    const key = checked.data.idempotencyKey;
    const details = { idempotencyKey: key };
    let response: Response;
    try {
      response = await this.#request('POST', '/payments', JSON.stringify(checked.data));
    } catch (error) {
      throw outageLeftNothingDone(error) ? new BankUnavailableError(details) : new BankOutcomeUnknownError({ ...details, cause: describe(error) });
    }
    if (response.status === 429) {
      await response.body?.cancel();
      throw new BankUnavailableError(details);
    }
    if (response.status === 409) {
      await response.body?.cancel();
      throw keyConflict(key);
    }
    if (response.status === 400) throw new ValidationError('bank.instruction-refused', `银行拒收付款指令：${await bankMessage(response)}`, details);
    if (!response.ok) {
      await response.body?.cancel();
      // A 5xx may come after the bank committed; a 4xx other than the above is a wiring error.
      if (response.status >= 500) throw new BankOutcomeUnknownError({ ...details, status: response.status });
      throw new Error(`bank answered HTTP ${response.status} to POST /payments`);
    }
    let state: BankPaymentState;
    try {
      state = bankPaymentStateSchema.parse(await response.json());
    } catch (error) {
      // The bank answered 2xx, so it acted; what it said is lost.
      throw new BankOutcomeUnknownError({ ...details, cause: describe(error) });
    }
    if (state.status === 'unknown' || state.idempotencyKey !== key) throw new BankOutcomeUnknownError({ ...details, cause: 'answer names another payment' });
    return state;
  }

  async query(idempotencyKey: string): Promise<BankPaymentState> {
    const details = { idempotencyKey };
    let response: Response;
    try {
      response = await this.#request('GET', `/payments/${encodeURIComponent(idempotencyKey)}`);
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        throw new BankUnavailableError({ ...details, status: response.status });
      }
      if (!response.ok) {
        await response.body?.cancel();
        // An unknown key answers 200 `unknown`; a 404 means a wrong endpoint, never "no payment".
        throw new Error(`bank answered HTTP ${response.status} to GET /payments/{key}`);
      }
      const state = bankPaymentStateSchema.parse(await response.json());
      if (state.idempotencyKey !== idempotencyKey) throw new Error('bank answered a query with another payment');
      return state;
    } catch (error) {
      if (error instanceof BankUnavailableError) throw error;
      // Reads change nothing: any outage is simply "unavailable, ask again".
      if (isDependencyOutage(error)) throw new BankUnavailableError({ ...details, cause: describe(error) });
      throw error;
    }
  }

  #request(method: 'GET' | 'POST', path: string, body?: string): Promise<Response> {
    return this.#fetch(`${this.#endpoint}${path}`, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...this.#headers },
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
  }
}

async function bankMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
