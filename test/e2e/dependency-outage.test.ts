import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { RETRY_AFTER_SECONDS } from '../../shared/errors.ts';
import { apiClient, startTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * DynamoDB goes away under a running local cloud (its handlers reach the run's DynamoDB Local
 * through a TCP proxy this test cuts): readiness and ordinary requests answer 503 with Retry-After,
 * never 500; liveness stays 200; both recover when DynamoDB is back.
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let proxy: CuttableProxy;

beforeAll(async () => {
  proxy = await CuttableProxy.start(new URL(inject('dynamodbEndpoint')));
  cloud = await startTestCloud({ clockStart: '2026-09-01T10:00:00+08:00', dynamodbEndpoint: proxy.endpoint });
  call = apiClient(cloud);
});
afterAll(async () => {
  await cloud?.stop();
  await proxy?.close();
});

const get = async (path: string) => {
  const response = await fetch(`${cloud.apiUrl}${path}`);
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as any };
};

it('healthy: /health/ready answers 200 with every dependency up', async () => {
  const ready = await get('/health/ready');
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ status: 'ready', checks: { table: { status: 'up' }, evidenceBucket: { status: 'up' }, workflow: { status: 'up' } } });
  expect((await call(WHO.landBranch, 'GET', '/calendar/years')).status).toBe(200);
});

it('DynamoDB down: 503 + Retry-After on /health/ready (naming the table) and on an authorized route; /health stays 200; then recovers', async () => {
  await proxy.cut();

  const ready = await get('/health/ready');
  expect(ready.status).toBe(503);
  expect(ready.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
  expect(ready.body.error).toMatchObject({ code: 'dependency.unavailable', message: expect.stringContaining('案件数据表'), requestId: expect.any(String) });
  expect(ready.body.error.details).toMatchObject({ failed: ['table'], checks: { table: { status: 'down' }, evidenceBucket: { status: 'up' }, workflow: { status: 'up' } } });

  const token = await cloud.token(WHO.landBranch.agency, WHO.landBranch.jurisdiction);
  for (const [method, path] of [['GET', '/calendar/years'], ['GET', '/inbox']] as const) {
    const response = await fetch(`${cloud.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    expect(response.status, `${method} ${path}`).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error).toEqual({ code: 'dependency.unavailable', message: expect.stringMatching(/[\u4e00-\u9fff]/), requestId: expect.any(String) });
  }
  // Liveness does no I/O: the function is alive even when a dependency is not.
  expect((await get('/health')).status).toBe(200);

  await proxy.restore();
  expect((await get('/health/ready')).status).toBe(200);
  expect((await call(WHO.landBranch, 'GET', '/calendar/years')).status).toBe(200);
});

/** A TCP proxy to an upstream that can be cut (connections refused, open ones reset) and restored. */
class CuttableProxy {
  readonly #upstream: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  port = 0;

  private constructor(upstream: URL) {
    this.#upstream = upstream;
  }

  static async start(upstream: URL): Promise<CuttableProxy> {
    const proxy = new CuttableProxy(upstream);
    await proxy.restore();
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(Number(this.#upstream.port), this.#upstream.hostname);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  close(): Promise<void> {
    return this.cut();
  }
}
