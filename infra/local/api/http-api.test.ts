import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHttpApi, MAX_REQUEST_BODY_BYTES, type LocalRoute } from './http-api.ts';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, LocalIdp } from './local-idp.ts';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

const jwt = { issuer: DEFAULT_ISSUER, audience: [DEFAULT_AUDIENCE] };
const START = Date.UTC(2030, 0, 15, 8, 0, 0);
let virtualNow = START;
const logLines: string[] = [];

/** A handler answering with which route ran and the event it got (a plain object: 200 JSON). */
function echo(routeKey: string, authorization: LocalRoute['authorization'] = 'JWT'): LocalRoute {
  return { routeKey, authorization, invoke: async (event) => ({ route: routeKey, event }) };
}

const routes: LocalRoute[] = [
  echo('GET /projects/summary'),
  { ...echo('GET /scoped'), scopes: ['land/read', 'land/admin'] },
  echo('GET /projects/{projectId}'),
  echo('POST /projects/{projectId}/notice'),
  echo('ANY /projects/{projectId}/notice'),
  echo('GET /files/{proxy+}', 'NONE'),
  echo('POST /upload', 'NONE'),
  echo('$default', 'NONE'),
  {
    routeKey: 'GET /structured',
    authorization: 'NONE',
    invoke: async () => ({
      statusCode: 201,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-count': 5 },
      multiValueHeaders: { 'x-many': ['a', 'b'] },
      cookies: ['a=1; Path=/', 'b=2'],
      body: '已登记',
    }),
  },
  {
    routeKey: 'GET /binary',
    authorization: 'NONE',
    invoke: async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: Buffer.from([0, 1, 254, 255]).toString('base64'), isBase64Encoded: true }),
  },
  { routeKey: 'GET /string', authorization: 'NONE', invoke: async () => 'hello' },
  { routeKey: 'GET /nothing', authorization: 'NONE', invoke: async () => undefined },
  {
    routeKey: 'GET /boom',
    authorization: 'NONE',
    invoke: async () => {
      throw new Error('kaboom in handler');
    },
  },
  { routeKey: 'GET /malformed', authorization: 'NONE', invoke: async () => ({ statusCode: 'two hundred' }) },
];

let keyDir: string;
let idp: LocalIdp;
let api: LocalHttpApi;
let bare: LocalHttpApi;
let rootGreedy: LocalHttpApi;
let base: string;
let bareBase: string;
let rootGreedyBase: string;
let token: string;

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'http-api-'));
  idp = await LocalIdp.load(keyDir);
  token = await idp.issueToken({ agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', user: 'zhang.san', name: '张三' }, { issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE });
  const clock = (req: { url?: string }, res: { end(body: string): void }) => {
    if (req.url !== '/local/clock') return false;
    res.end(String(virtualNow));
    return true;
  };
  api = new LocalHttpApi({ routes, jwt, idp, now: () => virtualNow, log: (line) => logLines.push(line), extraHandlers: [clock, idp.wellKnownHandler(DEFAULT_ISSUER)] });
  bare = new LocalHttpApi({ routes: [echo('GET /only', 'NONE')], jwt, idp, now: () => virtualNow, log: () => {} });
  base = (await api.listen(0)).url;
  bareBase = (await bare.listen(0)).url;
  rootGreedy = new LocalHttpApi({ routes: [echo('$default', 'NONE'), echo('ANY /{proxy+}', 'NONE')], jwt, idp, now: () => virtualNow, log: () => {} });
  rootGreedyBase = (await rootGreedy.listen(0)).url;
});

afterAll(async () => {
  await api.close();
  await bare.close();
  await rootGreedy.close();
  await rm(keyDir, { recursive: true, force: true });
});

async function call(path: string, init: RequestInit & { auth?: string | null } = {}) {
  const headers = new Headers(init.headers);
  const auth = init.auth === undefined ? `Bearer ${token}` : init.auth;
  if (auth !== null) headers.set('authorization', auth);
  const res = await fetch(`${base}${path}`, { ...init, headers });
  const text = await res.text();
  return { res, text, json: () => JSON.parse(text) as { route: string; event: Event } };
}

