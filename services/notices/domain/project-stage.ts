import type { ReviewedDocument } from '../../../shared/review.ts';

/**
 * Where a project stands in the procedure's first half, as its records tell it: the project alone;
 * a notice drafted (in review, returned or approved) or published; then the same for the plan. Later
 * steps are per village group and per household and show on the timeline, not here.
 */
export const PROJECT_STAGES = ['created', 'notice-draft', 'notice-published', 'plan-draft', 'plan-published'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

export const STAGE_ZH: Record<ProjectStage, string> = {
  created: '已立项',
  'notice-draft': '征收土地通告拟定中',
  'notice-published': '征收土地通告已发布',
  'plan-draft': '补偿安置方案拟定中',
  'plan-published': '补偿安置方案已发布',
};

type Status = Pick<ReviewedDocument, 'status'> | undefined;

export function projectStage(notice: Status, plan: Status): ProjectStage {
  if (plan) return plan.status === 'published' ? 'plan-published' : 'plan-draft';
  if (notice) return notice.status === 'published' ? 'notice-published' : 'notice-draft';
  return 'created';
}
