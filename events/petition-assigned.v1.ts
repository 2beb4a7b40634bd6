import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `petition-assigned` v1 — a petition or a household's dispute was recorded: the district
 * government handles it (§三(三)), the petition bureau guides and coordinates (§三(十四)).
 */
export const petitionAssignedV1 = {
  name: 'petition-assigned',
  version: 1,
  source: 'land-expropriation.incidents',
  schema: inboxEventSchema(
    'petition-assigned',
    z.enum(['district-government', 'petition-bureau']),
    z.object({
      petitionId: z.string(),
      kind: z.enum(['petition', 'dispute']),
      channel: z.enum(['visit', 'letter', 'phone', 'online', 'referred']),
      receivedAt: z.iso.datetime(),
      assignedTo: z.literal('district-government'),
      householdId: z.string().optional(),
    }),
  ),
} as const;
