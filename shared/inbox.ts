import { covers, type AgencyId } from './agencies.ts';
import type { Identity } from './identity.ts';

/**
 * Something one agency must act on because another acted: recorded on the case and indexed by
 * the addressed agency, so it shows in that agency's inbox (e.g. public security suspending
 * hukou changes once the notice is published, seed §三(七)).
 */
export interface InboxEvent {
  eventId: string;
  projectId: string;
  addressee: AgencyId;
  kind: string;
  at: string;
  title: string;
  text: string;
  /** Jurisdictions the event concerns; an addressee sees it only within its own. */
  jurisdictions: string[];
  data: Record<string, unknown>;
}

export function inboxEvent(input: Omit<InboxEvent, 'eventId' | 'at'> & { id: string; at: Date }): InboxEvent {
  const { id, at, ...rest } = input;
  return { eventId: id, at: at.toISOString(), ...rest };
}

export function visibleTo(event: Pick<InboxEvent, 'jurisdictions'>, actor: Identity): boolean {
  return event.jurisdictions.some((j) => covers(actor.jurisdiction, j));
}
