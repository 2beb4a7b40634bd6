/**
 * Verifies AWS Signature Version 4 the way S3 does, for the local S3: the Authorization-header
 * form and the presigned-query form, by recomputing the canonical request, the string to sign
 * and the HMAC chain from the one secret the local cloud hands its clients. The local Secrets
 * Manager uses it too: its requests all go to `/`, where S3's single path encoding and the other
 * services' double encoding agree.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A refusal in S3's error vocabulary (status, code, message, extra XML elements). */
export class SigV4Error extends Error {
  override name = 'SigV4Error';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, string>;
  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface SigV4Options {
  /** Secret access key per access key id. */
  credentials: Record<string, string>;
  region: string;
  service: string;
  /** The server's "now" for presigned URLs (the local cloud's virtual clock). */
  now: () => number;
  /**
   * The clock header-signed requests are judged by. SDK clients sign with the machine's clock,
   * not the virtual one, so the local S3 passes the wall clock here.
   */
  wallNow?: () => number;
  /**
   * Hex SHA-256 of the body, for services other than S3: they sign the body's hash whether or not
   * the client also sends it as x-amz-content-sha256 (the AWS CLI does not).
   */
  bodySha256?: string;
}

export interface Verified {
  accessKeyId: string;
  form: 'header' | 'query';
  /** Lower-case names of the signed headers. */
  signedHeaders: string[];
  /** The x-amz-content-sha256 the signature covers (`UNSIGNED-PAYLOAD` for presigned URLs). */
  payloadHash: string;
}

const MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_SECONDS = 604_800;

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(text: string, keepSlash = false): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      if (/[A-Za-z0-9_.~-]/.test(c) || (keepSlash && c === '/')) return c;
      return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** The query as sent, decoded once ('+' is a literal plus, as in S3). */
export function rawQuery(url: string): Array<[string, string]> {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** 20260901T000000Z → epoch ms, or NaN. */
function parseAmzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Values of one header as sent, joined by commas, with runs of spaces folded (SigV4 canonical form). */
function headerValue(request: IncomingMessage, name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i]!.toLowerCase() === name) values.push(request.rawHeaders[i + 1]!.trim().replace(/\s+/g, ' '));
  }
  return values.length ? values.join(',') : undefined;
}

