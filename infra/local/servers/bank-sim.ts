/**
 * The local cloud's bank: a small HTTP server speaking the protocol of docs/bank-protocol.md —
 * POST /payments (instruct, idempotent by key), GET /payments/{key} (query) — that settles each
 * payment after a delay and delivers HMAC-signed callbacks to our API.
 *
 * Faults can be switched on per key or drawn with a seeded PRNG (same seed, same requests → same
 * faults): a lost response (the transfer happens, the connection is destroyed), a timeout (no
 * answer, nothing done), a rejection (closed account, wrong name), duplicate and late callbacks.
 * `transfers()` is the ledger of money actually moved: the exactly-once check for tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import * as z from 'zod';
import {
  bankCallbackSchema,
  paymentInstructionSchema,
  signedCallbackHeaders,
  type BankCallback,
  type KnownBankPaymentState,
  type PaymentInstruction,
  type Rejection,
} from '../../../shared/payments/bank-gateway.ts';
import { closeServer, listen, readBody, type LocalServer } from './net.ts';

export type InstructFault = 'lost-response' | 'timeout';

/** Each a probability in [0, 1], drawn per instruct request. */
export interface FaultProbabilities {
  lostResponse?: number;
  timeout?: number;
  reject?: number;
  duplicateCallback?: number;
  lateCallback?: number;
}

/** Faults forced for one key: the instruct fault hits its next request, the rest its payment. */
export interface ForcedFaults {
  instruct?: InstructFault;
  reject?: Rejection['code'];
  duplicateCallback?: boolean;
  lateCallback?: boolean;
}

export interface FaultSettings {
  /** Seed of the PRNG the probabilities draw from (default 1); setting faults restarts it. */
  seed?: number;
  probabilities?: FaultProbabilities;
  forced?: Record<string, ForcedFaults>;
  /** How late a late callback comes (default: the option `lateCallbackMs`): past our API's wait, it exercises the query. */
  lateCallbackMs?: number;
}

const probability = z.number().min(0).max(1).optional();
export const faultSettingsSchema = z.strictObject({
  seed: z.number().int().optional(),
  lateCallbackMs: z.number().int().positive().optional(),
  probabilities: z.strictObject({ lostResponse: probability, timeout: probability, reject: probability, duplicateCallback: probability, lateCallback: probability }).optional(),
  forced: z
    .record(
      z.string(),
      z.strictObject({
        instruct: z.enum(['lost-response', 'timeout']).optional(),
        reject: z.enum(['account-closed', 'name-mismatch', 'account-frozen', 'other']).optional(),
        duplicateCallback: z.boolean().optional(),
        lateCallback: z.boolean().optional(),
      }),
    )
    .optional(),
});

/** The faults one instruct request drew (in request order: the reproducibility check). */
export interface FaultDraw {
  idempotencyKey: string;
  faults: string[];
}

/** Money actually moved: one entry per settled payment. */
export interface Transfer {
  bankReference: string;
  idempotencyKey: string;
  accountNumber: string;
  accountName: string;
  amountFen: number;
  currency: string;
  purpose: string;
  at: string;
}

/** One callback delivery attempt. */
export interface CallbackAttempt {
  body: string;
  headers: Record<string, string>;
  /** HTTP status, or the network error. */
  outcome: number | string;
}

export interface BankSimOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /**
   * Where signed callbacks go (our API's callback route); absent: no callbacks. A promise when the
   * API listens only after the bank has started (the local cloud): deliveries wait for it.
   */
  callbackUrl?: string | Promise<string>;
  /** The HMAC secret shared with our API; required with `callbackUrl`. */
  callbackSecret?: string;
  /** Clock (the local cloud passes its virtual clock). */
  now?: () => number;
  /** Runs `fn` after `ms` on that clock (the local cloud passes its virtual timers). */
  schedule?: (fn: () => void, ms: number) => void;
  /** From acceptance to settlement (or rejection); default 2 s. */
  settleDelayMs?: number;
  /** A late callback comes this long after settlement; default 10 min. */
  lateCallbackMs?: number;
  /** A duplicate callback comes this long after the first; default 1 s. */
  duplicateCallbackMs?: number;
  /** Waits before each retry of a callback our API did not answer 2xx; default 1 s, 5 s, 30 s, 2 min. */
  callbackRetryDelaysMs?: number[];
  /** JSON file keeping payments and the ledger across restarts. */
  stateFile?: string;
  faults?: FaultSettings;
  log?: (line: string) => void;
}

