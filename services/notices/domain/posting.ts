import type { EvidenceRecord, UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/** Which published document a posting is of: the notice or the implementation plan ("两公告"). */
export type PostedDocument = 'notice' | 'plan';

/** A slot the township asked for to upload one evidence file straight to the evidence bucket. */
export interface EvidenceUpload extends UploadSlot {
  projectId: string;
  document: PostedDocument;
  villageGroupId: string;
  usedBy?: string;
}

/**
 * The township's record that a document was posted in a conspicuous place in a village group,
 * with photo/video evidence (seed §三(三), §五(一)1).
 */
export interface Posting {
  postingId: string;
  projectId: string;
  document: PostedDocument;
  villageGroupId: string;
  township: string;
  postedAt: string;
  place: { description: string; latitude?: number; longitude?: number };
  evidence: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

export const evidenceKey = (projectId: string, document: PostedDocument, villageGroupId: string, uploadId: string) =>
  `projects/${projectId}/postings/${document}/${villageGroupId}/${uploadId}`;

/** Uploads named in a posting must be this township's, for this group and document, unused. */
export function checkUploadUsable(upload: EvidenceUpload, posting: { document: PostedDocument; villageGroupId: string }, actor: Identity): void {
  if (upload.document !== posting.document || upload.villageGroupId !== posting.villageGroupId) {
    throw new ValidationError('posting.upload-mismatch', `证据上传 ${upload.uploadId} 不属于该文书或该村民小组`);
  }
  if (upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `证据上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('posting.upload-used', `证据上传 ${upload.uploadId} 已用于其他张贴记录`);
}

/** A posting claims a time of posting: not before publication, not in the future. */
export function checkPostedAt(postedAt: Date, publishedAt: string | undefined, now: Date): void {
  if (!publishedAt) throw new RuleViolationError('posting.document-not-published', '文书尚未发布，不能登记张贴');
  if (postedAt.getTime() < Date.parse(publishedAt)) {
    throw new ValidationError('posting.before-publication', '张贴时间早于文书发布时间');
  }
  if (postedAt.getTime() > now.getTime()) throw new ValidationError('posting.in-future', '张贴时间不能晚于当前时间');
}
