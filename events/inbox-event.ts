import * as z from 'zod';

/** The envelope every inbox event shares (shared/inbox.ts): one agency is asked to act on a case. */
export function inboxEventSchema<K extends string, D extends z.ZodType>(kind: K, addressee: z.ZodType, data: D) {
  return z.object({
    eventId: z.string(),
    projectId: z.string(),
    addressee,
    kind: z.literal(kind),
    at: z.iso.datetime(),
    title: z.string(),
    text: z.string(),
    jurisdictions: z.array(z.string()).min(1),
    data,
  });
}

export const householdRef = {
  householdId: z.string(),
  villageGroupId: z.string(),
  householdNumber: z.string(),
};
