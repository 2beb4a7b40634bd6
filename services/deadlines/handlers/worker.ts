import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { deadlinesDeps } from '../adapters/deps.ts';
import { awaitStepTask, fallDueTask, reconcileTask, workflowFailedTask } from '../app/use-cases.ts';

const deps = deadlinesDeps();

/**
 * What the watch workflow (and the reconcile schedule) asks of this function. `now` is the
 * state's entered time, so the step is judged at the instant the workflow reached it.
 */
const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('fall-due'), caseId: z.string(), ruleId: z.string(), now: z.iso.datetime() }),
  z.object({ action: z.literal('await-step'), caseId: z.string(), ruleId: z.string(), token: z.string() }),
  z.object({ action: z.literal('workflow-failed'), caseId: z.string(), phase: z.string(), now: z.iso.datetime(), error: z.string().optional(), cause: z.string().optional() }),
  // In AWS the hourly schedule sends no time (the wall clock is "now"); the local cloud sends its own.
  z.object({ action: z.literal('reconcile'), now: z.iso.datetime().optional() }),
]);

export async function handler(event: unknown, context?: Context): Promise<unknown> {
  const input = task.parse(event);
  const requestId = context?.awsRequestId ?? 'workflow';
  switch (input.action) {
    case 'fall-due':
      return fallDueTask(deps, input, new Date(input.now), requestId);
    case 'await-step':
      await awaitStepTask(deps, input);
      return { waiting: true };
    case 'workflow-failed':
      await workflowFailedTask(deps, input, new Date(input.now));
      return { alerted: true };
    case 'reconcile':
      return reconcileTask(deps, input.now ? new Date(input.now) : new Date());
  }
}
