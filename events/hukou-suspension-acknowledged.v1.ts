import * as z from 'zod';

/**
 * `hukou-suspension-acknowledged` v1 — in the land bureau's inbox once public security confirms
 * that it has suspended hukou changes in the project's village groups (seed §三(七)).
 */
export const hukouSuspensionAcknowledgedV1 = {
  name: 'hukou-suspension-acknowledged',
  version: 1,
  source: 'land-expropriation.notices',
  schema: z.object({
    eventId: z.string(),
    projectId: z.string(),
    addressee: z.literal('land-bureau'),
    kind: z.literal('hukou-suspension-acknowledged'),
    at: z.iso.datetime(),
    title: z.string(),
    text: z.string(),
    jurisdictions: z.array(z.string()).min(1),
    data: z.object({
      acknowledgedAt: z.iso.datetime(),
      acknowledgedBy: z.object({ agency: z.literal('public-security'), user: z.string(), jurisdiction: z.string() }),
    }),
  }),
} as const;
