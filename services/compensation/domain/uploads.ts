import type { AgencyId } from '../../../shared/agencies.ts';
import { checkDeclaredFile, EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES, XLSX_CONTENT_TYPE, type DeclaredEvidence, type UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

// Kept in the kernel (the oversight service exports workbooks too); re-exported for this service's users.
export { XLSX_CONTENT_TYPE };

/**
 * What a file uploaded to the compensation service is for, who may upload it and what it may be.
 * Every file goes through the presigned path (declared SHA-256, verified, immutable; decision 0011).
 */
export const UPLOAD_PURPOSES = {
  /** Urban management films/photographs the houses of each parcel (seed §三(十)). */
  'house-film': { zh: '房屋影像资料', agencies: ['urban-management'], types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** Photos/videos of standing crops and attachments at survey time. */
  'survey-photo': { zh: '青苗及附着物影像资料', agencies: ['land-bureau', 'township'], types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** The household's signed confirmation of the survey (a scan). */
  'survey-confirmation': { zh: '调查结果签字确认书', agencies: ['land-bureau', 'township'], types: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 50 * 1024 ** 2 },
  /** The signed agreement (a scan). */
  'agreement-scan': { zh: '签字协议扫描件', agencies: ['land-bureau'], types: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 50 * 1024 ** 2 },
  /** The disclosure list as posted in the village group (photos/videos), like the notice's posting. */
  'disclosure-posting': { zh: '补偿公示张贴影像资料', agencies: ['township'], types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** A filled survey workbook to import. */
  'survey-workbook': { zh: '调查清册（Excel）', agencies: ['land-bureau', 'township'], types: [XLSX_CONTENT_TYPE], maxBytes: 20 * 1024 ** 2 },
} as const satisfies Record<string, { zh: string; agencies: readonly AgencyId[]; types: readonly string[]; maxBytes: number }>;

export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;


/** A slot to upload one file straight to the evidence bucket, used once. */
export interface CompensationUpload extends UploadSlot {
  /** The household, or for project-level files (workbooks, disclosures) the project. */
  caseId: string;
  projectId: string;
  purpose: UploadPurpose;
  usedBy?: string;
}

/** The object key: under the project, so the evidence grant (projects/*) covers it. */
export const uploadKey = (projectId: string, caseId: string, purpose: UploadPurpose, uploadId: string) =>
  caseId === projectId ? `projects/${projectId}/${purpose}/${uploadId}` : `projects/${projectId}/households/${caseId}/${purpose}/${uploadId}`;

/** Who may upload a file for this purpose, and whether the declared file may be one. */
export function checkUploadRequest(purpose: UploadPurpose, declared: DeclaredEvidence, actor: Identity): void {
  const rule = UPLOAD_PURPOSES[purpose];
  if (!(rule.agencies as readonly string[]).includes(actor.agency)) {
    throw new ForbiddenError('forbidden.agency', `本单位无权上传“${rule.zh}”`, { purpose, agency: actor.agency });
  }
  checkDeclaredFile(rule, declared);
}

/** An upload named in an action must be for this purpose and case, by this agency, and unused. */
export function checkUploadUsable(upload: CompensationUpload, use: { caseId: string; purpose: UploadPurpose }, actor: Identity): void {
  if (upload.caseId !== use.caseId || upload.purpose !== use.purpose) {
    throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不是“${UPLOAD_PURPOSES[use.purpose].zh}”或不属于本户（项目）`);
  }
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
