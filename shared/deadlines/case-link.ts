import { ENFORCEMENT_PHASE_PREFIX } from '../cases/cancel-watches.ts';
import type { DeadlineWatch } from './watch.ts';

/** What a watch's case is, as people tell cases apart (see DeadlineWatch.caseKind). */
export type CaseKind = 'project' | 'household' | 'incident' | 'oversight';

/**
 * Where a client shows the case a deadline belongs to: a project, a household, an incident, an
 * oversight duty (meeting, resolution, supervision assignment) — or a household's enforcement
 * chain, whose clocks run on the household's case.
 */
export interface CaseLink {
  kind: CaseKind | 'enforcement';
  id: string;
}

export function caseKindOf(watch: Pick<DeadlineWatch, 'caseKind' | 'projectId'>): CaseKind {
  if (watch.caseKind) return watch.caseKind;
  return watch.projectId === undefined ? 'project' : 'household';
}

export function caseLinkOf(watch: Pick<DeadlineWatch, 'caseId' | 'caseKind' | 'projectId' | 'phase'>): CaseLink {
  const kind = caseKindOf(watch);
  if (kind === 'household' && watch.phase.startsWith(ENFORCEMENT_PHASE_PREFIX)) return { kind: 'enforcement', id: watch.caseId };
  return { kind, id: watch.caseId };
}
