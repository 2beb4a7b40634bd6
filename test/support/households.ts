import type { EvidenceRecord } from '../../shared/evidence/evidence.ts';
import type { Identity } from '../../shared/identity.ts';
import type { Household, Member, SurveyItems } from '../../services/compensation/domain/household.ts';
import type { CompensationStandard } from '../../services/compensation/domain/plan.ts';

/** Households, a standard and the agencies that act on them, for the compensation domain's unit tests. */
export const ACTORS = {
  landBranch: { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' },
  district: { user: 'chen.dg', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' },
  meiwan: { user: 'zhou.tw', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' },
  police: { user: 'zheng.ps', agency: 'public-security', jurisdiction: 'yongzhou' },
  civilAffairs: { user: 'feng.ca', agency: 'civil-affairs', jurisdiction: 'yongzhou' },
  housing: { user: 'he.hc', agency: 'housing-construction', jurisdiction: 'yongzhou' },
  urbanManagement: { user: 'lu.um', agency: 'urban-management', jurisdiction: 'yongzhou' },
} as const satisfies Record<string, Identity>;

/** The notice was published on 1 September 2026, 10:00 Beijing time. */
export const NOTICE_PUBLISHED_AT = '2026-09-01T10:00:00+08:00';
export const STANDARD_LOCKED_AT = '2026-09-22T01:00:00.000Z';

export const STANDARD: CompensationStandard = {
  landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }, { landClass: '旱地', fenPerMu: 3_600_000 }],
  resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }, { landClass: '旱地', fenPerMu: 2_400_000 }],
  cropRates: [{ crop: '水稻', fenPerMu: 150_000 }, { crop: '蔬菜', fenPerMu: 120_000 }],
  attachmentRates: [{ item: '水井', unit: '口', fenPerUnit: 80_000 }, { item: '围墙', unit: '米', fenPerUnit: 4_533 }],
  houseRates: [{ structure: '砖混', fenPerSquareMetre: 98_000 }, { structure: '砖木', fenPerSquareMetre: 76_001 }],
  socialSecurity: { fenPerPerson: 2_500_000 },
  resettlementOptions: [
    { id: 'money', description: '货币补偿', kind: 'cash' },
    { id: 'swap-a', description: '产权调换：滨江安置小区', kind: 'swap', fenPerSquareMetre: 260_000 },
  ],
};

export function evidence(key: string, uploadedBy: Identity = ACTORS.meiwan): EvidenceRecord {
  return { key, sha256: 'a'.repeat(64), size: 1024, contentType: 'image/jpeg', uploadedBy, verifiedAt: '2026-09-10T02:00:00.000Z' };
}

export const MEMBERS: Member[] = [
  { memberId: 'm1', name: '张三', relation: '户主', idNumberMasked: '4311**********0011', dateOfBirth: '1968-03-02' },
  { memberId: 'm2', name: '李四', relation: '配偶', idNumberMasked: '4311**********0022', dateOfBirth: '1970-07-15' },
  { memberId: 'm3', name: '张小兵', relation: '子女', idNumberMasked: '4311**********0033', dateOfBirth: '1998-11-20', military: 'serving' },
];

/** The worked example: every kind of item, a rounding, an exact half fen, a late crop, an illegal house. */
export const ITEMS: SurveyItems = {
  parcels: [
    { itemId: 'p1', parcelNumber: '12-3', landClass: '水田', areaMu: '1.2345' },
    { itemId: 'p2', parcelNumber: '12-4', landClass: '旱地', areaMu: '0.3333' },
  ],
  crops: [
    { itemId: 'c1', crop: '水稻', areaMu: '1.2345' },
    { itemId: 'c2', crop: '蔬菜', areaMu: '0.5', cameIntoBeingOn: '2026-09-02' },
    { itemId: 'c3', crop: '蔬菜', areaMu: '0.25', cameIntoBeingOn: '2026-09-01' },
  ],
  attachments: [
    { itemId: 'a1', item: '水井', unit: '口', quantity: '1' },
    { itemId: 'a2', item: '围墙', unit: '米', quantity: '12.35' },
  ],
  houses: [
    { itemId: 'h1', structure: '砖混', floorAreaSquareMetres: '123.45', storeys: 2, legality: 'legal', determination: { legality: 'legal', reference: '冷住建认〔2026〕11号', by: ACTORS.housing, at: '2026-09-15T02:00:00.000Z' } },
    { itemId: 'h2', structure: '砖木', floorAreaSquareMetres: '20.5', storeys: 1, legality: 'legal', determination: { legality: 'legal', reference: '冷住建认〔2026〕11号', by: ACTORS.housing, at: '2026-09-15T02:00:00.000Z' } },
    { itemId: 'h3', structure: '砖混', floorAreaSquareMetres: '30', storeys: 1, legality: 'illegal', determination: { legality: 'illegal', reference: '冷住建违认〔2026〕12号', reasons: '未取得乡村建设规划许可', by: ACTORS.housing, at: '2026-09-15T02:00:00.000Z' } },
  ],
};

/** A household with a confirmed survey of {@link ITEMS}, checks recorded, no disputes. */
export function confirmedHousehold(overrides: Partial<Household> = {}): Household {
  return {
    householdId: 'H1',
    projectId: 'P1',
    villageGroupId: 'g1',
    householdNumber: '梅湾一组-007',
    headName: '张三',
    members: MEMBERS,
    registrationIds: ['R1'],
    survey: {
      ...ITEMS,
      status: 'confirmed',
      surveyedBy: ACTORS.landBranch,
      surveyedAt: '2026-09-05T02:00:00.000Z',
      confirmation: { evidence: evidence('confirm.jpg'), confirmedBy: ACTORS.landBranch, confirmedAt: '2026-09-16T02:00:00.000Z' },
      evidence: [evidence('house.mp4', ACTORS.urbanManagement)],
      revision: 3,
    },
    checks: [
      ...MEMBERS.map((m) => ({ kind: 'hukou' as const, memberId: m.memberId, agency: 'public-security' as const, status: 'passed' as const, result: { passed: true, note: '户籍属实', by: ACTORS.police, at: '2026-09-12T02:00:00.000Z' } })),
      { kind: 'military', memberId: 'm3', agency: 'civil-affairs', status: 'passed', result: { passed: true, note: '现役军人，按政策安置', by: ACTORS.civilAffairs, at: '2026-09-12T02:00:00.000Z' } },
    ],
    disputes: [],
    state: 'confirmed',
    createdAt: '2026-09-03T02:00:00.000Z',
    createdBy: ACTORS.landBranch,
    ...overrides,
  };
}
