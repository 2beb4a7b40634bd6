import * as z from 'zod';
import { anyAgency } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/** `supervision-assignment` v1 — a problem assigned (交办) to the addressee, to be settled by `dueAt` (§四(四)). */
export const supervisionAssignmentV1 = {
  name: 'supervision-assignment',
  version: 1,
  source: 'land-expropriation.oversight',
  schema: inboxEventSchema(
    'supervision-assignment',
    anyAgency,
    z.object({ assignmentId: z.string(), problem: z.string(), dueAt: z.iso.datetime(), period: z.string(), reportId: z.string().optional() }),
  ),
} as const;
