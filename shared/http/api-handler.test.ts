import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { AuditRecord } from '../audit.ts';
import {
  ConflictError,
  DependencyUnavailableError,
  type DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RuleViolationError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  RETRY_AFTER_SECONDS,
  ValidationError,
  type ErrorCategory,
} from '../errors.ts';
import { authorize } from '../permissions.ts';
import { apiHandler, MAX_BODY_BYTES } from './api-handler.ts';
import { defineRoutes } from './routes.ts';

/**
 * The handler's error mapping, driven with hand-made API Gateway (HTTP API, payload 2.0) events:
 * what every failure looks like to the caller.
 */
const routes = defineRoutes({
  health: { method: 'GET', path: '/health', service: 'test', summary: 'health', auth: 'none', response: z.unknown() },
  act: {
    method: 'POST',
    path: '/projects/{projectId}/act',
    service: 'test',
    summary: 'act',
    auth: 'jwt',
    params: z.strictObject({ projectId: z.string().regex(/^P\d+$/) }),
    body: z.strictObject({ name: z.string(), throw: z.string().optional() }),
    successStatus: 201,
    response: z.unknown(),
  },
  list: { method: 'GET', path: '/things', service: 'test', summary: 'list', auth: 'jwt', query: z.strictObject({ limit: z.coerce.number().int().min(1) }), response: z.unknown() },
});

const SECRET = 'password=hunter2 at db.internal:5432';
const THROWN: Record<string, () => Error> = {
  validation: () => new ValidationError('x.invalid', '无效', { field: 'name' }),
  unauthenticated: () => new UnauthenticatedError('x.unauthenticated', '未认证'),
  forbidden: () => new ForbiddenError('forbidden.agency', '本单位无权'),
  'not-found': () => new NotFoundError('x.not-found', '不存在'),
  conflict: () => new ConflictError('x.conflict', '冲突'),
  'too-large': () => new PayloadTooLargeError('x.too-large', '过大'),
  'media-type': () => new UnsupportedMediaTypeError('x.media-type', '类型不对'),
  rule: () => new RuleViolationError('x.rule', '规则不允许'),
  unavailable: () => new DependencyUnavailableError('x.unavailable', '暂时不可用'),
  unknown: () => new Error(SECRET),
  'not-an-error': () => ({ message: SECRET }) as unknown as Error,
};

const audited: AuditRecord[] = [];
let failAudit = false;
const trail = {
  async appendAudit(records: readonly AuditRecord[]) {
    if (failAudit) throw new Error('audit table unavailable');
    audited.push(...records);
  },
};
const handler = apiHandler(
  routes,
  {
    health: () => ({ ok: true }),
    act: ({ params, body, ctx }) => {
      if (body.throw) throw THROWN[body.throw]!();
      return { projectId: params.projectId, name: body.name, by: ctx.actor.agency, requestId: ctx.requestId, now: ctx.now.toISOString() };
    },
    list: ({ query }) => ({ limit: query.limit }),
  },
  { audit: trail },
);

