import { chineseDateText } from '../../../../shared/calendar/index.ts';
import type { Fen } from '../../../../shared/money.ts';
import type { AgreementDocument, DisclosureDocument, DocumentMember } from '../../app/documents.ts';
import type { CompensationLine, PayeeClass } from '../../domain/household.ts';

/** What the PDF and the workbook print alike: labels, and the checks before printing (dates and times: shared/calendar/chinese.ts). */

export const PAYEE_LABELS: Record<PayeeClass, string> = {
  collective: '农村集体经济组织',
  'resettled-person': '被安置人员',
  owner: '所有权人',
  'social-security-fund': '社会保障资金专户',
};

/** The description as printed, with the reason when the amount is zero. */
export function lineDescription(line: Pick<CompensationLine, 'description' | 'zeroReason'>): string {
  return line.zeroReason ? `${line.description}（${line.zeroReason}）` : line.description;
}

export function memberText(member: DocumentMember): string {
  return `${member.name}（${member.relation}，${member.idNumberMasked}）`;
}

// Seven or more digits in a row cannot be a masked number (first four and last four shown).
const CLEAR_DIGITS = /\d{7,}/;

/**
 * The use case builds the view model; these checks keep a document that would publish a clear ID
 * number or print a total that does not add up from ever being rendered.
 */
function checkMembers(members: DocumentMember[], where: string): void {
  for (const member of members) {
    if (!member.idNumberMasked.includes('*') || CLEAR_DIGITS.test(member.idNumberMasked)) {
      throw new Error(`${where}: the ID number of ${member.name} is not masked`);
    }
  }
}

function checkSum(lines: Array<{ amountFen: Fen }>, totalFen: Fen, where: string): void {
  const sum = lines.reduce((acc, line) => acc + line.amountFen, 0);
  if (!Number.isSafeInteger(sum) || sum !== totalFen) throw new Error(`${where}: total ${totalFen} fen is not the sum of its lines (${sum} fen)`);
}

export function checkAgreement(doc: AgreementDocument): void {
  const where = `agreement ${doc.agreementNumber}`;
  checkMembers(doc.members, where);
  checkSum(doc.lines, doc.totalFen, where);
  checkSum(doc.amountsByPayee, doc.totalFen, `${where} (per payee)`);
  if (doc.mode.mode === 'swap' && doc.mode.difference.amountFen < 0) throw new Error(`${where}: the swap difference is negative; its direction says who pays`);
  if (doc.paymentTerms.lastDay !== undefined) chineseDateText(doc.paymentTerms.lastDay);
}

export function checkDisclosure(doc: DisclosureDocument): void {
  for (const household of doc.households) {
    const where = `disclosure household ${household.householdNumber}`;
    checkMembers(household.members, where);
    checkSum(household.lines, household.totalFen, where);
  }
  checkSum(doc.households.map((h) => ({ amountFen: h.totalFen })), doc.totalFen, `disclosure of ${doc.villageGroupName}`);
}
