import type { AgencyId } from '../../../shared/agencies.ts';
import { computeDeadline, computeRuleDeadline, expiryInstant, MissingHolidayDataError, resolveRule, type HolidayCalendar, type RuleId } from '../../../shared/calendar/index.ts';
import { instrumentOf, type EnforcementChain, type Instrument, type RemedyCase } from './chain.ts';

/**
 * The chain's clocks, computed from the record alone: when each waiting period lets the next step
 * through, and which agency deadlines run. Every period comes from the rule table and the legal
 * calendar; every start is a service's effective instant, never an issue date.
 */

type Chain = Pick<EnforcementChain, 'instruments' | 'round' | 'remedies' | 'variant'>;

/** The instant a period starting at `from` has run out (24:00 Beijing of its last day): the gated step is allowed from it. */
export function periodEnds(ruleId: RuleId, from: string, chain: Pick<EnforcementChain, 'variant'>, calendar: HolidayCalendar, noticePeriod?: string): string {
  return computeRuleDeadline(ruleId, from, calendar, { variant: chain.variant, ...(noticePeriod ? { noticePeriod } : {}) }).deadline.dueAt;
}

/** The start of a period that runs "from when another one ends": its last instant, so counting starts the next day. */
const lastInstantBefore = (dueAt: string) => new Date(Date.parse(dueAt) - 1).toISOString();

/** Periods from a served instrument start at the effective instant of its service. */
function servedAt(instrument: Instrument | undefined): string | undefined {
  return instrument?.service?.effectiveAt;
}

/**
 * When the household can no longer challenge a served decision in time — the instant its
 * reconsideration and litigation periods have run out, as they actually apply:
 * - a judgement in force (lawsuit decided): from the judgement's service;
 * - a reconsideration decided (and no lawsuit): 15 days from its service (ALL art. 45);
 * - otherwise 6 months from service where the served copy stated the right to sue (ALL art. 46), one
 *   year where it did not (法释〔2018〕1号 art. 64) — these outlast the 60 days / one year to apply
 *   for reconsideration (ARL art. 20), so they decide.
 * Undefined while a remedy is pending (the chain is suspended) or the decision is not served.
 */
export function remedyPeriodsEnd(chain: Chain, decision: Instrument | undefined, calendar: HolidayCalendar): string | undefined {
  const effective = servedAt(decision);
  if (!decision || !effective) return undefined;
  const remedies = chain.remedies.filter((r) => r.instrumentId === decision.instrumentId);
  if (remedies.some((r) => !r.outcome)) return undefined;
  const decided = remedies.filter((r) => r.outcome && r.outcome.result !== 'withdrawn').sort((a, b) => a.outcome!.servedAt.localeCompare(b.outcome!.servedAt));
  const lawsuit = decided.filter((r) => r.kind === 'lawsuit').at(-1);
  if (lawsuit) return lawsuit.outcome!.servedAt;
  const reconsideration = decided.filter((r) => r.kind === 'reconsideration').at(-1);
  if (reconsideration) return periodEnds('litigation-after-reconsideration', reconsideration.outcome!.servedAt, chain, calendar);
  return periodEnds(decision.service!.remediesStated ? 'litigation-period' : 'litigation-period-unstated', effective, chain, calendar);
}

/**
 * When the reminder may first be issued: not before the vacating decision's remedy periods ran out.
 * The seed's "6 months" is the litigation period restated: it holds as a floor while no remedy was
 * decided; once one was, the period that actually applies decides alone — waiting out 6 months
 * after a reconsideration decided early would carry the application past the 3 months ACL art. 53
 * allows after the litigation period, and the court would refuse it.
 */
export function reminderAllowedFrom(chain: Chain, calendar: HolidayCalendar): string | undefined {
  const decision = instrumentOf(chain, 'vacating-decision');
  const effective = servedAt(decision);
  const remedies = remedyPeriodsEnd(chain, decision, calendar);
  if (!effective || !remedies) return undefined;
  const decided = chain.remedies.some((r) => r.instrumentId === decision!.instrumentId && r.outcome && r.outcome.result !== 'withdrawn');
  if (decided) return remedies;
  return laterOf(periodEnds('performance-reminder', effective, chain, calendar), remedies);
}

/**
 * When the application may first be made: 10 working days after the reminder's service (ACL arts.
 * 54, 69), and not before the time the reminder gave the household to perform has run out.
 */
export function applicationAllowedFrom(chain: Chain, calendar: HolidayCalendar): string | undefined {
  const reminder = instrumentOf(chain, 'performance-reminder');
  const effective = servedAt(reminder);
  if (!reminder || !effective) return undefined;
  const tenWorkingDays = periodEnds('court-application', effective, chain, calendar);
  const within = reminder.terms.performWithin;
  return within ? laterOf(tenWorkingDays, computeDeadline(within, effective, calendar).dueAt) : tenWorkingDays;
}

/** The later of two ISO instants (both UTC `Z`, so they order as text). */
export function laterOf(a: string, b: string): string {
  return [a, b].sort()[1]!;
}

/** A remedy's span of suspension: from its filing until its outcome reached the household. */
export interface Suspension {
  from: string;
  /** Undefined while pending. */
  until?: string;
}

/** The chain's suspensions, overlapping ones merged, in order. */
export function suspensions(remedies: readonly RemedyCase[]): Suspension[] {
  const spans = remedies.map((r) => ({ from: r.filedAt, ...(r.outcome ? { until: r.outcome.servedAt } : {}) })).sort((a, b) => a.from.localeCompare(b.from));
  const merged: Suspension[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && (last.until === undefined || span.from <= last.until)) {
      if (last.until !== undefined && (span.until === undefined || span.until > last.until)) {
        if (span.until === undefined) delete last.until;
        else last.until = span.until;
      }
    } else merged.push({ ...span });
  }
  return merged;
}

