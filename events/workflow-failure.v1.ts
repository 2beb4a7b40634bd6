import * as z from 'zod';
import { AGENCY_IDS } from '../shared/agencies.ts';

/** `workflow-failure` v1 — a deadline watch failed or could not be started; reconcile retries. */
export const workflowFailureV1 = {
  name: 'workflow-failure',
  version: 1,
  source: 'land-expropriation.deadlines',
  schema: z.object({
    alertId: z.string(),
    kind: z.literal('workflow-failure'),
    severity: z.literal('critical'),
    agencies: z.array(z.enum(AGENCY_IDS)).min(1),
    projectId: z.string(),
    jurisdiction: z.string(),
    subject: z.string().max(100),
    message: z.string(),
    data: z.record(z.string(), z.unknown()),
    raisedAt: z.iso.datetime(),
  }),
} as const;
