import type { UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Action } from '../../../shared/permissions.ts';

/** The minutes of a joint meeting, scanned or as issued (decision 0011: declared SHA-256, verified, used once). */
export const UPLOAD_PURPOSES = {
  minutes: { zh: '联席会议纪要', action: 'meeting.record', types: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 50 * 1024 ** 2 },
} as const satisfies Record<string, { zh: string; action: Action; types: readonly string[]; maxBytes: number }>;

export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;
export const PURPOSES = Object.keys(UPLOAD_PURPOSES) as [UploadPurpose, ...UploadPurpose[]];

export interface MeetingUpload extends UploadSlot {
  meetingId: string;
  purpose: UploadPurpose;
  usedBy?: string;
}

/** Under oversight/, the leading group's own evidence (the grant covers it). */
export function meetingUploadKey(meetingId: string, purpose: UploadPurpose, uploadId: string): string {
  return `oversight/meetings/${meetingId}/${purpose}/${uploadId}`;
}

export function checkUploadUsable(upload: MeetingUpload, use: { meetingId: string; purpose: UploadPurpose }, actor: Identity): void {
  if (upload.meetingId !== use.meetingId || upload.purpose !== use.purpose) {
    throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不是“${UPLOAD_PURPOSES[use.purpose].zh}”，或不属于本次会议`);
  }
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
