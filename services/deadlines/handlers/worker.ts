import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { metric, useService } from '../../../shared/log.ts';
import { taskHandler } from '../../../shared/task-handler.ts';
import { workerError } from './worker-errors.ts';
import { deadlinesDeps } from '../adapters/deps.ts';
import { maintenanceFailedTask, maintenancePageTask, startReconcileTask } from '../app/maintenance.ts';
import { awaitStepTask, fallDueTask, workflowFailedTask } from '../app/use-cases.ts';

useService('deadlines');
const wired = deadlinesDeps();
// Every alert this function sends is counted (overdue deadlines and failed workflows alike).
const deps = { ...wired, alerts: { publish: async (alert: Parameters<typeof wired.alerts.publish>[0]) => { await wired.alerts.publish(alert); metric.count('AlertsSent'); } } };

/**
 * What the watch workflow (and the reconcile schedule) asks of this function. `now` is the
 * state's entered time, so the step is judged at the instant the workflow reached it;
 * `execution` is the workflow execution's name, the correlation id of its log lines.
 */
const execution = z.string().max(80).optional();
const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('fall-due'), caseId: z.string(), ruleId: z.string(), now: z.iso.datetime(), execution }),
  z.object({ action: z.literal('await-step'), caseId: z.string(), ruleId: z.string(), token: z.string(), execution }),
  z.object({ action: z.literal('workflow-failed'), caseId: z.string(), phase: z.string(), now: z.iso.datetime(), error: z.string().optional(), cause: z.string().optional(), execution }),
  // The hourly schedule starts the hour's reconcile job. In AWS it sends no time (the wall clock is
  // "now"); the local cloud sends its own.
  z.object({ action: z.literal('reconcile'), now: z.iso.datetime().optional(), jobId: z.string().regex(/^reconcile-[A-Za-z0-9-]{1,60}$/).optional() }),
  // The deadline-maintenance workflow: one page of a job, and a job it gave up on.
  z.object({ action: z.literal('maintenance-page'), jobId: z.string().max(80), now: z.iso.datetime(), execution }),
  z.object({ action: z.literal('maintenance-failed'), jobId: z.string().max(80), now: z.iso.datetime(), error: z.string().optional(), cause: z.string().optional(), execution }),
]);
type Task = z.output<typeof task>;

async function perform(input: Task, context: Context): Promise<unknown> {
  const requestId = context?.awsRequestId ?? 'workflow';
  switch (input.action) {
    case 'fall-due': {
      const outcome = await fallDueTask(deps, input, new Date(input.now), requestId);
      // Each deadline counts once: when it turns overdue, or when its timer finds it met in time.
      if (outcome.judged === 'missed') metric.count('DeadlinesMissed');
      if (outcome.judged === 'met-in-time') metric.count('DeadlinesMet');
      return outcome;
    }
    case 'await-step':
      await awaitStepTask(deps, input);
      return { waiting: true };
    case 'workflow-failed':
      await workflowFailedTask(deps, input, new Date(input.now));
      return { alerted: true };
    case 'reconcile':
      return startReconcileTask(deps, input.now ? new Date(input.now) : new Date(), requestId, input.jobId);
    case 'maintenance-page': {
      const outcome = await maintenancePageTask(deps, input, new Date(input.now), requestId);
      // Case phases it could not watch do not fail the job (the others must be watched): an alarm counts them.
      if (outcome.failed) metric.count('ReconcileFailures', outcome.failed);
      return outcome;
    }
    case 'maintenance-failed':
      await maintenanceFailedTask(deps, input, new Date(input.now), requestId);
      return { alerted: true };
  }
}

/** Errors keep their names for the state machine; an alert another attempt is still sending is retried. */
export const handler = taskHandler(task, perform, { errors: workerError });
