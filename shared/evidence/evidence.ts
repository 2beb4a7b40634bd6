import type { Identity } from '../identity.ts';
import { RuleViolationError } from '../errors.ts';

/**
 * Evidence files (photos, videos) go straight from the agency's device to the evidence bucket
 * through a presigned URL that fixes their type, size and SHA-256 — S3 refuses any other bytes and
 * any second upload to the key. The service then reads the stored object itself and records what
 * it found. The record, never the uploader's claim, is what holds up in court.
 */
export interface EvidenceStore {
  /**
   * A URL to PUT exactly the declared object once at `key`; the headers must be sent as given.
   * It is valid from `now` (the request's time) for `expiresInSeconds`.
   */
  presignUpload(key: string, declared: DeclaredEvidence, expiresInSeconds: number, now: Date): Promise<{ url: string; headers: Record<string, string> }>;
  /** The stored object's size and type, or undefined when nothing was uploaded (yet). */
  head(key: string): Promise<{ size: number; contentType: string } | undefined>;
  /** Reads the whole object and hashes it. */
  hash(key: string): Promise<InspectedObject>;
}

export interface DeclaredEvidence {
  contentType: string;
  size: number;
  /** Hex SHA-256 of the file as the device computed it. */
  sha256: string;
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

/** Photos and videos as phones make them. */
export const EVIDENCE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/heic', 'image/heif', 'image/webp', 'video/mp4', 'video/quicktime', 'video/3gpp'] as const;
/** Verification reads the object within one request: 500 MB keeps that inside API Gateway's 30 s. */
export const MAX_EVIDENCE_BYTES = 500 * 1024 * 1024;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** Checks what was actually stored against what was declared, before and after reading it. */
export async function verifyEvidence(store: EvidenceStore, key: string, declared: DeclaredEvidence): Promise<InspectedObject> {
  const head = await store.head(key);
  if (!head) throw new RuleViolationError('evidence.missing', `证据文件尚未上传：${key}`, { key });
  if (head.size !== declared.size || head.contentType !== declared.contentType) {
    throw new RuleViolationError('evidence.mismatch', `证据文件的大小或类型与申请上传时声明的不一致：${key}`, { key });
  }
  const found = await store.hash(key);
  if (found.sha256 !== declared.sha256.toLowerCase() || found.size !== declared.size) {
    throw new RuleViolationError('evidence.hash-mismatch', `证据文件的 SHA-256 与申请上传时声明的不一致：${key}`, { key });
  }
  return found;
}
