import * as z from 'zod';
import { anyAgency, chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/** `joint-action-planned` v1 — the leading group office set a joint action (§四(二)): each participant is told its date and role. */
export const jointActionPlannedV1 = {
  name: 'joint-action-planned',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema('joint-action-planned', anyAgency, z.object({ ...chainRef, plannedFor: z.iso.datetime(), role: z.string() })),
} as const;
