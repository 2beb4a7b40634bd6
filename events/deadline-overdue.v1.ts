import * as z from 'zod';
import { AGENCY_IDS } from '../shared/agencies.ts';

/**
 * `deadline-overdue` v1 — published on the alerts topic when an agency deadline passes unmet.
 * The SNS message body is this object as JSON; its attributes repeat agency, kind, project,
 * jurisdiction and severity for filter policies.
 */
export const deadlineOverdueV1 = {
  name: 'deadline-overdue',
  version: 1,
  source: 'land-expropriation.deadlines',
  schema: z.object({
    alertId: z.string(),
    kind: z.literal('deadline-overdue'),
    severity: z.enum(['warning', 'critical']),
    agencies: z.array(z.enum(AGENCY_IDS)).min(1),
    projectId: z.string(),
    jurisdiction: z.string(),
    subject: z.string().max(100),
    message: z.string(),
    data: z.object({
      ruleId: z.string(),
      dueAt: z.iso.datetime(),
      lastDay: z.iso.date(),
      responsibleAgency: z.enum(AGENCY_IDS),
      source: z.string(),
    }),
    raisedAt: z.iso.datetime(),
  }),
} as const;
