import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `payment-instructed` v1 — finance instructed an instalment of a household's compensation (seed
 * §三(八)): one payment per payee group, each covered by a reservation in the dedicated account.
 * The land bureau, which signed the agreement, follows the payments. Accounts appear masked only.
 */
export const paymentInstructedV1 = {
  name: 'payment-instructed',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'payment-instructed',
    z.literal('land-bureau'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      agreementNumber: z.string(),
      instalment: z.number().int().positive(),
      payments: z
        .array(
          z.object({
            /** The idempotency key the bank knows the payment by. */
            paymentId: z.string(),
            payeeGroup: z.string(),
            amountFen: z.number().int().positive(),
            accountName: z.string(),
            accountMasked: z.string().regex(/^\d{0,4}\*+\d{4}$/),
          }),
        )
        .min(1),
      totalFen: z.number().int().positive(),
      instructedAt: z.iso.datetime(),
    }),
  ),
} as const;
