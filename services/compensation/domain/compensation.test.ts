import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTORS, confirmedHousehold, ITEMS, NOTICE_PUBLISHED_AT, STANDARD, STANDARD_LOCKED_AT } from '../../../test/support/households.ts';
import { computeCompensation, type CompensationInput } from './compensation.ts';
import type { Household, SurveyItems } from './household.ts';
import { multiplyToFen } from './quantity.ts';

const now = new Date('2026-09-20T02:00:00.000Z');
const inputFor = (household: Household = confirmedHousehold(), over: Partial<CompensationInput> = {}): CompensationInput => ({
  household,
  noticePublishedAt: NOTICE_PUBLISHED_AT,
  resettledMemberIds: ['m1', 'm2'],
  standard: STANDARD,
  standardLockedAt: STANDARD_LOCKED_AT,
  now,
  ...over,
});
const withItems = (items: Partial<SurveyItems>) => {
  const household = confirmedHousehold();
  return confirmedHousehold({ survey: { ...household.survey!, ...items } });
};

describe('the worked example (every amount by hand)', () => {
  const result = computeCompensation(inputFor());
  const amounts = result.lines.map((l) => [l.kind, l.itemId, l.amountFen]);

  it('computes each line as quantity × rate, rounded once, half up', () => {
    expect(amounts).toEqual([
      ['land-compensation', 'p1', 5_925_600], // 1.2345 亩 × 48,000.00 元
      ['resettlement-subsidy', 'p1', 3_950_400], // 1.2345 亩 × 32,000.00 元
      ['land-compensation', 'p2', 1_199_880], // 0.3333 亩 × 36,000.00 元
      ['resettlement-subsidy', 'p2', 799_920], // 0.3333 亩 × 24,000.00 元
      ['crop', 'c1', 185_175], // 1.2345 亩 × 1,500.00 元
      ['crop', 'c2', 0], // planted 2026-09-02, after the notice
      ['crop', 'c3', 30_000], // planted on the publication day: compensated, 0.25 × 1,200.00 元
      ['attachment', 'a1', 80_000], // 1 口 × 800.00 元
      ['attachment', 'a2', 55_983], // 12.35 米 × 45.33 元 = 559.8255 元 → 559.83 元
      ['house', 'h1', 12_098_100], // 123.45 m² × 980.00 元
      ['house', 'h2', 1_558_021], // 20.5 m² × 760.01 元 = 15,580.205 元: exactly half a fen → up
      ['house', 'h3', 0], // illegal
      ['social-security', 'm1', 2_500_000],
      ['social-security', 'm2', 2_500_000],
    ]);
  });

  it('totals the rounded lines', () => {
    expect(result.totalFen).toBe(30_883_079);
    expect(result).toMatchObject({ householdId: 'H1', projectId: 'P1', surveyRevision: 3, standardLockedAt: STANDARD_LOCKED_AT, computedAt: now.toISOString(), blockers: [], final: true });
  });

  it('names the payee, unit, rate and the standard entry of each line', () => {
    const byKey = (kind: string, itemId: string) => result.lines.find((l) => l.kind === kind && l.itemId === itemId)!;
    expect(byKey('land-compensation', 'p1')).toMatchObject({ quantity: '1.2345', unit: '亩', rateFen: 4_800_000, payee: 'collective', clause: '补偿标准·土地补偿费·地类“水田”' });
    expect(byKey('resettlement-subsidy', 'p2')).toMatchObject({ unit: '亩', rateFen: 2_400_000, payee: 'resettled-person', clause: '补偿标准·安置补助费·地类“旱地”' });
    expect(byKey('crop', 'c1')).toMatchObject({ payee: 'owner', clause: '补偿标准·青苗“水稻”' });
    expect(byKey('attachment', 'a2')).toMatchObject({ quantity: '12.35', unit: '米', rateFen: 4_533, payee: 'owner', clause: '补偿标准·附着物“围墙/米”' });
    expect(byKey('house', 'h2')).toMatchObject({ quantity: '20.5', unit: '平方米', payee: 'owner', clause: '补偿标准·房屋结构“砖木”', description: '房屋：砖木结构1层' });
    expect(byKey('social-security', 'm1')).toMatchObject({ quantity: '1', unit: '人', payee: 'social-security-fund', clause: '补偿标准·社会保障费用·每人', description: expect.stringContaining('张三') });
  });

  it('gives the zero reasons: after the notice (art. 26), an illegal house with its determination', () => {
    const late = result.lines.find((l) => l.itemId === 'c2')!;
    expect(late.zeroReason).toContain('2026-09-02形成，晚于征收土地通告发布之日（2026-09-01）');
    expect(late.zeroReason).toContain('第二十六条');
    expect(result.lines.find((l) => l.itemId === 'h3')!.zeroReason).toBe('经认定为违法建筑（冷住建违认〔2026〕12号），不予补偿');
    expect(result.lines.filter((l) => l.zeroReason).map((l) => l.itemId)).toEqual(['c2', 'h3']);
  });
});