/** Sends headers exactly as given (repeats included), which fetch cannot. */
function rawGet(path: string, headers: Record<string, string | string[]>): Promise<{ route: string; event: Event }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function signWithStoredKey(payload: Record<string, unknown>): Promise<string> {
  const jwk = JSON.parse(await readFile(join(keyDir, 'signing-key.json'), 'utf8')) as JWK;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: idp.kid }).sign(await importJWK(jwk, 'RS256'));
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('routing', () => {
  it.each([
    ['GET', '/projects/summary', 'GET /projects/summary'],
    ['GET', '/projects/p-1', 'GET /projects/{projectId}'],
    ['POST', '/projects/p-1/notice', 'POST /projects/{projectId}/notice'],
    ['PUT', '/projects/p-1/notice', 'ANY /projects/{projectId}/notice'],
    ['GET', '/files/a/b.pdf', 'GET /files/{proxy+}'],
    ['GET', '/files', '$default'],
    ['DELETE', '/projects/p-1', '$default'],
    ['GET', '/projects/p-1/other', '$default'],
  ])('%s %s → %s', async (method, path, routeKey) => {
    const { res, json } = await call(path, { method });
    expect(res.status).toBe(200);
    expect(json().route).toBe(routeKey);
    expect(json().event.routeKey).toBe(routeKey);
    expect(json().event.requestContext.routeKey).toBe(routeKey);
  });

  it('answers 404 when no route matches and there is no $default', async () => {
    const res = await fetch(`${bareBase}/projects`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect((await fetch(`${bareBase}/only`)).status).toBe(200);
  });

  it('prefers even a greedy route to $default', async () => {
    const res = await fetch(`${rootGreedyBase}/any/path`, { method: 'PATCH' });
    expect(((await res.json()) as { route: string }).route).toBe('ANY /{proxy+}');
  });

  it('decodes path parameters, the greedy one included', async () => {
    expect((await call('/projects/%E6%B0%B8%E5%B7%9E%201')).json().event.pathParameters).toEqual({ projectId: '永州 1' });
    expect((await call('/files/2030/%E5%85%AC%E5%91%8A.pdf')).json().event.pathParameters).toEqual({ proxy: '2030/公告.pdf' });
  });

  it('omits pathParameters and queryStringParameters when there are none', async () => {
    const { event } = (await call('/projects/summary')).json();
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('body');
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('passes the raw query string and decoded parameters, repeats joined by commas', async () => {
    const { event } = (await call('/projects/p-1?status=open&status=closed&q=%E5%BE%81%E5%9C%B0+notice&flag')).json();
    expect(event.rawQueryString).toBe('status=open&status=closed&q=%E5%BE%81%E5%9C%B0+notice&flag');
    expect(event.queryStringParameters).toEqual({ status: 'open,closed', q: '征地 notice', flag: '' });
  });
});

describe('the event', () => {
  it('has the payload 2.0 shape', async () => {
    const { res, json } = await call('/projects/p-1/notice', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'user-agent': 'clerk/1.0' } });
    const { event } = json();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /projects/{projectId}/notice',
      rawPath: '/projects/p-1/notice',
      body: '{"a":1}',
      isBase64Encoded: false,
      pathParameters: { projectId: 'p-1' },
      requestContext: {
        accountId: expect.any(String),
        apiId: expect.any(String),
        domainName: '127.0.0.1',
        domainPrefix: '127',
        http: { method: 'POST', path: '/projects/p-1/notice', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'clerk/1.0' },
        stage: '$default',
      },
    });
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.requestContext.requestId).toBe(res.headers.get('apigw-requestid'));
  });

  it('gives each request its own id', async () => {
    const [a, b] = await Promise.all([call('/projects/summary'), call('/projects/summary')]);
    expect(a.json().event.requestContext.requestId).not.toBe(b.json().event.requestContext.requestId);
  });

  it('lowercases header names, joins repeats with commas and moves cookies out', async () => {
    const event = (await rawGet('/projects/p-1', { 'X-Dup': ['one', 'two'], Cookie: 'a=1; b=2' })).event;
    expect(event.headers['x-dup']).toBe('one,two');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
  });

  it('takes timeEpoch and time from the virtual clock', async () => {
    virtualNow = START;
    const first = (await call('/projects/summary')).json().event.requestContext;
    expect(first.timeEpoch).toBe(START);
    expect(first.time).toBe('15/Jan/2030:08:00:00 +0000');
    virtualNow = START + 45 * 86_400_000 + 3_723_000;
    const later = (await call('/projects/summary')).json().event.requestContext;
    expect(later.timeEpoch).toBe(virtualNow);
    expect(later.time).toBe('01/Mar/2030:09:02:03 +0000');
  });

  it('sends a binary body base64-encoded, and text as text', async () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255]);
    const binary = (await call('/upload', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } })).json().event;
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body!, 'base64')).toEqual(bytes);
    const form = (await call('/upload', { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).json().event;
    expect(form).toMatchObject({ isBase64Encoded: true, body: Buffer.from('a=1').toString('base64') });
    const text = (await call('/upload', { method: 'POST', body: '公告', headers: { 'content-type': 'text/plain; charset=utf-8' } })).json().event;
    expect(text).toMatchObject({ isBase64Encoded: false, body: '公告' });
  });

  it('refuses a body over 10 MB with 413, and takes one of exactly 10 MB', async () => {
    const over = await call('/upload', { method: 'POST', body: Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1), headers: { 'content-type': 'application/octet-stream' } });
    expect(over.res.status).toBe(413);
    expect(JSON.parse(over.text)).toEqual({ message: 'Request Entity Too Large' });
    const at = await call('/upload', { method: 'POST', body: Buffer.alloc(MAX_REQUEST_BODY_BYTES, 'x'), headers: { 'content-type': 'text/plain' } });
    expect(at.res.status).toBe(200);
    expect(at.json().event.body).toHaveLength(MAX_REQUEST_BODY_BYTES);
  });
});

