import { ENFORCEMENT_PHASE_PREFIX } from '../../../shared/cases/cancel-watches.ts';
import type { Change, StoredWatch, WatchRepository } from '../../../shared/cases/ports.ts';
import type { HolidayCalendar, RuleId } from '../../../shared/calendar/index.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { cancelWatch, isLive, meetWatch, openWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { EnforcementChain } from '../domain/chain.ts';
import { agencyClocks } from '../domain/clocks.ts';

/**
 * The chain's agency deadlines as watches in the kernel, made to match what the record says
 * (`agencyClocks`): listed and missing → opened; listed as met → met; live but no longer listed
 * (suspended, restarted, ended) → cancelled, counted against no one. The watches live in the
 * household's case, keyed `enforcement/<chainId>/<clock key>`, in phases that split the chain
 * so that no workflow execution carries all of it.
 */

const COURT_RULES: readonly RuleId[] = ['court-acceptance', 'higher-court-review', 'court-ruling', 'court-ruling-after-hearing', 'court-emergency-execution'];

export function phaseOf(ruleId: RuleId): string {
  if (COURT_RULES.includes(ruleId)) return `${ENFORCEMENT_PHASE_PREFIX}-court`;
  if (ruleId === 'court-application-deadline') return `${ENFORCEMENT_PHASE_PREFIX}-application`;
  return `${ENFORCEMENT_PHASE_PREFIX}-decisions`;
}

/** By chain id: a household's vacating chain and its illegal-building chains keep apart. */
export const watchKeyOf = (chain: Pick<EnforcementChain, 'chainId'>, clockKey: string) => `${ENFORCEMENT_PHASE_PREFIX}/${chain.chainId}/${clockKey}`;

export interface ClockSync {
  changes: Change[];
  /** After the commit: workflows to release (a met or cancelled watch one was waiting on) and phases to watch. */
  after: { releases: Array<{ token: string; watch: DeadlineWatch }>; phases: Map<string, DeadlineWatch[]> };
  opened: DeadlineWatch[];
  cancelled: DeadlineWatch[];
}

export async function syncClocks(
  deps: { watches: WatchRepository },
  chain: EnforcementChain,
  actor: Identity,
  now: Date,
  calendar: HolidayCalendar,
  reason: string,
): Promise<ClockSync> {
  const prefix = watchKeyOf(chain, '');
  const existing = (await deps.watches.ofCase(chain.householdId)).filter((w) => w.ruleId.startsWith(prefix));
  const stored = (ruleId: string) => deps.watches.get(chain.householdId, ruleId);
  const changes: Change[] = [];
  const releases: ClockSync['after']['releases'] = [];
  const opened: DeadlineWatch[] = [];
  const cancelled: DeadlineWatch[] = [];
  const save = (found: StoredWatch, next: DeadlineWatch) => {
    changes.push(deps.watches.save(next, found.version));
    if (found.waiting) releases.push({ token: found.waiting, watch: next });
  };

  const desired = agencyClocks(chain, calendar);
  const listedKeys: string[] = [];
  for (const clock of desired) {
    const base = watchKeyOf(chain, clock.key);
    // A clock listed again after its watch was cancelled (another act cancelled it meanwhile) runs
    // under the next free key: a cancelled watch stays as it happened.
    const versions = existing.filter((w) => w.ruleId === base || w.ruleId.startsWith(`${base}/x`));
    const current = versions.find((w) => w.status !== 'cancelled');
    const key = current?.ruleId ?? (versions.length === 0 ? base : `${base}/x${versions.length}`);
    listedKeys.push(key);
    if (!current) {
      if (versions.length > 0 && clock.metAt) continue;
      const rule = { ...watchRule(clock.ruleId, { variant: chain.variant }), id: key };
      const on = { caseId: chain.householdId, projectId: chain.projectId, caseLabel: chain.caseLabel, phase: phaseOf(clock.ruleId), jurisdiction: chain.district };
      let watch = openWatch(on, rule, new Date(clock.triggeredAt), calendar, clock.responsible ? { responsible: clock.responsible } : {});
      if (clock.metAt) watch = meetWatch(watch, new Date(clock.metAt), actor.user);
      changes.push(deps.watches.save(watch, 'absent'));
      opened.push(watch);
    } else if (clock.metAt && isLive(current)) {
      save(await stored(key), meetWatch(current, new Date(clock.metAt), actor.user));
    }
  }
  const listed = new Set(listedKeys);
  for (const watch of existing.filter((w) => isLive(w) && !listed.has(w.ruleId))) {
    const next = cancelWatch(watch, now, reason);
    save(await stored(watch.ruleId), next);
    cancelled.push(next);
  }

  // Every phase that has a live watch after this change is watched (idempotent when already running).
  const after = new Map<string, DeadlineWatch>();
  for (const w of existing) after.set(w.ruleId, w);
  for (const w of [...opened, ...cancelled]) after.set(w.ruleId, w);
  const phases = new Map<string, DeadlineWatch[]>();
  for (const w of after.values()) {
    if (!isLive(w)) continue;
    phases.set(w.phase, [...(phases.get(w.phase) ?? []), w]);
  }
  return { changes, after: { releases, phases }, opened, cancelled };
}

/** After the commit: the workflows learn what changed. A lost call is made good by the hourly reconcile. */
export async function applyClockSync(scheduler: WatchScheduler, chain: Pick<EnforcementChain, 'householdId'>, sync: ClockSync, now: Date): Promise<void> {
  for (const { token, watch } of sync.after.releases) await scheduler.release(token, watch);
  for (const [phase, live] of sync.after.phases) await scheduler.ensure(chain.householdId, phase, live, now);
}