describe('rounding is per line, never on the sum', () => {
  it('two half-fen lines give a fen each: 2 fen, where rounding the sum would give 1', () => {
    const standard = { ...STANDARD, attachmentRates: [{ item: '电线', unit: '米', fenPerUnit: 5_000 }] };
    const household = withItems({ parcels: [], crops: [], houses: [], attachments: [{ itemId: 'x1', item: '电线', unit: '米', quantity: '0.0001' }, { itemId: 'x2', item: '电线', unit: '米', quantity: '0.0001' }] });
    const result = computeCompensation(inputFor(household, { standard, resettledMemberIds: [] }));
    expect(result.lines.map((l) => l.amountFen)).toEqual([1, 1]);
    expect(result.totalFen).toBe(2);
  });
});

describe('the day of the notice', () => {
  // Published at 01:30 Beijing = 17:30 UTC the day before: the Beijing date is what counts.
  const household = withItems({ crops: [{ itemId: 'c9', crop: '水稻', areaMu: '1', cameIntoBeingOn: '2026-09-01' }] });
  it('compares with the Beijing date of publication, not the UTC date', () => {
    const onTheDay = computeCompensation(inputFor(household, { noticePublishedAt: '2026-08-31T17:30:00Z' }));
    expect(onTheDay.lines.find((l) => l.itemId === 'c9')).toMatchObject({ amountFen: 150_000 });
    const dayBefore = computeCompensation(inputFor(household, { noticePublishedAt: '2026-08-31T15:30:00Z' }));
    expect(dayBefore.lines.find((l) => l.itemId === 'c9')).toMatchObject({ amountFen: 0, zeroReason: expect.stringContaining('晚于征收土地通告发布之日（2026-08-31）') });
  });

  it('applies to houses, attachments and land too', () => {
    const late = '2026-10-01';
    const h = withItems({
      parcels: [{ ...ITEMS.parcels[0]!, cameIntoBeingOn: late }],
      attachments: [{ ...ITEMS.attachments[0]!, cameIntoBeingOn: late }],
      houses: [{ ...ITEMS.houses[0]!, cameIntoBeingOn: late }],
    });
    const zeroed = computeCompensation(inputFor(h)).lines.filter((l) => l.zeroReason?.includes(late)).map((l) => `${l.kind}:${l.itemId}`);
    expect(zeroed).toEqual(['land-compensation:p1', 'resettlement-subsidy:p1', 'attachment:a1', 'house:h1']);
  });

  it('refuses an impossible date', () => {
    const h = withItems({ crops: [{ itemId: 'c9', crop: '水稻', areaMu: '1', cameIntoBeingOn: '2026-02-30' }] });
    expect(() => computeCompensation(inputFor(h))).toThrow(expect.objectContaining({ code: 'compensation.invalid-date', message: expect.stringContaining('“c9”') }));
  });
});

describe('a house whose legality is pending', () => {
  it('is computed at zero and the computation is not final', () => {
    const h = withItems({ houses: [...ITEMS.houses, { itemId: 'h4', structure: '砖混', floorAreaSquareMetres: '40', storeys: 1, legality: 'pending' }] });
    const result = computeCompensation(inputFor(h));
    expect(result.lines.find((l) => l.itemId === 'h4')).toMatchObject({ amountFen: 0, zeroReason: '房屋合法性尚待认定，暂按零计算' });
    expect(result.final).toBe(false);
    expect(result.blockers).toEqual([expect.stringContaining('房屋“h4”的合法性尚待市住建局认定')]);
    expect(result.totalFen).toBe(30_883_079);
  });
});

