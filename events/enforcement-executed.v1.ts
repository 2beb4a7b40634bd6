import * as z from 'zod';
import { chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `enforcement-executed` v1 — the forced vacating or demolition was carried out (on film, in lawful
 * hours unless an emergency was recorded, ACL art. 43); the land bureau records the handover that
 * closes the case.
 */
export const enforcementExecutedV1 = {
  name: 'enforcement-executed',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema(
    'enforcement-executed',
    z.enum(['land-bureau', 'leading-group-office']),
    z.object({
      ...chainRef,
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime(),
      /** SHA-256 of each video and photo of the execution. */
      evidence: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1),
    }),
  ),
} as const;
