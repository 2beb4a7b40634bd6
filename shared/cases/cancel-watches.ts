import { cancelWatch, isLive, type DeadlineWatch } from '../deadlines/watch.ts';
import type { Change, WatchRepository } from './ports.ts';

/**
 * The live watches of a case's phases (by name prefix) cancelled, as changes for the caller's
 * transaction, with the workflows waiting on them to release after the commit. Used where one
 * service's act ends another's clocks: a household that signs its agreement, or hands its land
 * over of its own accord, ends its enforcement chain's deadlines (decision 0026).
 */
export async function cancelLiveWatches(
  watches: WatchRepository,
  caseId: string,
  phasePrefix: string,
  at: Date,
  reason: string,
): Promise<{ changes: Change[]; releases: Array<{ token: string; watch: DeadlineWatch }> }> {
  const live = (await watches.ofCase(caseId)).filter((w) => isLive(w) && w.phase.startsWith(phasePrefix));
  const changes: Change[] = [];
  const releases: Array<{ token: string; watch: DeadlineWatch }> = [];
  for (const watch of live) {
    const { version, waiting } = await watches.get(caseId, watch.ruleId);
    const cancelled = cancelWatch(watch, at, reason);
    changes.push(watches.save(cancelled, version));
    if (waiting) releases.push({ token: waiting, watch: cancelled });
  }
  return { changes, releases };
}

/** The phases of a household's enforcement chains (services/enforcement/app/clock-sync.ts names them so). */
export const ENFORCEMENT_PHASE_PREFIX = 'enforcement';
