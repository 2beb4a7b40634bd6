/**
 * Small helpers shared by the local cloud's data-plane servers: ports, readiness, HTTP plumbing.
 */
import { createServer as createNetServer } from 'node:net';
import type { IncomingMessage, Server } from 'node:http';

/** A running local server. */
export interface LocalServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Stops the server and releases its port; safe to call twice. */
  stop(): Promise<void>;
}

/** Loopback only: the local cloud is never reachable from other machines. */
export const LOCAL_HOST = '127.0.0.1';

/** Region used when a caller names none. */
export const LOCAL_REGION = 'us-east-1';

/** Account id in every local ARN (what AWS's own local tools use). */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** Credentials for SDK clients talking to local servers (they do not check signatures). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** ARN partition for a region, so local ARNs look like the ones deployed in AWS China. */
export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : 'aws';
}

/**
 * A base port whose `count` consecutive ports were all free a moment ago, for `npm start`, which
 * listens on PORT..PORT+7. Drawn below Linux's ephemeral range (32768+), where servers that listen
 * on port 0 are placed, so a concurrently started server cannot take one of them in between.
 */
export async function freePortBlock(count: number, range: { from: number; to: number } = { from: 20_000, to: 32_000 }): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = range.from + Math.floor(Math.random() * (range.to - range.from - count));
    const free = await Promise.all(Array.from({ length: count }, (_, i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no block of ${count} free ports in ${range.from}–${range.to}`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, LOCAL_HOST, () => probe.close(() => resolve(true)));
  });
}

/** A TCP port that was free a moment ago (for servers that cannot listen on port 0 themselves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, LOCAL_HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Thrown when a port someone asked for is taken. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/**
 * Fails with {@link PortInUseError} if `port` is taken on any address. For servers that would
 * otherwise find out late, or (like DynamoDB Local) not at all because another server answers.
 */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(`port ${port} is in use`) : error),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

/** Listens on 127.0.0.1 (port 0 picks a free one) and returns the endpoint URL. */
export function listen(server: Server, port = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOCAL_HOST, () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        reject(new Error('server has no TCP address'));
        return;
      }
      resolve(`http://${LOCAL_HOST}:${address.port}`);
    });
  });
}

/** Closes an HTTP server, dropping idle keep-alive connections (SDK clients keep them open). */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/** Reads a whole request body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Thrown when a server does not become ready in time. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/**
 * Polls `probe` until it resolves true. Gives up after `timeoutMs` or as soon as `failed()`
 * returns a reason (e.g. the child process died), with that reason in the error.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; failed?: () => string | undefined } = {},
): Promise<void> {
  const { timeoutMs = 30_000, intervalMs = 100, failed = () => undefined } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason !== undefined) throw new NotReadyError(`${what} failed to start: ${reason}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new NotReadyError(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** True when something answers HTTP at `url` (any status). */
export async function answersHttp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
