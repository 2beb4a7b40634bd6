import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import { clauses } from './compensation.ts';
import type { Compensation, CompensationLine, Decimal, Household, PayeeClass } from './household.ts';
import type { CompensationStandard } from './plan.ts';
import { formatQuantity, multiplyToFen, parseQuantity, sumFen } from './quantity.ts';
import { hasOpenDispute, householdState, openChecks } from './survey.ts';

/**
 * The expropriation agreement (征收土地协议, seed §五(一)4): made from a final computation of the
 * confirmed survey, signed by the land bureau's branch with the household, then never changed.
 *
 * "Live" means in force: signed and not superseded. A household has at most one live agreement:
 * an original is signed only when none is in force; a supplementary agreement (补充协议) names the
 * live one and, when signed, supersedes it in the same step. Drafts bind nobody: a household keeps
 * at most one, a newer draft superseding the older.
 */

export type AgreementMode =
  | { kind: 'cash'; optionId: string }
  /** Property swap (产权调换): a resettlement house of this floor area at the standard's price. */
  | { kind: 'swap'; optionId: string; houseAreaSquareMetres: Decimal };

/** The swap's settlement: compensation against the house's price, in one direction or the other. */
export interface SwapSettlement {
  /** The compensation for the household's houses, which the swap exchanges. */
  compensationFen: Fen;
  housePriceFen: Fen;
  /** compensation − price: positive is paid to the household, negative the household pays. */
  differenceFen: Fen;
  direction: 'household-receives' | 'household-pays' | 'even';
  explanation: string;
}

export interface Agreement {
  agreementId: string;
  householdId: string;
  projectId: string;
  /** The agreement's number (协议编号), as the land bureau issues it. */
  number: string;
  kind: 'original' | 'supplementary';
  /** For a supplementary agreement: the live agreement it supplements and, when signed, supersedes. */
  supplements?: string;
  reason?: string;
  mode: AgreementMode;
  /** The computation's lines, and for a swap the (negative) price of the resettlement house. */
  lines: CompensationLine[];
  /** Sum of the lines (all payees, net of a swap house's price). */
  totalFen: Fen;
  /**
   * What each payee class is owed: the money actually moves per payee (the collective, the resettled
   * persons, the social-security fund, the owner). The owner's amount is net of a swap house's
   * price and is negative when the household owes the difference; it never reduces another payee's.
   */
  amountsByPayee: PayeeAmount[];
  swap?: SwapSettlement;
  paymentTerms: string;
  surveyRevision: number;
  standardLockedAt: string;
  computedAt: string;
  status: 'drafted' | 'signed' | 'superseded';
  /** SHA-256 of the rendered agreement document the household signs. */
  documentSha256?: string;
  signed?: { by: Identity; at: string; place: string; evidence: EvidenceRecord };
  supersededBy?: string;
  draftedBy: Identity;
  draftedAt: string;
}

export interface PayeeAmount {
  payee: PayeeClass;
  amountFen: Fen;
}

const PAYEE_ORDER: readonly PayeeClass[] = ['owner', 'resettled-person', 'collective', 'social-security-fund'];

/** The lines' amounts summed per payee class, in a fixed order, leaving out payees with no line. */
export function amountsByPayee(lines: readonly CompensationLine[]): PayeeAmount[] {
  return PAYEE_ORDER.filter((payee) => lines.some((l) => l.payee === payee)).map((payee) => ({ payee, amountFen: sumFen(lines.filter((l) => l.payee === payee).map((l) => l.amountFen)) }));
}

/** What the agreement pays out: every payee's positive amount (what a household owes is no payout). */
export function payoutFen(agreement: Pick<Agreement, 'amountsByPayee'>): Fen {
  return sumFen(agreement.amountsByPayee.map((p) => Math.max(0, p.amountFen)));
}

/** 方案§五(一)4: the compensation is paid in full within 3 months of the agreement's signing. */
export const PAYMENT_TERMS = '征收土地协议签订后3个月内足额支付征地补偿款（方案§五(一)4）';

/**
 * Whether an agreement may be made for the household from this computation; throws the first
 * reason it may not. Member checks: every member must have been checked (hukou; military review
 * for serving/retired members) and none may still be pending. A failed hukou check is a result, not
 * a blocker — that member is simply not a resettled person, so the computation may not carry
 * social security for anyone whose hukou check did not pass. A failed military review is likewise a
 * result for civil affairs to act on.
 */
