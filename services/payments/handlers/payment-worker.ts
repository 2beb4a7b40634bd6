import * as z from 'zod';
import { useService } from '../../../shared/log.ts';
import { taskHandler } from '../../../shared/task-handler.ts';
import { paymentWorkerDeps } from '../adapters/deps.ts';
import { paymentTaskError } from './worker-errors.ts';
import { awaitBank, paymentWorkflowFailed, queryBank, sendToBank } from '../app/payment-workflow.ts';

useService('payments');
const deps = paymentWorkerDeps();

/**
 * What the payment workflow (infra/constructs/payment-workflow.ts) asks of this function. `now` is
 * the state's entered time; `execution` the workflow execution's name (the log lines' correlation id).
 */
const execution = z.string().max(80).optional();
const paymentId = z.string().min(1).max(200);
const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('send'), paymentId, now: z.iso.datetime(), execution }),
  z.object({ action: z.literal('await'), paymentId, token: z.string().min(1), execution }),
  z.object({ action: z.literal('query'), paymentId, now: z.iso.datetime(), execution }),
  z.object({ action: z.literal('workflow-failed'), paymentId, now: z.iso.datetime(), error: z.string().optional(), cause: z.string().optional(), execution }),
]);

export const handler = taskHandler(
  task,
  async (input) => {
    switch (input.action) {
      case 'send':
        return sendToBank(deps, { paymentId: input.paymentId }, new Date(input.now));
      case 'await':
        await awaitBank(deps, { paymentId: input.paymentId, token: input.token });
        return { waiting: true };
      case 'query':
        return queryBank(deps, { paymentId: input.paymentId }, new Date(input.now));
      case 'workflow-failed':
        await paymentWorkflowFailed(deps, input, new Date(input.now));
        return { reported: true };
    }
  },
  { errors: paymentTaskError },
);
