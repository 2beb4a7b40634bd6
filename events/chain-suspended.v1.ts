import * as z from 'zod';
import { chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `chain-suspended` v1 — the household applied for reconsideration or sued against a decision of
 * the chain: no next step is allowed and the agencies' deadlines stop until the outcome is
 * recorded. The legal affairs office coordinates (§三(十三)), the land bureau defends (§三(一)).
 */
export const chainSuspendedV1 = {
  name: 'chain-suspended',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema(
    'chain-suspended',
    z.enum(['land-bureau', 'legal-affairs-office', 'leading-group-office']),
    z.object({
      ...chainRef,
      remedyId: z.string(),
      remedyKind: z.enum(['reconsideration', 'lawsuit']),
      instrumentId: z.string(),
      filedAt: z.iso.datetime(),
      body: z.string(),
    }),
  ),
} as const;
