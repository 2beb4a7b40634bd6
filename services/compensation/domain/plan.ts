import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';
import { publish, redraft, review, type LifecycleErrors, type ReviewDecision, type ReviewedDocument } from '../../../shared/review.ts';

/**
 * The project's one compensation standard (seed §五(二)): nobody may raise or lower it, and one
 * project never has two. Amounts are integer fen. Complete under Land Administration Law (2019)
 * art. 48 and the 2021 Implementing Regulations art. 32: land compensation and resettlement
 * subsidy per land class, crops and attachments, farm houses, social-security contributions for
 * the resettled persons, and the resettlement options.
 */
export interface CompensationStandard {
  /** 土地补偿费, per land class, paid to the collective. */
  landRates: Array<{ landClass: string; fenPerMu: Fen }>;
  /** 安置补助费, per land class, for the resettled persons: one for every land class with a land rate. */
  resettlementSubsidyRates: Array<{ landClass: string; fenPerMu: Fen }>;
  cropRates: Array<{ crop: string; fenPerMu: Fen }>;
  attachmentRates: Array<{ item: string; unit: string; fenPerUnit: Fen }>;
  /** 农村村民住宅, per structure and m² of floor area. */
  houseRates: Array<{ structure: string; fenPerSquareMetre: Fen }>;
  /** 社会保障费用: the contribution for each resettled person, paid into the social-security fund. */
  socialSecurity: { fenPerPerson: Fen };
  resettlementOptions: ResettlementOption[];
}

/** Cash compensation (货币补偿), or a property swap (产权调换) for a resettlement house at a fixed price. */
export type ResettlementOption =
  | { id: string; description: string; kind: 'cash' }
  | { id: string; description: string; kind: 'swap'; fenPerSquareMetre: Fen };

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
  // Checked again: a draft stored before a rule was added must not be published incomplete.
  if (plan.status !== 'published') checkStandard(plan.standard);
  return publish(plan, actor, now, errors);
}

/**
 * One rate per class (two rates for the same class would be two standards in one project), and
 * the standard complete under LAL art. 48 / Regulations art. 32.
 */
function checkStandard(standard: CompensationStandard): void {
  const lists: Array<[string, string[]]> = [
    ['地类', standard.landRates.map((r) => r.landClass)],
    ['安置补助费地类', standard.resettlementSubsidyRates.map((r) => r.landClass)],
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
  const landClasses = new Set(standard.landRates.map((r) => r.landClass));
  const subsidised = new Set(standard.resettlementSubsidyRates.map((r) => r.landClass));
  const unsubsidised = [...landClasses].filter((c) => !subsidised.has(c));
  if (unsubsidised.length > 0) {
    throw new ValidationError('plan.resettlement-subsidy-required', `补偿标准须为每个地类规定安置补助费标准（《土地管理法》第四十八条）：地类${quoted(unsubsidised)}缺少安置补助费标准`, { landClasses: unsubsidised });
  }
  const orphans = [...subsidised].filter((c) => !landClasses.has(c));
  if (orphans.length > 0) {
    throw new ValidationError('plan.resettlement-subsidy-unknown-class', `安置补助费标准中的地类${quoted(orphans)}没有对应的土地补偿标准`, { landClasses: orphans });
  }
  if (standard.socialSecurity.fenPerPerson <= 0) {
    throw new ValidationError('plan.social-security-required', '补偿标准须规定被征地农民社会保障费用（每人金额大于零）（《土地管理法》第四十八条，《土地管理法实施条例》第三十二条）');
  }
  if (standard.resettlementOptions.length === 0) {
    throw new ValidationError('plan.resettlement-options-required', '补偿标准须至少规定一种安置方式（货币补偿或产权调换）');
  }
  const unpriced = standard.resettlementOptions.find((o) => o.kind === 'swap' && !(o.fenPerSquareMetre > 0));
  if (unpriced) {
    throw new ValidationError('plan.swap-price-required', `产权调换安置方式“${unpriced.id}”须规定安置房每平方米价格（大于零）`, { optionId: unpriced.id });
  }
}

function quoted(names: string[]): string {
  return names.map((n) => `“${n}”`).join('、');
}
