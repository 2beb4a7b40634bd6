import { amountsByPayee } from '../../domain/agreement.ts';
import { maskIdNumber } from '../../../../shared/pii/id-number.ts';
import type { Fen } from '../../../../shared/money.ts';
import type { AgreementDocument, DisclosureDocument, DisclosureHousehold, DocumentMember } from '../../app/documents.ts';
import type { CompensationLine } from '../../domain/household.ts';

/**
 * Documents for the renderers' tests and measurements: realistic households with their clear ID
 * numbers kept aside, so a test can prove none of them reaches a rendered file.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A well-formed resident ID number (GB 11643 check character) of Yongzhou, born on `birth` (YYYYMMDD). */
export function sampleIdNumber(birth: string, sequence: number): string {
  const body = `431102${birth}${String(sequence % 1000).padStart(3, '0')}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (WEIGHTS[i] ?? 0), 0);
  return body + '10X98765432'.charAt(sum % 11);
}

export interface SampleMember extends DocumentMember {
  clearIdNumber: string;
}

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽华', '德明', '春燕', '卫东', '玉梅', '国庆', '小红', '家豪', '雨桐', '子轩'];

export function sampleMembers(householdIndex: number): SampleMember[] {
  const surname = SURNAMES[householdIndex % SURNAMES.length] ?? '张';
  const given = (i: number) => GIVEN[(householdIndex * 3 + i) % GIVEN.length] ?? '某';
  const person = (name: string, relation: string, birth: string, i: number): SampleMember => {
    const clearIdNumber = sampleIdNumber(birth, householdIndex * 10 + i);
    return { name, relation, idNumberMasked: maskIdNumber(clearIdNumber), clearIdNumber };
  };
  return [
    person(`${surname}${given(0)}`, '户主', '19650312', 1),
    person(`${SURNAMES[(householdIndex + 7) % SURNAMES.length]}${given(1)}`, '配偶', '19680721', 2),
    person(`${surname}${given(2)}`, '子女', '19921105', 3),
  ];
}

/** Drops what only the tests may know. */
export const printable = (members: SampleMember[]): DocumentMember[] =>
  members.map(({ name, relation, idNumberMasked }) => ({ name, relation, idNumberMasked }));

/** quantity (as hundredths) × rate, rounded half up to the fen, as the calculation would. */
function line(kind: CompensationLine['kind'], description: string, hundredths: number, unit: string, rateFen: Fen, payee: CompensationLine['payee'], clause: string): CompensationLine {
  const quantity = `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
  return { kind, itemId: `${kind}-${description}`, description, quantity, unit, rateFen, amountFen: Math.round((hundredths * rateFen) / 100), clause, payee };
}

export function sampleLines(householdIndex: number): CompensationLine[] {
  const vary = (base: number) => base + (householdIndex % 17) * 13;
  return [
    line('land-compensation', '水田（一类）', vary(125), '亩', 4_860_000, 'collective', '标准§2.1'),
    line('resettlement-subsidy', '安置补助费', vary(125), '亩', 3_240_000, 'resettled-person', '标准§2.2'),
    line('crop', '青苗：水稻', vary(110), '亩', 180_000, 'owner', '标准§3.1'),
    line('attachment', '砖砌围墙', vary(1250), '米', 8_500, 'owner', '标准§4.3'),
    line('house', '砖混结构住房', vary(12_045), '平方米', 156_000, 'owner', '标准§5.1'),
  ];
}

const sum = (lines: Array<{ amountFen: Fen }>) => lines.reduce((acc, l) => acc + l.amountFen, 0);

export function sampleAgreement(mode: 'cash' | 'swap-receives' | 'swap-pays'): { doc: AgreementDocument; members: SampleMember[] } {
  const members = sampleMembers(2);
  const base = sampleLines(2);
  const compensationFen = sum(base);
  // A swap sets the resettlement house's price off against the compensation (a negative line).
  const housePriceFen = mode === 'swap-receives' ? compensationFen - 1_234_567 : compensationFen + 876_543;
  const lines = mode === 'cash'
    ? base
    : [...base, { kind: 'swap-house-price' as const, itemId: 'swap', description: '产权调换安置房价款', quantity: '90.00', unit: '平方米', rateFen: Math.round(housePriceFen / 90), amountFen: -housePriceFen, clause: '方案§6.2', payee: 'owner' as const }];
  const totalFen = sum(lines);
  const doc: AgreementDocument = {
    agreementNumber: 'YZ-LX-2026-0042',
    kind: { kind: 'original' },
    projectName: '永州市冷水滩区2026年第3批次城镇建设用地',
    villageGroupName: '石门村第三村民小组',
    householdNumber: 'SM3-017',
    headName: members[0]?.name ?? '',
    members: printable(members),
    mode: mode === 'cash'
      ? { mode: 'cash' }
      : {
        mode: 'swap',
        resettlementOption: '滨江安置小区多层住宅（期房）',
        houseAreaSquareMetres: '90.00',
        housePriceFen,
        difference: { amountFen: Math.abs(totalFen), direction: totalFen >= 0 ? 'household-receives' : 'household-pays' },
      },
    lines,
    totalFen,
    amountsByPayee: amountsByPayee(lines),
    paymentTerms: { text: '自协议签订之日起3个月内足额支付', lastDay: '2026-09-30' },
    parties: { landBureauBranch: '永州市自然资源和规划局冷水滩分局' },
    generatedAt: '2026-06-30T06:05:00Z',
  };
  return { doc, members };
}

export function sampleDisclosure(householdCount: number): { doc: DisclosureDocument; members: SampleMember[] } {
  const allMembers: SampleMember[] = [];
  const households: DisclosureHousehold[] = [];
  for (let i = 0; i < householdCount; i++) {
    const members = sampleMembers(i);
    allMembers.push(...members);
    const lines = sampleLines(i).map(({ description, quantity, unit, rateFen, amountFen, payee }) => ({ description, quantity, unit, rateFen, amountFen, payee }));
    households.push({
      householdNumber: `SM3-${String(i + 1).padStart(3, '0')}`,
      headName: members[0]?.name ?? '',
      members: printable(members),
      lines,
      totalFen: sum(lines),
    });
  }
  const doc: DisclosureDocument = {
    projectName: '永州市冷水滩区2026年第3批次城镇建设用地',
    villageGroupName: '石门村第三村民小组',
    postingNote: '公示期：2026年7月1日至2026年7月10日，张贴于石门村村委会公示栏及第三村民小组活动场所。如有异议，请于公示期内向冷水滩分局书面提出。',
    households,
    totalFen: sum(households.map((h) => ({ amountFen: h.totalFen }))),
    generatedAt: '2026-06-30T06:05:00Z',
  };
  return { doc, members: allMembers };
}
