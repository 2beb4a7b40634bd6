/**
 * The local cloud's S3: s3rver (a real S3-protocol server) behind an HTTP front that enforces what
 * s3rver does not and AWS does for the evidence bucket: SigV4 signatures (header and presigned
 * forms, judged by the local cloud's clock), conditional create (`If-None-Match: *`), the signed
 * headers of a PUT, its `x-amz-checksum-*` / `Content-MD5` headers (checked against the bytes,
 * required by Object Lock, the checksum kept and returned under `x-amz-checksum-mode: ENABLED`),
 * versioning and Object Lock as the template configures them. Requests reach s3rver only after
 * they passed, stripped of their signature.
 *
 * Versioning is modelled on s3rver's one object per key: each key has one version id; a plain
 * DELETE on a versioned bucket puts a delete marker in front of it (the bytes stay); a version
 * under retention cannot be deleted, and is never overwritten (AWS would add a version beside it,
 * which s3rver cannot keep: that PUT is refused with 501 NotImplemented rather than lose it).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { closeServer, listen, LOCAL_CREDENTIALS, LOCAL_REGION, readBody, type LocalServer } from './net.ts';
import { rawQuery, SigV4Error, verifySigV4 } from './sigv4.ts';

/** The parts of s3rver (untyped CommonJS) that we use. */
interface S3rverApp {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  configureBuckets(): Promise<void>;
  store: {
    existsObject(bucket: string, key: string): Promise<boolean>;
    getResourcePath(bucket: string, key: string, resource: string): string;
  };
  logger: { close(): void };
}
interface S3rverAccount {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: unknown;
}
const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as new (options: object) => S3rverApp;
const account = require('s3rver/lib/models/account.js') as S3rverAccount;

// s3rver only ever sees requests this front verified and unsigned; keep its own key lookup lenient.
const knownAccount = account.registry.get.bind(account.registry);
account.registry.get = (id: string) => knownAccount(id) ?? account.DUMMY_ACCOUNT;

/** A bucket's Object Lock configuration, as CloudFormation's `ObjectLockConfiguration` and S3's API shape it. */
export interface ObjectLockConfiguration {
  ObjectLockEnabled: 'Enabled';
  Rule?: { DefaultRetention: { Mode: 'COMPLIANCE' | 'GOVERNANCE'; Days?: number; Years?: number } };
}

export interface BucketSpec {
  name: string;
  versioning?: boolean;
  objectLock?: ObjectLockConfiguration;
}

export interface S3LocalOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /** Folder to persist buckets and objects in; absent means a temporary folder removed on stop. */
  directory?: string;
  /** Buckets to create (if missing) with a CORS rule letting a browser PUT/GET via presigned URLs. */
  buckets?: Array<string | BucketSpec>;
  /** Origins allowed by that CORS rule (default `*`). */
  corsOrigins?: string[];
  /** Receives one line per request; absent means silent. */
  log?: (line: string) => void;
  /** The region signatures must be scoped to (default the local region). */
  region?: string;
  /** Secret access key per access key id (default the local cloud's credentials). */
  credentials?: Record<string, string>;
  /**
   * "Now" for presigned-URL expiry, LastModified and retention (the local cloud's virtual clock).
   * Header-signed requests are judged by the wall clock, which is what SDK clients sign with.
   */
  now?: () => number;
}

