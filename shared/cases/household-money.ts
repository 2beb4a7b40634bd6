import type { AgencyId } from '../agencies.ts';
import type { Identity } from '../identity.ts';
import type { Fen } from '../money.ts';

/**
 * What the services after signing know of a household's money, published in the case kernel
 * (services meet only there, decision 0007):
 * - the compensation service publishes each signed agreement as a {@link PayableAgreement} in the
 *   transaction that signs it (and marks the one a supplement supersedes);
 * - the payments service publishes the household's {@link HouseholdPaymentStatus} in the
 *   transaction of every payment it instructs or the bank settles or rejects.
 * Handover ("compensate first, then move"), social security and the household timeline read them.
 */

/** Who a line of an agreement is paid to (Land Administration Law art. 48; 2021 Regulations art. 32). */
export type PayeeClass = 'collective' | 'resettled-person' | 'owner' | 'social-security-fund';

export interface PayableLine {
  kind: string;
  /** For 'social-security-fund' lines: the resettled person's memberId. */
  itemId: string;
  amountFen: Fen;
  payee: PayeeClass;
}

/** A signed agreement as payments sees it. Amounts in integer fen; the owner's net may be negative (swap). */
export interface PayableAgreement {
  agreementId: string;
  householdId: string;
  projectId: string;
  /** 协议编号. */
  number: string;
  kind: 'original' | 'supplementary';
  supplements?: string;
  status: 'signed' | 'superseded';
  supersededBy?: string;
  lines: PayableLine[];
  totalFen: Fen;
  /** The signing instant (UTC ISO): the 3-month payment clock runs from it. */
  signedAt: string;
  villageGroupId: string;
  householdNumber: string;
  /** e.g. "某村一组 012 号户（户主张三）" — for messages and documents. */
  caseLabel: string;
  /** The project's district: the jurisdiction of the household's case. */
  jurisdiction: string;
  /** The approved resettled persons (农转城, with a social-security line), by member. */
  persons: Array<{ memberId: string; name: string }>;
}

/** The household's money as payments last recorded it, for the agreement in force. */
export interface HouseholdPaymentStatus {
  householdId: string;
  projectId: string;
  agreementId: string;
  agreementNumber: string;
  /** What the agreement pays out (sum of its payee groups). */
  dueFen: Fen;
  /** Confirmed by the bank, counted up to what each payee group is owed. */
  paidFen: Fen;
  /** Instructed and not yet confirmed or rejected. */
  inFlightFen: Fen;
  outstandingFen: Fen;
  /** The bank settlement that completed the last payee group: from then on the household is paid in full. */
  paidInFullAt?: string;
  /** Payee groups whose payment the bank rejected and that await a corrected instruction. */
  rejectedGroups: string[];
  updatedAt: string;
}

export function isPaidInFull(status: Pick<HouseholdPaymentStatus, 'paidInFullAt'> | undefined): status is HouseholdPaymentStatus & { paidInFullAt: string } {
  return status?.paidInFullAt !== undefined;
}

/**
 * A step of a household's procedure done in a service after payments (handover, certificates,
 * social security …), published in the kernel so the household timeline (compensation service)
 * lists it without reading that service's records. One record per `key`, replaced as it moves.
 */
export interface HouseholdStep {
  householdId: string;
  projectId: string;
  /** Stable within the household, e.g. `handover`, `social-security:<memberId>`; orders the steps. */
  key: string;
  /** The timeline's step name, Chinese. */
  step: string;
  status: 'done' | 'open' | 'refused';
  responsibleAgency: AgencyId;
  legalSource: string;
  doneAt?: string;
  by?: Pick<Identity, 'agency' | 'user' | 'jurisdiction'>;
  detail?: string;
  updatedAt: string;
}

/**
 * Who a household is, as every service may name it: published by the compensation service when it
 * registers the household and whenever a survey import renames it, so a service acting on a
 * household that never signed (the enforcement chain) reads it from the kernel (decision 0007).
 */
export interface HouseholdCard {
  householdId: string;
  projectId: string;
  villageGroupId: string;
  householdNumber: string;
  headName: string;
  /** "梅湾村一组 001 号户（户主张三）". */
  caseLabel: string;
  updatedAt: string;
}
