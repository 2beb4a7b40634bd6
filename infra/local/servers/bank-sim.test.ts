import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpBankGateway } from '../../../shared/adapters/http-bank-gateway.ts';
import { ConflictError, DomainError } from '../../../shared/errors.ts';
import {
  BankOutcomeUnknownError,
  callbackEventId,
  idempotencyKeyOf,
  verifyCallback,
  type BankCallback,
  type PaymentInstruction,
} from '../../../shared/payments/bank-gateway.ts';
import { VirtualClock } from '../clock.ts';
import { startBankSim, type BankSim, type BankSimOptions, type FaultSettings } from './bank-sim.ts';
import { closeServer, listen, readBody } from './net.ts';

const SECRET = 'bank-sim-test-secret';
const SETTLE_MS = 2_000;
const LATE_MS = 10 * 60_000;

function instructionFor(agreementId: string, payeeGroup = 'owner', amountFen = 8_800_000): PaymentInstruction {
  return {
    idempotencyKey: idempotencyKeyOf({ agreementId, payeeGroup, instalment: 1 }),
    payee: { accountNumber: '6222020200112233445', accountName: '张三', bankName: '中国工商银行' },
    amountFen,
    currency: 'CNY',
    purpose: `征地补偿款（协议 ${agreementId}）`,
  };
}

/** Our API's callback route, reduced to what matters here: verify, then record. */
async function startReceiver(clock: VirtualClock) {
  const nonces = new Set<string>();
  const accepted: BankCallback[] = [];
  const refused: string[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      try {
        const callback = await verifyCallback(headers, body.toString('utf8'), {
          secret: SECRET,
          now: clock.now(),
          nonces: {
            async seen(nonce) {
              const had = nonces.has(nonce);
              nonces.add(nonce);
              return had;
            },
          },
        });
        accepted.push(callback);
        response.writeHead(204).end();
      } catch (error) {
        refused.push(error instanceof DomainError ? error.code : String(error));
        response.writeHead(401).end();
      }
    });
  });
  return { url: `${await listen(server)}/bank/callbacks`, accepted, refused, server };
}

