import * as z from 'zod';
import { chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `chain-resumed` v1 — the outcome of a reconsideration or lawsuit is recorded, and with it how the
 * chain goes on: `status` active (resumed; a new `round` after a decision revoked with an order to
 * decide again), still suspended (another remedy pending), or ended (revoked outright).
 */
export const chainResumedV1 = {
  name: 'chain-resumed',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema(
    'chain-resumed',
    z.enum(['land-bureau', 'leading-group-office']),
    z.object({
      ...chainRef,
      remedyId: z.string(),
      result: z.enum(['upheld', 'changed', 'withdrawn', 'revoked-redo', 'revoked']),
      decidedAt: z.iso.datetime(),
      servedAt: z.iso.datetime(),
      status: z.enum(['active', 'suspended', 'ended']),
      round: z.number().int().positive(),
    }),
  ),
} as const;
