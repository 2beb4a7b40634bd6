import type { AgencyId } from '../agencies.ts';

/**
 * An alert on the alerts topic. Its attributes (agency, kind, project, severity) let each agency
 * subscribe with a filter policy to exactly what concerns it.
 */
export interface Alert {
  alertId: string;
  kind: 'deadline-overdue' | 'workflow-failure';
  severity: 'warning' | 'critical';
  /** Every agency addressed: the responsible one and those it escalates to. */
  agencies: AgencyId[];
  projectId: string;
  /** The case's jurisdiction (district), so a district branch can filter on it. */
  jurisdiction: string;
  /** ASCII subject line (SNS e-mail subjects). */
  subject: string;
  /** The message in Chinese, with dates in Beijing time. */
  message: string;
  data: Record<string, unknown>;
  raisedAt: string;
}

export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}
