import * as z from 'zod';

/**
 * `hukou-changes-suspended` v1 — in public security's inbox once a notice is published: suspend
 * household-registration changes in the affected village groups (seed §三(七)).
 */
export const hukouChangesSuspendedV1 = {
  name: 'hukou-changes-suspended',
  version: 1,
  source: 'land-expropriation.notices',
  schema: z.object({
    eventId: z.string(),
    projectId: z.string(),
    addressee: z.literal('public-security'),
    kind: z.literal('hukou-changes-suspended'),
    at: z.iso.datetime(),
    title: z.string(),
    text: z.string(),
    jurisdictions: z.array(z.string()).min(1),
    data: z.object({
      villageGroups: z.array(z.object({ id: z.string(), name: z.string(), village: z.string(), township: z.string() })),
      since: z.iso.datetime(),
    }),
  }),
} as const;
