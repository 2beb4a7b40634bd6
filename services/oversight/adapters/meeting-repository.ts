import { entityOf, itemOf, put, type Item, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { MeetingRepository, MeetingUploadRepository, ResolutionRepository } from '../app/ports.ts';
import type { JointMeeting, Resolution } from '../domain/meeting.ts';
import type { MeetingUpload } from '../domain/uploads.ts';

/**
 * A meeting is one partition: the meeting, its resolutions (by number) and its upload slots. A
 * resolution is found by id through a pointer item of its own; meetings are listed through the
 * index, latest held first.
 */
const meetingPk = (meetingId: string) => `MEETING#${meetingId}`;
const MEETING = 'MEETING';
const resolutionSk = (seq: number) => `RESOLUTION#${String(seq).padStart(4, '0')}`;
const pointerPk = (resolutionId: string) => `RESOLUTION#${resolutionId}`;
const uploadSk = (uploadId: string) => `UPLOAD#${uploadId}`;
const MEETINGS_INDEX = 'MEETINGS';

const strip = <T extends object>(item: Item): T => {
  const { version: _version, ...entity } = entityOf<T>(item);
  return entity as T;
};

export class TableMeetingRepository implements MeetingRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(meetingId: string): Promise<Versioned<JointMeeting>> {
    const item = await this.#table.get(meetingPk(meetingId), MEETING);
    if (!item) throw new NotFoundError('meeting.not-found', `联席会议记录不存在：${meetingId}`, { meetingId });
    return entityOf<JointMeeting>(item);
  }

  save(meeting: JointMeeting, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', `会议 ${meeting.title} 的记录已被他人更新，请刷新后重试`);
    const index = { gsi1pk: MEETINGS_INDEX, gsi1sk: `${meeting.heldAt}#${meeting.meetingId}` };
    return put('joint-meeting', itemOf({ pk: meetingPk(meeting.meetingId), sk: MEETING }, 'joint-meeting', meeting, index), expected, onConflict);
  }

  async page(page: PageRequest): Promise<Page<JointMeeting>> {
    const found = await this.#table.pageIndex(MEETINGS_INDEX, { ...page, forward: false });
    return { items: found.items.map((item) => strip<JointMeeting>(item)), ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}

export class TableResolutionRepository implements ResolutionRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(resolutionId: string): Promise<Versioned<Resolution>> {
    const pointer = await this.#table.get(pointerPk(resolutionId), 'POINTER');
    const item = pointer ? await this.#table.get(meetingPk(String(pointer.meetingId)), resolutionSk(Number(pointer.seq))) : undefined;
    if (!item) throw new NotFoundError('resolution.not-found', `决议不存在：${resolutionId}`, { resolutionId });
    return entityOf<Resolution>(item);
  }

  /** The resolution under its meeting, and a pointer by id; two writers of the same number: one is refused. */
  create(resolution: Resolution): Change[] {
    const onConflict = new ConflictError('resolution.concurrent-append', `决议第 ${resolution.seq} 项已由他人同时登记，请刷新后重试`);
    const pointer = { pk: pointerPk(resolution.resolutionId), sk: 'POINTER', type: 'resolution-pointer', meetingId: resolution.meetingId, seq: resolution.seq };
    return [this.#put(resolution, 'absent', onConflict), put('resolution-pointer', pointer, 'absent', onConflict)];
  }

  save(resolution: Resolution, expected: number): Change {
    return this.#put(resolution, expected, new ConflictError('conflict.concurrent-change', `决议第 ${resolution.seq} 项已被他人更新，请刷新后重试`));
  }

  #put(resolution: Resolution, expected: Expected, onConflict: ConflictError): Change {
    return put('resolution', itemOf({ pk: meetingPk(resolution.meetingId), sk: resolutionSk(resolution.seq) }, 'resolution', resolution), expected, onConflict);
  }

  async ofMeeting(meetingId: string): Promise<Resolution[]> {
    return (await this.#table.query(meetingPk(meetingId), 'RESOLUTION#')).map((item) => strip<Resolution>(item));
  }
}

export class TableMeetingUploadRepository implements MeetingUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(meetingId: string, uploadId: string): Promise<Versioned<MeetingUpload> | undefined> {
    const item = await this.#table.get(meetingPk(meetingId), uploadSk(uploadId));
    return item ? entityOf<MeetingUpload>(item) : undefined;
  }

  save(upload: MeetingUpload, expected: Expected): Change {
    return put('meeting-upload', itemOf({ pk: meetingPk(upload.meetingId), sk: uploadSk(upload.uploadId) }, 'meeting-upload', upload), expected);
  }
}
