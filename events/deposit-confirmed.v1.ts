import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `deposit-confirmed` v1 — finance confirmed that a deposit reached the project's dedicated account
 * (seed §三(八)(十五)). The land bureau, which signs the agreements and organises the payments
 * (§三(一)), learns that the funds are there and how much of the fund is free.
 */
export const depositConfirmedV1 = {
  name: 'deposit-confirmed',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'deposit-confirmed',
    z.literal('land-bureau'),
    z.object({
      depositId: z.string(),
      /** The confirmation's entry in the account's ledger. */
      entryId: z.string().min(1),
      fund: z.enum(['compensation', 'social-security-subsidy']),
      amountFen: z.number().int().positive(),
      voucherNumber: z.string(),
      valueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      /** The fund's balance after the confirmation: confirmed deposits − reservations not released. */
      balanceFen: z.number().int(),
      confirmedAt: z.iso.datetime(),
    }),
  ),
} as const;
