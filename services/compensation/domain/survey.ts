import { beijingDate, formatBeijing, parseDay } from '../../../shared/calendar/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { CheckKind, Dispute, Household, HouseholdState, HouseItem, Member, MemberCheck, Survey, SurveyItems } from './household.ts';
import { compareQuantities, parseQuantity } from './quantity.ts';

/**
 * The survey of a household's land and what stands on it (seed §五(一)4, §三(一)(三)(九)(十)),
 * the legality of its houses, disputes about it, and the other agencies' checks on its members.
 * Every function returns a new household; nothing is changed in place.
 */

/** What the surveyors record: a house's legality is not theirs to decide (housing-construction, §三(九)). */
export interface SurveyInput extends Omit<SurveyItems, 'houses'> {
  houses: Array<Omit<HouseItem, 'legality' | 'determination'>>;
}

/**
 * Records (or replaces) the survey while it is a draft. A house keeps the legality determined for
 * it only while it is the same building as determined — same itemId, structure, floor area and
 * storeys; a new or changed house starts pending (a determination never follows a renumbered or
 * re-measured building). Evidence is only ever added.
 */
export function replaceSurvey(household: Household, input: SurveyInput, evidence: readonly EvidenceRecord[], actor: Identity, now: Date): Household {
  const previous = household.survey;
  if (previous?.status === 'confirmed') {
    throw new ConflictError('survey.confirmed', '调查结果已经被征收户签字确认，不能直接修改：须经争议处理决定重新调查（方案§三(一)）');
  }
  checkItems(input, now);
  const determined = new Map((previous?.houses ?? []).map((h) => [h.itemId, h]));
  const houses: HouseItem[] = input.houses.map((house) => {
    const known = determined.get(house.itemId);
    const same = known?.determination && sameBuilding(known, house);
    return same ? { ...house, legality: known.legality, determination: known.determination } : { ...house, legality: 'pending' };
  });
  const survey: Survey = {
    parcels: input.parcels,
    crops: input.crops,
    attachments: input.attachments,
    houses,
    status: 'draft',
    surveyedBy: actor,
    surveyedAt: now.toISOString(),
    evidence: [...(previous?.evidence ?? []), ...evidence],
    revision: (previous?.revision ?? 0) + 1,
  };
  return withState({ ...household, survey });
}

function sameBuilding(a: Pick<HouseItem, 'structure' | 'floorAreaSquareMetres' | 'storeys'>, b: Pick<HouseItem, 'structure' | 'floorAreaSquareMetres' | 'storeys'>): boolean {
  return a.structure === b.structure && a.storeys === b.storeys && compareQuantities(a.floorAreaSquareMetres, b.floorAreaSquareMetres) === 0;
}

/**
 * When something was done in the village, as the agency states it (a signing, a confirmation): not
 * before `notBefore`, not after now; absent, now. Clocks run from this, not from data entry.
 */
export function statedTime(stated: string | undefined, notBefore: string, now: Date, what: string): Date {
  if (stated === undefined) return now;
  const at = new Date(stated);
  if (at.getTime() > now.getTime()) throw new ValidationError('time.in-future', `${what}时间不能晚于当前时间`);
  if (at.getTime() < Date.parse(notBefore)) throw new ValidationError('time.too-early', `${what}时间不能早于${formatBeijing(notBefore)}`);
  return at;
}

/** The household's signed confirmation (a verified scan) makes the survey confirmed. */
export function confirmSurvey(household: Household, confirmation: EvidenceRecord | undefined, actor: Identity, now: Date): Household {
  const survey = surveyOf(household);
  if (survey.status === 'confirmed') throw new ConflictError('survey.already-confirmed', '调查结果已经确认');
  if (hasOpenDispute(household)) throw new RuleViolationError('survey.dispute-open', '该户有未处理的争议，争议处理前不能确认调查结果');
  if (!confirmation?.sha256) {
    throw new RuleViolationError('survey.confirmation-evidence-required', '确认调查结果须上传征收户签字确认的调查表扫描件');
  }
  return withState({ ...household, survey: { ...survey, status: 'confirmed', confirmation: { evidence: confirmation, confirmedBy: actor, confirmedAt: now.toISOString() } } });
}

export interface LegalityInput {
  legality: string;
  reference: string;
  reasons?: string;
}

/**
 * The housing-construction bureau classifies a house (§三(九)): legal or illegal, citing its
 * determination. Once made it stands; it changes the computation, so the revision is bumped.
 */
