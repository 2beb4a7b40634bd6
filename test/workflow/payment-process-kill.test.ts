import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { apiClient, startTestCloud, WHO } from '../support/local-cloud.ts';
import { FINANCE, fundedAccountViaApi, signedHouseholdViaApi } from '../support/signed-household.ts';

/**
 * Exactly once when the payment worker's **process is killed** (issue 9 §2) between "the bank took
 * the instruction" and "we recorded it". The real bundled worker (cdk.out) runs the payment's
 * SendToBank step in a child process of its own, against the local cloud's DynamoDB, KMS and the bank
 * simulator; a proxy lets the bank accept the instruction and then, instead of passing on the bank's
 * answer, the test sends the child SIGKILL. The payment is still "instructed" in our records while the
 * bank holds it. Then the synthesized workflow on the local Step Functions retries its own SendToBank
 * (parked until then by a bank that answered it 429): the record says "instructed", so it sends the
 * same instruction under the same key, and the bank answers with the payment it already has (settled
 * meanwhile; its callback comes late): one transfer, one settlement, the household paid in full, the
 * account reconciled.
 */
const MINUTE = 60_000;

/** A pass-through to the bank simulator that can refuse a key (429: nothing done) or hold the bank's answer. */
class BankProxy {
  /** Keys answered 429 (the bank busy, nothing done) without reaching the bank. */
  readonly refused = new Set<string>();
  /** Requests per key that reached the bank, and that were refused here. */
  readonly forwarded = new Map<string, number>();
  readonly refusals = new Map<string, number>();
  target = '';
  #server: Server;
  /** When given: told once the bank answered an instruction, which the caller then never hears. */
  #onHeld: ((key: string, status: number) => void) | undefined;

