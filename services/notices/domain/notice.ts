import type { Identity } from '../../../shared/identity.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { review, type Review, type ReviewDecision } from '../../../shared/review.ts';

/**
 * The land expropriation notice (征收土地通告): drafted by the land bureau, reviewed by the legal
 * affairs office (seed §三(十三)), published only once approved (§五(一)1).
 */
export interface Notice {
  projectId: string;
  status: 'pending-review' | 'returned' | 'approved' | 'published';
  title: string;
  body: string;
  /** The registration period the notice sets (e.g. `30d`), counted from publication. */
  registrationPeriod: string;
  registrationPlace: string;
  revision: number;
  draftedBy: Identity;
  draftedAt: string;
  reviews: Review[];
  publishedAt?: string;
  publishedBy?: Identity;
}

export interface NoticeDraft {
  title: string;
  body: string;
  registrationPeriod: string;
  registrationPlace: string;
}

/** Drafts or revises the notice; any revision goes (back) to review. */
export function draftNotice(existing: Notice | undefined, projectId: string, draft: NoticeDraft, actor: Identity, now: Date): Notice {
  if (existing?.status === 'published') {
    throw new ConflictError('notice.already-published', '征收土地通告已发布，不能再修改');
  }
  return {
    projectId,
    ...draft,
    status: 'pending-review',
    revision: (existing?.revision ?? 0) + 1,
    draftedBy: actor,
    draftedAt: now.toISOString(),
    reviews: existing?.reviews ?? [],
  };
}

export function reviewNotice(notice: Notice, decision: ReviewDecision, reasons: string | undefined, actor: Identity, now: Date): Notice {
  if (notice.status !== 'pending-review') {
    throw new ConflictError('notice.not-pending-review', `征收土地通告当前状态为“${STATUS_ZH[notice.status]}”，不在待审核状态`);
  }
  const entry = review(decision, reasons, notice.revision, actor, now);
  return { ...notice, status: decision === 'approve' ? 'approved' : 'returned', reviews: [...notice.reviews, entry] };
}

export function publishNotice(notice: Notice, actor: Identity, now: Date): Notice {
  if (notice.status === 'published') throw new ConflictError('notice.already-published', '征收土地通告已发布');
  if (notice.status !== 'approved') {
    throw new ConflictError('notice.not-approved', '征收土地通告未经市政府法制办审核通过，不能发布');
  }
  return { ...notice, status: 'published', publishedAt: now.toISOString(), publishedBy: actor };
}

export const STATUS_ZH: Record<Notice['status'], string> = {
  'pending-review': '待法制办审核',
  returned: '已退回修改',
  approved: '审核通过',
  published: '已发布',
};
