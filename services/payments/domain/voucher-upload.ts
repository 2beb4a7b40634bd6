import { checkDeclaredFile, type DeclaredEvidence, type UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';

/**
 * The scan of a bank voucher (银行回单) proving a deposit into the project's account. It goes the
 * presigned path like every file (declared SHA-256, verified in the bucket, used once; decision 0011).
 */
export const VOUCHER_UPLOAD = {
  zh: '银行回单扫描件',
  types: ['application/pdf', 'image/jpeg', 'image/png'],
  maxBytes: 20 * 1024 ** 2,
} as const;

/** A slot to upload one voucher scan for a project's account, used by one deposit. */
export interface VoucherUpload extends UploadSlot {
  projectId: string;
  /** The deposit that used it. */
  usedBy?: string;
}

/** Under projects/, so the evidence grant covers it. */
export const voucherKey = (projectId: string, uploadId: string) => `projects/${projectId}/account/deposit-voucher/${uploadId}`;

/** Whether the declared file may be a voucher scan. */
export function checkVoucherDeclared(declared: DeclaredEvidence): void {
  checkDeclaredFile(VOUCHER_UPLOAD, declared);
}

/** A voucher named in a deposit must be this project's, requested by the depositing agency, and unused. */
export function checkVoucherUsable(upload: VoucherUpload, projectId: string, actor: Identity): void {
  if (upload.projectId !== projectId) throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不属于本项目`);
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