/** An agency deadline the chain's record says should be running (or has been met). */
export interface AgencyClock {
  /** The watch's key in the chain's case: `<rule>/r<round>`, `/s<n>` after the n-th suspension restarted it. */
  key: string;
  ruleId: RuleId;
  triggeredAt: string;
  /** The step happened (the watch is met at this instant). */
  metAt?: string;
  /** Who answers for it where not the rule's agency (the court that received the application). */
  responsible?: { agency: AgencyId; jurisdiction: string };
}

/**
 * The agency deadlines of the chain as its record stands. A suspension (a pending remedy) stops a
 * running deadline: it is not listed until the remedy is decided, and then runs afresh from the
 * decision's service under a new key — the old watch is cancelled, never counted. The caller opens
 * what is listed and missing, meets what is listed as met, and cancels live watches not listed.
 */
export function agencyClocks(chain: EnforcementChain, calendar: HolidayCalendar): AgencyClock[] {
  if (chain.status === 'ended') return [];
  // `origin`: when the record first made the clock run (the service or filing that started it).
  const clocks: Array<Omit<AgencyClock, 'key'> & { origin: string }> = [];
  const served = (kind: Parameters<typeof instrumentOf>[1]) => servedAt(instrumentOf(chain, kind));
  const issued = (kind: Parameters<typeof instrumentOf>[1]) => instrumentOf(chain, kind)?.issuedAt;
  const met = (at: string | undefined) => (at ? { metAt: at } : {});

  // A clock whose instants fall in a year without holiday data cannot be counted yet: it is left out
  // (never guessed) and listed by the first act after that year's data is entered.
  const add = (clock: Omit<AgencyClock, 'key'> & { origin: string }) => {
    try {
      periodEnds(clock.ruleId, clock.triggeredAt, chain, calendar);
      clocks.push(clock);
    } catch (error) {
      if (!(error instanceof MissingHolidayDataError)) throw error;
    }
  };
  const countable = <T>(compute: () => T): T | undefined => {
    try {
      return compute();
    } catch (error) {
      if (error instanceof MissingHolidayDataError) return undefined;
      throw error;
    }
  };

  const notification = served('compensation-notification');
  const notificationEnds = notification && countable(() => periodEnds('compensation-notification', notification, chain, calendar));
  if (notification && notificationEnds) {
    add({ ruleId: 'compensation-decision', origin: notification, triggeredAt: lastInstantBefore(notificationEnds), ...met(issued('compensation-decision')) });
  }
  const notice = served('vacating-notice');
  const noticeEnds = notice && countable(() => periodEnds('vacating-notice', notice, chain, calendar));
  if (notice && noticeEnds) {
    add({ ruleId: 'vacating-decision', origin: notice, triggeredAt: lastInstantBefore(noticeEnds), ...met(issued('vacating-decision')) });
  }
  const periodsEnd = countable(() => remedyPeriodsEnd(chain, instrumentOf(chain, 'vacating-decision'), calendar));
  if (periodsEnd) {
    add({ ruleId: 'court-application-deadline', origin: served('vacating-decision')!, triggeredAt: lastInstantBefore(periodsEnd), ...met(served('court-application')) });
  }
  const court = chain.court;
  if (court) {
    const at = { agency: court.court.agency, jurisdiction: court.court.jurisdiction };
    add({ ruleId: 'court-acceptance', origin: court.filedAt, triggeredAt: court.filedAt, ...met(court.acceptance?.at), responsible: at });
    if (court.review) {
      add({ ruleId: 'higher-court-review', origin: court.review.filedAt, triggeredAt: court.review.filedAt, ...met(court.review.decided?.at) });
    }
    const acceptedAt = court.acceptance?.accepted ? court.acceptance.at : court.review?.decided?.accepted ? court.review.decided.at : undefined;
    if (acceptedAt) {
      add({ ruleId: court.hearing ? 'court-ruling-after-hearing' : 'court-ruling', origin: acceptedAt, triggeredAt: acceptedAt, ...met(court.ruling?.at), responsible: at });
    }
    if (court.ruling?.enforce && court.ruling.emergency) {
      add({ ruleId: 'court-emergency-execution', origin: court.ruling.at, triggeredAt: court.ruling.at, ...met(chain.execution?.startedAt), responsible: at });
    }
  }

  const spans = suspensions(chain.remedies);
  const result: AgencyClock[] = [];
  for (const { origin, ...clock } of clocks) {
    let triggeredAt = clock.triggeredAt;
    let generation = 0;
    let stopped = false;
    for (const span of spans) {
      // A suspension matters to a clock that was running (or due to run) while it lasted, and not yet met.
      if ((span.until !== undefined && span.until <= origin) || (clock.metAt !== undefined && span.from >= clock.metAt)) continue;
      generation++;
      if (span.until === undefined) {
        stopped = true;
        break;
      }
      if (span.until > triggeredAt) triggeredAt = span.until;
    }
    if (stopped) continue;
    const key = `${clock.ruleId}/r${chain.round}${generation > 0 ? `/s${generation}` : ''}`;
    result.push({ ...clock, key, triggeredAt });
  }
  return result;
}

/** The agency a rule makes responsible under the chain's variant (the decisions' issuer switches under national law). */
export function responsibleFor(ruleId: RuleId, chain: Pick<EnforcementChain, 'variant'>): AgencyId {
  return resolveRule(ruleId, chain.variant).responsible;
}

export { expiryInstant };
