import type { AgencyId } from '../../../shared/agencies.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/**
 * Supervision (seed §四(四)): the discipline commission and the supervision office inspect; what
 * was not carried out is reported (a generated PDF of the records' facts), the problems are
 * assigned to their owners with a time limit and followed up (交办、督办), and a responsible official
 * may be summoned for a talk (约谈).
 */
export interface SupervisionReportRecord {
  reportId: string;
  number: string;
  period: { from: string; to: string };
  inspectedBy: AgencyId[];
  generatedAt: string;
  generatedBy: Identity;
  document: { key: string; sha256: string; size: number };
  findings: { resolutions: number; missedDeadlines: number; missedArrivals: number; missedMeetingMonths: number };
}

export interface Assignment {
  assignmentId: string;
  reportId?: string;
  problem: string;
  assignee: { agency: AgencyId; jurisdiction: string };
  period: string;
  lastDay: string;
  dueAt: string;
  assignedBy: Identity;
  assignedAt: string;
  status: 'open' | 'done';
  done?: { summary: string; by: Identity; at: string; late: boolean };
}

export interface Summons {
  summonsId: string;
  official: { name: string; title: string };
  agency: AgencyId;
  jurisdiction: string;
  reason: string;
  heldAt: string;
  reportId?: string;
  assignmentId?: string;
  recordedBy: Identity;
  recordedAt: string;
}

export function checkReportPeriod(from: string, to: string, now: Date): void {
  if (Date.parse(from) >= Date.parse(to)) throw new ValidationError('supervision.period-invalid', '检查期间的起始时间须早于截止时间');
  if (Date.parse(to) > now.getTime()) throw new ValidationError('supervision.period-in-future', '检查期间不能晚于当前时间');
}

/** Done: late when reported at or after the due instant (the overdue alert has gone out by then). */
export function completeAssignment(assignment: Assignment, summary: string, actor: Identity, now: Date): Assignment {
  if (assignment.status === 'done') throw new ConflictError('assignment.done', '该交办事项已办结');
  return { ...assignment, status: 'done', done: { summary, by: actor, at: now.toISOString(), late: now.getTime() >= Date.parse(assignment.dueAt) } };
}

export function recordSummons(summonsId: string, input: Omit<Summons, 'summonsId' | 'recordedBy' | 'recordedAt'>, actor: Identity, now: Date): Summons {
  if (Date.parse(input.heldAt) > now.getTime()) throw new ValidationError('summons.held-in-future', '约谈时间不能晚于登记时间');
  return { summonsId, ...input, heldAt: new Date(input.heldAt).toISOString(), recordedBy: actor, recordedAt: now.toISOString() };
}
