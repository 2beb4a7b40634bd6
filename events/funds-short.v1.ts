import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `funds-short` v1 — a signed agreement took what the project's signed agreements pay out past the
 * confirmed deposits of its dedicated account (full funds first: seed §三(八)(十五), 2021
 * Regulations art. 32). Finance and the investment groups are told at the signing.
 */
export const fundsShortV1 = {
  name: 'funds-short',
  version: 1,
  source: 'land-expropriation.compensation',
  schema: inboxEventSchema(
    'funds-short',
    z.enum(['finance', 'investment-group']),
    z.object({ payoutsFen: z.number().int().min(0), depositsFen: z.number().int().min(0), shortfallFen: z.number().int().positive(), agreementId: z.string() }),
  ),
} as const;
