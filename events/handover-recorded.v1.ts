import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `handover-recorded` v1 — a household vacated and handed over its land (腾地、交地, seed §五(一)4),
 * after full payment. While one party's record awaits the other's sign-off, the other party
 * (township or land bureau) is asked to confirm; once both signed, the land bureau is told to
 * cancel the certificates (§三(一)) and urban management to clear the land (§三(十)).
 */
export const handoverRecordedV1 = {
  name: 'handover-recorded',
  version: 1,
  source: 'land-expropriation.handover',
  schema: inboxEventSchema(
    'handover-recorded',
    z.enum(['land-bureau', 'township', 'urban-management']),
    z.object({
      ...householdRef,
      stage: z.enum(['awaiting-confirmation', 'complete']),
      handedOverAt: z.iso.datetime(),
      place: z.string(),
      parcels: z.array(z.string()).min(1),
      photoCount: z.number().int().positive(),
      recordedBy: z.enum(['township', 'land-bureau']),
      confirmedBy: z.enum(['township', 'land-bureau']).optional(),
      confirmedAt: z.iso.datetime().optional(),
    }),
  ),
} as const;
