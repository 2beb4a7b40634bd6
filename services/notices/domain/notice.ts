import { ConflictError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { publish, redraft, review, type LifecycleErrors, type ReviewDecision, type ReviewedDocument } from '../../../shared/review.ts';

/**
 * The land expropriation notice (征收土地通告): drafted by the land bureau, reviewed by the legal
 * affairs office (seed §三(十三)), published only once approved (§五(一)1).
 */
export interface Notice extends ReviewedDocument, NoticeDraft {
  projectId: string;
}

export interface NoticeDraft {
  title: string;
  body: string;
  /** The registration period the notice sets (e.g. `30d`), counted from publication. */
  registrationPeriod: string;
  registrationPlace: string;
}

export const STATUS_ZH: Record<Notice['status'], string> = {
  'pending-review': '待法制办审核',
  returned: '已退回修改',
  approved: '审核通过',
  published: '已发布',
};

const errors: LifecycleErrors = {
  published: () => new ConflictError('notice.already-published', '征收土地通告已发布，不能再修改或重复发布'),
  notPendingReview: () => new ConflictError('notice.not-pending-review', '征收土地通告不在待审核状态'),
  notApproved: () => new ConflictError('notice.not-approved', '征收土地通告未经市政府法制办审核通过，不能发布'),
};

export function draftNotice(existing: Notice | undefined, projectId: string, draft: NoticeDraft, actor: Identity, now: Date): Notice {
  return redraft(existing, { projectId, ...draft }, actor, now, errors);
}

export function reviewNotice(notice: Notice, decision: ReviewDecision, reasons: string | undefined, actor: Identity, now: Date): Notice {
  return review(notice, decision, reasons, actor, now, errors);
}

export function publishNotice(notice: Notice, actor: Identity, now: Date): Notice {
  return publish(notice, actor, now, errors);
}
