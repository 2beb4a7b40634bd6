import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `handover-refused` v1 — a household paid in full refuses to vacate (拒不腾地): it is eligible for
 * the vacating-deadline procedure (seed §五(一)5), which the land bureau starts; the leading group
 * office coordinates joint action (§四(二)).
 */
export const handoverRefusedV1 = {
  name: 'handover-refused',
  version: 1,
  source: 'land-expropriation.handover',
  schema: inboxEventSchema(
    'handover-refused',
    z.enum(['land-bureau', 'leading-group-office']),
    z.object({
      ...householdRef,
      refusedAt: z.iso.datetime(),
      /** Mobilisation visits so far (动员次数), cumulative. */
      persuasionCount: z.number().int().positive(),
      /** How many refusals are on record for the household. */
      refusalCount: z.number().int().positive(),
      enforcementEligible: z.literal(true),
    }),
  ),
} as const;
