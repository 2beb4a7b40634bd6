import { ValidationError } from './errors.ts';
import type { Identity } from './identity.ts';

/** The legal affairs office's review of a document before it goes out (seed §三(十三)). */
export type ReviewDecision = 'approve' | 'return';

export interface Review {
  decision: ReviewDecision;
  reasons?: string;
  revision: number;
  by: Identity;
  at: string;
}

/** A review entry; returning a document requires written reasons. */
export function review(decision: ReviewDecision, reasons: string | undefined, revision: number, by: Identity, now: Date): Review {
  const text = reasons?.trim();
  if (decision === 'return' && !text) {
    throw new ValidationError('review.reasons-required', '退回修改必须写明理由');
  }
  return { decision, ...(text ? { reasons: text } : {}), revision, by, at: now.toISOString() };
}
