import type { Change, Expected, ReviewedDocumentKind, ReviewedDocumentRepository, Versioned } from '../../cases/ports.ts';
import type { ReviewedDocument } from '../../review.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK: Record<ReviewedDocumentKind, string> = { notice: 'NOTICE', plan: 'PLAN' };

/** The notice and the plan: one record each per project, replaced revision by revision. */
export class TableReviewedDocumentRepository implements ReviewedDocumentRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find<D extends ReviewedDocument = ReviewedDocument>(projectId: string, kind: ReviewedDocumentKind): Promise<Versioned<D> | undefined> {
    const item = await this.#table.get(casePk(projectId), SK[kind]);
    return item ? entityOf<D>(item) : undefined;
  }

  save(projectId: string, kind: ReviewedDocumentKind, document: ReviewedDocument, expected: Expected): Change {
    return put(kind, itemOf({ pk: casePk(projectId), sk: SK[kind] }, kind, document), expected);
  }
}