export interface BankSim extends LocalServer {
  setFaults(settings: FaultSettings): void;
  /** The ledger of money moved, oldest first. */
  transfers(): Transfer[];
  /** Every payment the bank knows. */
  payments(): KnownBankPaymentState[];
  faultDraws(): FaultDraw[];
  callbackAttempts(): CallbackAttempt[];
  /** Resolves once no callback POST is in flight (scheduled ones are not waited for). */
  idle(): Promise<void>;
}

interface StoredPayment {
  state: KnownBankPaymentState;
  instruction: PaymentInstruction;
  digest: string;
  plannedRejection?: Rejection;
  duplicateCallback: boolean;
  lateCallback: boolean;
  callbackAcknowledged: boolean;
}

interface State {
  nextReference: number;
  payments: Record<string, StoredPayment>;
  transfers: Transfer[];
}

/**
 * The snapshot with the journal replayed onto it. Replaying is idempotent (a payment line sets the
 * payment; a transfer already in the ledger is not added again), so a journal replayed twice — a
 * crash between writing the new snapshot and emptying the journal — changes nothing. A torn last
 * line is a change nobody was told of (the answer follows the write): it is dropped.
 */
function loadState(stateFile: string | undefined, journalFile: string | undefined): State {
  const state: State = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as State) : { nextReference: 1, payments: {}, transfers: [] };
  if (!journalFile || !existsSync(journalFile)) return upgraded(state);
  const moved = new Set(state.transfers.map((t) => t.bankReference));
  const lines = readFileSync(journalFile, 'utf8').split('\n').filter((line) => line.trim() !== '');
  for (const [index, line] of lines.entries()) {
    let entry: { nextReference: number; payment: StoredPayment; transfer?: Transfer };
    try {
      entry = JSON.parse(line);
    } catch (error) {
      if (index === lines.length - 1) break;
      throw new Error(`bank-sim: journal ${journalFile} line ${index + 1} is unreadable: ${(error as Error).message}`);
    }
    const key = entry.payment.state.idempotencyKey;
    // A payment only moves forward (accepted → settled or rejected → acknowledged): an older line replayed again changes nothing.
    if (!state.payments[key] || progressOf(entry.payment) >= progressOf(state.payments[key])) state.payments[key] = entry.payment;
    state.nextReference = Math.max(state.nextReference, entry.nextReference);
    if (entry.transfer && !moved.has(entry.transfer.bankReference)) {
      state.transfers.push(entry.transfer);
      moved.add(entry.transfer.bankReference);
    }
  }
  return upgraded(state);
}

const progressOf = (payment: StoredPayment) => (payment.state.status === 'accepted' ? 0 : 2) + (payment.callbackAcknowledged ? 1 : 0);

/** State saved before settlements named their amount (the protocol's `amountFen`): the instruction's. */
function upgraded(state: State): State {
  for (const payment of Object.values(state.payments)) {
    if (payment.state.status === 'settled' && payment.state.amountFen === undefined) payment.state = { ...payment.state, amountFen: payment.instruction.amountFen };
  }
  return state;
}

