import type { EvidenceRecord, StoredDocument } from '../../../shared/evidence/evidence.ts';
import { RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';
import type { Compensation, Household } from './household.ts';

/**
 * The disclosure (公示) of a village group's households, items and amounts, exported as .xlsx and as
 * a PDF notice; the township posts it in the group with photo/video evidence, like the notice.
 */
export interface Disclosure {
  disclosureId: string;
  projectId: string;
  villageGroupId: string;
  postingNote: string;
  households: Array<{ householdId: string; householdNumber: string; surveyRevision: number; totalFen: Fen }>;
  totalFen: Fen;
  documents: { pdf: StoredDocument; xlsx: StoredDocument };
  generatedBy: Identity;
  generatedAt: string;
  postings: Array<{ postedAt: string; place: string; evidence: EvidenceRecord[]; recordedBy: Identity; recordedAt: string }>;
}

/**
 * What a group's disclosure lists: every household of the group with a computation of its current
 * survey. A household without one is named in the refusal, so nobody is left off the list unseen.
 */
export function disclosedHouseholds(households: readonly Household[], computations: ReadonlyMap<string, Compensation>): Array<{ household: Household; compensation: Compensation }> {
  if (households.length === 0) throw new RuleViolationError('disclosure.no-households', '该村民小组尚无被征收户，无可公示内容');
  const missing = households.filter((h) => {
    const c = computations.get(h.householdId);
    return !c || c.surveyRevision !== h.survey?.revision;
  });
  if (missing.length > 0) {
    throw new RuleViolationError('disclosure.not-computed', `尚有 ${missing.length} 户未按现行调查结果核算补偿，不能公示：${missing.map((h) => h.householdNumber).slice(0, 20).join('、')}`, {
      households: missing.map((h) => h.householdNumber),
    });
  }
  return [...households].sort((a, b) => a.householdNumber.localeCompare(b.householdNumber, 'zh-CN', { numeric: true })).map((household) => ({ household, compensation: computations.get(household.householdId)! }));
}

/** The township's posting of the disclosure: not before it was generated, not in the future. */
export function recordDisclosurePosting(disclosure: Disclosure, posting: Disclosure['postings'][number], now: Date): Disclosure {
  if (Date.parse(posting.postedAt) < Date.parse(disclosure.generatedAt)) throw new ValidationError('disclosure.posted-before-generated', '张贴时间早于公示清单生成时间');
  if (Date.parse(posting.postedAt) > now.getTime()) throw new ValidationError('disclosure.posted-in-future', '张贴时间不能晚于当前时间');
  if (posting.evidence.length === 0) throw new RuleViolationError('disclosure.evidence-required', '张贴公示必须附有照片或视频证据');
  return { ...disclosure, postings: [...disclosure.postings, posting] };
}
