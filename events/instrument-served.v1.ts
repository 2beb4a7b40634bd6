import * as z from 'zod';
import { anyAgency, chainRef } from './enforcement.ts';
import { inboxEventSchema } from './inbox-event.ts';

/**
 * `instrument-served` v1 — an instrument of the forced-vacating or illegal-building chain reached
 * the household (or the application reached the court). Its periods run from `effectiveAt`
 * (a public notice takes effect 30 days after publication). The land bureau and the leading group
 * office hear of every service; the court of the application filed with it.
 */
export const instrumentServedV1 = {
  name: 'instrument-served',
  version: 1,
  source: 'land-expropriation.enforcement',
  schema: inboxEventSchema(
    'instrument-served',
    anyAgency,
    z.object({
      ...chainRef,
      instrumentId: z.string(),
      kind: z.enum(['compensation-notification', 'compensation-decision', 'vacating-notice', 'vacating-decision', 'performance-reminder', 'court-application', 'demolition-decision', 'demolition-notice']),
      number: z.string(),
      method: z.enum(['in-person', 'left-at-residence', 'post', 'public-notice']),
      deliveredAt: z.iso.datetime(),
      effectiveAt: z.iso.datetime(),
      /** SHA-256 of the PDF as issued: what was served is exactly these bytes. */
      documentSha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
} as const;
