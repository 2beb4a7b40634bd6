import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `survey-confirmed` v1 — the household signed its survey: the members' checks are now due.
 * Public security verifies each member's hukou as of the notice date (seed §三(七)); civil affairs
 * reviews serving and retired military members (§三(十二)). One event per addressed agency.
 */
export const surveyConfirmedV1 = {
  name: 'survey-confirmed',
  version: 1,
  source: 'land-expropriation.compensation',
  schema: inboxEventSchema(
    'survey-confirmed',
    z.enum(['public-security', 'civil-affairs']),
    z.object({
      ...householdRef,
      surveyRevision: z.number().int().min(1),
      checks: z.array(z.object({ memberId: z.string(), kind: z.enum(['hukou', 'military']), name: z.string(), idNumberMasked: z.string() })).min(1),
    }),
  ),
} as const;
