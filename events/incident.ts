import * as z from 'zod';

/** What every incident event names: the incident, its class and where it happened. */
export const incidentRef = {
  incidentId: z.string(),
  class: z.enum(['general', 'larger', 'major']),
  summary: z.string(),
  address: z.string(),
};
