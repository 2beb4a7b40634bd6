import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { EvidenceUpload, PostedDocument, Posting } from '../domain/posting.ts';

/** The notices service's own records: evidence upload slots and postings. */
export interface EvidenceUploadRepository {
  find(projectId: string, uploadId: string): Promise<Versioned<EvidenceUpload> | undefined>;
  save(upload: EvidenceUpload, expected: Expected): Change;
}

export interface PostingRepository {
  /** Every posting of a project (a handful per village group). */
  ofProject(projectId: string): Promise<Posting[]>;
  add(posting: Posting): Change;
}

export type { PostedDocument };
