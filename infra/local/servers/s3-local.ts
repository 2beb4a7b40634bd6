/**
 * The local cloud's S3: s3rver (a real S3-protocol server) behind a thin HTTP front that adds
 * what it lacks and we rely on: conditional create (`If-None-Match: *` on PutObject).
 * s3rver does not verify SigV4 signatures (any access key is accepted here), returns no
 * checksums, and has no versioning or Object Lock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { closeServer, listen, LOCAL_CREDENTIALS, LOCAL_REGION, readBody, type LocalServer } from './net.ts';

/** The parts of s3rver (untyped CommonJS) that we use. */
interface S3rverApp {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  configureBuckets(): Promise<void>;
  store: { existsObject(bucket: string, key: string): Promise<boolean> };
  logger: { close(): void };
}
interface S3rverAccount {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: unknown;
}
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: object) => S3rverApp;
const account = require('s3rver/lib/models/account.js') as S3rverAccount;

// Accept every access key id, as the other local servers do, so handlers need no special keys.
const knownAccount = account.registry.get.bind(account.registry);
account.registry.get = (id: string) => knownAccount(id) ?? account.DUMMY_ACCOUNT;

export interface S3LocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /** Folder to persist buckets and objects in; absent means a temporary folder removed on stop. */
  directory?: string;
  /** Buckets to create (if missing) with a CORS rule letting a browser PUT/GET via presigned URLs. */
  buckets?: string[];
  /** Origins allowed by that CORS rule (default `*`). */
  corsOrigins?: string[];
  /** Receives one line per request; absent means silent. */
  log?: (line: string) => void;
}

/** The S3 client config fragment for a local endpoint (see LOCAL-CLOUD.md for why each field). */
export function localS3ClientConfig(endpoint: string, region = LOCAL_REGION) {
  return {
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // The default (WHEN_SUPPORTED) makes s3rver store streamed uploads with aws-chunked framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  } satisfies S3ClientConfig;
}

function corsXml(origins: string[]): string {
  const allowed = origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('');
  return (
    '<CORSConfiguration><CORSRule>' +
    allowed +
    '<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedMethod>PUT</AllowedMethod>' +
    '<AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds>' +
    '</CORSRule></CORSConfiguration>'
  );
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'Content-Type': 'application/xml' });
  response.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

/** `/bucket/key` of a plain object PUT (not a multipart part), else undefined. */
function objectPut(request: IncomingMessage): { bucket: string; key: string } | undefined {
  if (request.method !== 'PUT') return undefined;
  const url = new URL(request.url ?? '/', 'http://local');
  if (url.searchParams.has('uploadId')) return undefined;
  const match = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
  if (!match?.[1] || !match[2]) return undefined;
  return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
}

/**
 * What S3 checks of a presigned PUT that s3rver does not (signatures aside): every signed header
 * is present, and the body matches a declared `x-amz-checksum-sha256`. The body is read first,
 * then replayed to s3rver.
 */
async function checkedPut(request: IncomingMessage, response: ServerResponse, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  const signed = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';').filter((h) => h && h !== 'host');
  const missing = signed.filter((h) => request.headers[h] === undefined);
  const body = await readBody(request);
  if (missing.length) {
    sendError(response, 403, 'SignatureDoesNotMatch', `Signed headers missing from the request: ${missing.join(', ')}`);
    return;
  }
  const declared = url.searchParams.get('x-amz-checksum-sha256') ?? request.headers['x-amz-checksum-sha256'];
  if (typeof declared === 'string' && createHash('sha256').update(body).digest('base64') !== declared) {
    sendError(response, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    return;
  }
  const replay = Object.assign(Readable.from([body]), {
    headers: { ...request.headers, 'content-length': String(body.length) },
    rawHeaders: request.rawHeaders,
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    socket: request.socket,
    connection: request.socket,
  });
  handle(replay as unknown as IncomingMessage, response);
}

/** Starts s3rver on 127.0.0.1. Path-style only: clients need `forcePathStyle: true`. */
export async function startS3Local(options: S3LocalOptions = {}): Promise<LocalServer> {
  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 's3-local-'));
  const cors = corsXml(options.corsOrigins ?? ['*']);
  const s3 = new S3rver({
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [cors] })),
  });
  await s3.configureBuckets();
  const handle = s3.callback();

  // Object keys with a PUT under way: a conditional PUT racing another gets 409, as on AWS.
  const writing = new Map<string, number>();
  const server = createServer((request, response) => {
    if (options.log) {
      const started = Date.now();
      response.on('finish', () =>
        options.log?.(`s3 ${request.method} ${request.url} ${response.statusCode} ${Date.now() - started}ms`),
      );
    }
    const put = objectPut(request);
    if (!put) {
      handle(request, response);
      return;
    }
    const id = `${put.bucket}/${put.key}`;
    const conditional = request.headers['if-none-match'] === '*';
    const busy = writing.has(id);
    writing.set(id, (writing.get(id) ?? 0) + 1);
    response.on('close', () => {
      const left = (writing.get(id) ?? 1) - 1;
      if (left > 0) writing.set(id, left);
      else writing.delete(id);
    });
    const refuse = (status: number, code: string, message: string): void => {
      request.resume();
      sendError(response, status, code, message);
    };
    const store = () => void checkedPut(request, response, handle).catch((error: unknown) => refuse(500, 'InternalError', String(error)));
    if (!conditional) {
      store();
      return;
    }
    if (busy) {
      refuse(409, 'ConditionalRequestConflict', 'A conflicting operation is in progress.');
      return;
    }
    s3.store.existsObject(put.bucket, put.key).then(
      (exists) =>
        exists
          ? refuse(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold')
          : store(),
      (error: unknown) => refuse(500, 'InternalError', error instanceof Error ? error.message : String(error)),
    );
  });
  const endpoint = await listen(server, options.port);

  let stopped = false;
  return {
    endpoint,
    async stop() {
      if (stopped) return;
      stopped = true;
      await closeServer(server);
      s3.logger.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
