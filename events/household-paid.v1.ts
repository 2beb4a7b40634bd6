import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `household-paid` v1 — the bank settled every payee group of the household's agreement in force:
 * the compensation is paid in full (seed §五(一)4). The land bureau and the township may now record
 * the handover (compensate first, then move); finance records the approved resettled persons'
 * social-security subsidy transfers next (§三(八)(十一)).
 */
export const householdPaidV1 = {
  name: 'household-paid',
  version: 1,
  source: 'land-expropriation.payments',
  schema: inboxEventSchema(
    'household-paid',
    z.enum(['land-bureau', 'township', 'finance']),
    z.object({
      ...householdRef,
      agreementId: z.string(),
      agreementNumber: z.string(),
      paidFen: z.number().int().min(0),
      /** The bank settlement that completed the last payee group. */
      paidInFullAt: z.iso.datetime(),
      /** The 3-month clock: met in time, or late. */
      deadline: z.enum(['met', 'met-late']),
      /** The approved resettled persons (农转城), whose social-security subsidy finance transfers next. */
      persons: z.array(z.object({ memberId: z.string(), name: z.string() })),
    }),
  ),
} as const;
