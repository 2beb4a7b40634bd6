import type { Identity } from '../identity.ts';
import { RuleViolationError } from '../errors.ts';

/**
 * Evidence files (photos, videos) go straight from the agency's device to the evidence bucket
 * through a presigned URL; the service then reads the object itself and records what it found.
 * The record, never the uploader's claim, is what holds up in court.
 */
export interface EvidenceStore {
  /** A URL to PUT one object at `key`, valid for `expiresInSeconds`; the headers must be sent as given. */
  presignUpload(key: string, contentType: string, expiresInSeconds: number): Promise<{ url: string; headers: Record<string, string> }>;
  /** Reads the object and hashes it, or undefined when nothing was uploaded. */
  inspect(key: string): Promise<InspectedObject | undefined>;
}

export interface InspectedObject {
  sha256: string;
  size: number;
  contentType: string;
  versionId?: string;
}

/** What the system recorded about one verified evidence file. */
export interface EvidenceRecord extends InspectedObject {
  key: string;
  uploadedBy: Identity;
  verifiedAt: string;
}

export const EVIDENCE_CONTENT_TYPES = /^(image\/(jpeg|png|heic|heif|webp)|video\/(mp4|quicktime|3gpp))$/;
export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024 * 1024;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** Checks what was actually stored, not what was declared. */
export function verifyEvidence(key: string, found: InspectedObject | undefined, declaredType: string): InspectedObject {
  if (!found) throw new RuleViolationError('evidence.missing', `证据文件尚未上传：${key}`, { key });
  if (found.size === 0) throw new RuleViolationError('evidence.empty', `证据文件为空：${key}`, { key });
  if (found.size > MAX_EVIDENCE_BYTES) throw new RuleViolationError('evidence.too-large', `证据文件超过大小上限：${key}`, { key });
  if (found.contentType !== declaredType || !EVIDENCE_CONTENT_TYPES.test(found.contentType)) {
    throw new RuleViolationError('evidence.content-type', `证据文件类型不符（应为照片或视频，且与申请时声明的 ${declaredType} 一致）：${key}`, { key });
  }
  return found;
}
