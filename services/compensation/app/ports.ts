import type { Change } from '../../../shared/cases/ports.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { CompensationStandard } from '../domain/plan.ts';

/** The project's one compensation standard, locked when the plan is published (seed §五(二)). */
export interface LockedStandard {
  projectId: string;
  standard: CompensationStandard;
  lockedAt: string;
  lockedBy: Identity;
}

export interface StandardRepository {
  find(projectId: string): Promise<LockedStandard | undefined>;
  /** Once per project: a second lock is refused with `onConflict`. */
  lock(standard: LockedStandard, onConflict: Error): Change;
}
