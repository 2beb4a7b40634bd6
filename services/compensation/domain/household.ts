import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Fen } from '../../../shared/money.ts';
import { containsText } from '../../../shared/search.ts';

/**
 * A household (户) of an expropriation project and what the survey found on its land (seed
 * §五(一)4, §三(一)(三)(七)(九)(十)(十二)). The shapes here are shared by the survey API, the
 * workbook import and the compensation calculation.
 */

/**
 * An exact decimal quantity as a string ("12.35"): never a binary float. At most
 * {@link QUANTITY_SCALE} decimal places; arithmetic is done on scaled integers (quantity.ts).
 */
export type Decimal = string;
export const QUANTITY_SCALE = 4;

/** A calendar date, Beijing time: `YYYY-MM-DD`. */
export type LocalDate = string;

export interface Member {
  memberId: string;
  name: string;
  /** Relation to the head of household: 户主, 配偶, 子女, 父母, … */
  relation: string;
  /** Masked ID number; the clear number is sealed in the PII vault, never stored in clear. */
  idNumberMasked: string;
  dateOfBirth: LocalDate;
  /** Serving or retired military member: civil affairs reviews them (seed §三(十二)). */
  military?: 'serving' | 'retired';
}

/** When an item came into being, as far as known; after the notice's publication it gets nothing. */
interface Dated {
  /** Stable within the household (the workbook's row key); survey items are replaced by it. */
  itemId: string;
  cameIntoBeingOn?: LocalDate;
}

export interface LandParcel extends Dated {
  parcelNumber: string;
  /** A land class of the project's standard (landRates). */
  landClass: string;
  areaMu: Decimal;
}

export interface CropItem extends Dated {
  crop: string;
  areaMu: Decimal;
}

export interface AttachmentItem extends Dated {
  item: string;
  unit: string;
  quantity: Decimal;
}

/** Legality of a structure (seed §三(三)(九)): determined under the district's organisation. */
export type Legality = 'legal' | 'illegal' | 'pending';

export interface LegalityDetermination {
  legality: 'legal' | 'illegal';
  /** The determination document cited (文号). */
  reference: string;
  reasons?: string;
  by: Identity;
  at: string;
}

export interface HouseItem extends Dated {
  structure: string;
  floorAreaSquareMetres: Decimal;
  storeys: number;
  legality: Legality;
  determination?: LegalityDetermination;
}

export interface SurveyItems {
  parcels: LandParcel[];
  crops: CropItem[];
  attachments: AttachmentItem[];
  houses: HouseItem[];
}

export type SurveyStatus = 'draft' | 'confirmed';

export interface Survey extends SurveyItems {
  status: SurveyStatus;
  surveyedBy: Identity;
  surveyedAt: string;
  /** The household's signed confirmation of the survey (a scan), verified in the evidence bucket. */
  confirmation?: { evidence: EvidenceRecord; confirmedBy: Identity; confirmedAt: string };
  /** Photos/videos: urban management's films of houses, crops and attachments (§三(十)). */
  evidence: EvidenceRecord[];
  /** Bumped on every change of the items; a computation names the revision it was made from. */
  revision: number;
}

/** Checks by other agencies on the household's members (seed §三(三)(七)(十二)). */
export type CheckKind = 'hukou' | 'military';

export interface MemberCheck {
  kind: CheckKind;
  memberId: string;
  agency: 'public-security' | 'civil-affairs';
  status: 'pending' | 'passed' | 'failed';
  result?: { passed: boolean; note: string; by: Identity; at: string };
}

export interface Dispute {
  disputeId: string;
  raisedAt: string;
  recordedBy: Identity;
  grounds: string;
  /** Assigned to the land bureau (§三(一) 协调处理争议). */
  status: 'open' | 'resurveyed' | 'upheld';
  resolution?: { outcome: 'resurveyed' | 'upheld'; reasons: string; by: Identity; at: string };
}

/** Where a household is in the procedure; the project's household list filters on it. */
export type HouseholdState = 'surveying' | 'confirmed' | 'disputed' | 'signed';

export interface Household {
  householdId: string;
  projectId: string;
  villageGroupId: string;
  /** The township's household number within the group (户编号): unique per group. */
  householdNumber: string;
  headName: string;
  members: Member[];
  /** Registrations (补偿登记) of the household's rights. */
  registrationIds: string[];
  survey?: Survey;
  checks: MemberCheck[];
  disputes: Dispute[];
  /** The agreement in force (signed, not superseded), once one is signed (agreement.ts). */
  agreementInForce?: string;
  /**
   * The keyed hash (PiiVault.mac) of the workbook content the household was last imported from:
   * the same content imported again changes nothing (decision 0016), whatever happened since.
   */
  importFingerprint?: string;
  state: HouseholdState;
  createdAt: string;
  createdBy: Identity;
}

/**
 * A household search: the head's or a member's name contains `q`, or a member's masked ID number
 * shows it (the last four characters, or the masked form as displayed). The clear ID number is
 * never decrypted or compared.
 */
export function householdMatches(household: Pick<Household, 'headName' | 'members'>, q: string): boolean {
  return containsText(household.headName, q) || household.members.some((m) => containsText(m.name, q) || containsText(m.idNumberMasked, q));
}

/** Who a compensation line is paid to (Land Administration Law art. 48; 2021 Regulations art. 32). */
export type PayeeClass = 'collective' | 'resettled-person' | 'owner' | 'social-security-fund';

export type LineKind =
  | 'land-compensation'
  | 'resettlement-subsidy'
  | 'crop'
  | 'attachment'
  | 'house'
  | 'social-security'
  | 'swap-house-price'
  | 'swap-difference';

/** One line of a computation: quantity × rate = amount, rounded by the one rule (compensation.ts). */
export interface CompensationLine {
  kind: LineKind;
  /** The survey item (or member) the line is for. */
  itemId: string;
  description: string;
  quantity: Decimal;
  unit: string;
  rateFen: Fen;
  /** Integer fen; negative only for what the household pays (a swap house's price). */
  amountFen: Fen;
  /** The standard's clause the rate comes from. */
  clause: string;
  payee: PayeeClass;
  /** Why the amount is zero (built after the notice; an illegal structure, with its determination). */
  zeroReason?: string;
}

export interface Compensation {
  householdId: string;
  projectId: string;
  surveyRevision: number;
  standardLockedAt: string;
  lines: CompensationLine[];
  /** The sum of the lines. */
  totalFen: Fen;
  /** Why the computation is not final yet (a house's legality pending, …), in Chinese; empty when final. */
  blockers: string[];
  /** No blockers: an agreement may be made from it. */
  final: boolean;
  computedAt: string;
}
