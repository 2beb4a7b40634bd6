import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `policy-query-step` v1 — a district's query on an unclear compensation and resettlement policy
 * moved on (seed §三(三)), and the next actor is asked to act: the city land bureau to convene the
 * topic meeting once the district's letter arrives (and again when the opinion is returned); the
 * city government to approve or return the meeting's opinion; the district government to apply the
 * approved opinion (or to hear that it was returned). The envelope's `projectId` is the case the
 * event lives on: the project the query arose in, else the query itself; `data.projectId` is
 * present only when the query names a project.
 */
export const policyQueryStepV1 = {
  name: 'policy-query-step',
  version: 1,
  source: 'land-expropriation.oversight',
  schema: inboxEventSchema(
    'policy-query-step',
    z.enum(['land-bureau', 'city-government', 'district-government']),
    z.object({
      queryId: z.string(),
      district: z.string(),
      subject: z.string(),
      status: z.enum(['submitted', 'submitted-for-approval', 'approved', 'returned']),
      letterNumber: z.string(),
      /** The topic meeting whose opinion is concerned (absent before the first meeting). */
      round: z.int().positive().optional(),
      projectId: z.string().optional(),
    }),
  ),
} as const;
