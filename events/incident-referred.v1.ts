import * as z from 'zod';
import { incidentRef } from './incident.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `incident-referred` v1 — violent resistance referred: public security to keep public order
 * (§三(七)), the procuratorate to arrest and prosecute fast (§三(五)); each a task in its inbox.
 */
export const incidentReferredV1 = {
  name: 'incident-referred',
  version: 1,
  source: 'land-expropriation.incidents',
  schema: inboxEventSchema(
    'incident-referred',
    z.enum(['public-security', 'procuratorate']),
    z.object({ ...incidentRef, task: z.string(), description: z.string() }),
  ),
} as const;
