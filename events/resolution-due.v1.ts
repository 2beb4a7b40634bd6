import * as z from 'zod';
import { anyAgency } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `resolution-due` v1 — a joint meeting made the addressee the owner of a resolution, due at
 * `dueAt` (counted on the legal calendar from the meeting). `projectId` is the project it concerns,
 * or the meeting's id for a city-wide resolution.
 */
export const resolutionDueV1 = {
  name: 'resolution-due',
  version: 1,
  source: 'land-expropriation.oversight',
  schema: inboxEventSchema(
    'resolution-due',
    anyAgency,
    z.object({
      resolutionId: z.string(),
      meetingId: z.string(),
      seq: z.int().positive(),
      text: z.string(),
      owner: anyAgency,
      period: z.string(),
      dueAt: z.iso.datetime(),
      subjectProjectId: z.string().optional(),
    }),
  ),
} as const;
