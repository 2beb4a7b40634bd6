import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { beginInvocation, flushMetrics } from './log.ts';

/**
 * The first middleware of every handler's middy chain: names the invocation's correlation id
 * (API Gateway request id, or the workflow execution) on every log line, and writes the
 * invocation's metrics once at its end, whether it succeeded or failed.
 */
export function observability<E, R>(correlationIdOf: (event: E, context: Context) => string | undefined): middy.MiddlewareObj<E, R, Error, Context> {
  return {
    before: (request) => beginInvocation(correlationIdOf(request.event, request.context), request.context),
    after: () => flushMetrics(),
    onError: () => flushMetrics(),
  };
}
