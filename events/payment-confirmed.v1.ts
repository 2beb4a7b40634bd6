import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/** `payment-confirmed` v1 — the bank settled a payment (callback or query): the money reached the payee. */
export const paymentConfirmedV1 = {
  name: 'payment-confirmed',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'payment-confirmed',
    z.literal('land-bureau'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      paymentId: z.string(),
      payeeGroup: z.string(),
      amountFen: z.number().int().positive(),
      bankReference: z.string(),
      /** The bank's settlement instant: what the 3-month clock counts. */
      settledAt: z.iso.datetime(),
      /** What the agreement in force still has outstanding after it. */
      outstandingFen: z.number().int().min(0),
    }),
  ),
} as const;
