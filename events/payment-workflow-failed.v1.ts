import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `payment-workflow-failed` v1 — a payment's workflow stopped on an error it could not get past (a
 * contradiction from the bank, a fault): the payment stays as recorded, nobody follows it any more.
 * Finance checks it with the bank by its idempotency key before anything else is done.
 */
export const paymentWorkflowFailedV1 = {
  name: 'payment-workflow-failed',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'payment-workflow-failed',
    z.literal('finance'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      paymentId: z.string(),
      /** The payment's state when the workflow stopped. */
      status: z.enum(['instructed', 'sent', 'confirmed', 'rejected', 'unknown']),
      amountFen: z.number().int().positive(),
      error: z.string(),
      failedAt: z.iso.datetime(),
    }),
  ),
} as const;
