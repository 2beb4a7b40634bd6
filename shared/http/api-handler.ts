import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import type { ActionContext, AuditRecord } from '../audit.ts';
import {
  DEPENDENCY_UNAVAILABLE_MESSAGE,
  DomainError,
  httpStatusOf,
  isDependencyOutage,
  NotFoundError,
  OUTCOME_UNKNOWN_MESSAGE,
  outageLeftNothingDone,
  PayloadTooLargeError,
  RETRY_AFTER_SECONDS,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.ts';
import { identityFromClaims } from '../identity.ts';
import { log, metric, useService } from '../log.ts';
import { observability } from '../observability.ts';
import { routeKeyOf, type RouteSpec } from './routes.ts';
import { useChineseValidationMessages, validationError } from './validation.ts';

useChineseValidationMessages();

/** Bodies above this are refused before parsing; no request of this API needs more. */
export const MAX_BODY_BYTES = 256 * 1024;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends RouteSpec> {
  body: Out<R['body']>;
  query: Out<R['query']>;
  params: Out<R['params']>;
  ctx: ActionContext;
  /**
   * The request as received: header names lower-case, the body's exact text. Only for a route that
   * authenticates the body itself (a bank's signed callback); every other route reads `body`.
   */
  raw: { headers: Readonly<Record<string, string | undefined>>; body: string };
}

/** What a route's implementation returns: checked against the route's declared response schema. */
type Returns<R extends RouteSpec> = z.input<R['response']>;
export type RouteImplementation<R extends RouteSpec> = (input: RouteInput<R>) => Promise<Returns<R>> | Returns<R>;

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

const SECURITY_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'referrer-policy': 'no-referrer',
};

/**
 * Builds a service's API Lambda handler: a middy chain that turns every failure into a JSON error
 * (Chinese message + code, never internals), then routes by API Gateway's routeKey, verifies the
 * identity and validates params/query/body with the route's zod schemas before the one use case
 * that the implementation calls.
 */
export function apiHandler<T extends Record<string, RouteSpec>>(
  routes: T,
  implementations: { [K in keyof T]: RouteImplementation<T[K]> },
  options: { audit?: AuditTrail } = {},
) {
  const service = Object.values(routes)[0]?.service;
  if (service) useService(service);
  const byKey = new Map<string, { route: RouteSpec; implement: RouteImplementation<RouteSpec> }>();
  for (const name of Object.keys(routes)) {
    const route = routes[name]!;
    byKey.set(routeKeyOf(route), { route, implement: implementations[name] as RouteImplementation<RouteSpec> });
  }

  const core = async (event: Event): Promise<Result> => {
    const entry = byKey.get(event.routeKey);
    if (!entry) throw new NotFoundError('route.not-found', '请求的接口不存在');
    const { route, implement } = entry;
    const ctx = contextOf(event, route);
    const input = {
      params: parse(route.params, event.pathParameters ?? {}, 'params'),
      query: parse(route.query, event.queryStringParameters ?? {}, 'query'),
      body: route.body ? parse(route.body, readJsonBody(event), 'body') : undefined,
      ctx,
      raw: { headers: lowerCased(event.headers ?? {}), body: bodyText(event) },
    };
    const result = await implement(input as RouteInput<RouteSpec>);
    return json(route.successStatus ?? 200, result);
  };

  return middy<Event, Result, Error, Context>()
    .use(observability<Event, Result>((event) => event.requestContext?.requestId))
    .use(requestLogging())
    .use(errorResponses())
    .use(deniedAttempts(options.audit))
    .handler(core);
}

/** Who calls a public route (`auth: 'none'`). */
export const ANONYMOUS = { user: 'anonymous', agency: 'leading-group-office', jurisdiction: '' } as const satisfies ActionContext['actor'];

function contextOf(event: Event, route: RouteSpec): ActionContext {
  const now = new Date(event.requestContext.timeEpoch);
  const requestId = event.requestContext.requestId;
  // A public route's caller is nobody: an empty jurisdiction covers no target, so any authorize()
  // a public route might make fails closed (403) instead of granting some agency's rights.
  if (route.auth === 'none') return { actor: ANONYMOUS, requestId, now };
  return { actor: identityFromClaims(event.requestContext.authorizer?.jwt?.claims), requestId, now };
}

