import type { Identity } from '../identity.ts';
import { auditOf, type ActionContext, type AuditRecord } from '../audit.ts';
import type { Change, UnitOfWork, Versioned } from '../cases/ports.ts';
import { NotFoundError, RuleViolationError, ValidationError } from '../errors.ts';

/**
 * Evidence files (photos, videos) go straight from the agency's device to the evidence bucket
 * through a presigned URL that fixes their type, size and SHA-256 (a signed `x-amz-checksum-sha256`
 * header) — S3 refuses any other bytes and any second upload to the key. The service then asks S3
 * what it stored: the size, type and the SHA-256 S3 checked against the bytes it received. That
 * record, never the uploader's claim, is what holds up in court (decision 0011).
 */
export interface EvidenceStore {
  /**
   * A URL to PUT exactly the declared object once at `key`; the headers must be sent as given.
   * It is valid from `now` (the request's time) for `expiresInSeconds`.
   */
  presignUpload(key: string, declared: DeclaredEvidence, expiresInSeconds: number, now: Date): Promise<{ url: string; headers: Record<string, string> }>;
  /**
   * What the store holds at `key` — size, type, version and the SHA-256 the store itself checked
   * the bytes against on upload (undefined if it holds none) — or undefined when nothing was
   * uploaded (yet). Reads no object bytes, so its cost does not grow with the file.
   */
  inspect(key: string): Promise<StoredObject | undefined>;
  /** A URL to GET the stored evidence (a console shows it), valid from `now` for `expiresInSeconds`. */
  presignDownload(key: string, expiresInSeconds: number, now: Date): Promise<string>;
}

