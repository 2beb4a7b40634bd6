import type { Identity } from '../../../shared/identity.ts';

/**
 * Public security's acknowledgement that it has suspended hukou changes (moving in, splitting a
 * household) in the project's village groups. The suspension is public security's own act (seed
 * §三(七)): the land bureau's publication only asks for it, so the timeline shows it done only
 * once public security says so, and by whom.
 */
export interface HukouSuspension {
  projectId: string;
  acknowledgedAt: string;
  acknowledgedBy: Identity;
}

/**
 * The suspension is temporary (暂时停办): it ends when every household of the project is settled.
 * `households` 0 means none has been counted yet, so nothing can have ended.
 */
export function suspensionEnded(households: number, settled: number): boolean {
  return households > 0 && settled === households;
}