function readJsonBody(event: Event): unknown {
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('request.content-type', '请求体必须是 JSON（Content-Type: application/json）');
  }
  const text = bodyText(event);
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError('request.too-large', `请求体超过 ${MAX_BODY_BYTES / 1024} KB 上限`);
  }
  if (text.trim() === '') throw new ValidationError('request.body-missing', '缺少请求体');
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('request.malformed-json', '请求体不是有效的 JSON');
  }
}

function bodyText(event: Event): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** API Gateway v2 lower-cases header names already; a local stand-in may not. */
function lowerCased(headers: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function parse(schema: z.ZodType | undefined, value: unknown, where: 'params' | 'query' | 'body'): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

function json(statusCode: number, body: unknown): Result {
  return { statusCode, headers: { ...SECURITY_HEADERS }, body: JSON.stringify(body) };
}

function errorResponses(): middy.MiddlewareObj<Event, Result> {
  return {
    onError: (request) => {
      const error = request.error;
      const status = httpStatusOf(error);
      const requestId = request.event.requestContext?.requestId;
      if (error instanceof DomainError) {
        metric.refusal(error.code);
        request.response = json(status, {
          error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId },
        });
        if (status === 503) request.response.headers = { ...request.response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) };
        return;
      }
      if (isDependencyOutage(error)) {
        // Not a bug: a dependency is down or throttling. Logged with its name, answered 503.
        log.warn('dependency unavailable', { requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), ...(error instanceof Error && error.stack ? { stack: error.stack.split('\n').slice(1, 8).join(' | ') } : {}) });
        const reads = request.event.requestContext?.http?.method === 'GET' || request.event.routeKey?.startsWith('GET ');
        if (reads || outageLeftNothingDone(error)) {
          request.response = json(503, { error: { code: 'dependency.unavailable', message: DEPENDENCY_UNAVAILABLE_MESSAGE, requestId } });
          request.response.headers = { ...request.response.headers, 'retry-after': String(RETRY_AFTER_SECONDS) };
        } else {
          // A write that timed out may have committed: inviting a blind retry could do it twice.
          request.response = json(503, { error: { code: 'dependency.outcome-unknown', message: OUTCOME_UNKNOWN_MESSAGE, requestId } });
        }
        return;
      }
      log.error('unhandled error', { requestId, error: error instanceof Error ? error.stack : String(error) });
      request.response = json(500, { error: { code: 'internal', message: '系统内部错误，请稍后重试', requestId } });
    },
  };
}

/** Where refused attempts are recorded (the case store's audit trail). */
export interface AuditTrail {
  appendAudit(audit: readonly AuditRecord[]): Promise<void>;
}

/**
 * A refused attempt (403: wrong agency or jurisdiction) is an action too: who tried what, on which
 * route and target. Recorded before the error response is made; a failure to record is logged.
 */
function deniedAttempts(trail: AuditTrail | undefined): middy.MiddlewareObj<Event, Result> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (!trail || !(error instanceof DomainError) || error.category !== 'forbidden') return;
      const event = request.event;
      const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
      const record: AuditRecord = {
        at: new Date(event.requestContext.timeEpoch).toISOString(),
        requestId: event.requestContext.requestId,
        actor: { user: String(claims.sub ?? ''), agency: String(claims.agency ?? '') as AuditRecord['actor']['agency'], jurisdiction: String(claims.jurisdiction ?? '') },
        action: 'access.denied',
        target: { type: 'route', id: event.routeKey, ...(event.pathParameters?.projectId ? { projectId: event.pathParameters.projectId } : {}) },
        summary: { code: error.code },
      };
      await trail.appendAudit([record]).catch((e: unknown) => log.error('recording a refused attempt failed', { requestId: record.requestId, error: String(e) }));
    },
  };
}

/** One structured log line per request: route, status, agency, duration. */
function requestLogging(): middy.MiddlewareObj<Event, Result> {
  const started = new WeakMap<object, number>();
  const done = (request: middy.Request<Event, Result>) => {
    log.info('request', {
      requestId: request.event.requestContext?.requestId,
      route: request.event.routeKey,
      status: request.response?.statusCode,
      agency: request.event.requestContext?.authorizer?.jwt?.claims?.agency,
      ms: Date.now() - (started.get(request) ?? Date.now()),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
    },
    after: done,
    // errorResponses (registered after this) handles the error first, so a response is set here.
    onError: done,
  };
}

export { json as jsonResponse };