export interface StoredObject {
  size: number;
  contentType: string;
  /** Hex SHA-256 as the store computed it over the received bytes; undefined if it kept none. */
  sha256: string | undefined;
  versionId?: string;
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
/** S3's limit for one PUT (5 GiB): long videos fit; verification reads S3's checksum, not the bytes. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 ** 3;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;

/** What a kind of uploaded file may be: its name for messages, its content types and size. */
export interface FileRule {
  zh: string;
  types: readonly string[];
  maxBytes: number;
}

/** Whether the declared file may be one of this kind (type and size), before a slot is opened. */
export function checkDeclaredFile(rule: FileRule, declared: Pick<DeclaredEvidence, 'contentType' | 'size'>): void {
  if (!rule.types.includes(declared.contentType)) {
    throw new ValidationError('upload.content-type', `“${rule.zh}”不接受该文件类型：${declared.contentType}`, { allowed: rule.types });
  }
  if (declared.size > rule.maxBytes) {
    throw new ValidationError('upload.too-large', `“${rule.zh}”文件不能超过 ${Math.floor(rule.maxBytes / 1024 ** 2)} MB`);
  }
}

/** Checks what was actually stored against what was declared. */
export async function verifyEvidence(store: EvidenceStore, key: string, declared: DeclaredEvidence): Promise<InspectedObject> {
  const found = await store.inspect(key);
  if (!found) throw new RuleViolationError('evidence.missing', `证据文件尚未上传：${key}`, { key });
  if (found.size !== declared.size || found.contentType !== declared.contentType) {
    throw new RuleViolationError('evidence.mismatch', `证据文件的大小或类型与申请上传时声明的不一致：${key}`, { key });
  }
  // Without the store's own checksum nothing shows which bytes arrived: refused, not trusted.
  if (found.sha256 === undefined) {
    throw new RuleViolationError('evidence.unverified', `存储服务未记录证据文件的 SHA-256 校验值，无法核验：${key}`, { key });
  }
  if (found.sha256 !== declared.sha256.toLowerCase()) {
    throw new RuleViolationError('evidence.hash-mismatch', `证据文件的 SHA-256 与申请上传时声明的不一致：${key}`, { key });
  }
  const { sha256, size, contentType, versionId } = found;
  return { sha256, size, contentType, ...(versionId !== undefined ? { versionId } : {}) };
}

/**
 * Files the system itself produces (agreements, disclosure lists, workbook templates) and reads
 * (uploaded workbooks), in the evidence bucket: written once under a key that names them, with
 * their SHA-256, and handed out through short-lived download URLs.
 */
export interface DocumentStore {
  /** Stores `bytes` once at `key` (a second write to the key is refused by the store). */
  put(key: string, bytes: Uint8Array, contentType: string, fileName: string): Promise<StoredDocument>;
  /** The stored object's bytes as a stream (an import reads a workbook without holding it twice). */
  open(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** A URL to GET the object, valid from `now` for `expiresInSeconds`. */
  presignDownload(key: string, expiresInSeconds: number, now: Date): Promise<string>;
}

export interface StoredDocument {
  key: string;
  sha256: string;
  size: number;
  contentType: string;
  versionId?: string;
}

export const DOWNLOAD_URL_TTL_SECONDS = 15 * 60;

/** An .xlsx workbook's content type: workbooks uploaded, and lists and scorecards produced. */
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What every upload slot records, whatever the service keeps beside it (what it is for, whose case). */
export interface UploadSlot {
  uploadId: string;
  key: string;
  /** What the device declared; the stored object must match it exactly. */
  declared: DeclaredEvidence;
  fileName: string;
  requestedBy: Identity;
  requestedAt: string;
  expiresAt: string;
}

/** Where a service keeps its upload slots: how one is found, checked for this use, and marked used. */
export interface UploadSlots<U extends UploadSlot> {
  find(uploadId: string): Promise<Versioned<U> | undefined>;
  /** Throws when the slot may not serve here (another case, purpose or party, already used, expired). */
  check(upload: U): void;
  /** The change that marks the slot used by `usedBy`, guarded by its version. */
  use(upload: U, usedBy: string, version: number): Change;
}

/**
 * Verifies the named uploads in the evidence bucket (size, type and the SHA-256 the store checked)
 * and returns their records with the changes that mark them used by `usedBy` — the one path by
 * which an upload becomes evidence, whichever service keeps the slots.
 */
export async function useVerifiedUploads<U extends UploadSlot>(
  store: EvidenceStore,
  slots: UploadSlots<U>,
  uploadIds: readonly string[],
  usedBy: string,
  now: Date,
): Promise<{ evidence: EvidenceRecord[]; changes: Change[] }> {
  if (new Set(uploadIds).size !== uploadIds.length) throw new ValidationError('upload.duplicate', '同一证据不能重复提交');
  const uploads = await Promise.all(
    uploadIds.map(async (id) => {
      const upload = await slots.find(id);
      if (!upload) throw new NotFoundError('upload.not-found', `上传不存在：${id}`);
      slots.check(upload);
      return upload;
    }),
  );
  const evidence = await Promise.all(
    uploads.map(async (upload) => {
      const found = await verifyEvidence(store, upload.key, upload.declared);
      return { key: upload.key, ...found, uploadedBy: upload.requestedBy, verifiedAt: now.toISOString() };
    }),
  );
  return { evidence, changes: uploads.map(({ version, ...upload }) => slots.use(upload as unknown as U, usedBy, version)) };
}

/** The presigned answer an agency uploads with: PUT the declared bytes once, with these headers. */
export interface UploadInstructions {
  uploadId: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * Opens an upload slot at `key`: the declaration normalised, a presigned PUT of exactly those bytes
 * valid from the request's now, and the slot's record (the caller stores it with its own fields).
 */
export async function openUploadSlot(
  store: EvidenceStore,
  slot: { uploadId: string; key: string; fileName: string; declared: DeclaredEvidence },
  ctx: { actor: Identity; now: Date },
): Promise<{ slot: UploadSlot; instructions: UploadInstructions }> {
  const declared = { contentType: slot.declared.contentType, size: slot.declared.size, sha256: slot.declared.sha256.toLowerCase() };
  const presigned = await store.presignUpload(slot.key, declared, UPLOAD_URL_TTL_SECONDS, ctx.now);
  const expiresAt = new Date(ctx.now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
  return {
    slot: { uploadId: slot.uploadId, key: slot.key, declared, fileName: slot.fileName, requestedBy: ctx.actor, requestedAt: ctx.now.toISOString(), expiresAt },
    instructions: { uploadId: slot.uploadId, url: presigned.url, method: 'PUT', headers: presigned.headers, expiresAt },
  };
}

/** What a device declares to get a slot: what the file is for, and its type, name, size and SHA-256. */
export interface UploadRequest<P extends string = string> {
  purpose: P;
  contentType: string;
  fileName: string;
  size: number;
  sha256: string;
}

/**
 * The whole request for an upload slot, as every case service answers it once it has found and
 * authorised its case: the declaration checked against what the purpose accepts, a slot opened at
 * the key the case gives, its record saved by the case's repository with the audit record.
 */
export async function requestUploadSlot<P extends string>(
  deps: { evidence: EvidenceStore; uow: UnitOfWork; newId: (nowMs: number) => string },
  input: UploadRequest<P>,
  place: { rule: FileRule; keyOf: (uploadId: string) => string; save: (slot: UploadSlot) => Change; target: AuditRecord['target'] },
  ctx: ActionContext,
): Promise<UploadInstructions> {
  const declared = { contentType: input.contentType, size: input.size, sha256: input.sha256.toLowerCase() };
  checkDeclaredFile(place.rule, declared);
  const uploadId = deps.newId(ctx.now.getTime());
  const key = place.keyOf(uploadId);
  const { slot, instructions } = await openUploadSlot(deps.evidence, { uploadId, key, fileName: input.fileName, declared }, ctx);
  await deps.uow.commit([place.save(slot)], [auditOf(ctx, 'evidence.upload-requested', { ...place.target, type: 'evidence', id: key }, { purpose: input.purpose, ...slot.declared })]);
  return instructions;
}
