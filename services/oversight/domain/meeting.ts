import type { AgencyId } from '../../../shared/agencies.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
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
