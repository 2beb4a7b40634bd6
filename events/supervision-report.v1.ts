import * as z from 'zod';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `supervision-report` v1 — the inspectors' report of what was not carried out (§四(四)), as a PDF
 * stored with its SHA-256: to the city government (its leaders) and the leading group office.
 * `projectId` is the report's id (it concerns the whole city).
 */
export const supervisionReportV1 = {
  name: 'supervision-report',
  version: 1,
  source: 'land-expropriation.oversight',
  schema: inboxEventSchema(
    'supervision-report',
    z.enum(['city-government', 'leading-group-office']),
    z.object({
      reportId: z.string(),
      number: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      resolutions: z.int().nonnegative(),
      missedDeadlines: z.int().nonnegative(),
      missedArrivals: z.int().nonnegative(),
      missedMeetingMonths: z.int().nonnegative(),
    }),
  ),
} as const;
