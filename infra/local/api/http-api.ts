/**
 * A local stand-in for an API Gateway HTTP API with Lambda proxy integrations (payload format 2.0)
 * and a JWT authorizer. It turns real HTTP requests into the events API Gateway sends, invokes the
 * same bundled handlers, and maps their results back as API Gateway does.
 *
 * Where AWS's behaviour is not documented, what was chosen is said where it is done.
 */
import { randomBytes } from 'node:crypto';
import { closeServer, listen } from '../servers/net.ts';
import { createServer, validateHeaderName, validateHeaderValue, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { TokenRejectedError, type LocalIdp } from './local-idp.ts';

/** API Gateway's request payload quota (10 MB). */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

const LOCAL_ACCOUNT_ID = '000000000000';
const LOCAL_API_ID = 'local';

/** One route of the API and the handler behind it. */
export interface LocalRoute {
  /** `'POST /projects/{projectId}/notice'`, `'ANY /x'`, `'GET /files/{proxy+}'` or `'$default'`. */
  routeKey: string;
  authorization: 'JWT' | 'NONE';
  /** The route's authorization scopes: a token must carry at least one (none: any token). */
  scopes?: readonly string[];
  invoke(event: APIGatewayProxyEventV2WithJWTAuthorizer | APIGatewayProxyEventV2): Promise<unknown>;
}

/** Tried before routing; returns true when it answered the request itself. */
export type ExtraHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface LocalHttpApiOptions {
  routes: LocalRoute[];
  /** The authorizer's configuration, as in the deployed API. */
  jwt: { issuer: string; audience: string[] };
  idp: LocalIdp;
  /** Virtual clock: the event's `timeEpoch`/`time`, hence the handlers' "now". */
  now: () => number;
  /** One line per request and handler failures; defaults to the console. */
  log?: (line: string) => void;
  /** Local-only endpoints (e.g. `/local/clock`). */
  extraHandlers?: ExtraHandler[];
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param' | 'greedy'; name: string };

interface CompiledRoute {
  route: LocalRoute;
  method: string;
  /** Undefined for `$default`. */
  segments: Segment[] | undefined;
}

interface RouteMatch {
  route: LocalRoute;
  pathParameters: Record<string, string> | undefined;
}

interface HttpResult {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

export class LocalHttpApi {
  readonly #routes: CompiledRoute[];
  readonly #options: LocalHttpApiOptions;
  readonly #log: (line: string) => void;
  #server: Server | undefined;

  constructor(options: LocalHttpApiOptions) {
    this.#options = options;
    this.#routes = options.routes.map(compileRoute);
    this.#log = options.log ?? ((line) => console.log(line));
  }

  /** Starts serving on 127.0.0.1; port 0 picks a free port. */
  async listen(port: number): Promise<{ url: string }> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.#server = server;
    return { url: await listen(server, port) };
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await closeServer(server);
  }

  /** Serves one request; usable from any Node HTTP server. Never rejects. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const timeEpoch = this.#options.now();
    const requestId = randomBytes(11).toString('base64');
    const method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPathEncoded = queryAt === -1 ? url : url.slice(0, queryAt);
    res.on('finish', () => this.#log(`${method} ${rawPathEncoded} → ${res.statusCode}, ${Math.round(performance.now() - started)} ms`));
    res.setHeader('apigw-requestid', requestId);
    try {
      for (const extra of this.#options.extraHandlers ?? []) {
        if (await extra(req, res)) return;
      }
      const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
      if (!body) return send(res, message(413, 'Request Entity Too Large'));
      const match = matchRoute(this.#routes, method, rawPathEncoded);
      if (!match) return send(res, message(404, 'Not Found'));
      const headers = eventHeaders(req);
      let authorizer: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'] | undefined;
      if (match.route.authorization === 'JWT') {
        const outcome = await this.#authorize(headers['authorization']);
        if ('denied' in outcome) return send(res, outcome.denied);
        const scopes = scopesOf(outcome.claims);
        const required = match.route.scopes ?? [];
        // As API Gateway: any one of the route's scopes will do; none at all is 403, not 401.
        if (required.length > 0 && !required.some((scope) => scopes?.includes(scope))) {
          const challenge = `Bearer scope="${required.join(' ')}" error="insufficient_scope" error_description="the token does not have the required scope"`;
          return send(res, message(403, 'Forbidden', [['www-authenticate', challenge]]));
        }
        authorizer = { jwt: { claims: stringifyClaims(outcome.claims), scopes } };
      }
      const event = buildEvent({ req, method, url, rawPathEncoded, headers, body, match, authorizer, requestId, timeEpoch });
      let result: HttpResult;
      try {
        result = toHttpResult(await match.route.invoke(event));
      } catch (error) {
        this.#log(`${method} ${rawPathEncoded} handler failed (${requestId}): ${describe(error)}`);
        result = message(500, 'Internal Server Error');
      }
      send(res, result);
    } catch (error) {
      this.#log(`${method} ${rawPathEncoded} local HTTP API failed (${requestId}): ${describe(error)}`);
      if (!res.headersSent) send(res, message(500, 'Internal Server Error'));
      else res.destroy();
    }
  }

  async #authorize(authorization: string | undefined): Promise<{ claims: JWTPayload } | { denied: HttpResult }> {
    // AWS takes the whole header as the token, with or without a "Bearer " prefix.
    const token = authorization?.replace(/^Bearer\s+/i, '').trim();
    // AWS's header for a missing token is undocumented; none is sent here.
    if (!token) return { denied: message(401, 'Unauthorized') };
    try {
      return { claims: await this.#options.idp.verify(token, this.#options.jwt) };
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      const challenge = `Bearer scope="" error="invalid_token" error_description="${error.description}"`;
      return { denied: message(401, 'Unauthorized', [['www-authenticate', challenge]]) };
    }
  }
}

function compileRoute(route: LocalRoute): CompiledRoute {
  if (route.routeKey === '$default') return { route, method: 'ANY', segments: undefined };
  const [method, path, extra] = route.routeKey.split(' ');
  if (!method || !path?.startsWith('/') || extra !== undefined) throw new Error(`invalid route key "${route.routeKey}"`);
  const parts = path.slice(1).split('/');
  const segments = parts.map((part, index): Segment => {
    const variable = /^\{([^{}]+?)(\+?)\}$/.exec(part);
    if (!variable) return { kind: 'literal', text: part };
    if (variable[2] && index !== parts.length - 1) throw new Error(`greedy variable must be last in "${route.routeKey}"`);
    return { kind: variable[2] ? 'greedy' : 'param', name: variable[1]! };
  });
  return { route, method: method.toUpperCase(), segments };
}

/**
 * Picks the most specific route, as HTTP API does: comparing segment by segment, a literal beats
 * `{param}`, which beats `{proxy+}`; for the same path a named method beats `ANY`; `$default` last.
 */
function matchRoute(routes: CompiledRoute[], method: string, rawPath: string): RouteMatch | undefined {
  const parts = rawPath.slice(1).split('/');
  let best: { rank: number[]; match: RouteMatch } | undefined;
  for (const compiled of routes) {
    if (compiled.method !== 'ANY' && compiled.method !== method) continue;
    const pathParameters = compiled.segments ? matchSegments(compiled.segments, parts) : {};
    if (!pathParameters) continue;
    const rank = compiled.segments
      ? [...compiled.segments.map((s) => SEGMENT_RANK[s.kind]), compiled.method === 'ANY' ? 1 : 0]
      : [DEFAULT_ROUTE_RANK];
    if (!best || compareRanks(rank, best.rank) < 0) {
      const hasParameters = Object.keys(pathParameters).length > 0;
      best = { rank, match: { route: compiled.route, pathParameters: hasParameters ? pathParameters : undefined } };
    }
  }
  return best?.match;
}

const SEGMENT_RANK = { literal: 0, param: 1, greedy: 2 } as const;
const DEFAULT_ROUTE_RANK = 3;

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decode(part) !== segment.text) return undefined;
    } else if (segment.kind === 'param') {
      if (!part) return undefined;
      parameters[segment.name] = decode(part);
    } else {
      const rest = parts.slice(index).join('/');
      if (!rest) return undefined;
      parameters[segment.name] = decode(rest);
      return parameters;
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Header names lowercased, repeats joined by commas as in payload 2.0; cookies are moved to `cookies`. */
function eventHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  // What API Gateway adds in front of the integration.
  const sourceIp = sourceIpOf(req);
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${sourceIp}` : sourceIp;
  headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return headers;
}

interface EventParts {
  req: IncomingMessage;
  method: string;
  url: string;
  rawPathEncoded: string;
  headers: Record<string, string>;
  body: Buffer;
  match: RouteMatch;
  authorizer: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'] | undefined;
  requestId: string;
  timeEpoch: number;
}

function buildEvent(p: EventParts): APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer {
  const queryAt = p.url.indexOf('?');
  const rawQueryString = queryAt === -1 ? '' : p.url.slice(queryAt + 1);
  const { cookie, ...headers } = p.headers;
  const cookies = cookie?.split(';').map((c) => c.trim()).filter(Boolean) ?? [];
  const queryStringParameters = parseQuery(rawQueryString);
  // HTTP API hands the integration the path decoded (live captures in hotsock/voker#8).
  const rawPath = decode(p.rawPathEncoded);
  const domainName = (headers['host'] ?? 'localhost').replace(/:\d+$/, '');
  const textual = isTextual(headers['content-type']);
  return {
    version: '2.0',
    routeKey: p.match.route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      ...(p.authorizer ? { authorizer: p.authorizer } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: p.method,
        path: rawPath,
        protocol: `HTTP/${p.req.httpVersion}`,
        sourceIp: sourceIpOf(p.req),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: p.requestId,
      routeKey: p.match.route.routeKey,
      stage: '$default',
      time: formatRequestTime(p.timeEpoch),
      timeEpoch: p.timeEpoch,
    },
    ...(p.body.length > 0 ? { body: p.body.toString(textual ? 'utf8' : 'base64') } : {}),
    ...(p.match.pathParameters ? { pathParameters: p.match.pathParameters } : {}),
    isBase64Encoded: p.body.length > 0 && !textual,
  };
}

/**
 * Only these reach the integration as text; everything else, including no content type and form
 * posts, arrives base64-encoded (measured on AWS, ministackorg/ministack#766).
 */
function isTextual(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return false;
  return type.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(type);
}

/** Decoded names and values (`+` is a space), repeats joined by commas; undefined when empty. */
function parseQuery(raw: string): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const name = decode((at === -1 ? pair : pair.slice(0, at)).replaceAll('+', ' '));
    const value = at === -1 ? '' : decode(pair.slice(at + 1).replaceAll('+', ' '));
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/**
 * Claim values as the JWT authorizer passes them: all strings. Arrays as `[a b]` (as reported from
 * AWS), numbers in decimal, booleans as `true`/`false`; objects as `map[k:v]` and null as `<nil>`
 * are assumed (Go's formatting), not observed.
 */
export function stringifyClaims(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, claimText(value)]));
}

function claimText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${claimText(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** Scopes from `scope` (space-separated) or `scp` (array or string); null when there are none. */
export function scopesOf(claims: JWTPayload): string[] | null {
  const source = claims['scope'] ?? claims['scp'];
  const scopes = Array.isArray(source) ? source.map(String) : typeof source === 'string' ? source.split(/\s+/).filter(Boolean) : [];
  return scopes.length > 0 ? scopes : null;
}

/**
 * Payload 2.0 response mapping: an object with `statusCode` is a structured response; anything
 * else is 200 JSON of the returned value (a returned string arrives JSON-quoted, as Lambda
 * serializes it). A structured response API Gateway could not use becomes a 500.
 */
function toHttpResult(result: unknown): HttpResult {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || !('statusCode' in result)) {
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(result ?? null)) };
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    cookies?: unknown[];
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResponseError(`statusCode must be an HTTP status, got ${JSON.stringify(status)}`);
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') throw new MalformedResponseError('body must be a string');
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(r.headers ?? {})) headers.push([name.toLowerCase(), String(value)]);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    for (const value of values) headers.push([name.toLowerCase(), String(value)]);
  }
  for (const cookie of r.cookies ?? []) headers.push(['set-cookie', String(cookie)]);
  for (const [name, value] of headers) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new MalformedResponseError(`invalid response header "${name}"`, { cause: error });
    }
  }
  const body = typeof r.body === 'string' ? Buffer.from(r.body, r.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status, headers, body };
}

function message(status: number, text: string, headers: Array<[string, string]> = []): HttpResult {
  return { status, headers: [['content-type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify({ message: text })) };
}

function send(res: ServerResponse, result: HttpResult): void {
  res.statusCode = result.status;
  for (const [name, value] of result.headers) res.appendHeader(name, value);
  res.setHeader('content-length', result.body.length);
  res.end(result.body);
}

/**
 * Reads the whole body, or returns undefined once it exceeds `limit`. The rest is still read and
 * dropped, so the client gets the 413 rather than a reset connection.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, as in `requestContext.time`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${clock} +0000`;
}

function sourceIpOf(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // malformed escapes are passed through rather than failing the request
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
