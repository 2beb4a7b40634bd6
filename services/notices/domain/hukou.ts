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
 * Public security resumes hukou changes (恢复办理户籍异动): its own act again, once every household
 * of the project has signed and been paid in full — compensation settled, the households' hukou
 * may move (seed §三(七)).
 */
export interface HukouResumption {
  projectId: string;
  resumedAt: string;
  resumedBy: Identity;
  /** The project's households when it resumed, every one signed and paid in full. */
  households: number;
}

/**
 * The suspension is temporary (暂时停办): it may end once every household of the project has signed
 * (and been paid). `households` 0 means none has been counted yet.
 */
export function everyHouseholdSigned(households: number, signed: number): boolean {
  return households > 0 && signed === households;
}

/** Every household counted has been paid in full by the bank (the payments service counts them). */
export function everyHouseholdPaid(households: number, paid: number): boolean {
  return households > 0 && paid >= households;
}
