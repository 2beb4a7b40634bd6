/**
 * The console's API client, typed from the services' own route specs (their zod schemas): a
 * route's path parameters, query, body and answer are the types the server validates against.
 * Only types cross over — `import type` — so no zod and no server code reaches the bundle, and
 * the console can do nothing the API would not let the same token do.
 */
import type * as z from 'zod';
import type { RouteSpec } from '../../../shared/http/routes.ts';

/** A route as the console calls it; `R` carries its types. */
export interface Endpoint<R extends RouteSpec> {
  method: R['method'];
  path: R['path'];
  /** Never set: holds the route's type. */
  readonly route?: R;
}

/**
 * Names a route by its key, checked against the spec: `endpoint<typeof routes.inbox>('GET /inbox')`
 * does not compile if the service's route says anything else.
 */
export function endpoint<R extends RouteSpec>(key: `${R['method']} ${R['path']}`): Endpoint<R> {
  const space = key.indexOf(' ');
  return { method: key.slice(0, space) as R['method'], path: key.slice(space + 1) as R['path'] };
}

type Input<S> = S extends z.ZodType ? z.input<S> : never;
export type Params<R extends RouteSpec> = R extends { params: infer S } ? Input<S> : undefined;
export type Query<R extends RouteSpec> = R extends { query: infer S } ? Input<S> : undefined;
export type Body<R extends RouteSpec> = R extends { body: infer S } ? Input<S> : undefined;
export type Answer<R extends RouteSpec> = z.output<R['response']>;
/** The answer of an endpoint in `api` (`AnswerOf<typeof api.timeline>`). */
export type AnswerOf<E> = E extends Endpoint<infer R> ? Answer<R> : never;

export type CallInput<R extends RouteSpec> = (Params<R> extends undefined ? { params?: undefined } : { params: Params<R> }) &
  (Query<R> extends undefined ? { query?: undefined } : { query?: Partial<Query<R>> }) &
  (Body<R> extends undefined ? { body?: undefined } : { body: Body<R> });

/** An answer that is not 2xx: the API's `{error:{code,message,requestId}}`, or the gateway's 401/403. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export interface ApiClientOptions {
  base: string;
  token: () => string | null;
  /** Called on any 401: the token is gone or expired (the body says nothing more, in AWS too). */
  onUnauthorized: () => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const urlOf = (route: { path: string }, params: unknown, query: unknown): string => {
    const path = route.path.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
      const value = (params as Record<string, unknown> | undefined)?.[name];
      if (value === undefined) throw new Error(`缺少路径参数 ${name}`);
      return encodeURIComponent(String(value));
    });
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
    }
    const qs = search.toString();
    return `${options.base}${path}${qs ? `?${qs}` : ''}`;
  };

  async function send(method: string, url: string, body: unknown): Promise<Response> {
    const token = options.token();
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (response.ok) return response;
    if (response.status === 401) options.onUnauthorized();
    const problem = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string; requestId?: string }; message?: string };
    const message = problem.error?.message ?? (response.status === 401 ? '登录已失效，请重新登录' : response.status === 403 ? '本单位无权执行此操作' : `请求失败（HTTP ${response.status}）`);
    throw new ApiError(response.status, problem.error?.code ?? `http.${response.status}`, message, problem.error?.requestId);
  }

  return {
    /** Calls a route and returns its typed answer. */
    async call<R extends RouteSpec>(route: Endpoint<R>, input: CallInput<R>): Promise<Answer<R>> {
      const response = await send(route.method, urlOf(route, input.params, input.query), input.body);
      return (await response.json()) as Answer<R>;
    },
    /** Calls a route whose answer is a file (a workbook, a PDF) and returns it. */
    async download<R extends RouteSpec>(route: Endpoint<R>, input: CallInput<R>): Promise<Blob> {
      return (await send(route.method, urlOf(route, input.params, input.query), input.body)).blob();
    },
  };
}