export function checkAgreementAllowed(household: Household, compensation: Compensation): void {
  if (compensation.householdId !== household.householdId) {
    throw new ValidationError('agreement.compensation-other-household', '补偿计算结果不是该户的');
  }
  const survey = household.survey;
  if (survey?.status !== 'confirmed') throw new RuleViolationError('agreement.survey-not-confirmed', '调查结果尚未经征收户签字确认，不能签订征收土地协议');
  if (hasOpenDispute(household)) throw new RuleViolationError('agreement.dispute-open', '该户有未处理的争议，争议处理前不能签订征收土地协议');
  const pendingHouses = survey.houses.filter((h) => h.legality === 'pending').map((h) => h.itemId);
  if (pendingHouses.length > 0) {
    throw new RuleViolationError('agreement.legality-pending', `房屋${quoted(pendingHouses)}的合法性尚待市住建局认定，不能签订征收土地协议`, { itemIds: pendingHouses });
  }
  const unopened = openChecks(household.members, household.checks).slice(household.checks.length);
  if (unopened.length > 0) {
    throw new RuleViolationError('agreement.checks-missing', `成员${quoted(unopened.map((c) => c.memberId))}尚未提请户籍核实或军人安置审查`, { memberIds: unopened.map((c) => c.memberId) });
  }
  const pending = household.checks.filter((c) => c.status === 'pending');
  if (pending.length > 0) {
    throw new RuleViolationError('agreement.checks-pending', `成员${quoted(pending.map((c) => c.memberId))}的户籍核实或军人安置审查尚无结果`, { memberIds: pending.map((c) => c.memberId) });
  }
  const passedHukou = new Set(household.checks.filter((c) => c.kind === 'hukou' && c.status === 'passed').map((c) => c.memberId));
  const unverified = compensation.lines.filter((l) => l.kind === 'social-security' && !passedHukou.has(l.itemId)).map((l) => l.itemId);
  if (unverified.length > 0) {
    throw new RuleViolationError('agreement.resettled-not-verified', `安置人员${quoted(unverified)}未通过户籍核实，不能计入社会保障费用（方案§三(七)）`, { memberIds: unverified });
  }
  if (compensation.surveyRevision !== survey.revision) {
    throw new RuleViolationError('agreement.compensation-stale', `补偿计算依据的是第${compensation.surveyRevision}版调查结果，现行为第${survey.revision}版：须重新计算`);
  }
  if (!compensation.final) {
    throw new RuleViolationError('agreement.compensation-not-final', `补偿计算尚未最终确定：${compensation.blockers.join('；')}`);
  }
}

export interface AgreementDraftInput {
  agreementId: string;
  number: string;
  household: Household;
  compensation: Compensation;
  /** The locked standard the computation was made from (for the swap house's price). */
  standard: CompensationStandard;
  mode: AgreementMode;
  /** All the household's agreements so far. */
  existing: readonly Agreement[];
  actor: Identity;
  now: Date;
}

/** What a draft changes: the new draft, and the household's older draft it supersedes (if any). */
export interface Drafted {
  agreement: Agreement;
  superseded: Agreement[];
}

/** An original agreement; refused once one is in force (a change then needs a supplementary one). */
export function draftAgreement(input: AgreementDraftInput): Drafted {
  const live = liveAgreement(input.existing);
  if (live) {
    throw new RuleViolationError('agreement.already-signed', `该户已签订征收土地协议（${live.number}），变更须签订补充协议`, { agreementId: live.agreementId });
  }
  return build(input, { kind: 'original' });
}

/** A supplementary agreement to the live one, with its reason (e.g. a re-survey after a dispute). */
export function supplementAgreement(original: Agreement, reason: string, input: AgreementDraftInput): Drafted {
  if (!reason.trim()) throw new ValidationError('agreement.reason-required', '补充协议须写明签订理由');
  if (original.householdId !== input.household.householdId) throw new ValidationError('agreement.other-household', '补充协议只能补充同一户的协议');
  const live = liveAgreement(input.existing);
  if (original.status !== 'signed' || live?.agreementId !== original.agreementId) {
    throw new RuleViolationError('agreement.supplement-not-live', `只能对现行有效（已签订且未被取代）的协议签订补充协议：协议${original.number}${original.status === 'drafted' ? '尚未签订，可直接重新拟定' : '已被取代'}`);
  }
  return build(input, { kind: 'supplementary', supplements: original.agreementId, reason: reason.trim() });
}

