import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { HukouResumption, HukouSuspension } from '../domain/hukou.ts';
import type { EvidenceUpload, PostedDocument, Posting } from '../domain/posting.ts';

/** The notices service's own records: evidence upload slots, postings, the hukou suspension. */
export interface EvidenceUploadRepository {
  find(projectId: string, uploadId: string): Promise<Versioned<EvidenceUpload> | undefined>;
  save(upload: EvidenceUpload, expected: Expected): Change;
}

export interface PostingRepository {
  /** Every posting of a project (a handful per village group). */
  ofProject(projectId: string): Promise<Posting[]>;
  add(posting: Posting): Change;
}

/** Public security's acknowledgement of the hukou suspension: once per project. */
export interface HukouSuspensionRepository {
  find(projectId: string): Promise<HukouSuspension | undefined>;
  /** A second acknowledgement is refused with `onConflict`. */
  add(suspension: HukouSuspension, onConflict: Error): Change;
  findResumption(projectId: string): Promise<HukouResumption | undefined>;
  /** Once per project: a second resumption is refused with `onConflict`. */
  addResumption(resumption: HukouResumption, onConflict: Error): Change;
}

export type { PostedDocument };