const REJECTION_MESSAGES: Readonly<Record<Rejection['code'], string>> = {
  'account-closed': '收款账户已销户',
  'name-mismatch': '收款人户名与账号不符',
  'account-frozen': '收款账户已冻结',
  other: '银行退票',
};

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Starts the bank simulator on 127.0.0.1. */
export async function startBankSim(options: BankSimOptions = {}): Promise<BankSim> {
  if (options.callbackUrl && !options.callbackSecret) throw new Error('bank-sim: a callbackUrl needs a callbackSecret');
  const now = options.now ?? Date.now;
  const settleDelayMs = options.settleDelayMs ?? 2_000;
  let lateCallbackMs = options.lateCallbackMs ?? 10 * 60_000;
  const duplicateCallbackMs = options.duplicateCallbackMs ?? 1_000;
  const retryDelaysMs = options.callbackRetryDelaysMs ?? [1_000, 5_000, 30_000, 120_000];
  const log = options.log ?? (() => {});
  const stopping = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const attempts: CallbackAttempt[] = [];
  let draws: FaultDraw[] = [];
  // Ends a delivery still waiting for a callback URL that will never come (the cloud failed to start).
  const stopped = new Promise<never>((_, reject) => stopping.signal.addEventListener('abort', () => reject(new Error('bank-sim stopped')), { once: true }));
  stopped.catch(() => undefined);

  // Wall-clock timers are cleared on stop; a caller's clock gets the `stopped` check instead.
  const schedule =
    options.schedule ??
    ((fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    });
  const later = (ms: number, fn: () => void): void =>
    schedule(() => {
      if (!stopping.signal.aborted) fn();
    }, ms);

  /*
   * The state is a snapshot (`stateFile`) and a journal beside it (`<stateFile>.journal`): each change
   * appends one line — the payment as it now stands, the transfer it made — so a change costs its own
   * size, not the whole ledger's (rewriting a 12 MB snapshot per change made paying 2,000 households
   * quadratic). At start the journal is replayed onto the snapshot and folded into a new one.
   */
  const journalFile = options.stateFile && `${options.stateFile}.journal`;
  const state: State = loadState(options.stateFile, journalFile);

  const snapshot = (): void => {
    if (!options.stateFile || !journalFile) return;
    mkdirSync(dirname(options.stateFile), { recursive: true });
    const temporary = `${options.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, options.stateFile);
    // A crash before this line replays the journal onto the new snapshot again: harmless (below).
    writeFileSync(journalFile, '');
  };
  snapshot();

  /** Records one payment's change (and the transfer its settlement made) before anyone is told of it. */
  const save = (payment: StoredPayment, transfer?: Transfer): void => {
    if (!journalFile) return;
    appendFileSync(journalFile, `${JSON.stringify({ nextReference: state.nextReference, payment, ...(transfer ? { transfer } : {}) })}\n`);
  };

  let probabilities: FaultProbabilities = {};
  let random = seededRandom(1);
  const forcedInstruct = new Map<string, InstructFault>();
  const forcedOutcome = new Map<string, Omit<ForcedFaults, 'instruct'>>();
  const setFaults = (settings: FaultSettings): void => {
    probabilities = settings.probabilities ?? {};
    lateCallbackMs = settings.lateCallbackMs ?? options.lateCallbackMs ?? 10 * 60_000;
    random = seededRandom(settings.seed ?? 1);
    draws = [];
    forcedInstruct.clear();
    forcedOutcome.clear();
    for (const [key, forced] of Object.entries(settings.forced ?? {})) {
      const { instruct, ...outcome } = forced;
      if (instruct) forcedInstruct.set(key, instruct);
      if (Object.keys(outcome).length > 0) forcedOutcome.set(key, outcome);
    }
  };
  setFaults(options.faults ?? {});

  /** Draws every fault kind for one request, always in the same order, so a seed replays exactly. */
  const drawFaults = (key: string) => {
    const p = probabilities;
    const hit = (probability = 0) => random() < probability;
    const drawn = {
      lostResponse: hit(p.lostResponse),
      timeout: hit(p.timeout),
      reject: hit(p.reject),
      rejectAs: random() < 0.5 ? ('account-closed' as const) : ('name-mismatch' as const),
      duplicateCallback: hit(p.duplicateCallback),
      lateCallback: hit(p.lateCallback),
    };
    let instruct: InstructFault | undefined = drawn.timeout ? 'timeout' : drawn.lostResponse ? 'lost-response' : undefined;
    const forced = forcedInstruct.get(key);
    if (forced) {
      forcedInstruct.delete(key);
      instruct = forced;
    }
    return { instruct, drawn };
  };

  function callbackOf(payment: StoredPayment): BankCallback | undefined {
    const s = payment.state;
    if (s.status === 'settled') return { idempotencyKey: s.idempotencyKey, status: 'settled', bankReference: s.bankReference, at: s.settledAt, amountFen: s.amountFen };
    if (s.status === 'rejected') return { idempotencyKey: s.idempotencyKey, status: 'rejected', bankReference: s.bankReference, at: s.rejectedAt, reason: s.reason };
    return undefined;
  }

  /** One delivery (re-signed each attempt), retried until a 2xx or the retries run out. */
  function deliver(payment: StoredPayment, attempt = 0): void {
    const callback = callbackOf(payment);
    if (!options.callbackUrl || !options.callbackSecret || !callback) return;
    const body = JSON.stringify(bankCallbackSchema.parse(callback));
    const secret = options.callbackSecret;
    const post = (async () => {
      let outcome: number | string;
      let headers: Record<string, string> = {};
      try {
        const url = await Promise.race([options.callbackUrl!, stopped]);
        // Signed when sent, not when due: a delivery that waited for the URL is not stale.
        headers = signedCallbackHeaders(secret, body, now(), randomUUID());
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(10_000)]) });
        await response.body?.cancel();
        outcome = response.status;
      } catch (error) {
        outcome = error instanceof Error ? error.message : String(error);
      }
      if (stopping.signal.aborted) return;
      attempts.push({ body, headers, outcome });
      if (typeof outcome === 'number' && outcome >= 200 && outcome < 300) {
        if (!payment.callbackAcknowledged) {
          payment.callbackAcknowledged = true;
          save(payment);
        }
        return;
      }
      if (attempt < retryDelaysMs.length) later(retryDelaysMs[attempt]!, () => deliver(payment, attempt + 1));
      else log(`bank-sim: gave up the callback for ${callback.idempotencyKey}: ${outcome}`);
    })();
    const tracked = post.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  function announce(payment: StoredPayment): void {
    later(payment.lateCallback ? lateCallbackMs : 0, () => deliver(payment));
    if (payment.duplicateCallback) later((payment.lateCallback ? lateCallbackMs : 0) + duplicateCallbackMs, () => deliver(payment));
  }

  function settle(payment: StoredPayment): void {
    const s = payment.state;
    if (s.status !== 'accepted') return;
    const at = iso(now());
    if (payment.plannedRejection) {
      payment.state = { ...s, status: 'rejected', rejectedAt: at, reason: payment.plannedRejection };
    } else {
      payment.state = { ...s, status: 'settled', settledAt: at, amountFen: payment.instruction.amountFen };
      const { idempotencyKey, payee, amountFen, currency, purpose } = payment.instruction;
      const transfer = { bankReference: s.bankReference, idempotencyKey, accountNumber: payee.accountNumber, accountName: payee.accountName, amountFen, currency, purpose, at };
      state.transfers.push(transfer);
      save(payment, transfer);
      announce(payment);
      return;
    }
    save(payment);
    announce(payment);
  }

  type Instructed = { fault: 'timeout' } | { fault: 'lost-response' | undefined; status: 200 | 201; payment: StoredPayment };

  function instruct(raw: unknown): Instructed {
    const parsed = paymentInstructionSchema.safeParse(raw);
    if (!parsed.success) throw new HttpError(400, 'instruction-invalid', parsed.error.issues[0]?.message ?? '付款指令格式不正确');
    const instruction = parsed.data;
    const key = instruction.idempotencyKey;
    const { instruct: fault, drawn } = drawFaults(key);
    const faults: string[] = [];
    if (fault) faults.push(fault);
    // A timeout: the bank never gets to the instruction, so nothing is recorded.
    if (fault === 'timeout') {
      draws.push({ idempotencyKey: key, faults });
      return { fault };
    }
    // The schema fixes the key order, so equal instructions serialise equally.
    const digest = createHash('sha256').update(JSON.stringify(instruction)).digest('hex');
    const existing = state.payments[key];
    if (existing) {
      draws.push({ idempotencyKey: key, faults });
      if (existing.digest !== digest) throw new HttpError(409, 'key-conflict', '该幂等键已用于内容不同的付款指令');
      return { status: 200, payment: existing, fault };
    }
    const forced = forcedOutcome.get(key);
    forcedOutcome.delete(key);
    const rejectAs = forced?.reject ?? (drawn.reject ? drawn.rejectAs : undefined);
    const duplicateCallback = forced?.duplicateCallback ?? drawn.duplicateCallback;
    const lateCallback = forced?.lateCallback ?? drawn.lateCallback;
    if (rejectAs) faults.push(`reject:${rejectAs}`);
    if (duplicateCallback) faults.push('duplicate-callback');
    if (lateCallback) faults.push('late-callback');
    draws.push({ idempotencyKey: key, faults });
    const bankReference = `SIM${String(state.nextReference++).padStart(10, '0')}`;
    const payment: StoredPayment = {
      state: { idempotencyKey: key, status: 'accepted', bankReference, acceptedAt: iso(now()) },
      instruction,
      digest,
      ...(rejectAs ? { plannedRejection: { code: rejectAs, message: REJECTION_MESSAGES[rejectAs] } } : {}),
      duplicateCallback,
      lateCallback,
      callbackAcknowledged: false,
    };
    state.payments[key] = payment;
    save(payment);
    later(settleDelayMs, () => settle(payment));
    return { status: 201, payment, fault };
  }

  const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const body = await readBody(request);
    const json = (): unknown => {
      try {
        return JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'body-invalid', '请求体不是合法的 JSON');
      }
    };
    try {
      if (request.method === 'POST' && url.pathname === '/payments') {
        const instructed = instruct(json());
        if (instructed.fault === 'timeout') return; // held open: the client's timeout ends it
        if (instructed.fault === 'lost-response') {
          request.socket.destroy();
          return;
        }
        sendJson(response, instructed.status, instructed.payment.state);
        return;
      }
      const match = /^\/payments\/([^/]+)$/.exec(url.pathname);
      if (request.method === 'GET' && match) {
        const key = decodeURIComponent(match[1]!);
        sendJson(response, 200, state.payments[key]?.state ?? { idempotencyKey: key, status: 'unknown' });
        return;
      }
      if (request.method === 'PUT' && url.pathname === '/_sim/faults') {
        const settings = faultSettingsSchema.safeParse(json());
        if (!settings.success) throw new HttpError(400, 'faults-invalid', z.prettifyError(settings.error));
        setFaults(settings.data);
        sendJson(response, 200, { ok: true });
        return;
      }
      if (request.method === 'GET' && url.pathname === '/_sim/transfers') {
        sendJson(response, 200, { transfers: state.transfers });
        return;
      }
      if (request.method === 'GET' && url.pathname === '/health') {
        sendJson(response, 200, { ok: true });
        return;
      }
      throw new HttpError(404, 'not-found', '接口不存在');
    } catch (error) {
      const known = error instanceof HttpError ? error : new HttpError(500, 'internal', String(error));
      sendJson(response, known.status, { error: { code: known.code, message: known.message } });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    });
  });
  const endpoint = await listen(server, options.port);

  // After a restart: settle what was accepted, re-announce what our API never acknowledged.
  for (const payment of Object.values(state.payments)) {
    if (payment.state.status === 'accepted') {
      later(Math.max(0, Date.parse(payment.state.acceptedAt) + settleDelayMs - now()), () => settle(payment));
    } else if (!payment.callbackAcknowledged) {
      later(0, () => deliver(payment));
    }
  }

  return {
    endpoint,
    setFaults,
    transfers: () => state.transfers.map((t) => ({ ...t })),
    payments: () => Object.values(state.payments).map((p) => ({ ...p.state })),
    faultDraws: () => draws.map((d) => ({ ...d, faults: [...d.faults] })),
    callbackAttempts: () => [...attempts],
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      stopping.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
      await closeServer(server);
    },
  };
}
