import { formatBeijing } from '../../../shared/calendar/index.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import { ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';

/**
 * The township supervises how the village collective manages, uses, distributes and discloses the
 * land compensation (seed §三(三)): it records each distribution disclosure (分配公示) the collective
 * posts in a village group, with the posting photos, the distribution plan's scan and the amount
 * distributed. Appended, never edited: a correction is a later disclosure.
 */
export interface DistributionDisclosure {
  projectId: string;
  villageGroupId: string;
  /** 1, 2, … within the project's village group. */
  seq: number;
  /** When the collective posted the disclosure (stated, UTC ISO). */
  postedAt: string;
  /** What the collective distributed to its members, in integer fen. */
  distributedFen: Fen;
  note?: string;
  postings: EvidenceRecord[];
  plans: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

export interface DistributionInput {
  postedAt: Date;
  distributedFen: Fen;
  note?: string | undefined;
  postings: EvidenceRecord[];
  plans: EvidenceRecord[];
}

/** Whether the stated facts may be recorded, before any file is verified. */
export function checkDistribution(input: Omit<DistributionInput, 'postings' | 'plans'>, actor: Identity, now: Date): void {
  if (actor.agency !== 'township') throw new ForbiddenError('forbidden.agency', '村集体土地补偿费分配公示由乡镇（街道）监督登记');
  if (!Number.isSafeInteger(input.distributedFen) || input.distributedFen < 0) throw new ValidationError('distribution.amount-invalid', '分配金额须为以“分”为单位的非负整数');
  if (input.postedAt.getTime() > now.getTime()) throw new ValidationError('distribution.in-future', `公示张贴时间不能晚于当前时间（北京时间${formatBeijing(now)}）`);
}

export function recordDistribution(
  earlier: readonly DistributionDisclosure[],
  at: { projectId: string; villageGroupId: string },
  input: DistributionInput,
  actor: Identity,
  now: Date,
): DistributionDisclosure {
  checkDistribution(input, actor, now);
  if (input.postings.length === 0) throw new ValidationError('distribution.posting-required', '须附至少一份已核验的公示张贴影像');
  if (input.plans.length === 0) throw new ValidationError('distribution.plan-required', '须附已核验的分配方案扫描件');
  return {
    projectId: at.projectId,
    villageGroupId: at.villageGroupId,
    seq: earlier.length + 1,
    postedAt: input.postedAt.toISOString(),
    distributedFen: input.distributedFen,
    ...(input.note ? { note: input.note } : {}),
    postings: input.postings,
    plans: input.plans,
    recordedBy: actor,
    recordedAt: now.toISOString(),
  };
}
