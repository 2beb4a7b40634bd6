import { EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES, type UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Action } from '../../../shared/permissions.ts';

/**
 * The files of an incident, what each is for and who uploads it. Every file goes the presigned
 * path (declared SHA-256, verified, used once; decision 0011).
 */
export const UPLOAD_PURPOSES = {
  scene: { zh: '事件现场照片、视频', action: 'incident.report', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  'first-response': { zh: '先期处置现场影像', action: 'incident.report', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  'leader-on-site': { zh: '区主要负责人到场处置照片', action: 'incident.on-site', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
} as const satisfies Record<string, { zh: string; action: Action; types: readonly string[]; maxBytes: number }>;

export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;
export const PURPOSES = Object.keys(UPLOAD_PURPOSES) as [UploadPurpose, ...UploadPurpose[]];

export interface IncidentUpload extends UploadSlot {
  incidentId: string;
  projectId: string;
  purpose: UploadPurpose;
  usedBy?: string;
}

/** Under projects/, so the evidence grant covers it. */
export function incidentUploadKey(projectId: string, incidentId: string, purpose: UploadPurpose, uploadId: string): string {
  return `projects/${projectId}/incidents/${incidentId}/${purpose}/${uploadId}`;
}

/** An upload named in an act must be of the incident and purpose, requested by the acting agency, and unused. */
export function checkUploadUsable(upload: IncidentUpload, use: { incidentId: string; purpose: UploadPurpose }, actor: Identity): void {
  if (upload.incidentId !== use.incidentId || upload.purpose !== use.purpose) {
    throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不是“${UPLOAD_PURPOSES[use.purpose].zh}”，或不属于本事件`);
  }
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
