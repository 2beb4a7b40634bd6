import type { AgencyId } from '../../../shared/agencies.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import { ConflictError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/**
 * A joint meeting of the leading group (联席会议, seed §四(一)): held at least once per calendar month
 * and ad hoc for emergencies and major incidents; it approves the expropriation plans and its
 * resolutions bind the agencies, each with an owner and a due date on the legal calendar.
 */
export interface JointMeeting {
  meetingId: string;
  kind: 'regular' | 'ad-hoc';
  title: string;
  heldAt: string;
  /** The Beijing calendar month it was held in (`2026-10`): what the monthly duty counts. */
  month: string;
  attendees: Array<{ agency: AgencyId; jurisdiction: string; names: string }>;
  agenda: string[];
  /** The projects and incidents it took up (an ad hoc meeting on a major incident names it). */
  projectIds: string[];
  incidentIds: string[];
  minutes?: EvidenceRecord;
  resolutionIds: string[];
  recordedBy: Identity;
  recordedAt: string;
  updatedAt: string;
}

export const RESOLUTION_KINDS = ['task', 'plan-approval'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

/**
 * What the meeting decided. A `task` binds its owner agency to a due instant counted on the legal
 * calendar from the meeting, and is followed up until done; a `plan-approval` is the meeting's
 * approval (审定) of a project's compensation and resettlement implementation plan — effective when
 * the meeting decides it, and what publishing the plan requires besides the legal review.
 */
export interface Resolution {
  resolutionId: string;
  meetingId: string;
  /** 1, 2, … within the meeting (决议第 n 项). */
  seq: number;
  kind: ResolutionKind;
  text: string;
  decidedAt: string;
  projectId?: string;
  owner?: { agency: AgencyId; jurisdiction: string };
  /** The period the meeting gave (`10wd`, `30d`, `1mo`) and the due instant it makes. */
  period?: string;
  lastDay?: string;
  dueAt?: string;
  status: 'open' | 'done' | 'approved';
  progress: Array<{ note: string; by: Identity; at: string }>;
  done?: { summary: string; by: Identity; at: string; late: boolean };
  recordedBy: Identity;
  recordedAt: string;
}

export interface MeetingInput {
  kind: JointMeeting['kind'];
  title: string;
  heldAt: string;
  attendees: JointMeeting['attendees'];
  agenda: string[];
  projectIds: string[];
  incidentIds: string[];
}

/** The Beijing calendar month of an instant: `2026-10`. */
export function beijingMonth(instant: string): string {
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** The month after `month` (`2026-12` → `2027-01`). */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function recordMeeting(meetingId: string, input: MeetingInput, actor: Identity, now: Date): JointMeeting {
  if (Date.parse(input.heldAt) > now.getTime()) throw new ValidationError('meeting.held-in-future', '会议召开时间不能晚于登记时间');
  if (input.attendees.length === 0) throw new ValidationError('meeting.no-attendees', '须列出参会单位');
  const at = now.toISOString();
  const heldAt = new Date(input.heldAt).toISOString();
  return {
    meetingId,
    ...input,
    heldAt,
    month: beijingMonth(heldAt),
    projectIds: [...new Set(input.projectIds)],
    incidentIds: [...new Set(input.incidentIds)],
    resolutionIds: [],
    recordedBy: actor,
    recordedAt: at,
    updatedAt: at,
  };
}

export function attachMinutes(meeting: JointMeeting, minutes: EvidenceRecord, now: Date): JointMeeting {
  if (meeting.minutes) throw new ConflictError('meeting.minutes-recorded', '会议纪要已登记，不能替换（证据不可更改）');
  return { ...meeting, minutes, updatedAt: now.toISOString() };
}

export type ResolutionInput =
  | { kind: 'task'; text: string; owner: { agency: AgencyId; jurisdiction: string }; period: string; projectId?: string | undefined }
  | { kind: 'plan-approval'; text: string; projectId: string };

/**
 * A resolution of the meeting, decided when it was held. A task's due instant is counted on the
 * legal calendar by the caller (the rule table's `resolution` rule) and given here.
 */
export function decideResolution(
  meeting: JointMeeting,
  resolutionId: string,
  input: ResolutionInput,
  due: { lastDay: string; dueAt: string } | undefined,
  actor: Identity,
  now: Date,
): { meeting: JointMeeting; resolution: Resolution } {
  if (input.kind === 'plan-approval' && !meeting.projectIds.includes(input.projectId)) {
    throw new ValidationError('resolution.project-not-on-agenda', `项目 ${input.projectId} 不在本次会议议题之列，不能审定其实施方案`);
  }
  const at = now.toISOString();
  const base = { resolutionId, meetingId: meeting.meetingId, seq: meeting.resolutionIds.length + 1, text: input.text, decidedAt: meeting.heldAt, progress: [], recordedBy: actor, recordedAt: at };
  const resolution: Resolution =
    input.kind === 'plan-approval'
      ? { ...base, kind: 'plan-approval', projectId: input.projectId, status: 'approved' }
      : { ...base, kind: 'task', ...(input.projectId ? { projectId: input.projectId } : {}), owner: input.owner, period: input.period, ...due!, status: 'open' };
  return { meeting: { ...meeting, resolutionIds: [...meeting.resolutionIds, resolutionId], updatedAt: at }, resolution };
}

function openTask(resolution: Resolution): void {
  if (resolution.kind !== 'task') throw new RuleViolationError('resolution.not-a-task', '审定事项不需跟踪落实');
  if (resolution.status === 'done') throw new ConflictError('resolution.done', `决议第 ${resolution.seq} 项已落实`);
}

export function recordResolutionProgress(resolution: Resolution, note: string, actor: Identity, now: Date): Resolution {
  openTask(resolution);
  return { ...resolution, progress: [...resolution.progress, { note, by: actor, at: now.toISOString() }] };
}

/** Done: late when reported at or after the due instant (the overdue alert has gone out by then). */
export function completeResolution(resolution: Resolution, summary: string, actor: Identity, now: Date): Resolution {
  openTask(resolution);
  const late = now.getTime() >= Date.parse(resolution.dueAt!);
  return { ...resolution, status: 'done', done: { summary, by: actor, at: now.toISOString(), late } };
}
