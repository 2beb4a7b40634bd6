import * as z from 'zod';
import { incidentRef } from './incident.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `incident-reported` v1 — a township (or the headquarters) reported an incident (seed §五(三)). The
 * district government, whose headquarters resolves it, hears of every one; the leading group office
 * of a larger or major one, with the instant by which the district's principal leaders must be on
 * site (`onSiteBy`, 2 hours after the report, never moved by night or holiday).
 */
export const incidentReportedV1 = {
  name: 'incident-reported',
  version: 1,
  source: 'land-expropriation.incidents',
  schema: inboxEventSchema(
    'incident-reported',
    z.enum(['district-government', 'leading-group-office']),
    z.object({
      ...incidentRef,
      occurredAt: z.iso.datetime(),
      reportedAt: z.iso.datetime(),
      township: z.string(),
      peopleCount: z.int().nonnegative(),
      onSiteBy: z.iso.datetime().optional(),
    }),
  ),
} as const;