/** The canonical request S3 recomputes. Exported for tests that sign by hand. */
export function canonicalRequest(request: IncomingMessage, signedHeaders: string[], payloadHash: string, dropSignature: boolean): string {
  const url = request.url ?? '/';
  const path = url.split('?')[0]!;
  // S3 signs the key encoded once: normalise whatever encoding the client chose.
  const canonicalPath = path.split('/').map((segment) => uriEncode(decode(segment))).join('/');
  const query = rawQuery(url)
    .filter(([name]) => !(dropSignature && name === 'X-Amz-Signature'))
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const headers = signedHeaders.map((name) => `${name}:${headerValue(request, name) ?? ''}\n`).join('');
  return [request.method, canonicalPath || '/', query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/**
 * Verifies the request's signature, or throws {@link SigV4Error} with what S3 would answer.
 * Does not look at the body: the caller compares a hex x-amz-content-sha256 with the bytes.
 */
export function verifySigV4(request: IncomingMessage, options: SigV4Options): Verified {
  const query = new Map(rawQuery(request.url ?? '/'));
  const authorization = request.headers.authorization;
  const presigned = query.has('X-Amz-Algorithm') || query.has('X-Amz-Signature') || query.has('X-Amz-Credential');
  if (authorization !== undefined && presigned) {
    throw new SigV4Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', { ArgumentName: 'Authorization' });
  }
  if (query.has('Signature') || query.has('AWSAccessKeyId') || (authorization !== undefined && !authorization.startsWith('AWS4-'))) {
    throw new SigV4Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  }

  let credential: string;
  let signedHeaders: string[];
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  let form: Verified['form'];
  if (presigned) {
    form = 'query';
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
      throw new SigV4Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    }
    for (const name of ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires']) {
      if (!query.has(name)) {
        throw new SigV4Error(400, 'AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
      }
    }
    credential = query.get('X-Amz-Credential')!;
    signedHeaders = query.get('X-Amz-SignedHeaders')!.split(';');
    signature = query.get('X-Amz-Signature')!;
    amzDate = query.get('X-Amz-Date')!;
    payloadHash = query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
    const date = parseAmzDate(amzDate);
    if (Number.isNaN(date)) {
      throw new SigV4Error(400, 'AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    }
    const expires = query.get('X-Amz-Expires')!;
    if (!/^\d+$/.test(expires)) throw new SigV4Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
    if (Number(expires) > MAX_PRESIGN_SECONDS) {
      throw new SigV4Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
    }
    const now = options.now();
    const expiresAt = date + Number(expires) * 1000;
    if (now > expiresAt) {
      throw new SigV4Error(403, 'AccessDenied', 'Request has expired', { 'X-Amz-Expires': expires, Expires: iso(expiresAt), ServerTime: iso(now) });
    }
    if (date > now + MAX_SKEW_MS) {
      throw new SigV4Error(403, 'AccessDenied', 'Request is not yet valid', { 'X-Amz-Date': amzDate, Expires: iso(expiresAt), ServerTime: iso(now) });
    }
  } else if (authorization !== undefined) {
    form = 'header';
    const match = /^AWS4-HMAC-SHA256 (.+)$/.exec(authorization);
    const parts = new Map(
      (match?.[1] ?? '').split(',').map((part) => {
        const eq = part.indexOf('=');
        return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as [string, string];
      }),
    );
    for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
      if (!parts.get(name)) {
        throw new SigV4Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; missing ${name}.`);
      }
    }
    credential = parts.get('Credential')!;
    signedHeaders = parts.get('SignedHeaders')!.split(';');
    signature = parts.get('Signature')!;
    amzDate = String(request.headers['x-amz-date'] ?? '');
    const date = amzDate ? parseAmzDate(amzDate) : Date.parse(String(request.headers.date ?? ''));
    if (Number.isNaN(date)) throw new SigV4Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    if (!amzDate) amzDate = iso(date).replace(/[-:]/g, '');
    const wall = (options.wallNow ?? Date.now)();
    if (Math.abs(wall - date) > MAX_SKEW_MS) {
      throw new SigV4Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { RequestTime: amzDate, ServerTime: iso(wall), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) });
    }
    const declared = request.headers['x-amz-content-sha256'] ?? options.bodySha256;
    if (typeof declared !== 'string') throw new SigV4Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (declared.startsWith('STREAMING-')) {
      // Chunk signatures are not verified locally; clients use requestChecksumCalculation WHEN_REQUIRED.
      throw new SigV4Error(501, 'NotImplemented', `The local S3 does not accept aws-chunked uploads (${declared})`);
    }
    if (declared !== 'UNSIGNED-PAYLOAD' && !/^[0-9a-f]{64}$/.test(declared)) {
      throw new SigV4Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-* or a valid sha256 value.', { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared });
    }
    payloadHash = declared;
  } else {
    throw new SigV4Error(403, 'AccessDenied', 'Access Denied');
  }

  const [accessKeyId = '', day = '', region = '', service = '', terminator = ''] = credential.split('/');
  const secret = options.credentials[accessKeyId];
  if (secret === undefined) {
    throw new SigV4Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
  }
  const malformed = form === 'query' ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed';
  if (terminator !== 'aws4_request' || service !== options.service || day !== amzDate.slice(0, 8)) {
    throw new SigV4Error(400, malformed, `Error parsing the X-Amz-Credential parameter; the credential scope ${credential.split('/').slice(1).join('/')} is not valid for this request.`);
  }
  if (region !== options.region) {
    throw new SigV4Error(400, malformed, `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${options.region}'`, { Region: options.region });
  }
  if (!signedHeaders.includes('host')) {
    throw new SigV4Error(400, malformed, 'Error parsing the X-Amz-SignedHeaders parameter; the host header must be signed.');
  }
  const missing = signedHeaders.filter((name) => request.headers[name] === undefined);
  if (missing.length) {
    throw new SigV4Error(403, 'AccessDenied', `There were headers present in the request which were not signed, or signed headers missing from the request: ${missing.join(', ')}`, { HeadersNotPresent: missing.join(',') });
  }

  const canonical = canonicalRequest(request, signedHeaders, payloadHash, form === 'query');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SigV4Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: signature,
      CanonicalRequest: canonical,
    });
  }
  return { accessKeyId, form, signedHeaders, payloadHash };
}
