import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `agreement-signed` v1 — an expropriation agreement was signed: the compensation is due in full
 * within 3 months (seed §五(一)4; rule `compensation-payment`). Finance funds it (§三(八)).
 */
export const agreementSignedV1 = {
  name: 'agreement-signed',
  version: 1,
  source: 'land-expropriation.compensation',
  schema: inboxEventSchema(
    'agreement-signed',
    z.literal('finance'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      agreementNumber: z.string(),
      kind: z.enum(['original', 'supplementary']),
      totalFen: z.number().int(),
      /** What each payee is owed; the owner's amount is negative when the household owes a swap's difference. */
      amountsByPayee: z.array(z.object({ payee: z.enum(['owner', 'resettled-person', 'collective', 'social-security-fund']), amountFen: z.number().int() })).min(1),
      signedAt: z.iso.datetime(),
      payment: z.object({ dueAt: z.iso.datetime(), lastDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    }),
  ),
} as const;
