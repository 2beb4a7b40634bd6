import * as z from 'zod';
import { incidentRef } from './incident.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `leader-on-site` v1 — the district's principal leader arrived at a larger or major incident,
 * recorded with place and photo; `late` when after the 2-hour instant (`dueAt`).
 */
export const leaderOnSiteV1 = {
  name: 'leader-on-site',
  version: 1,
  source: 'land-expropriation.incidents',
  schema: inboxEventSchema(
    'leader-on-site',
    z.literal('leading-group-office'),
    z.object({
      ...incidentRef,
      leaderName: z.string(),
      leaderTitle: z.string(),
      arrivedAt: z.iso.datetime(),
      late: z.boolean(),
      dueAt: z.iso.datetime().optional(),
      /** SHA-256 of each photo taken on arrival. */
      evidence: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1),
    }),
  ),
} as const;
