import type { LocalCloud } from '../../infra/local/cloud.ts';
import type { Table } from '../../shared/adapters/table.ts';
import { oversightDepsOn } from '../../services/oversight/adapters/deps.ts';
import { recordJointMeeting, recordResolution } from '../../services/oversight/app/meetings.ts';
import type { apiClient } from './local-cloud.ts';
import { ctxOf, MemoryBucket, RecordingScheduler, sequentialIds } from './fakes.ts';

const OFFICE = { user: 'lin.lgo', agency: 'leading-group-office', jurisdiction: 'yongzhou' } as const;
const ATTENDEES = [
  { agency: 'land-bureau', jurisdiction: 'yongzhou', names: '王局长' },
  { agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan', names: '陈区长' },
] as const;

/**
 * The joint meeting approves (审定) the project's implementation plan (seed §四(一)), through the
 * oversight service's own use cases: what publishing the plan requires besides the legal review.
 */
export async function planApprovedAtJointMeeting(store: Table, projectId: string, at: string): Promise<{ meetingId: string; resolutionId: string }> {
  const bucket = new MemoryBucket();
  const deps = oversightDepsOn(store, { scheduler: new RecordingScheduler(), evidence: bucket, files: bucket, newId: sequentialIds });
  const meeting = await recordJointMeeting(deps, { kind: 'regular', title: '联席会议', heldAt: at, attendees: [...ATTENDEES], agenda: ['审定征地补偿安置实施方案'], projectIds: [projectId], incidentIds: [] }, ctxOf(OFFICE, at));
  const resolution = await recordResolution(deps, meeting.meetingId, { kind: 'plan-approval', projectId, text: '审定通过征地补偿安置实施方案' }, ctxOf(OFFICE, at));
  return { meetingId: meeting.meetingId, resolutionId: resolution.resolutionId };
}

/** The same through the local HTTP API, the meeting held at the virtual clock's now. */
export async function planApprovedViaApi(cloud: Pick<LocalCloud, 'clock'>, call: ReturnType<typeof apiClient>, projectId: string): Promise<{ meetingId: string }> {
  const heldAt = new Date(cloud.clock.now()).toISOString();
  const meeting = await call(OFFICE, 'POST', '/joint-meetings', { kind: 'regular', title: '联席会议', heldAt, attendees: ATTENDEES, agenda: ['审定征地补偿安置实施方案'], projectIds: [projectId] });
  if (meeting.status !== 201) throw new Error(`joint meeting: ${JSON.stringify(meeting)}`);
  const approval = await call(OFFICE, 'POST', `/joint-meetings/${meeting.body.meetingId}/resolutions`, { kind: 'plan-approval', projectId, text: '审定通过征地补偿安置实施方案' });
  if (approval.status !== 201) throw new Error(`plan approval: ${JSON.stringify(approval)}`);
  return { meetingId: meeting.body.meetingId };
}
