import type { Fen } from '../../../shared/money.ts';
import type { CompensationLine, Decimal, LocalDate, Member, PayeeClass } from '../domain/household.ts';

/**
 * The documents the compensation service hands to households and posts in villages, as view
 * models: everything a document prints is decided by the use case that builds it (which lines,
 * which totals, which deadline); a renderer only lays it out. Amounts are integer fen, quantities
 * exact decimals, instants ISO 8601 (printed in Beijing time).
 */

/** A member as printed: the ID number only ever masked (the clear number stays in the PII vault). */
export type DocumentMember = Pick<Member, 'name' | 'relation' | 'idNumberMasked'>;

export type AgreementKind =
  | { kind: 'original' }
  /** A supplementary agreement (补充协议) amends a signed one and says why. */
  | { kind: 'supplementary'; originalAgreementNumber: string; reason: string };

/** Who owes the difference of a property-rights swap (产权调换) once the house price is set off. */
export type SwapDirection = 'household-receives' | 'household-pays';

export type AgreementMode =
  | { mode: 'cash' }
  | {
    mode: 'swap';
    /** The resettlement option of the locked standard, as described there. */
    resettlementOption: string;
    houseAreaSquareMetres: Decimal;
    housePriceFen: Fen;
    /** Non-negative; its direction says who pays it. */
    difference: { amountFen: Fen; direction: SwapDirection };
  };

/** 征收土地补偿安置协议 of one household. */
export interface AgreementDocument {
  agreementNumber: string;
  kind: AgreementKind;
  projectName: string;
  /** 村民小组, e.g. 石门村第三村民小组. */
  villageGroupName: string;
  householdNumber: string;
  headName: string;
  members: DocumentMember[];
  mode: AgreementMode;
  lines: CompensationLine[];
  /** The sum of the lines; the renderer refuses a document whose total does not add up. */
  totalFen: Fen;
  /** What each payee is owed (the owner's net of a swap house's price); they add up to the total. */
  amountsByPayee: Array<{ payee: PayeeClass; amountFen: Fen }>;
  paymentTerms: {
    /** e.g. 自协议签订之日起3个月内足额支付 */
    text: string;
    /**
     * The last day of payment, a Beijing calendar date, when the signing day is known; a document
     * printed for signing states the period from signing instead (the clock starts at signing).
     */
    lastDay?: LocalDate;
  };
  parties: {
    /** 甲方: the land bureau branch that signs for the expropriating government. */
    landBureauBranch: string;
  };
  /** When the document was generated (ISO 8601); also its PDF creation date. */
  generatedAt: string;
}

/** One line of a household as posted: the agreement's line without its clause. */
export type DisclosureLine = Pick<CompensationLine, 'description' | 'quantity' | 'unit' | 'rateFen' | 'amountFen' | 'payee' | 'zeroReason'>;

export interface DisclosureHousehold {
  householdNumber: string;
  headName: string;
  members: DocumentMember[];
  lines: DisclosureLine[];
  /** The sum of the household's lines. */
  totalFen: Fen;
}

/** 征地补偿安置公示: one per village group, posted in the group for the public to check. */
export interface DisclosureDocument {
  projectName: string;
  villageGroupName: string;
  /** The posting period and where it is posted, e.g. 公示期：2026年7月1日至7月10日，张贴于村委会公示栏. */
  postingNote: string;
  households: DisclosureHousehold[];
  /** The sum of the households' totals. */
  totalFen: Fen;
  generatedAt: string;
}

/**
 * Renders documents to bytes. A PDF is byte-identical for the same document (its dates come from
 * `generatedAt`); an XLSX has the same contents, but its zip entries carry the time of writing.
 */
export interface DocumentRenderer {
  agreementPdf(doc: AgreementDocument): Promise<Uint8Array>;
  disclosurePdf(doc: DisclosureDocument): Promise<Uint8Array>;
  disclosureXlsx(doc: DisclosureDocument): Promise<Uint8Array>;
}
