import * as z from 'zod';
import { incidentRef } from './incident.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `incident-classified` v1 — an incident's class changed, with the reason (and the criterion of the
 * leading group office's table it was chosen by). Raised to major, it asks for an ad hoc joint meeting.
 */
export const incidentClassifiedV1 = {
  name: 'incident-classified',
  version: 1,
  source: 'land-expropriation.incidents',
  schema: inboxEventSchema(
    'incident-classified',
    z.enum(['district-government', 'leading-group-office']),
    z.object({
      ...incidentRef,
      from: z.enum(['general', 'larger', 'major']),
      reason: z.string(),
      criterionId: z.string().optional(),
    }),
  ),
} as const;
