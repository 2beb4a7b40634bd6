import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `payment-rejected` v1 — the bank returned a payment (退票: closed account, wrong name, …). It goes
 * back to the branch with the bank's reason; finance makes a corrected, linked payment.
 */
export const paymentRejectedV1 = {
  name: 'payment-rejected',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'payment-rejected',
    z.literal('land-bureau'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      paymentId: z.string(),
      payeeGroup: z.string(),
      amountFen: z.number().int().positive(),
      accountName: z.string(),
      accountMasked: z.string(),
      /** The bank's reason, in its words. */
      reason: z.string().min(1),
      rejectedAt: z.iso.datetime(),
    }),
  ),
} as const;