export function determineLegality(household: Household, itemId: string, input: LegalityInput, actor: Identity, now: Date): Household {
  if (actor.agency !== 'housing-construction') {
    throw new ForbiddenError('survey.legality-agency', '被征收房屋违法建筑的定性由市住建局负责（方案§三(九)）');
  }
  const survey = surveyOf(household);
  const house = survey.houses.find((h) => h.itemId === itemId);
  if (!house) throw new NotFoundError('survey.house-not-found', `调查结果中没有房屋“${itemId}”`);
  if (input.legality !== 'legal' && input.legality !== 'illegal') {
    throw new ValidationError('survey.legality-invalid', '合法性认定结论只能是合法（legal）或违法（illegal）');
  }
  if (!input.reference.trim()) throw new ValidationError('survey.legality-reference-required', '合法性认定须注明认定文书文号');
  if (house.legality !== 'pending') {
    throw new ConflictError('survey.legality-determined', `房屋“${itemId}”已认定为${house.legality === 'legal' ? '合法' : '违法'}建筑（${house.determination?.reference ?? ''}），不能重复认定`);
  }
  const determined: HouseItem = {
    ...house,
    legality: input.legality,
    determination: { legality: input.legality, reference: input.reference.trim(), ...(input.reasons ? { reasons: input.reasons } : {}), by: actor, at: now.toISOString() },
  };
  const houses = survey.houses.map((h) => (h.itemId === itemId ? determined : h));
  return withState({ ...household, survey: { ...survey, houses, revision: survey.revision + 1 } });
}

/** A dispute about the survey or the compensation: it blocks the agreement until resolved. */
export function raiseDispute(household: Household, input: { disputeId: string; grounds: string }, actor: Identity, now: Date): Household {
  if (!input.grounds.trim()) throw new ValidationError('dispute.grounds-required', '须写明争议的事实和理由');
  if (household.disputes.some((d) => d.disputeId === input.disputeId)) throw new ConflictError('dispute.duplicate', `争议“${input.disputeId}”已经登记`);
  const dispute: Dispute = { disputeId: input.disputeId, raisedAt: now.toISOString(), recordedBy: actor, grounds: input.grounds.trim(), status: 'open' };
  return withState({ ...household, disputes: [...household.disputes, dispute] });
}

const DISPUTE_RESOLVERS: ReadonlySet<string> = new Set(['land-bureau', 'district-government']);

/**
 * The land bureau (§三(一) 协调处理争议) or the district government (§三(三)) resolves a dispute:
 * upheld (the survey stands) or re-surveyed (the survey returns to draft under a new revision, to
 * be surveyed and confirmed again).
 */
export function resolveDispute(household: Household, disputeId: string, input: { outcome: string; reasons: string }, actor: Identity, now: Date): Household {
  if (!DISPUTE_RESOLVERS.has(actor.agency)) throw new ForbiddenError('dispute.resolver', '征地补偿安置争议由国土资源部门或区人民政府（管委会）协调处理');
  const dispute = household.disputes.find((d) => d.disputeId === disputeId);
  if (!dispute) throw new NotFoundError('dispute.not-found', `没有争议“${disputeId}”`);
  if (dispute.status !== 'open') throw new ConflictError('dispute.closed', `争议“${disputeId}”已经处理`);
  if (input.outcome !== 'resurveyed' && input.outcome !== 'upheld') {
    throw new ValidationError('dispute.outcome-invalid', '争议处理结果只能是重新调查（resurveyed）或维持（upheld）');
  }
  if (!input.reasons.trim()) throw new ValidationError('dispute.reasons-required', '须写明争议处理的理由');
  const outcome = input.outcome;
  const resolved: Dispute = { ...dispute, status: outcome, resolution: { outcome, reasons: input.reasons.trim(), by: actor, at: now.toISOString() } };
  const disputes = household.disputes.map((d) => (d.disputeId === disputeId ? resolved : d));
  if (outcome === 'upheld') return withState({ ...household, disputes });
  const { confirmation: _dropped, ...survey } = surveyOf(household);
  return withState({ ...household, disputes, survey: { ...survey, status: 'draft', revision: survey.revision + 1 } });
}

/** Where the household stands: an open dispute first (it needs action), then signed, confirmed, surveying. */
export function householdState(household: Household): HouseholdState {
  if (hasOpenDispute(household)) return 'disputed';
  if (household.agreementInForce) return 'signed';
  return household.survey?.status === 'confirmed' ? 'confirmed' : 'surveying';
}

