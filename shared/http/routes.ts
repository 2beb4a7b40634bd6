import type * as z from 'zod';
import type { Action } from '../permissions.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One API route as data: the CDK app makes an API Gateway route of it, the OpenAPI document
 * describes it, and the service's handler validates requests against it.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template, e.g. `/projects/{projectId}/notice`. */
  path: string;
  /** Which Lambda service serves it. */
  service: string;
  summary: string;
  /** The permission checked (documentation; the use case performs the check). */
  action?: Action;
  /** `none` only for the OpenAPI document and the health checks. */
  auth: 'jwt' | 'none';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** What a successful response carries (OpenAPI; the response tests hold the API to it). */
  response: z.ZodType;
  /** Status of a successful response; 200 unless it creates something (201) or accepts work that goes on (202). */
  successStatus?: 200 | 201 | 202;
}

export const routeKeyOf = (route: Pick<RouteSpec, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** Declares routes with their literal types kept (so handlers are checked against them). */
export function defineRoutes<const T extends Record<string, RouteSpec>>(routes: T): T {
  return routes;
}