describe('bank simulator with the HTTP gateway, on a virtual clock', () => {
  // Real time frozen: virtual time moves only when a test advances it, to the millisecond.
  const clock = new VirtualClock(0, () => Date.parse('2025-03-01T02:00:00Z'));
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sim: BankSim;
  let gateway: HttpBankGateway;
  /** The same bank, with a client that gives up quickly (for the timeout fault). */
  let impatient: HttpBankGateway;

  const start = async (extra: Partial<BankSimOptions> = {}) => {
    sim = await startBankSim({
      callbackUrl: receiver.url,
      callbackSecret: SECRET,
      now: () => clock.now(),
      schedule: (fn, ms) => clock.setTimer(clock.now() + ms, fn),
      settleDelayMs: SETTLE_MS,
      lateCallbackMs: LATE_MS,
      callbackRetryDelaysMs: [1_000],
      ...extra,
    });
    gateway = new HttpBankGateway({ endpoint: sim.endpoint, timeoutMs: 10_000 });
    impatient = new HttpBankGateway({ endpoint: sim.endpoint, timeoutMs: 200 });
  };
  /** Lets the bank settle and call back: virtual time forward, then the callback POSTs finish. */
  const pass = async (ms: number) => {
    await clock.advance(ms);
    await sim.idle();
  };

  beforeAll(async () => {
    receiver = await startReceiver(clock);
  });
  afterEach(async () => {
    await sim?.stop();
    receiver.accepted.length = 0;
    receiver.refused.length = 0;
  });
  afterAll(async () => {
    clock.dispose();
    await closeServer(receiver.server);
  });

  it('makes one transfer for 50 concurrent duplicate instructions', async () => {
    await start();
    const instruction = instructionFor('agr-concurrent');
    const answers = await Promise.all(Array.from({ length: 50 }, () => gateway.instruct(instruction)));
    expect(new Set(answers.map((a) => a.bankReference)).size).toBe(1);
    expect(answers.every((a) => a.status === 'accepted')).toBe(true);
    await pass(SETTLE_MS);
    expect(sim.transfers()).toHaveLength(1);
    expect(sim.transfers()[0]).toMatchObject({ idempotencyKey: 'agr-concurrent:owner:1', amountFen: 8_800_000, currency: 'CNY', accountName: '张三' });
    expect(receiver.accepted).toEqual([{ idempotencyKey: 'agr-concurrent:owner:1', status: 'settled', bankReference: answers[0]!.bankReference, at: new Date(clock.now()).toISOString(), amountFen: 8_800_000 }]);
    // A repeat after settlement is still the same payment.
    await expect(gateway.instruct(instruction)).resolves.toMatchObject({ status: 'settled', bankReference: answers[0]!.bankReference, amountFen: 8_800_000 });
    expect(sim.transfers()).toHaveLength(1);
  });

  it('refuses the same key with different content (409), making nothing', async () => {
    await start();
    await gateway.instruct(instructionFor('agr-conflict'));
    await expect(gateway.instruct(instructionFor('agr-conflict', 'owner', 1))).rejects.toBeInstanceOf(ConflictError);
    await pass(SETTLE_MS);
    expect(sim.transfers().map((t) => t.amountFen)).toEqual([8_800_000]);
  });

  it('after a lost response: outcome unknown, the query finds the payment, settled once', async () => {
    const instruction = instructionFor('agr-lost');
    await start({ faults: { forced: { [instruction.idempotencyKey]: { instruct: 'lost-response' } } } });
    await expect(gateway.instruct(instruction)).rejects.toBeInstanceOf(BankOutcomeUnknownError);
    const found = await gateway.query(instruction.idempotencyKey);
    expect(found).toMatchObject({ status: 'accepted' });
    await pass(SETTLE_MS);
    await expect(gateway.query(instruction.idempotencyKey)).resolves.toMatchObject({ status: 'settled', bankReference: (found as { bankReference: string }).bankReference });
    await expect(gateway.instruct(instruction)).resolves.toMatchObject({ status: 'settled' });
    expect(sim.transfers()).toHaveLength(1);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('after a timeout: outcome unknown, the query answers unknown, and the same key then pays once', async () => {
    const instruction = instructionFor('agr-timeout');
    await start({ faults: { forced: { [instruction.idempotencyKey]: { instruct: 'timeout' } } } });
    await expect(impatient.instruct(instruction)).rejects.toBeInstanceOf(BankOutcomeUnknownError);
    await expect(gateway.query(instruction.idempotencyKey)).resolves.toEqual({ idempotencyKey: 'agr-timeout:owner:1', status: 'unknown' });
    await expect(gateway.instruct(instruction)).resolves.toMatchObject({ status: 'accepted' });
    await pass(SETTLE_MS);
    expect(sim.transfers()).toHaveLength(1);
  });

  it('delivers duplicate and late callbacks, each verifying and recognisably the same event', async () => {
    const instruction = instructionFor('agr-callbacks');
    await start({ faults: { forced: { [instruction.idempotencyKey]: { duplicateCallback: true, lateCallback: true } } } });
    await gateway.instruct(instruction);
    await pass(SETTLE_MS);
    expect(sim.transfers()).toHaveLength(1);
    expect(receiver.accepted).toHaveLength(0); // late: nothing yet
    await pass(LATE_MS - 1);
    expect(receiver.accepted).toHaveLength(0);
    await pass(1);
    expect(receiver.accepted).toHaveLength(1);
    await pass(1_000);
    expect(receiver.accepted).toHaveLength(2);
    expect(new Set(receiver.accepted.map(callbackEventId)).size).toBe(1);
    const [first, second] = sim.callbackAttempts();
    expect(first!.body).toBe(second!.body);
    expect(first!.headers['x-bank-nonce']).not.toBe(second!.headers['x-bank-nonce']);
    expect(receiver.refused).toEqual([]);
  });

  it('refuses a replayed, a forged and a stale callback', async () => {
    await start();
    await gateway.instruct(instructionFor('agr-replay'));
    await pass(SETTLE_MS);
    const [delivered] = sim.callbackAttempts();
    const post = (headers: Record<string, string>, body: string) => fetch(receiver.url, { method: 'POST', headers, body }).then((r) => r.status);
    expect(await post(delivered!.headers, delivered!.body)).toBe(401);
    const forgedBody = delivered!.body.replace('agr-replay', 'agr-forged');
    expect(await post({ ...delivered!.headers, 'x-bank-nonce': 'fresh-nonce-0000000001' }, forgedBody)).toBe(401);
    // Captured in transit and replayed later: the signature holds, the timestamp does not.
    await clock.advance(5 * 60_000 + 1);
    expect(await post(delivered!.headers, delivered!.body)).toBe(401);
    expect(receiver.refused).toEqual(['bank.callback-replayed', 'bank.callback-signature', 'bank.callback-stale']);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('rejects a payment to a closed account with the reason, moving no money', async () => {
    const instruction = instructionFor('agr-rejected');
    await start({ faults: { forced: { [instruction.idempotencyKey]: { reject: 'account-closed' } } } });
    await expect(gateway.instruct(instruction)).resolves.toMatchObject({ status: 'accepted' });
    await pass(SETTLE_MS);
    const reason = { code: 'account-closed', message: '收款账户已销户' };
    await expect(gateway.query(instruction.idempotencyKey)).resolves.toMatchObject({ status: 'rejected', reason });
    expect(receiver.accepted).toEqual([expect.objectContaining({ status: 'rejected', reason })]);
    expect(sim.transfers()).toEqual([]);
  });

  it('retries a callback our API did not acknowledge', async () => {
    await start({ callbackUrl: 'http://127.0.0.1:1/unreachable' });
    await gateway.instruct(instructionFor('agr-retry'));
    await pass(SETTLE_MS);
    await pass(1_000);
    expect(sim.callbackAttempts()).toHaveLength(2);
    expect(sim.callbackAttempts().every((a) => typeof a.outcome === 'string')).toBe(true);
  });

  it('holds callbacks until a callback URL given as a promise is known, and signs them when sent', async () => {
    let announce!: (url: string) => void;
    await start({ callbackUrl: new Promise<string>((resolve) => (announce = resolve)) });
    await gateway.instruct(instructionFor('agr-url-later'));
    await clock.advance(SETTLE_MS);
    await clock.advance(60_000);
    expect(sim.callbackAttempts()).toEqual([]);
    announce(receiver.url);
    await sim.idle();
    expect(receiver.accepted).toEqual([expect.objectContaining({ idempotencyKey: 'agr-url-later:owner:1', status: 'settled' })]);
    expect(sim.callbackAttempts()[0]!.headers['x-bank-timestamp']).toBe(String(clock.now()));
  });

  it('stops while a delivery still waits for a callback URL that never comes', async () => {
    await start({ callbackUrl: new Promise<string>(() => undefined) });
    await gateway.instruct(instructionFor('agr-url-never'));
    await clock.advance(SETTLE_MS);
    await sim.stop();
    expect(sim.callbackAttempts()).toEqual([]);
  });

  it('reproduces the same fault sequence from the same seed, and another from another seed', async () => {
    const settings = (seed: number): FaultSettings => ({ seed, probabilities: { lostResponse: 0.2, timeout: 0.1, reject: 0.2, duplicateCallback: 0.3, lateCallback: 0.2 } });
    const run = async (seed: number) => {
      await start({ faults: settings(seed), callbackUrl: undefined, callbackSecret: undefined });
      for (let i = 0; i < 40; i++) await impatient.instruct(instructionFor(`agr-seed-${i}`)).catch(() => undefined);
      const draws = sim.faultDraws();
      await sim.stop();
      return draws;
    };
    const first = await run(42);
    const again = await run(42);
    const other = await run(7);
    expect(first).toHaveLength(40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // The probabilities show through: some of each fault, not all.
    const all = first.flatMap((d) => d.faults);
    for (const fault of ['lost-response', 'timeout', 'duplicate-callback']) expect(all).toContain(fault);
    expect(first.filter((d) => d.faults.length === 0).length).toBeGreaterThan(0);
  });

  it('switches faults through its admin endpoint', async () => {
    await start();
    const instruction = instructionFor('agr-admin');
    const put = await fetch(`${sim.endpoint}/_sim/faults`, { method: 'PUT', body: JSON.stringify({ forced: { [instruction.idempotencyKey]: { instruct: 'lost-response' } } }) });
    expect(put.status).toBe(200);
    const wrong = await fetch(`${sim.endpoint}/_sim/faults`, { method: 'PUT', body: JSON.stringify({ probabilities: { timeout: 2 } }) });
    expect(wrong.status).toBe(400);
    await expect(gateway.instruct(instruction)).rejects.toBeInstanceOf(BankOutcomeUnknownError);
    await expect(gateway.instruct(instruction)).resolves.toMatchObject({ status: 'accepted' });
    await pass(SETTLE_MS);
    const listed = (await (await fetch(`${sim.endpoint}/_sim/transfers`)).json()) as { transfers: unknown[] };
    expect(listed.transfers).toHaveLength(1);
  });

  it('answers bad instructions 400 in Chinese, making nothing', async () => {
    await start();
    const response = await fetch(`${sim.endpoint}/payments`, { method: 'POST', body: JSON.stringify({ ...instructionFor('agr-bad'), amountFen: 1.5 }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/分/);
    expect(sim.payments()).toEqual([]);
  });

  it('keeps payments and the ledger across a restart, and settles what was accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bank-sim-test-'));
    try {
      const stateFile = join(dir, 'bank.json');
      await start({ stateFile });
      await gateway.instruct(instructionFor('agr-kept-1'));
      await pass(SETTLE_MS);
      await gateway.instruct(instructionFor('agr-kept-2'));
      await sim.stop();
      await start({ stateFile });
      expect(sim.transfers().map((t) => t.idempotencyKey)).toEqual(['agr-kept-1:owner:1']);
      await expect(gateway.instruct(instructionFor('agr-kept-1'))).resolves.toMatchObject({ status: 'settled' });
      await pass(SETTLE_MS);
      expect(sim.transfers().map((t) => t.idempotencyKey)).toEqual(['agr-kept-1:owner:1', 'agr-kept-2:owner:1']);
      const references = sim.payments().map((p) => p.bankReference);
      expect(new Set(references).size).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('journals each change: a change costs one line; replayed on restart, twice harmlessly, a torn last line dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bank-sim-test-'));
    try {
      const stateFile = join(dir, 'bank.json');
      await start({ stateFile });
      await gateway.instruct(instructionFor('agr-j-1'));
      await pass(SETTLE_MS);
      await gateway.instruct(instructionFor('agr-j-2'));
      const journal = readFileSync(`${stateFile}.journal`, 'utf8');
      // Instructed, settled (with its transfer), callback acknowledged; instructed — and the snapshot untouched meanwhile.
      expect(journal.trim().split('\n').length).toBeGreaterThanOrEqual(3);
      expect(JSON.parse(readFileSync(stateFile, 'utf8')).payments).toEqual({});
      await sim.stop();
      // A crash between the new snapshot and emptying the journal, and a torn line at its end.
      const crashed = `${journal}${journal}{"nextReference":9,"payment":{"state":`;
      writeFileSync(`${stateFile}.journal`, crashed);
      await start({ stateFile });
      expect(sim.transfers().map((t) => t.idempotencyKey)).toEqual(['agr-j-1:owner:1']);
      expect(sim.payments().map((p) => p.idempotencyKey).sort()).toEqual(['agr-j-1:owner:1', 'agr-j-2:owner:1']);
      // Folded into the snapshot at start: the journal is empty again.
      expect(readFileSync(`${stateFile}.journal`, 'utf8')).toBe('');
      await pass(SETTLE_MS);
      expect(sim.transfers().map((t) => t.idempotencyKey)).toEqual(['agr-j-1:owner:1', 'agr-j-2:owner:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