describe('the JWT authorizer', () => {
  it('passes the claims to the handler as strings, with scopes', async () => {
    const exp = nowSeconds() + 600;
    const custom = await signWithStoredKey({
      iss: DEFAULT_ISSUER,
      aud: [DEFAULT_AUDIENCE, 'other'],
      sub: 'zhang.san',
      agency: 'land-bureau',
      exp,
      iat: nowSeconds(),
      groups: ['clerks', 'reviewers'],
      verified: true,
      scope: 'notices:write cases:read',
    });
    const { event } = (await call('/projects/summary', { auth: `Bearer ${custom}` })).json();
    const { claims, scopes } = event.requestContext.authorizer.jwt;
    expect(claims).toMatchObject({
      iss: DEFAULT_ISSUER,
      aud: `[${DEFAULT_AUDIENCE} other]`,
      agency: 'land-bureau',
      exp: String(exp),
      groups: '[clerks reviewers]',
      verified: 'true',
    });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(scopes).toEqual(['notices:write', 'cases:read']);
  });

  it('gives the issued claims and null scopes for a token from the IdP', async () => {
    const { event } = (await call('/projects/summary')).json();
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({ sub: 'zhang.san', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', name: '张三' });
    expect(event.requestContext.authorizer.jwt.scopes).toBeNull();
  });

  it('accepts the token without the Bearer prefix, as AWS does', async () => {
    expect((await call('/projects/summary', { auth: token })).res.status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    const { res, text } = await call('/projects/summary', { auth: null });
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toEqual({ message: 'Unauthorized' });
  });

  it.each([
    ['garbage', async () => 'Bearer garbage', 'the token is not a valid JWT'],
    ['an expired token', async () => `Bearer ${await signWithStoredKey({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: nowSeconds() - 1 })}`, 'the token has expired'],
    ['a token from another issuer', async () => `Bearer ${await signWithStoredKey({ iss: 'https://other', aud: DEFAULT_AUDIENCE, exp: nowSeconds() + 60 })}`, 'the token does not have a valid issuer'],
    ['a token for another audience', async () => `Bearer ${await signWithStoredKey({ iss: DEFAULT_ISSUER, aud: 'other', exp: nowSeconds() + 60 })}`, 'the token does not have a valid audience'],
    ['a token not valid yet', async () => `Bearer ${await signWithStoredKey({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: nowSeconds() + 600, nbf: nowSeconds() + 300 })}`, 'the token is not valid yet'],
    [
      'a token signed with another key',
      async () => {
        const otherDir = await mkdtemp(join(tmpdir(), 'http-api-other-'));
        const other = await LocalIdp.load(otherDir);
        await rm(otherDir, { recursive: true, force: true });
        return `Bearer ${await other.issueToken({ agency: 'finance', jurisdiction: 'yongzhou', user: 'x' }, { issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE })}`;
      },
      'the token does not have a known key id',
    ],
  ])('answers 401 to %s, saying why in www-authenticate', async (_, authorization, description) => {
    const { res, text } = await call('/projects/summary', { auth: await authorization() });
    expect(res.status).toBe(401);
    expect(JSON.parse(text)).toEqual({ message: 'Unauthorized' });
    expect(res.headers.get('www-authenticate')).toBe(`Bearer scope="" error="invalid_token" error_description="${description}"`);
  });

  it('checks token times against the real clock, not the virtual one', async () => {
    virtualNow = Date.now() + 365 * 86_400_000;
    expect((await call('/projects/summary')).res.status).toBe(200);
    virtualNow = START;
  });

  it('lets NONE routes through without a token, and without an authorizer context', async () => {
    const { res, json } = await call('/files/x', { auth: null });
    expect(res.status).toBe(200);
    expect(json().event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers 403 to a valid token without any of the route\'s scopes, and lets one of them through', async () => {
    const { res, text } = await call('/scoped');
    expect(res.status).toBe(403);
    expect(JSON.parse(text)).toEqual({ message: 'Forbidden' });
    expect(res.headers.get('www-authenticate')).toContain('scope="land/read land/admin" error="insufficient_scope"');
    const scoped = await signWithStoredKey({ iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, exp: nowSeconds() + 60, scope: 'other land/admin' });
    const allowed = await call('/scoped', { auth: `Bearer ${scoped}` });
    expect(allowed.res.status).toBe(200);
    expect(allowed.json().event.requestContext.authorizer.jwt.scopes).toEqual(['other', 'land/admin']);
    // An invalid token is still 401 first, whatever its scopes.
    expect((await call('/scoped', { auth: null })).res.status).toBe(401);
  });

  it('matches the route before authorizing: an unknown path is 404 even without a token', async () => {
    expect((await fetch(`${bareBase}/nowhere`)).status).toBe(404);
  });
});

describe('responses', () => {
  it('maps a structured result: status, headers, cookies, body', async () => {
    const { res, text } = await call('/structured');
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-count')).toBe('5');
    expect(res.headers.get('x-many')).toBe('a, b');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(text).toBe('已登记');
  });

  it('decodes a base64 body', async () => {
    const res = await fetch(`${base}/binary`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from([0, 1, 254, 255]));
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('sends any other value as 200 JSON', async () => {
    const object = await call('/projects/summary');
    expect(object.res.status).toBe(200);
    expect(object.res.headers.get('content-type')).toBe('application/json');
    expect(object.json().route).toBe('GET /projects/summary');
    const string = await call('/string');
    expect([string.res.status, string.res.headers.get('content-type'), string.text]).toEqual([200, 'application/json', '"hello"']);
    expect((await call('/nothing')).text).toBe('null');
  });

  it('answers 500 when the handler throws, and logs the error', async () => {
    const { res, text } = await call('/boom');
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ message: 'Internal Server Error' });
    expect(logLines.some((l) => l.includes('kaboom in handler') && l.includes(res.headers.get('apigw-requestid')!))).toBe(true);
  });

  it('answers 500 to a structured result API Gateway could not use', async () => {
    expect((await call('/malformed')).res.status).toBe(500);
  });

  it('adds apigw-requestid to every response, errors included', async () => {
    for (const path of ['/projects/summary', '/boom']) {
      expect((await call(path)).res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    }
    expect((await call('/projects/summary', { auth: null })).res.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('logs one line per request with method, path and status', async () => {
    await call('/structured');
    await new Promise((resolve) => setImmediate(resolve));
    expect(logLines).toContainEqual(expect.stringMatching(/^GET \/structured → 201, \d+ ms$/));
  });
});

describe('extra handlers', () => {
  it('answer before routing', async () => {
    virtualNow = START + 1;
    const res = await fetch(`${base}/local/clock`);
    expect(await res.text()).toBe(String(START + 1));
    virtualNow = START;
  });

  it('can serve the issuer’s discovery documents', async () => {
    const config = (await (await fetch(`${base}/local-idp/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    expect(config.jwks_uri).toBe(`${DEFAULT_ISSUER}/.well-known/jwks.json`);
    const jwks = (await (await fetch(`${base}/local-idp/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys[0]?.kid).toBe(idp.kid);
  });
});
