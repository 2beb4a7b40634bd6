import type { Change, WatchRepository } from '../../../shared/cases/ports.ts';
import type { HolidayCalendar } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { cancelWatch, isLive, meetWatch, openWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import type { Identity } from '../../../shared/identity.ts';
import { onSiteClock, type Incident } from '../domain/incident.ts';

/** The phase of the deadline workflow that times incidents' 2-hour clocks (one execution per incident). */
export const INCIDENT_PHASE = 'incident';

/** `emergency-on-site/<n>`: the n-th time the incident rose into the larger or major class. */
export const onSiteKey = (escalation: number) => `emergency-on-site/${escalation}`;

export interface OnSiteSync {
  changes: Change[];
  releases: Array<{ token: string; watch: DeadlineWatch }>;
  /** The incident's live watches after the change (what its workflow must wait on). */
  live: DeadlineWatch[];
  /** Every watch of the incident after the change, as the answer shows them (no second read). */
  watches: DeadlineWatch[];
  opened?: DeadlineWatch;
}

export const incidentLabel = (incident: Pick<Incident, 'incidentId' | 'location'>) => `${incident.incidentId}（${incident.location.address}）`;

/**
 * The district's 2-hour clock made to match the record (`onSiteClock`): opened when the incident
 * becomes larger or major, met by the leader's arrival, cancelled when the leading group office
 * lowers the class or the incident is closed after the miss. Hours are exact: no night, weekend or
 * holiday moves them (the rule table's `2h`).
 */
export async function syncOnSiteClock(deps: { watches: WatchRepository }, incident: Incident, actor: Identity, now: Date, calendar: HolidayCalendar, cancelReason: string): Promise<OnSiteSync> {
  const existing = await deps.watches.ofCase(incident.incidentId);
  const clock = incident.status === 'open' || incident.leaderOnSite ? onSiteClock(incident) : undefined;
  const key = clock ? onSiteKey(clock.escalation) : undefined;
  const changes: Change[] = [];
  const releases: OnSiteSync['releases'] = [];
  const after = new Map(existing.map((w) => [w.ruleId, w]));
  const update = async (next: DeadlineWatch) => {
    const stored = await deps.watches.get(incident.incidentId, next.ruleId);
    changes.push(deps.watches.save(next, stored.version));
    if (stored.waiting) releases.push({ token: stored.waiting, watch: next });
    after.set(next.ruleId, next);
  };

  let opened: DeadlineWatch | undefined;
  const current = key ? after.get(key) : undefined;
  if (clock && key && !current) {
    const rule = { ...watchRule('emergency-on-site'), id: key };
    const on = { caseId: incident.incidentId, caseKind: 'incident' as const, projectId: incident.projectId, caseLabel: incidentLabel(incident), phase: INCIDENT_PHASE, jurisdiction: incident.district };
    opened = openWatch(on, rule, new Date(clock.triggeredAt), calendar);
    if (clock.metAt) opened = meetWatch(opened, new Date(clock.metAt), actor.user);
    changes.push(deps.watches.save(opened, 'absent'));
    after.set(key, opened);
  } else if (clock?.metAt && current && isLive(current)) {
    await update(meetWatch(current, new Date(clock.metAt), actor.user));
  }
  // A clock no longer wanted (the class lowered; closed without an arrival, the miss already on record) stops.
  for (const watch of existing) {
    if (watch.ruleId !== key && isLive(watch)) await update(cancelWatch(watch, now, cancelReason));
  }
  const watches = [...after.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : 1));
  return { changes, releases, live: watches.filter(isLive), watches, ...(opened ? { opened } : {}) };
}

/** After the commit: the workflow learns what changed. A lost call is made good by the hourly reconcile. */
export async function applyOnSiteSync(scheduler: WatchScheduler, incidentId: string, sync: OnSiteSync, now: Date): Promise<void> {
  for (const { token, watch } of sync.releases) await scheduler.release(token, watch);
  if (sync.live.length > 0) await scheduler.ensure(incidentId, INCIDENT_PHASE, sync.live, now);
}
