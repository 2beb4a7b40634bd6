import * as z from 'zod';
import { householdRef, inboxEventSchema } from './inbox-event.ts';

/**
 * `compensation-computed` v1 — a household's compensation was computed from the project's locked
 * standard (seed §五(二)); the township includes it in its village group's disclosure (公示).
 */
export const compensationComputedV1 = {
  name: 'compensation-computed',
  version: 1,
  source: 'land-expropriation.compensation',
  schema: inboxEventSchema(
    'compensation-computed',
    z.literal('township'),
    z.object({
      ...householdRef,
      surveyRevision: z.number().int().min(1),
      totalFen: z.number().int(),
      /** False while something (a pending legality determination) keeps it from being agreed. */
      final: z.boolean(),
    }),
  ),
} as const;
