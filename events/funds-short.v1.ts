import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `funds-short` v1 — the dedicated account cannot cover what is due (full funds first: seed
 * §三(八)(十五), 2021 Regulations art. 32). Finance and the investment groups are told:
 * - at a signing that took what the project's signed agreements pay out past the confirmed
 *   deposits (`shortfallFen` = payouts − deposits);
 * - when the ledger refused a payment's reservation for want of funds (`refusedPayment` present;
 *   `shortfallFen` = what that payment lacks against the fund's balance). The refusal also makes
 *   finance answer for the household's 3-month clock if it is then missed;
 * - when finance reversed a confirmed deposit and what the signed agreements pay out now passes the
 *   confirmed deposits (`reversedDeposit` present, no `agreementId`).
 */
export const fundsShortV1 = {
  name: 'funds-short',
  version: 1,
  source: 'land-expropriation.compensation',
  schema: inboxEventSchema(
    'funds-short',
    z.enum(['finance', 'investment-group']),
    z.object({
      payoutsFen: z.number().int().min(0),
      depositsFen: z.number().int().min(0),
      shortfallFen: z.number().int().positive(),
      /** The agreement whose signing or payment met the shortfall (absent for a reversal). */
      agreementId: z.string().optional(),
      refusedPayment: z
        .object({
          paymentId: z.string(),
          householdId: z.string(),
          fund: z.enum(['compensation', 'social-security-subsidy']),
          amountFen: z.number().int().positive(),
          balanceFen: z.number().int(),
          refusedAt: z.iso.datetime(),
        })
        .optional(),
      reversedDeposit: z.object({ depositId: z.string(), entryId: z.string(), amountFen: z.number().int().positive() }).optional(),
    }),
  ),
} as const;
