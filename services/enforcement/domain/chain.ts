import type { AgencyId } from '../../../shared/agencies.ts';
import type { RuleVariant } from '../../../shared/calendar/index.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';
import type { ChainKind, InstrumentKind, ServiceMethod } from './instruments.ts';

/**
 * One household's enforcement case (强制腾地 or 违法建筑强制拆除): the instruments issued and served,
 * the household's remedies, its statements, the court's acts, the joint action and its execution.
 * The record is the truth every step is checked against; the workflows only time the agencies'
 * deadlines (decision 0026).
 */
export interface EnforcementChain {
  chainId: string;
  /** The household's n-th chain of this kind: its watches are keyed `enforcement/<seq>/…`. */
  seq: number;
  kind: ChainKind;
  projectId: string;
  householdId: string;
  /** "梅湾村一组 001 号户（户主张三）". */
  caseLabel: string;
  /** The project's district: the case's jurisdiction, and where the land lies. */
  district: string;
  /** The household's township (for who may see the case). */
  township: string;
  /** The rule table the chain follows, fixed when it opens: a chain is not switched half-way. */
  variant: RuleVariant;
  /** Why the chain was opened, stated in every instrument. */
  basis: ChainBasis;
  /** Counts restarts: a decision revoked with an order to decide again opens round 2 at its notification. */
  round: number;
  /** Where each round started; a restarted round keeps the court's record and the joint action it had. */
  rounds: Array<{ round: number; startsAt: InstrumentKind; at: string; reason: string; court?: CourtProceedings; jointAction?: JointActionPlan }>;
  instruments: Instrument[];
  remedies: RemedyCase[];
  statements: Statement[];
  court?: CourtProceedings;
  jointAction?: JointActionPlan;
  execution?: Execution;
  handover?: ForcedHandover;
  /** `suspended` while a reconsideration or lawsuit is pending (derived from `remedies`, kept for listing). */
  status: ChainStatus;
  ended?: { reason: EndReason; at: string; by: Identity; note: string };
  openedBy: Identity;
  openedAt: string;
  updatedAt: string;
}

export type ChainStatus = 'active' | 'suspended' | 'ended';

export type ChainBasis =
  /** Never signed an agreement: the chain starts at the compensation notification. */
  | { kind: 'no-agreement'; note: string }
  /** Signed and paid in full, but refuses to vacate: the chain starts at the vacating-deadline notice. */
  | { kind: 'refused-after-payment'; agreementId: string; agreementNumber: string; refusedAt: string; note: string }
  /** A building determined illegal by housing-construction (§三(九)): urban management's chain. */
  | { kind: 'illegal-building'; itemId: string; determination: string; note: string };

export type EndReason =
  /** The household signed an agreement: the chain and its clocks end. */
  | 'agreement-signed'
  /** The household vacated and handed over of its own accord. */
  | 'vacated'
  /** A reconsideration or court revoked the decision without ordering a new one. */
  | 'decision-revoked'
  /** A statement was found established: the agency adopts it (ACL art. 36) and ends the chain. */
  | 'statement-established'
  /** The court finally refused to accept or to enforce. */
  | 'court-refused'
  /** Executed, and the land handed over. */
  | 'executed';