export function hasOpenDispute(household: Household): boolean {
  return household.disputes.some((d) => d.status === 'open');
}

const CHECK_AGENCY = { hukou: 'public-security', military: 'civil-affairs' } as const;

/**
 * The checks the members need, added to those already open: public security verifies every
 * member's hukou (§三(七)); civil affairs reviews serving and retired military members (§三(十二)).
 */
export function openChecks(members: readonly Member[], existing: readonly MemberCheck[] = []): MemberCheck[] {
  const needed: Array<[CheckKind, string]> = members.flatMap((m): Array<[CheckKind, string]> => (m.military ? [['hukou', m.memberId], ['military', m.memberId]] : [['hukou', m.memberId]]));
  const added = needed
    .filter(([kind, memberId]) => !existing.some((c) => c.kind === kind && c.memberId === memberId))
    .map(([kind, memberId]): MemberCheck => ({ kind, memberId, agency: CHECK_AGENCY[kind], status: 'pending' }));
  return [...existing, ...added];
}

/** The checking agency records its result, once. */
export function recordCheck(household: Household, check: { kind: CheckKind; memberId: string }, result: { passed: boolean; note: string }, actor: Identity, now: Date): Household {
  const found = household.checks.find((c) => c.kind === check.kind && c.memberId === check.memberId);
  if (!found) throw new NotFoundError('check.not-found', `成员“${check.memberId}”没有待办的${check.kind === 'hukou' ? '户籍核实' : '军人安置审查'}`);
  if (actor.agency !== found.agency) {
    throw new ForbiddenError('check.agency', found.kind === 'hukou' ? '安置人员的户籍由市公安局核实（方案§三(七)）' : '现役、退役军人的安置审查由市民政局负责（方案§三(十二)）');
  }
  if (found.status !== 'pending') throw new ConflictError('check.recorded', `成员“${check.memberId}”的该项审查已有结果，不能重复记录`);
  if (!result.note.trim()) throw new ValidationError('check.note-required', '须写明审查意见');
  const recorded: MemberCheck = { ...found, status: result.passed ? 'passed' : 'failed', result: { passed: result.passed, note: result.note.trim(), by: actor, at: now.toISOString() } };
  return { ...household, checks: household.checks.map((c) => (c === found ? recorded : c)) };
}

function surveyOf(household: Household): Survey {
  if (!household.survey) throw new RuleViolationError('survey.missing', `户“${household.householdNumber}”尚未调查`);
  return household.survey;
}

function withState(household: Household): Household {
  return { ...household, state: householdState(household) };
}

/** Item ids unique across all kinds (they key the workbook's rows), quantities exact, dates real. */
function checkItems(input: SurveyInput, now: Date): void {
  const today = beijingDate(now.getTime());
  const all = [...input.parcels, ...input.crops, ...input.attachments, ...input.houses];
  const ids = all.map((i) => i.itemId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new ValidationError('survey.duplicate-item', `调查项编号“${duplicate}”重复`, { itemId: duplicate });
  for (const item of all) {
    if (item.cameIntoBeingOn !== undefined && parseDay(item.cameIntoBeingOn) === undefined) {
      throw new ValidationError('survey.invalid-date', `调查项“${item.itemId}”的形成日期“${item.cameIntoBeingOn}”不是有效日期（YYYY-MM-DD）`, { itemId: item.itemId });
    }
    if (item.cameIntoBeingOn !== undefined && item.cameIntoBeingOn > today) {
      throw new ValidationError('survey.date-in-future', `调查项“${item.itemId}”的形成日期“${item.cameIntoBeingOn}”晚于今天（北京时间${today}）`, { itemId: item.itemId });
    }
  }
  for (const p of input.parcels) parseQuantity(p.areaMu, `地块“${p.parcelNumber}”的面积（亩）`);
  for (const c of input.crops) parseQuantity(c.areaMu, `青苗“${c.itemId}”的面积（亩）`);
  for (const a of input.attachments) parseQuantity(a.quantity, `附着物“${a.itemId}”的数量`);
  for (const h of input.houses) {
    parseQuantity(h.floorAreaSquareMetres, `房屋“${h.itemId}”的建筑面积（平方米）`);
    if (!Number.isInteger(h.storeys) || h.storeys < 1) throw new ValidationError('survey.storeys-invalid', `房屋“${h.itemId}”的层数须为正整数`, { itemId: h.itemId });
  }
}