/** The S3 client config fragment for a local endpoint (see LOCAL-CLOUD.md for why each field). */
export function localS3ClientConfig(endpoint: string, region = LOCAL_REGION) {
  return {
    endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    // The default (WHEN_SUPPORTED) sends aws-chunked uploads, which the local S3 refuses.
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

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A refusal in S3's XML error shape. */
class S3Failure extends Error {
  override name = 'S3Failure';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;
  readonly headers: OutgoingHttpHeaders;
  constructor(status: number, code: string, message: string, details: Record<string, string> = {}, headers: OutgoingHttpHeaders = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

function sendError(response: ServerResponse, failure: S3Failure): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const extra = Object.entries(failure.details).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  response.writeHead(failure.status, { 'Content-Type': 'application/xml', ...failure.headers });
  response.end(
    XML_HEAD +
      `<Error><Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

function sendXml(response: ServerResponse, xml: string): void {
  response.writeHead(200, { 'Content-Type': 'application/xml' });
  response.end(XML_HEAD + xml);
}

/** One key's version, kept beside s3rver's single stored object. */
interface VersionRecord {
  versionId: string;
  mode?: 'COMPLIANCE' | 'GOVERNANCE';
  /** Epoch ms until which the version can be neither deleted nor overwritten. */
  retainUntil?: number;
  /** A delete marker in front of the version: GET/HEAD without versionId see no object. */
  deleteMarker?: string;
}

/** S3-style version ids: opaque, URL-safe. */
const newVersionId = (): string => randomBytes(24).toString('base64url');

const SIGNATURE_PARAMS = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']);

/** What a request addresses, with its subresources (query names that are not signing or x-amz parameters). */
interface Target {
  bucket: string;
  key: string | undefined;
  subresources: Map<string, string>;
}

function targetOf(request: IncomingMessage): Target {
  const path = (request.url ?? '/').split('?')[0]!;
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  const subresources = new Map(
    rawQuery(request.url ?? '/').filter(([name]) => !/^x-amz-/i.test(name) && name !== 'x-id'),
  );
  return {
    bucket: match?.[1] ? decodeURIComponent(match[1]) : '',
    key: match?.[2] ? decodeURIComponent(match[2]) : undefined,
    subresources,
  };
}

/** The request as s3rver must see it: the verified body, without signature or the given query parameters. */
function replayOf(request: IncomingMessage, body: Buffer, dropQuery: string[] = []): IncomingMessage {
  const [path, query = ''] = (request.url ?? '/').split('?') as [string, string?];
  const kept = query
    .split('&')
    .filter((pair) => {
      const name = decodeURIComponent(pair.split('=')[0] ?? '');
      return pair && !SIGNATURE_PARAMS.has(name) && !dropQuery.includes(name);
    })
    .join('&');
  const headers = { ...request.headers, 'content-length': String(body.length) };
  delete headers.authorization;
  delete headers['transfer-encoding'];
  const replay = Object.assign(Readable.from(body.length ? [body] : []), {
    headers,
    rawHeaders: request.rawHeaders.filter((_, i, all) => all[i - (i % 2)]!.toLowerCase() !== 'authorization'),
    method: request.method,
    url: kept ? `${path}?${kept}` : path,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    socket: request.socket,
    connection: request.socket,
  });
  return replay as unknown as IncomingMessage;
}

/** Calls `before(status)` just before s3rver's response headers leave, to add or adjust headers. */
function beforeHead(response: ServerResponse, before: (status: number) => void): void {
  const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse;
  (response as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
    before(typeof args[0] === 'number' ? args[0] : response.statusCode);
    return writeHead(...args);
  };
}

/** Everything a check of an object write may look at. */
export interface ObjectWrite {
  request: IncomingMessage;
  body: Buffer;
  bucket: BucketSpec;
  key: string;
}

/** Full-object checksums a PUT may carry as a header, with the bytes' digest in S3's base64 form (undefined: not computed locally). */
const CHECKSUMS: Record<string, ((body: Buffer) => string) | undefined> = {
  'x-amz-checksum-sha256': (body) => createHash('sha256').update(body).digest('base64'),
  'x-amz-checksum-sha1': (body) => createHash('sha1').update(body).digest('base64'),
  'x-amz-checksum-crc32': (body) => {
    const digest = Buffer.alloc(4);
    digest.writeUInt32BE(crc32(body));
    return digest.toString('base64');
  },
  'x-amz-checksum-crc32c': undefined,
  'x-amz-checksum-crc64nvme': undefined,
};
const CHECKSUM_NAMES: Record<string, string> = {
  'x-amz-checksum-sha256': 'SHA256',
  'x-amz-checksum-sha1': 'SHA1',
  'x-amz-checksum-crc32': 'CRC32',
};

/** The checksum headers a request carries (a checksum in the query string is no header: S3 ignores it). */
const checksumHeaders = (request: IncomingMessage): Array<[string, string]> =>
  Object.keys(CHECKSUMS).flatMap((name) => {
    const value = request.headers[name];
    return typeof value === 'string' ? [[name, value] as [string, string]] : [];
  });

/** A PUT with Object Lock parameters: explicit retention or legal hold, or a bucket default retention. */
const lockParameters = (request: IncomingMessage, bucket: BucketSpec): boolean =>
  Boolean(bucket.objectLock?.Rule?.DefaultRetention) ||
  ['x-amz-object-lock-mode', 'x-amz-object-lock-retain-until-date', 'x-amz-object-lock-legal-hold'].some((name) => request.headers[name] !== undefined);

/**
 * Checks of an object PUT, in order; the first failure is the answer. A new S3 rule for writes
 * is one more entry here.
 */
const writeChecks: Array<(write: ObjectWrite) => S3Failure | undefined> = [
  function singleChecksum({ request }) {
    if (checksumHeaders(request).length > 1) {
      return new S3Failure(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
    }
    return undefined;
  },
  function objectLockIntegrity({ request, bucket }) {
    if (lockParameters(request, bucket) && request.headers['content-md5'] === undefined && checksumHeaders(request).length === 0) {
      return new S3Failure(400, 'InvalidRequest', 'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters');
    }
    return undefined;
  },
  function declaredChecksum({ request, body }) {
    for (const [name, declared] of checksumHeaders(request)) {
      const digest = CHECKSUMS[name];
      if (!digest) return new S3Failure(501, 'NotImplemented', `The local S3 does not compute ${name}; send x-amz-checksum-sha256, -sha1 or -crc32.`);
      const computed = digest(body);
      if (Buffer.from(declared, 'base64').toString('base64') !== declared || declared.length !== computed.length) {
        return new S3Failure(400, 'InvalidRequest', `Value for ${name} header is invalid.`);
      }
      if (computed !== declared) {
        return new S3Failure(400, 'BadDigest', `The ${CHECKSUM_NAMES[name]} you specified did not match the calculated checksum.`);
      }
    }
    return undefined;
  },
  function contentMd5({ request, body }) {
    const declared = request.headers['content-md5'];
    if (typeof declared === 'string' && createHash('md5').update(body).digest('base64') !== declared) {
      return new S3Failure(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    return undefined;
  },
];

/** A map kept in a JSON file, and the function that saves it (atomically). */
function persistedMap<T>(file: string): [Map<string, T>, () => void] {
  const map = new Map<string, T>(existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, T>) : []);
  const save = (): void => {
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(map)));
    renameSync(`${file}.tmp`, file);
  };
  return [map, save];
}

function objectLockXml(config: ObjectLockConfiguration): string {
  const retention = config.Rule?.DefaultRetention;
  const rule = retention
    ? `<Rule><DefaultRetention><Mode>${retention.Mode}</Mode>${retention.Days !== undefined ? `<Days>${retention.Days}</Days>` : ''}${retention.Years !== undefined ? `<Years>${retention.Years}</Years>` : ''}</DefaultRetention></Rule>`
    : '';
  return `<ObjectLockConfiguration xmlns="${S3_NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
}

const DAY_MS = 86_400_000;
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, '.000Z');

/** Starts s3rver behind the checking front on 127.0.0.1. Path-style only: clients need `forcePathStyle: true`. */
export async function startS3Local(options: S3LocalOptions = {}): Promise<LocalServer> {
  const temporary = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 's3-local-'));
  const cors = corsXml(options.corsOrigins ?? ['*']);
  const now = options.now ?? Date.now;
  const specs = new Map((options.buckets ?? []).map((b) => (typeof b === 'string' ? { name: b } : b)).map((b) => [b.name, b]));
  const s3 = new S3rver({
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [...specs.keys()].map((name) => ({ name, configs: [cors] })),
  });
  await s3.configureBuckets();
  const handle = s3.callback();
  const sigv4 = {
    credentials: options.credentials ?? { [LOCAL_CREDENTIALS.accessKeyId]: LOCAL_CREDENTIALS.secretAccessKey },
    region: options.region ?? LOCAL_REGION,
    service: 's3',
    now,
  };

  // Version records and checksums live beside the buckets (s3rver ignores plain files in its root).
  const [versions, saveVersions] = persistedMap<VersionRecord>(join(directory, '.s3-local-versions.json'));
  // The checksum header an object was uploaded with: S3 keeps it with the object and returns it
  // when asked with x-amz-checksum-mode: ENABLED. (AWS also keeps a CRC64NVME of any object
  // uploaded without one; locally such an object has none.)
  const [checksums, saveChecksums] = persistedMap<{ name: string; value: string }>(join(directory, '.s3-local-checksums.json'));
  const forgetChecksum = (bucket: string, key: string): void => {
    if (checksums.delete(id(bucket, key))) saveChecksums();
  };
  const id = (bucket: string, key: string): string => `${bucket}/${key}`;
  const spec = (bucket: string): BucketSpec => specs.get(bucket) ?? { name: bucket };
  const versioned = (bucket: string): boolean => Boolean(spec(bucket).versioning || spec(bucket).objectLock);
  const retained = (record: VersionRecord | undefined, request: IncomingMessage): boolean => {
    if (record?.retainUntil === undefined || now() >= record.retainUntil) return false;
    // GOVERNANCE yields to a caller who asks to bypass it; COMPLIANCE to nobody.
    return !(record.mode === 'GOVERNANCE' && request.headers['x-amz-bypass-governance-retention'] === 'true');
  };
  const lockedError = (key: string, record: VersionRecord): S3Failure =>
    new S3Failure(403, 'AccessDenied', `Access Denied because object protected by object lock. (${key}, version ${record.versionId}, ${record.mode} until ${isoSeconds(record.retainUntil!)})`);

  /** Retention a new version gets: explicit headers, else the bucket's default. */
  function retentionOf(request: IncomingMessage, bucket: BucketSpec): Pick<VersionRecord, 'mode' | 'retainUntil'> {
    const mode = request.headers['x-amz-object-lock-mode'];
    const until = request.headers['x-amz-object-lock-retain-until-date'];
    if (mode !== undefined || until !== undefined) {
      if (!bucket.objectLock) throw new S3Failure(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
      const untilMs = Date.parse(String(until));
      if ((mode !== 'COMPLIANCE' && mode !== 'GOVERNANCE') || Number.isNaN(untilMs)) {
        throw new S3Failure(400, 'InvalidArgument', 'x-amz-object-lock-mode and x-amz-object-lock-retain-until-date must both be supplied and valid');
      }
      if (untilMs <= now()) throw new S3Failure(400, 'InvalidArgument', 'The retain until date must be in the future!');
      return { mode, retainUntil: untilMs };
    }
    const rule = bucket.objectLock?.Rule?.DefaultRetention;
    if (!rule) return {};
    const days = rule.Days ?? (rule.Years ?? 0) * 365;
    return { mode: rule.Mode, retainUntil: now() + days * DAY_MS };
  }

  /** Stamps the stored object with the local cloud's clock: s3rver reports a file's mtime as LastModified. */
  function stampLastModified(bucket: string, key: string): void {
    const seconds = now() / 1000;
    try {
      utimesSync(s3.store.getResourcePath(bucket, key, 'object'), seconds, seconds);
    } catch {
      // Nothing stored (s3rver refused the write): nothing to stamp.
    }
  }

  async function putObject(request: IncomingMessage, response: ServerResponse, body: Buffer, target: Target & { key: string }): Promise<void> {
    const bucket = spec(target.bucket);
    const write: ObjectWrite = { request, body, bucket, key: target.key };
    for (const check of writeChecks) {
      const failure = check(write);
      if (failure) throw failure;
    }
    const record = versions.get(id(target.bucket, target.key));
    const exists = await s3.store.existsObject(target.bucket, target.key);
    if (request.headers['if-none-match'] === '*' && exists && !record?.deleteMarker) {
      throw new S3Failure(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
    }
    if (exists && record?.retainUntil !== undefined && now() < record.retainUntil) {
      // AWS would store a new version beside the locked one; s3rver keeps one object per key.
      throw new S3Failure(501, 'NotImplemented', `The local S3 keeps one version per key and ${target.key} holds a version under Object Lock: it is not overwritten (AWS would add a new version).`);
    }
    const next: VersionRecord | undefined = versioned(target.bucket) ? { versionId: newVersionId(), ...retentionOf(request, bucket) } : undefined;
    const [checksum] = checksumHeaders(request);
    beforeHead(response, (status) => {
      if (status !== 200) return;
      stampLastModified(target.bucket, target.key);
      if (checksum) {
        checksums.set(id(target.bucket, target.key), { name: checksum[0], value: checksum[1] });
        saveChecksums();
        response.setHeader(checksum[0], checksum[1]);
      } else {
        forgetChecksum(target.bucket, target.key);
      }
      if (!next) return;
      versions.set(id(target.bucket, target.key), next);
      saveVersions();
      response.setHeader('x-amz-version-id', next.versionId);
    });
    handle(replayOf(request, body), response);
  }

  async function deleteObject(request: IncomingMessage, response: ServerResponse, body: Buffer, target: Target & { key: string }): Promise<void> {
    if (!versioned(target.bucket)) {
      beforeHead(response, (status) => {
        if (status < 300) forgetChecksum(target.bucket, target.key);
      });
      handle(replayOf(request, body), response);
      return;
    }
    const key = id(target.bucket, target.key);
    const record = versions.get(key);
    const versionId = target.subresources.get('versionId');
    const done = (headers: OutgoingHttpHeaders) => {
      response.writeHead(204, headers);
      response.end();
    };
    if (versionId === undefined) {
      // A versioned bucket keeps the bytes and puts a delete marker in front of them.
      if (!record || !(await s3.store.existsObject(target.bucket, target.key))) {
        done({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': newVersionId() });
        return;
      }
      record.deleteMarker = newVersionId();
      saveVersions();
      done({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': record.deleteMarker });
      return;
    }
    if (record?.deleteMarker === versionId) {
      delete record.deleteMarker;
      saveVersions();
      done({ 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId });
      return;
    }
    if (!record || record.versionId !== versionId) throw new S3Failure(400, 'InvalidArgument', 'Invalid version id specified', { ArgumentName: 'versionId', ArgumentValue: versionId });
    if (retained(record, request)) throw lockedError(target.key, record);
    beforeHead(response, (status) => {
      if (status >= 300) return;
      versions.delete(key);
      saveVersions();
      forgetChecksum(target.bucket, target.key);
      response.setHeader('x-amz-version-id', versionId);
    });
    handle(replayOf(request, body, ['versionId']), response);
  }

  function readObject(request: IncomingMessage, response: ServerResponse, body: Buffer, target: Target & { key: string }): void {
    const record = versions.get(id(target.bucket, target.key));
    const versionId = target.subresources.get('versionId');
    if (versionId !== undefined && versionId !== 'null' && record?.versionId !== versionId) {
      if (record?.deleteMarker === versionId) {
        throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: request.method ?? 'GET', ResourceType: 'DeleteMarker' }, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId });
      }
      throw new S3Failure(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: target.key, VersionId: versionId });
    }
    if (versionId === undefined && record?.deleteMarker) {
      throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.', { Key: target.key }, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': record.deleteMarker });
    }
    if (target.subresources.has('retention')) {
      if (!record?.retainUntil) throw new S3Failure(404, 'NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration');
      sendXml(response, `<Retention xmlns="${S3_NS}"><Mode>${record.mode}</Mode><RetainUntilDate>${isoSeconds(record.retainUntil)}</RetainUntilDate></Retention>`);
      return;
    }
    const checksum = checksums.get(id(target.bucket, target.key));
    if (checksum && String(request.headers['x-amz-checksum-mode']).toUpperCase() === 'ENABLED' && request.headers.range === undefined) {
      beforeHead(response, (status) => {
        if (status >= 300) return;
        response.setHeader(checksum.name, checksum.value);
        response.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
      });
    }
    if (record) {
      beforeHead(response, (status) => {
        if (status >= 300) return;
        response.setHeader('x-amz-version-id', record.versionId);
        if (record.retainUntil !== undefined) {
          response.setHeader('x-amz-object-lock-mode', record.mode!);
          response.setHeader('x-amz-object-lock-retain-until-date', isoSeconds(record.retainUntil));
        }
      });
    }
    handle(replayOf(request, body, ['versionId']), response);
  }

  function bucketRequest(request: IncomingMessage, response: ServerResponse, body: Buffer, target: Target): void {
    const bucket = specs.get(target.bucket);
    if (request.method === 'GET' && target.subresources.has('versioning')) {
      if (!bucket) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: target.bucket });
      const status = versioned(target.bucket) ? '<Status>Enabled</Status>' : '';
      sendXml(response, `<VersioningConfiguration xmlns="${S3_NS}">${status}</VersioningConfiguration>`);
      return;
    }
    if (request.method === 'GET' && target.subresources.has('object-lock')) {
      if (!bucket) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: target.bucket });
      if (!bucket.objectLock) throw new S3Failure(404, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', { BucketName: target.bucket });
      sendXml(response, objectLockXml(bucket.objectLock));
      return;
    }
    if (versioned(target.bucket) && (request.method === 'POST' && target.subresources.has('delete'))) {
      // DeleteObjects would bypass the markers and locks above; nothing here needs it.
      throw new S3Failure(501, 'NotImplemented', 'The local S3 does not implement DeleteObjects on a versioned bucket; delete one key at a time.');
    }
    if (versioned(target.bucket) && request.method === 'PUT' && (target.subresources.has('versioning') || target.subresources.has('object-lock'))) {
      throw new S3Failure(501, 'NotImplemented', 'The local S3 takes versioning and Object Lock from the template; they cannot be changed at run time.');
    }
    handle(replayOf(request, body), response);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A CORS preflight carries no signature, on AWS too. A browser preflights the presigned URL
    // itself, query and all; s3rver would judge that query's signature (on the wall clock), so it
    // gets the path alone and answers from the bucket's CORS rule, as S3 does.
    if (request.method === 'OPTIONS') {
      request.url = (request.url ?? '/').split('?')[0];
      handle(request, response);
      return;
    }
    const body = await readBody(request);
    try {
      const verified = verifySigV4(request, sigv4);
      if (/^[0-9a-f]{64}$/.test(verified.payloadHash)) {
        const computed = createHash('sha256').update(body).digest('hex');
        if (computed !== verified.payloadHash) {
          throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", { ClientComputedContentSHA256: verified.payloadHash, S3ComputedContentSHA256: computed });
        }
      }
    } catch (error) {
      if (error instanceof SigV4Error) throw new S3Failure(error.status, error.code, error.message, error.details);
      throw error;
    }
    const target = targetOf(request);
    if (target.key === undefined) {
      bucketRequest(request, response, body, target);
      return;
    }
    const object = target as Target & { key: string };
    const plain = [...target.subresources.keys()].every((name) => name === 'versionId');
    const multipart = target.subresources.has('uploads') || target.subresources.has('uploadId');
    if (request.method === 'PUT' && plain) return putObject(request, response, body, object);
    if (request.method === 'DELETE' && plain) return deleteObject(request, response, body, object);
    if ((request.method === 'GET' || request.method === 'HEAD') && (plain || target.subresources.has('retention'))) {
      readObject(request, response, body, object);
      return;
    }
    if (versioned(target.bucket) && (multipart || request.method !== 'GET')) {
      // Multipart uploads, tagging, ACLs… would reach past the version records.
      throw new S3Failure(501, 'NotImplemented', `The local S3 does not implement ${request.method} ?${[...target.subresources.keys()].join('&')} on a versioned bucket.`);
    }
    handle(replayOf(request, body), response);
  }

  // Object keys with a PUT under way: a conditional PUT racing another gets 409, as on AWS.
  const writing = new Map<string, number>();
  const server = createServer((request, response) => {
    if (options.log) {
      const started = Date.now();
      response.on('finish', () =>
        options.log?.(`s3 ${request.method} ${request.url} ${response.statusCode} ${Date.now() - started}ms`),
      );
    }
    const target = targetOf(request);
    if (request.method === 'PUT' && target.key !== undefined) {
      const key = id(target.bucket, target.key);
      const busy = writing.has(key);
      writing.set(key, (writing.get(key) ?? 0) + 1);
      response.on('close', () => {
        const left = (writing.get(key) ?? 1) - 1;
        if (left > 0) writing.set(key, left);
        else writing.delete(key);
      });
      if (busy && request.headers['if-none-match'] === '*') {
        request.resume();
        sendError(response, new S3Failure(409, 'ConditionalRequestConflict', 'A conflicting operation is in progress against this resource. Please try again.'));
        return;
      }
    }
    route(request, response).catch((error: unknown) => {
      request.resume();
      sendError(response, error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', error instanceof Error ? error.message : String(error)));
    });
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