export interface ServiceRecord {
  method: ServiceMethod;
  /**
   * When it reached the household: handed over, left at the residence, signed for by post (the
   * receipt's date), or for a public notice when the notice was published.
   */
  deliveredAt: string;
  /** When service took effect and the periods start: `deliveredAt`, or 30 days after a public notice. */
  effectiveAt: string;
  /** Who served it (names, as on the receipt). */
  servedBy: string;
  /** The last day to perform, from `performWithin` counted from `effectiveAt` (Beijing date). */
  performBy?: string;
  /** Who received it (or refused to), where served in person or left. */
  recipient?: string;
  witnesses: string[];
  /** For a decision: whether the served copy stated the rights to reconsideration and to sue, their bodies and periods. */
  remediesStated: boolean;
  /** Receipt scan, photos, the post's receipt, the public notice: verified uploads. */
  proof: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

export interface InstrumentTerms {
  /** Compensation offered (notification, decision), integer fen. */
  compensationFen?: Fen;
  /** The standard and items, one paragraph (notification, decision). */
  compensationText?: string;
  /**
   * The time the household is given to perform (vacate, demolish, carry out the decision), as a
   * period from service (`15d`, `10wd`): the instrument states it so, and the date is computed once served.
   */
  performWithin?: string;
  /** How to perform (reminder, ACL art. 35(2)). */
  manner?: string;
  /** Facts and reasons, one paragraph. */
  facts: string;
}

export interface Instrument {
  instrumentId: string;
  kind: InstrumentKind;
  round: number;
  /** 文号, e.g. 冷国土强告〔2026〕12号. */
  number: string;
  /** The agency the instrument is issued in the name of (the rule table's, by variant). */
  issuer: AgencyId;
  issuedBy: Identity;
  issuedAt: string;
  terms: InstrumentTerms;
  /** The generated PDF, as stored: what was served is exactly these bytes. */
  document: { key: string; sha256: string; size: number };
  /** For the application: the court it is filed with. */
  court?: CourtRef;
  service?: ServiceRecord;
}

export type RemedyKind = 'reconsideration' | 'lawsuit';
/**
 * - `upheld` (维持/驳回): the chain continues;
 * - `changed` (变更): continues on the changed decision;
 * - `withdrawn` (撤回): continues;
 * - `revoked-redo` (撤销并责令重新作出): a new round starts at the decision's notification;
 * - `revoked` (撤销/确认违法): the chain ends.
 */
export type RemedyResult = 'upheld' | 'changed' | 'withdrawn' | 'revoked-redo' | 'revoked';

export interface RemedyCase {
  remedyId: string;
  kind: RemedyKind;
  /** The decision challenged. */
  instrumentId: string;
  /** When the household applied or sued. */
  filedAt: string;
  /** The reconsideration body or court. */
  body: string;
  caseNumber?: string;
  recordedBy: Identity;
  recordedAt: string;
  outcome?: RemedyOutcome;
}

/** Recorded once the reconsideration decision is made, or the judgement is in force (生效). */
export interface RemedyOutcome {
  result: RemedyResult;
  decidedAt: string;
  /** When the household received the decision or judgement: the 15 days to sue run from it (ALL art. 45). */
  servedAt: string;
  document: EvidenceRecord[];
  summary: string;
  recordedBy: Identity;
  recordedAt: string;
}

/** 陈述、申辩 on the reminder (ACL art. 36): recorded, then reviewed before the application. */
export interface Statement {
  statementId: string;
  instrumentId: string;
  receivedAt: string;
  summary: string;
  evidence: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
  review?: { established: boolean; reasoning: string; reviewedBy: Identity; reviewedAt: string };
}

export interface CourtRef {
  agency: 'basic-court' | 'intermediate-court';
  jurisdiction: string;
  name: string;
}

/** The court's acts on the application (ACL arts. 56–59). Recorded by the court only. */
export interface CourtProceedings {
  court: CourtRef;
  filedAt: string;
  /**
   * What was filed with the application (ACL art. 55): the decision and its facts, reasons and
   * basis, the household's views and the reminder's service, the land concerned — as verified files.
   */
  materials: EvidenceRecord[];
  acceptance?: { accepted: boolean; at: string; servedAt?: string; by: Identity; caseNumber?: string; reasons?: string };
  /** After a refusal to accept: the land bureau's application to the higher court, and its ruling. */
  review?: { filedAt: string; by: Identity; decided?: { accepted: boolean; at: string; by: Identity; reasons?: string } };
  /** The court decided to hear both sides (art. 58): the ruling may take 30 days. */
  hearing?: { decidedAt: string; by: Identity; reasons: string };
  ruling?: { enforce: boolean; emergency: boolean; at: string; by: Identity; caseNumber: string; reasons: string; document: EvidenceRecord[] };
}

export const PLAN_MEASURES = [
  'site-cordon',
  'persuasion',
  'property-inventory',
  'property-removal',
  'medical-standby',
  'video-recording',
  'demolition',
  'cut-water',
  'cut-power',
  'cut-heating',
  'cut-gas',
] as const;
export type PlanMeasure = (typeof PLAN_MEASURES)[number];

/** The joint action (§四(二)): organised by the leading group office. */
export interface JointActionPlan {
  plannedFor: string;
  participants: Array<{ agency: AgencyId; jurisdiction: string; role: string }>;
  measures: PlanMeasure[];
  /** A recorded emergency allows night and holiday execution (ACL art. 43(1)). */
  emergency?: { reason: string };
  plannedBy: Identity;
  plannedAt: string;
}

export interface Execution {
  startedAt: string;
  endedAt: string;
  summary: string;
  /** Video of the whole execution, required. */
  evidence: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

export interface ForcedHandover {
  at: string;
  evidence: EvidenceRecord[];
  recordedBy: Identity;
  recordedAt: string;
}

/** The instruments of the round in force. */
export function roundInstruments(chain: Pick<EnforcementChain, 'instruments' | 'round'>): Instrument[] {
  return chain.instruments.filter((i) => i.round === chain.round);
}

export function instrumentOf(chain: Pick<EnforcementChain, 'instruments' | 'round'>, kind: InstrumentKind): Instrument | undefined {
  return roundInstruments(chain).find((i) => i.kind === kind);
}

export function pendingRemedies(chain: Pick<EnforcementChain, 'remedies'>): RemedyCase[] {
  return chain.remedies.filter((r) => !r.outcome);
}
