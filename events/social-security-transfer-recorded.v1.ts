import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `social-security-transfer-recorded` v1 — finance transferred a resettled person's social-security
 * subsidy (seed §三(八)); HR-social-security is asked to enrol the person in basic pension and
 * basic medical insurance (§三(十一)). Amounts in integer fen; no ID number.
 */
export const socialSecurityTransferRecordedV1 = {
  name: 'social-security-transfer-recorded',
  version: 1,
  source: 'land-expropriation.social-security',
  schema: inboxEventSchema(
    'social-security-transfer-recorded',
    z.literal('hr-social-security'),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      memberId: z.string(),
      name: z.string(),
      amountFen: z.number().int().positive(),
      transferDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      voucherNumber: z.string(),
    }),
  ),
} as const;
