import type { Identity } from '../../../shared/identity.ts';

/**
 * An import of a filled survey workbook (decision 0016): parsed in full, then applied household
 * by household in chunks, each chunk a page of the survey-imports job. The record is the job's
 * checkpoint and what the agency watches for progress.
 */
export type ImportStatus = 'running' | 'completed' | 'failed';

/** One bad cell or row, as the agency needs it to fix the workbook. */
export interface ImportRowError {
  sheet: string;
  /** 1-based row as Excel shows it (absent for a household refused as a whole when applied). */
  row?: number;
  /** Header text and column letter, when the error is in one cell. */
  column?: string;
  code: string;
  message: string;
  /** The household the row belongs to (all of its rows are refused with it). */
  householdNumber?: string;
}

export interface ImportCounts {
  /** Households in the workbook. */
  households: number;
  created: number;
  updated: number;
  /** Same content as already recorded: nothing written. */
  unchanged: number;
  /** Refused whole: some row of theirs has an error. */
  rejected: number;
  /** Already confirmed by the household: a workbook no longer changes them (a dispute does). */
  confirmedKept: number;
}

/** The errors kept on the record (the count is exact; the list is the first ones, in workbook order). */
export const MAX_KEPT_ERRORS = 500;

export interface SurveyImportJob {
  jobId: string;
  projectId: string;
  uploadId: string;
  key: string;
  fileName: string;
  fileSha256: string;
  status: ImportStatus;
  requestedBy: Identity;
  requestedAt: string;
  finishedAt?: string;
  /** Data rows in the workbook (known once parsed) and rows whose household is done. */
  rowsTotal?: number;
  rowsDone: number;
  counts: ImportCounts;
  errors: ImportRowError[];
  errorCount: number;
  /** Checkpoint: the index (in workbook order) of the next household to apply. */
  next: number;
  chunks: number;
  /** Why it failed, when it did. */
  failure?: string;
}

export const NO_IMPORT_COUNTS: ImportCounts = { households: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, confirmedKept: 0 };

export function newImportJob(input: Pick<SurveyImportJob, 'jobId' | 'projectId' | 'uploadId' | 'key' | 'fileName' | 'fileSha256' | 'requestedBy'>, now: Date): SurveyImportJob {
  return { ...input, status: 'running', requestedAt: now.toISOString(), rowsDone: 0, counts: { ...NO_IMPORT_COUNTS }, errors: [], errorCount: 0, next: 0, chunks: 0 };
}

/** Errors whose message is written for the agency (shared/errors.ts): shown as they are. */
const AGENCY_FACING_ERRORS = new Set(['ValidationError', 'RuleViolationError', 'NotFoundError', 'ConflictError', 'ForbiddenError', 'PayloadTooLargeError', 'UnsupportedMediaTypeError']);

/**
 * Why a job failed, as the agency reads it. Step Functions hands over the error's name and, as its
 * cause, the Lambda's error document (`{ errorType, errorMessage, trace }`): a domain error's own
 * Chinese message is kept; anything else is named, never its message or stack trace (those are
 * for the logs).
 */
export function importFailureText(error: string | undefined, cause: string | undefined): string {
  let parsed: { errorType?: unknown; errorMessage?: unknown } = {};
  try {
    const value = JSON.parse(cause ?? '') as unknown;
    if (value && typeof value === 'object') parsed = value as typeof parsed;
  } catch {
    // Not a Lambda error document (a States.* error's cause is plain text).
  }
  const name = error ?? (typeof parsed.errorType === 'string' ? parsed.errorType : undefined);
  if (name !== undefined && AGENCY_FACING_ERRORS.has(name) && typeof parsed.errorMessage === 'string' && parsed.errorMessage.trim() !== '') {
    return `导入失败：${parsed.errorMessage}`.slice(0, 2000);
  }
  return `导入失败：系统处理调查表时出错（${(name ?? '未知错误').slice(0, 100)}），已导入的户保持不变；请稍后重新导入，或联系系统管理员`;
}