/** Records the rendered document's hash; only while drafted. */
export function attachDocument(agreement: Agreement, sha256: string): Agreement {
  assertDrafted(agreement);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ValidationError('agreement.document-hash-invalid', '协议文本的 SHA-256 须为64位十六进制小写字符');
  return { ...agreement, documentSha256: sha256 };
}

export interface Signing {
  /** SHA-256 of the document that was signed: must be the one rendered for this draft. */
  documentSha256: string;
  place: string;
  /** The scan or photo of the signed agreement, verified in the evidence bucket. */
  evidence: EvidenceRecord | undefined;
  /** When it was signed in the village (statedTime): the payment clock runs from it. */
  signedAt: Date;
}

/** What signing changes: the signed agreement, the one it supersedes, and the household. */
export interface Signed {
  agreement: Agreement;
  superseded: Agreement[];
  household: Household;
}

/**
 * The land bureau's branch signs with the household (§五(一)4). The household must still be as the
 * draft saw it (no dispute since, same survey revision); for a supplement, the agreement it
 * supplements must still be the live one, and is superseded by this signing.
 */
export function signAgreement(agreement: Agreement, household: Household, existing: readonly Agreement[], signing: Signing, actor: Identity, now: Date): Signed {
  assertDrafted(agreement);
  if (actor.agency !== 'land-bureau') throw new ForbiddenError('agreement.signer', '征收土地协议由市国土资源局（分局）组织签订（方案§五(一)4）');
  if (!agreement.documentSha256) throw new RuleViolationError('agreement.document-missing', '协议文本尚未生成，不能签订');
  if (signing.documentSha256 !== agreement.documentSha256) {
    throw new RuleViolationError('agreement.document-mismatch', '所签协议文本与系统生成的协议文本不一致（SHA-256 不符），不能签订');
  }
  if (!signing.evidence?.sha256) throw new RuleViolationError('agreement.signature-evidence-required', '须上传双方签字（盖章）的协议扫描件或照片');
  if (!signing.place.trim()) throw new ValidationError('agreement.place-required', '须写明签订地点');
  if (hasOpenDispute(household)) throw new RuleViolationError('agreement.dispute-open', '该户有未处理的争议，争议处理前不能签订征收土地协议');
  if (household.survey?.revision !== agreement.surveyRevision) {
    throw new RuleViolationError('agreement.compensation-stale', '协议拟定后调查结果已变更，须重新计算并重新拟定协议');
  }
  const live = liveAgreement(existing);
  if (agreement.kind === 'original' && live) {
    throw new RuleViolationError('agreement.already-signed', `该户已签订征收土地协议（${live.number}），同一户不能有两份有效协议`);
  }
  if (agreement.kind === 'supplementary' && live?.agreementId !== agreement.supplements) {
    throw new RuleViolationError('agreement.supplement-stale', '补充协议所补充的协议已不是现行有效协议，须重新拟定');
  }
  if (signing.signedAt.getTime() > now.getTime() || signing.signedAt.getTime() < Date.parse(agreement.draftedAt)) {
    throw new ValidationError('agreement.signed-at', '签订时间须在协议拟定之后、当前时间之前');
  }
  const signed: Agreement = { ...agreement, status: 'signed', signed: { by: actor, at: signing.signedAt.toISOString(), place: signing.place.trim(), evidence: signing.evidence } };
  const superseded = live ? [{ ...live, status: 'superseded' as const, supersededBy: agreement.agreementId }] : [];
  const signedHousehold = { ...household, agreementInForce: agreement.agreementId };
  return { agreement: signed, superseded, household: { ...signedHousehold, state: householdState(signedHousehold) } };
}

/** The agreement in force (signed, not superseded), if any; more than one is a broken invariant. */
export function liveAgreement(agreements: readonly Agreement[]): Agreement | undefined {
  const live = agreements.filter((a) => a.status === 'signed');
  if (live.length > 1) throw new ConflictError('agreement.two-live', `同一户有${live.length}份有效协议：${live.map((a) => a.number).join('、')}`);
  return live[0];
}

