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
 * The suspension is temporary (暂时停办): it may end once every household of the project has signed
 * (and, the payments service adds, been paid). `households` 0 means none has been counted yet.
 */
export function everyHouseholdSigned(households: number, signed: number): boolean {
  return households > 0 && signed === households;
}
