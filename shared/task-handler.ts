import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { observability } from './observability.ts';
import { taskError } from './task-errors.ts';

/**
 * A Step Functions task function, the same chain shape as the API handler: observability (the
 * execution's name, when the task carries one, is the correlation id), errors named for the state
 * machine's Retry/Catch (task-errors.ts), the task validated, then the one use case.
 */
export function taskHandler<S extends z.ZodType>(
  schema: S,
  perform: (task: z.output<S>, context: Context) => Promise<unknown>,
  /** How an error is named for the state machine (default: task-errors.ts's taskError). */
  options: { errors?: (error: unknown) => Error } = {},
) {
  return middy<unknown, unknown, Error, Context>()
    .use(observability<unknown, unknown>((event, context) => {
      const named = (event as { execution?: unknown } | null)?.execution;
      return typeof named === 'string' ? named : context?.awsRequestId;
    }))
    .use({
      onError: (request) => {
        request.error = (options.errors ?? taskError)(request.error);
      },
    })
    .use({
      before: (request) => {
        request.event = schema.parse(request.event);
      },
    })
    .handler((event, context) => perform(event as z.output<S>, context));
}