function build(input: AgreementDraftInput, kind: Pick<Agreement, 'kind' | 'supplements' | 'reason'>): Drafted {
  const { household, compensation } = input;
  checkAgreementAllowed(household, compensation);
  if (input.existing.some((a) => a.agreementId === input.agreementId)) throw new ConflictError('agreement.duplicate', `协议“${input.agreementId}”已存在`);
  const houseLine = swapLine(input.standard, input.mode);
  const lines = houseLine ? [...compensation.lines, houseLine] : [...compensation.lines];
  const totalFen = sumFen(lines.map((l) => l.amountFen));
  // The swap exchanges the house: its price is set off against the house's own compensation, not
  // against the collective's land compensation or the social-security fund's share.
  const houseCompensation = sumFen(compensation.lines.filter((l) => l.kind === 'house').map((l) => l.amountFen));
  const swap = houseLine ? settlement(houseCompensation, -houseLine.amountFen, houseLine) : undefined;
  const agreement: Agreement = {
    agreementId: input.agreementId,
    householdId: household.householdId,
    projectId: household.projectId,
    number: input.number,
    ...kind,
    mode: input.mode,
    lines,
    totalFen,
    amountsByPayee: amountsByPayee(lines),
    ...(swap ? { swap } : {}),
    paymentTerms: swap?.direction === 'household-pays' ? `被征收户应补交产权调换差价${formatYuan(-swap.differenceFen)}元，补交后交付安置房；其余各项补偿费用按${PAYMENT_TERMS}` : PAYMENT_TERMS,
    surveyRevision: compensation.surveyRevision,
    standardLockedAt: compensation.standardLockedAt,
    computedAt: compensation.computedAt,
    status: 'drafted',
    draftedBy: input.actor,
    draftedAt: input.now.toISOString(),
  };
  const superseded = input.existing.filter((a) => a.status === 'drafted').map((a) => ({ ...a, status: 'superseded' as const, supersededBy: input.agreementId }));
  return { agreement, superseded };
}

/** The resettlement house's price as a negative line, for a swap; checks the mode against the standard. */
function swapLine(standard: CompensationStandard, mode: AgreementMode): CompensationLine | undefined {
  const option = standard.resettlementOptions.find((o) => o.id === mode.optionId);
  if (!option) throw new ValidationError('agreement.unknown-option', `安置方式“${mode.optionId}”不在本项目的补偿标准中`);
  if (option.kind !== mode.kind) {
    throw new ValidationError('agreement.option-mode-mismatch', `安置方式“${option.id}”是${option.kind === 'swap' ? '产权调换' : '货币补偿'}，与所选方式不符`);
  }
  if (mode.kind === 'cash' || option.kind === 'cash') return undefined;
  const area = parseQuantity(mode.houseAreaSquareMetres, '安置房面积（平方米）');
  if (area === 0n) throw new ValidationError('agreement.swap-area-required', '产权调换须写明安置房面积（大于零）');
  const quantity = formatQuantity(area);
  return {
    kind: 'swap-house-price',
    itemId: option.id,
    description: `产权调换安置房：${option.description}，${quantity}平方米`,
    quantity,
    unit: '平方米',
    rateFen: option.fenPerSquareMetre,
    amountFen: 0 - multiplyToFen(quantity, option.fenPerSquareMetre, '安置房面积（平方米）'),
    clause: clauses.resettlementOption(option.id),
    payee: 'owner',
  };
}

function settlement(compensationFen: Fen, housePriceFen: Fen, house: CompensationLine): SwapSettlement {
  const differenceFen = compensationFen - housePriceFen;
  const direction = differenceFen > 0 ? 'household-receives' : differenceFen < 0 ? 'household-pays' : 'even';
  const price = `安置房${house.quantity}平方米×${formatYuan(house.rateFen)}元/平方米=${formatYuan(housePriceFen)}元`;
  const outcome =
    direction === 'household-receives' ? `差价${formatYuan(differenceFen)}元由征收方支付给被征收户` : direction === 'household-pays' ? `差价${formatYuan(-differenceFen)}元由被征收户补交` : '两相抵顶，互不找补';
  return { compensationFen, housePriceFen, differenceFen, direction, explanation: `房屋补偿${formatYuan(compensationFen)}元，${price}，${outcome}` };
}

function assertDrafted(agreement: Agreement): void {
  if (agreement.status === 'signed') throw new ConflictError('agreement.immutable', `协议${agreement.number}已签订，不能再作任何修改；变更须签订补充协议`);
  if (agreement.status === 'superseded') throw new ConflictError('agreement.superseded', `协议${agreement.number}已被取代`);
}

function quoted(names: string[]): string {
  return names.map((n) => `“${n}”`).join('、');
}
