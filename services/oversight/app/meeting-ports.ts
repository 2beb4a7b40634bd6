import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { JointMeeting, Resolution } from '../domain/meeting.ts';
import type { MeetingUpload } from '../domain/uploads.ts';

export interface MeetingRepository {
  /** The meeting, or a 404 `meeting.not-found`. */
  get(meetingId: string): Promise<Versioned<JointMeeting>>;
  save(meeting: JointMeeting, expected: Expected): Change;
  /** Every meeting, the latest held first. */
  page(page: PageRequest): Promise<Page<JointMeeting>>;
}

export interface ResolutionRepository {
  /** The resolution, or a 404 `resolution.not-found`. */
  get(resolutionId: string): Promise<Versioned<Resolution>>;
  /** A new resolution, findable by its id from now on. */
  create(resolution: Resolution): Change[];
  save(resolution: Resolution, expected: number): Change;
  /** The meeting's resolutions in their order. */
  ofMeeting(meetingId: string): Promise<Resolution[]>;
}

export interface MeetingUploadRepository {
  find(meetingId: string, uploadId: string): Promise<Versioned<MeetingUpload> | undefined>;
  save(upload: MeetingUpload, expected: Expected): Change;
}
