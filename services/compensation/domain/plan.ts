import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';
import { publish, redraft, review, type LifecycleErrors, type ReviewDecision, type ReviewedDocument } from '../../../shared/review.ts';

/**
 * The project's one compensation standard (seed §五(二)): nobody may raise or lower it, and one
 * project never has two. Amounts are integer fen.
 */
export interface CompensationStandard {
  landRates: Array<{ landClass: string; fenPerMu: Fen }>;
  cropRates: Array<{ crop: string; fenPerMu: Fen }>;
  attachmentRates: Array<{ item: string; unit: string; fenPerUnit: Fen }>;
  houseRates: Array<{ structure: string; fenPerSquareMetre: Fen }>;
  resettlementOptions: Array<{ id: string; description: string }>;
}

/** The compensation & resettlement implementation plan (征地补偿安置实施方案). */
export interface Plan extends ReviewedDocument, PlanDraft {
  projectId: string;
}

export interface PlanDraft {
  title: string;
  body: string;
  standard: CompensationStandard;
}

export const STANDARD_LOCKED_MESSAGE =
  '征地补偿安置实施方案已发布，补偿标准已锁定：任何单位和个人不得擅自提高或降低标准，同一项目不能出现不同标准（方案§五(二)）';

const errors: LifecycleErrors = {
  published: () => new ConflictError('plan.locked', STANDARD_LOCKED_MESSAGE),
  notPendingReview: () => new ConflictError('plan.not-pending-review', '征地补偿安置实施方案不在待审核状态'),
  notApproved: () => new ConflictError('plan.not-approved', '实施方案未经市政府法制办审核通过，不能发布'),
};

export function draftPlan(existing: Plan | undefined, projectId: string, draft: PlanDraft, actor: Identity, now: Date): Plan {
  if (existing?.status !== 'published') checkStandard(draft.standard);
  return redraft(existing, { projectId, ...draft }, actor, now, errors);
}

export function reviewPlan(plan: Plan, decision: ReviewDecision, reasons: string | undefined, actor: Identity, now: Date): Plan {
  return review(plan, decision, reasons, actor, now, errors);
}

export function publishPlan(plan: Plan, actor: Identity, now: Date): Plan {
  return publish(plan, actor, now, errors);
}

/** One rate per class: two rates for the same class would be two standards in one project. */
function checkStandard(standard: CompensationStandard): void {
  const lists: Array<[string, string[]]> = [
    ['地类', standard.landRates.map((r) => r.landClass)],
    ['青苗', standard.cropRates.map((r) => r.crop)],
    ['附着物', standard.attachmentRates.map((r) => `${r.item}/${r.unit}`)],
    ['房屋结构', standard.houseRates.map((r) => r.structure)],
    ['安置方式', standard.resettlementOptions.map((r) => r.id)],
  ];
  for (const [label, names] of lists) {
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new ValidationError('plan.duplicate-rate', `补偿标准中${label}“${duplicate}”出现了两个标准`);
  }
  if (standard.landRates.length === 0) throw new ValidationError('plan.land-rates-required', '补偿标准须包含土地补偿标准');
}
