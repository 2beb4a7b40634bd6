import * as z from 'zod';
import { anyAgency } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/** `resolution-done` v1 — the owner reported a resolution carried out; `late` when at or after its due instant. */
export const resolutionDoneV1 = {
  name: 'resolution-done',
  version: 1,
  source: 'land-expropriation.oversight',
  schema: inboxEventSchema(
    'resolution-done',
    z.literal('leading-group-office'),
    z.object({
      resolutionId: z.string(),
      meetingId: z.string(),
      seq: z.int().positive(),
      owner: anyAgency,
      dueAt: z.iso.datetime(),
      doneAt: z.iso.datetime(),
      late: z.boolean(),
    }),
  ),
} as const;
