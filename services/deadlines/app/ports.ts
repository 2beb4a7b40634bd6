import type { Alert } from '../../../shared/alerts/alert.ts';
import type { Change, Versioned } from '../../../shared/cases/ports.ts';

/** An alert waiting to be sent once: claimed for a short lease while a sender publishes it. */
export interface PendingAlert {
  alert: Alert;
  sentAt?: string;
  claimedUntil?: string;
}

/** The outbox of overdue alerts: one per case and rule, written with the overdue transition. */
export interface AlertOutboxRepository {
  find(caseId: string, ruleId: string): Promise<Versioned<PendingAlert> | undefined>;
  add(caseId: string, ruleId: string, alert: Alert): Change;
  update(caseId: string, ruleId: string, state: PendingAlert, expected: number): Change;
}
