import * as z from 'zod';
import { ConflictError } from '../../../shared/errors.ts';
import { useService } from '../../../shared/log.ts';
import { taskHandler } from '../../../shared/task-handler.ts';
import { taskError } from '../../../shared/task-errors.ts';
import { paymentWorkerDeps } from '../adapters/deps.ts';
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

/** Another writer changed the payment or took the ledger's next entry: the workflow retries the step. */
class PaymentChangedError extends Error {
  override name = 'PaymentChangedError';
}
const CONCURRENT = new Set(['conflict.concurrent-change', 'ledger.concurrent-append', 'payment.changed']);

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
  { errors: (error) => (error instanceof ConflictError && CONCURRENT.has(error.code) ? new PaymentChangedError(error.message, { cause: error }) : taskError(error)) },
);
