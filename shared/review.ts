import { ValidationError } from './errors.ts';
import type { Identity } from './identity.ts';

/**
 * Documents that go out only after the legal affairs office reviews them (seed §三(十三)): the
 * expropriation notice, the implementation plan, and later decisions. One lifecycle for all:
 * draft → pending-review → approved | returned (→ redraft) → published.
 */
export type ReviewDecision = 'approve' | 'return';

export interface Review {
  decision: ReviewDecision;
  reasons?: string;
  revision: number;
  by: Identity;
  at: string;
}

export interface ReviewedDocument {
  status: 'pending-review' | 'returned' | 'approved' | 'published';
  revision: number;
  draftedBy: Identity;
  draftedAt: string;
  reviews: Review[];
  publishedAt?: string;
  publishedBy?: Identity;
}

/** The errors a document kind reports, in its own words. */
export interface LifecycleErrors {
  /** Changing or republishing a published document. */
  published: () => Error;
  notPendingReview: () => Error;
  notApproved: () => Error;
}

/** A new revision (any change goes back to review); a published document cannot change. */
export function redraft<C extends object>(existing: ReviewedDocument | undefined, content: C, actor: Identity, now: Date, errors: LifecycleErrors): C & ReviewedDocument {
  if (existing?.status === 'published') throw errors.published();
  return {
    ...content,
    status: 'pending-review',
    revision: (existing?.revision ?? 0) + 1,
    draftedBy: actor,
    draftedAt: now.toISOString(),
    reviews: existing?.reviews ?? [],
  };
}

/** The review of the current revision; returning it requires written reasons. */
export function review<D extends ReviewedDocument>(document: D, decision: ReviewDecision, reasons: string | undefined, actor: Identity, now: Date, errors: LifecycleErrors): D {
  if (document.status !== 'pending-review') throw errors.notPendingReview();
  const text = reasons?.trim();
  if (decision === 'return' && !text) throw new ValidationError('review.reasons-required', '退回修改必须写明理由');
  const entry: Review = { decision, ...(text ? { reasons: text } : {}), revision: document.revision, by: actor, at: now.toISOString() };
  return { ...document, status: decision === 'approve' ? 'approved' : 'returned', reviews: [...document.reviews, entry] };
}

/** Publication, only of an approved revision, only once. */
export function publish<D extends ReviewedDocument>(document: D, actor: Identity, now: Date, errors: LifecycleErrors): D {
  if (document.status === 'published') throw errors.published();
  if (document.status !== 'approved') throw errors.notApproved();
  return { ...document, status: 'published', publishedAt: now.toISOString(), publishedBy: actor };
}