const CLAIMS = { sub: 'u-1', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const TIME = Date.parse('2026-09-01T02:00:00.000Z');

function event(overrides: {
  routeKey?: string;
  body?: string;
  headers?: Record<string, string>;
  claims?: Record<string, string> | undefined;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const claims = 'claims' in overrides ? overrides.claims : CLAIMS;
  return {
    version: '2.0',
    routeKey: overrides.routeKey ?? 'POST /projects/{projectId}/act',
    rawPath: '/projects/P1/act',
    rawQueryString: '',
    headers: overrides.headers ?? { 'content-type': 'application/json' },
    ...(overrides.body !== undefined ? { body: overrides.body } : {}),
    pathParameters: overrides.pathParameters ?? { projectId: 'P1' },
    ...(overrides.query ? { queryStringParameters: overrides.query } : {}),
    isBase64Encoded: overrides.isBase64Encoded ?? false,
    requestContext: {
      requestId: 'req-123',
      routeKey: overrides.routeKey ?? 'POST /projects/{projectId}/act',
      timeEpoch: TIME,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

async function invoke(e: APIGatewayProxyEventV2WithJWTAuthorizer) {
  const result = (await handler(e, {} as Context)) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, headers: result.headers ?? {}, text: String(result.body), body: JSON.parse(String(result.body)) };
}

const SECURITY_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
};

let errors: string[];
beforeEach(() => {
  audited.length = 0;
  failAudit = false;
  errors = [];
  vi.stubEnv('LOG_LEVEL', 'error');
  // Powertools Logger writes through its own Console on the process streams, not the global console.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      errors.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('a successful request', () => {
  it('reaches the implementation with parsed input and the context from the token and API Gateway', async () => {
    const response = await invoke(event({ body: JSON.stringify({ name: '甲' }) }));
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ projectId: 'P1', name: '甲', by: 'land-bureau', requestId: 'req-123', now: new Date(TIME).toISOString() });
    expect(response.headers).toEqual(SECURITY_HEADERS);
  });

  it('accepts a +json media type and a base64-encoded body', async () => {
    const body = Buffer.from(JSON.stringify({ name: '乙' })).toString('base64');
    const response = await invoke(event({ body, isBase64Encoded: true, headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' } }));
    expect(response.status, response.text).toBe(201);
    expect(response.body.name).toBe('乙');
  });

  it('a public route acts for nobody: any authorization it asked for would be refused', async () => {
    const guarded = apiHandler(defineRoutes({ open: { method: 'GET', path: '/open', service: 'test', summary: 'open', auth: 'none', response: z.unknown() } }), {
      open: ({ ctx }) => authorize(ctx.actor, 'project.read', ['yongzhou']),
    });
    const result = (await guarded({ ...event({ routeKey: 'GET /open', claims: undefined, headers: {} }) }, {} as Context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(403);
  });

  it('needs no token on a public route', async () => {
    const response = await invoke(event({ routeKey: 'GET /health', claims: undefined, headers: {} }));
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describe('domain errors', () => {
  const STATUS: Record<ErrorCategory, number> = {
    validation: 400,
    unauthenticated: 401,
    forbidden: 403,
    'not-found': 404,
    conflict: 409,
    'too-large': 413,
    'media-type': 415,
    rule: 422,
    unavailable: 503,
  };

  it.each(Object.entries(STATUS))('%s → %i with code, Chinese message, details and the request id, and the security headers', async (category, status) => {
    const response = await invoke(event({ body: JSON.stringify({ name: '甲', throw: category }) }));
    const thrown = THROWN[category]!() as DomainError;
    expect(response.status).toBe(status);
    // A 503 also says when to retry.
    expect(response.headers).toEqual(status === 503 ? { ...SECURITY_HEADERS, 'retry-after': String(RETRY_AFTER_SECONDS) } : SECURITY_HEADERS);
    expect(response.body).toEqual({ error: { code: thrown.code, message: thrown.message, ...(thrown.details ? { details: thrown.details } : {}), requestId: 'req-123' } });
  });
});

describe('anything else', () => {
  it.each(['unknown', 'not-an-error'])('%s → 500 with a generic message and the request id, the internals only in the log', async (kind) => {
    const response = await invoke(event({ body: JSON.stringify({ name: '甲', throw: kind }) }));
    expect(response.status).toBe(500);
    expect(response.headers).toEqual(SECURITY_HEADERS);
    expect(response.body).toEqual({ error: { code: 'internal', message: '系统内部错误，请稍后重试', requestId: 'req-123' } });
    expect(response.text).not.toContain('hunter2');
    expect(response.text).not.toContain('api-handler');
    expect(errors.join('\n')).toContain('req-123');
    expect(errors.join('\n')).toContain(kind === 'unknown' ? 'hunter2' : 'object');
  });
});

describe('requests the handler refuses before the use case', () => {
  const refused = async (e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
    const response = await invoke(e);
    expect(response.headers).toEqual(SECURITY_HEADERS);
    expect(response.body.error.requestId).toBe('req-123');
    expect(response.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    return [response.status, response.body.error.code];
  };

  it('a route API Gateway knows but this handler does not → 404 route.not-found', async () => {
    expect(await refused(event({ routeKey: 'DELETE /projects/{projectId}/act' }))).toEqual([404, 'route.not-found']);
  });

  it('a body that is not JSON → 415; a JSON media type is required even with no body', async () => {
    expect(await refused(event({ body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).toEqual([415, 'request.content-type']);
    expect(await refused(event({ body: '{"name":"甲"}', headers: {} }))).toEqual([415, 'request.content-type']);
    expect(await refused(event({ body: '{"name":"甲"}', headers: { 'content-type': 'text/json' } }))).toEqual([415, 'request.content-type']);
  });

  it('a body over the limit → 413 (counted in bytes, after base64 decoding); one at the limit is parsed', async () => {
    const atLimit = (char: string) => JSON.stringify({ name: char.repeat((MAX_BODY_BYTES - 11) / Buffer.byteLength(char)) });
    expect(Buffer.byteLength(atLimit('a'))).toBe(MAX_BODY_BYTES);
    expect((await invoke(event({ body: atLimit('a') }))).status).toBe(201);
    expect(await refused(event({ body: atLimit('a').replace('"a', '"aa') }))).toEqual([413, 'request.too-large']);
    // Fewer characters than the limit, more bytes (each 汉字 is 3 bytes in UTF-8).
    const wide = JSON.stringify({ name: '汉'.repeat(MAX_BODY_BYTES / 3) });
    expect(wide.length).toBeLessThan(MAX_BODY_BYTES);
    expect(await refused(event({ body: wide }))).toEqual([413, 'request.too-large']);
    const encoded = Buffer.from(atLimit('a').replace('"a', '"aa')).toString('base64');
    expect(await refused(event({ body: encoded, isBase64Encoded: true }))).toEqual([413, 'request.too-large']);
  });

  it('no body or a blank one → 400 request.body-missing; malformed JSON → 400 request.malformed-json', async () => {
    expect(await refused(event({}))).toEqual([400, 'request.body-missing']);
    expect(await refused(event({ body: ' \n ' }))).toEqual([400, 'request.body-missing']);
    expect(await refused(event({ body: '{"name":' }))).toEqual([400, 'request.malformed-json']);
  });

  it('invalid params, query or body → 400 request.invalid saying where and which field', async () => {
    const params = await invoke(event({ body: '{"name":"甲"}', pathParameters: { projectId: '../etc' } }));
    expect(params).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', details: { where: 'params', issues: [{ field: 'projectId' }] } } } });
    const body = await invoke(event({ body: '{"name":1}' }));
    expect(body).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', details: { where: 'body', issues: [{ field: 'name' }] } } } });
    expect(body.body.error.message).toMatch(/^请求体不符合要求 — name：/);
    const query = await invoke(event({ routeKey: 'GET /things', query: { limit: '0' }, headers: {} }));
    expect(query).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', details: { where: 'query' } } } });
    expect((await invoke(event({ routeKey: 'GET /things', query: { limit: '5' }, headers: {} }))).body).toEqual({ limit: 5 });
  });

  it('a token without a usable identity → 401 before the body is read', async () => {
    expect(await refused(event({ claims: undefined, body: '{"name":' }))).toEqual([401, 'identity.invalid']);
    expect(await refused(event({ claims: { ...CLAIMS, agency: 'nobody' }, body: '{"name":"甲"}' }))).toEqual([401, 'identity.invalid']);
  });
});

describe('refused attempts (403) are audited', () => {
  it('records who tried which route on which project, with the code, at the request time', async () => {
    const response = await invoke(event({ body: JSON.stringify({ name: '甲', throw: 'forbidden' }) }));
    expect(response.status).toBe(403);
    expect(audited).toEqual([
      {
        at: new Date(TIME).toISOString(),
        requestId: 'req-123',
        actor: { user: 'u-1', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' },
        action: 'access.denied',
        target: { type: 'route', id: 'POST /projects/{projectId}/act', projectId: 'P1' },
        summary: { code: 'forbidden.agency' },
      },
    ]);
  });

  it('including a token whose agency cannot act at its jurisdiction’s level', async () => {
    const response = await invoke(event({ claims: { ...CLAIMS, agency: 'township', jurisdiction: 'yongzhou' }, body: '{"name":"甲"}' }));
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'identity.level-mismatch' } } });
    expect(audited).toEqual([expect.objectContaining({ actor: { user: 'u-1', agency: 'township', jurisdiction: 'yongzhou' }, summary: { code: 'identity.level-mismatch' } })]);
  });

  it('other refusals are not recorded as denied access', async () => {
    for (const kind of ['validation', 'unauthenticated', 'not-found', 'conflict', 'rule', 'unknown']) {
      await invoke(event({ body: JSON.stringify({ name: '甲', throw: kind }) }));
    }
    expect(audited).toEqual([]);
  });

  it('a failure to record is logged, and the caller still gets the 403', async () => {
    failAudit = true;
    const response = await invoke(event({ body: JSON.stringify({ name: '甲', throw: 'forbidden' }) }));
    expect(response).toMatchObject({ status: 403, body: { error: { code: 'forbidden.agency', requestId: 'req-123' } } });
    expect(errors.join('\n')).toContain('recording a refused attempt failed');
  });
});