describe('refusals', () => {
  it.each([
    ['land class', { parcels: [{ itemId: 'p9', parcelNumber: '9-9', landClass: '菜地', areaMu: '1' }] }, 'compensation.unknown-land-class', '地块“9-9”的地类“菜地”'],
    ['crop', { crops: [{ itemId: 'c9', crop: '玉米', areaMu: '1' }] }, 'compensation.unknown-crop', '青苗“玉米”'],
    ['attachment unit', { attachments: [{ itemId: 'a9', item: '水井', unit: '米', quantity: '1' }] }, 'compensation.unknown-attachment', '附着物“水井/米”'],
    ['house structure', { houses: [{ itemId: 'h9', structure: '土木', floorAreaSquareMetres: '1', storeys: 1, legality: 'legal' as const }] }, 'compensation.unknown-structure', '结构“土木”'],
  ])('an unknown %s: the standard is the only source', (_, items, code, named) => {
    expect(() => computeCompensation(inputFor(withItems(items)))).toThrow(expect.objectContaining({ code, category: 'validation', message: expect.stringContaining(named) }));
  });

  it('a land class with a land rate but no subsidy rate (a standard not checked by the plan)', () => {
    const standard = { ...STANDARD, resettlementSubsidyRates: [] };
    expect(() => computeCompensation(inputFor(undefined, { standard }))).toThrow(expect.objectContaining({ code: 'compensation.unknown-land-class' }));
  });

  it('a bad quantity, naming the item', () => {
    const h = withItems({ parcels: [{ itemId: 'p1', parcelNumber: '12-3', landClass: '水田', areaMu: '1.23456' }] });
    expect(() => computeCompensation(inputFor(h))).toThrow(expect.objectContaining({ code: 'quantity.too-precise', message: expect.stringContaining('地块“12-3”的面积') }));
  });

  it('no survey yet', () => {
    expect(() => computeCompensation(inputFor(confirmedHousehold({ survey: undefined })))).toThrow(expect.objectContaining({ code: 'compensation.no-survey', category: 'rule' }));
  });

  it('a standard not locked', () => {
    expect(() => computeCompensation(inputFor(undefined, { standardLockedAt: '' }))).toThrow(expect.objectContaining({ code: 'compensation.standard-not-locked', category: 'rule' }));
  });

  it('a resettled person who is not a member, or is listed twice', () => {
    expect(() => computeCompensation(inputFor(undefined, { resettledMemberIds: ['m1', 'x'] }))).toThrow(expect.objectContaining({ code: 'compensation.unknown-member', message: expect.stringContaining('“x”') }));
    expect(() => computeCompensation(inputFor(undefined, { resettledMemberIds: ['m1', 'm1'] }))).toThrow(expect.objectContaining({ code: 'compensation.duplicate-member' }));
  });

  it('an illegal house without its determination: the zero must cite one', () => {
    const h = withItems({ houses: [{ itemId: 'h9', structure: '砖混', floorAreaSquareMetres: '1', storeys: 1, legality: 'illegal' }] });
    expect(() => computeCompensation(inputFor(h))).toThrow(expect.objectContaining({ code: 'compensation.illegal-without-determination' }));
  });
});

describe('determinism', () => {
  const quantity = fc.tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 9_999 })).map(([whole, frac]) => `${whole}.${String(frac).padStart(4, '0')}`);
  const date = fc.option(fc.constantFrom('2026-08-01', '2026-09-01', '2026-09-02', '2027-01-01'), { nil: undefined });
  const items = fc.record({
    parcels: fc.array(fc.record({ landClass: fc.constantFrom('水田', '旱地'), areaMu: quantity, cameIntoBeingOn: date }), { maxLength: 4 }),
    crops: fc.array(fc.record({ crop: fc.constantFrom('水稻', '蔬菜'), areaMu: quantity, cameIntoBeingOn: date }), { maxLength: 4 }),
    attachments: fc.array(fc.record({ pick: fc.constantFrom(0, 1), quantity, cameIntoBeingOn: date }), { maxLength: 4 }),
    houses: fc.array(fc.record({ structure: fc.constantFrom('砖混', '砖木'), floorAreaSquareMetres: quantity, legality: fc.constantFrom('legal', 'illegal', 'pending'), cameIntoBeingOn: date }), { maxLength: 4 }),
    resettled: fc.subarray(['m1', 'm2', 'm3']),
  });

  it('recomputing gives identical output; the total is the sum of lines, each line its own rounded product or zero', () => {
    fc.assert(
      fc.property(items, (g) => {
        const survey: SurveyItems = {
          parcels: g.parcels.map((p, i) => ({ itemId: `p${i}`, parcelNumber: `${i}`, ...p })),
          crops: g.crops.map((c, i) => ({ itemId: `c${i}`, ...c })),
          attachments: g.attachments.map(({ pick, ...a }, i) => ({ itemId: `a${i}`, item: STANDARD.attachmentRates[pick]!.item, unit: STANDARD.attachmentRates[pick]!.unit, ...a })),
          houses: g.houses.map((h, i) => ({
            itemId: `h${i}`,
            storeys: 1,
            ...h,
            ...(h.legality === 'pending' ? {} : { determination: { legality: h.legality, reference: `认〔2026〕${i}号`, by: ACTORS.housing, at: '2026-09-15T02:00:00.000Z' } }),
          })),
        };
        const input = inputFor(withItems(survey), { resettledMemberIds: g.resettled });
        const first = computeCompensation(input);
        expect(computeCompensation(structuredClone(input))).toEqual(first);
        expect(first.totalFen).toBe(first.lines.reduce((sum, l) => sum + l.amountFen, 0));
        for (const l of first.lines) {
          expect(Number.isSafeInteger(l.amountFen)).toBe(true);
          expect(l.amountFen).toBe(l.zeroReason ? 0 : multiplyToFen(l.quantity, l.rateFen));
        }
        expect(first.final).toBe(!g.houses.some((h) => h.legality === 'pending'));
      }),
    );
  });
});