  constructor(onHeld?: (key: string, status: number) => void) {
    this.#onHeld = onHeld;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const key = req.method === 'POST' ? String((JSON.parse(body.toString('utf8')) as { idempotencyKey?: string }).idempotencyKey) : decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    if (this.refused.has(key)) {
      this.refusals.set(key, (this.refusals.get(key) ?? 0) + 1);
      res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'busy', message: '银行系统繁忙' } }));
      return;
    }
    this.forwarded.set(`${req.method} ${key}`, (this.forwarded.get(`${req.method} ${key}`) ?? 0) + 1);
    const forwarded = httpRequest(`${this.target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => {
        if (this.#onHeld && req.method === 'POST') {
          this.#onHeld(key, answer.statusCode ?? 0);
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(parts));
      });
    });
    forwarded.end(body);
  }
}

let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
const forCloud = new BankProxy();
let heldFor: ((key: string, status: number) => void) | undefined;
const forChild = new BankProxy((key, status) => heldFor?.(key, status));
let childUrl = '';

beforeAll(async () => {
  const cloudUrl = await forCloud.listen();
  childUrl = await forChild.listen();
  cloud = await startTestCloud({ clockStart: '2026-09-01T09:00:00+08:00', bankUrl: cloudUrl });
  forCloud.target = cloud.bank!.endpoint;
  forChild.target = cloud.bank!.endpoint;
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
  await forCloud.close();
  await forChild.close();
});

/** The payments worker's bundle, run as Lambda would run it, in a process of its own. */
function workerProcess(event: object): ChildProcess {
  const worker = cloud.blueprint.functions.find((f) => f.logicalId.startsWith('PaymentsWorker'));
  if (!worker) throw new Error('no payments worker in the template');
  const script = `
    const { pathToFileURL } = await import('node:url');
    const { handler } = await import(pathToFileURL(process.argv[1]).href);
    const context = { functionName: 'payments-worker', awsRequestId: 'killed-1', getRemainingTimeInMillis: () => 60000, callbackWaitsForEmptyEventLoop: false };
    await handler(JSON.parse(process.argv[2]), context);
    process.send?.('done');
  `;
  // The cloud's functions read their environment from this process (the template's, with the local endpoints).
  return spawn(process.execPath, ['--input-type=module', '-e', script, worker.bundle, JSON.stringify(event)], {
    env: { ...process.env, ...worker.environment, BANK_URL: childUrl, LOG_LEVEL: 'silent', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('a payment whose worker process is killed after the bank took the instruction', () => {
  it('is sent again under the same key by the workflow\'s retry, and paid exactly once', async () => {
    const signed = await signedHouseholdViaApi(cloud, call);
    await fundedAccountViaApi(call, signed.projectId, { compensationFen: signed.totalFen, subsidyFen: signed.totalFen }, '2026-09-01');
    const key = `${signed.agreementId}:collective:1`;
    // The workflow's own first send is refused (429, nothing done): it waits for its retry on the virtual
    // clock. The bank's callback for the payment comes late, so it is the retry that learns the outcome.
    forCloud.refused.add(key);
    cloud.bank!.setFaults({ forced: { [key]: { lateCallback: true } } });
    const accounts = [
      { payeeGroup: 'collective', accountName: '梅湾村一组', bankName: '中国农业银行冷水滩支行', accountNumber: '622848001122334455' },
      ...signed.memberIds.map((memberId, i) => ({ payeeGroup: `person-${memberId}`, accountName: i === 0 ? '张三' : '李四', bankName: '中国工商银行永州分行', accountNumber: `62220202001122334${40 + i}` })),
      { payeeGroup: 'social-security-fund', accountName: '永州市社会保险基金专户', bankName: '中国建设银行永州分行', accountNumber: '43001650061052500001' },
    ];
    const instructed = await call(FINANCE, 'POST', `/households/${signed.householdId}/payments`, { instalment: 1, subsidyTo: 'resettled-persons', accounts });
    expect(instructed.status, JSON.stringify(instructed.body)).toBe(201);
    const paymentIds = (instructed.body.payments as Array<{ paymentId: string }>).map((p) => p.paymentId);
    expect(paymentIds).toContain(key);

    // The worker in a process of its own sends the instruction; the bank takes it; the process is killed before it hears back.
    const accepted = new Promise<{ key: string; status: number }>((resolve) => (heldFor = (k, status) => resolve({ key: k, status })));
    const child = workerProcess({ action: 'send', paymentId: key, now: new Date(cloud.clock.now()).toISOString() });
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (c: Buffer) => stderr.push(c));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const first = await Promise.race([accepted, exited.then((e) => ({ key: '', status: -1, exit: e }))]);
    expect(first, Buffer.concat(stderr).toString('utf8')).toEqual({ key, status: 201 });
    child.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });

    const atTheBank = cloud.bank!.payments().find((p) => p.idempotencyKey === key);
    expect(atTheBank).toMatchObject({ status: 'accepted' });
    const ours = async () => ((await call(WHO.landBranch, 'GET', `/households/${signed.householdId}/payments`)).body.payments as Array<{ paymentId: string; status: string }>).find((p) => p.paymentId === key)!;
    // Nothing after the bank call ran: our record still says "instructed"; the workflow's own send was turned away.
    expect((await ours()).status).toBe('instructed');
    expect(forCloud.refusals.get(key)).toBeGreaterThanOrEqual(1);

    // The workflow's retry (10 s on, virtual) now reaches the bank: it sends the same instruction under
    // the same key (the record says "instructed"), and the bank answers with the payment it settled.
    forCloud.refused.delete(key);
    await cloud.advance(30_000);
    expect(forCloud.forwarded.get(`POST ${key}`)).toBe(1);
    expect((await ours()).status).toBe('confirmed');
    for (let minute = 0; minute < 30; minute++) {
      await cloud.advance(MINUTE);
      const read = await call(WHO.landBranch, 'GET', `/households/${signed.householdId}/payments`);
      if (read.body.status?.paidInFullAt) break;
    }
    const transfers = cloud.bank!.transfers().filter((t) => paymentIds.includes(t.idempotencyKey));
    expect(transfers.filter((t) => t.idempotencyKey === key)).toHaveLength(1);
    expect(new Set(transfers.map((t) => t.idempotencyKey)).size).toBe(paymentIds.length);
    expect(transfers).toHaveLength(paymentIds.length);
    const account = await call(FINANCE, 'GET', `/projects/${signed.projectId}/account/reconciliation`);
    expect(account.body).toMatchObject({ agrees: true });
    const entries = (await call(FINANCE, 'GET', `/projects/${signed.projectId}/account?limit=500`)).body.entries as Array<{ kind: string; paymentId?: string }>;
    expect(entries.filter((e) => e.paymentId === key).map((e) => e.kind).sort()).toEqual(['payment-settled', 'reservation']);
  });
});
