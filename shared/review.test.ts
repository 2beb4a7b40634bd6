import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from './errors.ts';
import type { Identity } from './identity.ts';
import { publish, redraft, review, type LifecycleErrors, type ReviewedDocument } from './review.ts';

const drafter: Identity = { user: 'u-land', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const reviewer: Identity = { user: 'u-legal', agency: 'legal-affairs-office', jurisdiction: 'yongzhou' };
const T1 = new Date('2026-09-01T02:00:00.000Z');
const T2 = new Date('2026-09-02T02:00:00.000Z');
const T3 = new Date('2026-09-03T02:00:00.000Z');

// Distinct codes, so each refusal shows which rule refused.
const errors: LifecycleErrors = {
  published: () => new ConflictError('doc.published', '已发布'),
  notPendingReview: () => new ConflictError('doc.not-pending-review', '不在待审核状态'),
  notApproved: () => new ConflictError('doc.not-approved', '未审核通过'),
};

type Doc = ReviewedDocument & { title: string };
const draft = (title = '通告', existing?: Doc, at = T1): Doc => redraft(existing, { title }, drafter, at, errors);
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('draft → legal affairs review → publish', () => {
  it('a first draft is revision 1, pending review, with no reviews', () => {
    expect(draft()).toEqual({ title: '通告', status: 'pending-review', revision: 1, draftedBy: drafter, draftedAt: T1.toISOString(), reviews: [] });
  });

  it('approval records the reviewed revision, who and when; then publication records who and when', () => {
    const approved = review(draft(), 'approve', undefined, reviewer, T2, errors);
    expect(approved.status).toBe('approved');
    expect(approved.reviews).toEqual([{ decision: 'approve', revision: 1, by: reviewer, at: T2.toISOString() }]);
    const published = publish(approved, drafter, T3, errors);
    expect(published).toMatchObject({ status: 'published', publishedAt: T3.toISOString(), publishedBy: drafter, revision: 1 });
  });

  it('a return needs written reasons (trimmed), and a redraft goes back to review as the next revision, keeping the history', () => {
    expect(codeOf(() => review(draft(), 'return', undefined, reviewer, T2, errors))).toBe('review.reasons-required');
    expect(() => review(draft(), 'return', '  \n ', reviewer, T2, errors)).toThrow(ValidationError);
    const returned = review(draft(), 'return', '  补偿标准依据不明 ', reviewer, T2, errors);
    expect(returned.status).toBe('returned');
    expect(returned.reviews).toEqual([{ decision: 'return', reasons: '补偿标准依据不明', revision: 1, by: reviewer, at: T2.toISOString() }]);

    const second = draft('通告（修改）', returned, T3);
    expect(second).toMatchObject({ title: '通告（修改）', status: 'pending-review', revision: 2, draftedAt: T3.toISOString() });
    expect(second.reviews).toEqual(returned.reviews);
    const approved = review(second, 'approve', '同意', reviewer, T3, errors);
    expect(approved.reviews.map((r) => [r.decision, r.revision, r.reasons])).toEqual([
      ['return', 1, '补偿标准依据不明'],
      ['approve', 2, '同意'],
    ]);
  });

  it('changing an approved document needs a new review before it can be published', () => {
    const approved = review(draft(), 'approve', undefined, reviewer, T2, errors);
    const changed = draft('改过的通告', approved, T3);
    expect(changed).toMatchObject({ status: 'pending-review', revision: 2 });
    expect(codeOf(() => publish(changed, drafter, T3, errors))).toBe('doc.not-approved');
  });

  it('refuses a review unless pending review', () => {
    const approved = review(draft(), 'approve', undefined, reviewer, T2, errors);
    const returned = review(draft(), 'return', '理由', reviewer, T2, errors);
    const published = publish(approved, drafter, T3, errors);
    for (const document of [approved, returned, published]) {
      expect(codeOf(() => review(document, 'approve', undefined, reviewer, T3, errors)), document.status).toBe('doc.not-pending-review');
    }
  });

  it('refuses publication unless approved, and a second publication as already published', () => {
    expect(codeOf(() => publish(draft(), drafter, T2, errors))).toBe('doc.not-approved');
    expect(codeOf(() => publish(review(draft(), 'return', '理由', reviewer, T2, errors), drafter, T3, errors))).toBe('doc.not-approved');
    const published = publish(review(draft(), 'approve', undefined, reviewer, T2, errors), drafter, T3, errors);
    expect(codeOf(() => publish(published, drafter, T3, errors))).toBe('doc.published');
  });

  it('a published document cannot be redrafted', () => {
    const published = publish(review(draft(), 'approve', undefined, reviewer, T2, errors), drafter, T3, errors);
    expect(codeOf(() => draft('新版本', published, T3))).toBe('doc.published');
  });

  it('never changes the document it is given', () => {
    const pending = draft();
    const snapshot = structuredClone(pending);
    const approved = review(pending, 'approve', undefined, reviewer, T2, errors);
    publish(approved, drafter, T3, errors);
    expect(pending).toEqual(snapshot);
    expect(approved.status).toBe('approved');
  });
});
