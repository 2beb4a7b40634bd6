import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/identity.ts';
import { draftPlan, publishPlan, reviewPlan, STANDARD_LOCKED_MESSAGE, type CompensationStandard, type PlanDraft } from './plan.ts';

const land: Identity = { user: 'u-land', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const legal: Identity = { user: 'u-legal', agency: 'legal-affairs-office', jurisdiction: 'yongzhou' };
const now = new Date('2026-09-01T02:00:00.000Z');
const STANDARD: CompensationStandard = {
  landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }],
  resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }],
  cropRates: [{ crop: '水稻', fenPerMu: 150_000 }],
  attachmentRates: [{ item: '水井', unit: '口', fenPerUnit: 80_000 }],
  houseRates: [{ structure: '砖混', fenPerSquareMetre: 98_000 }],
  socialSecurity: { fenPerPerson: 2_500_000 },
  resettlementOptions: [
    { id: 'money', description: '货币补偿', kind: 'cash' },
    { id: 'swap-a', description: '产权调换：滨江安置小区', kind: 'swap', fenPerSquareMetre: 260_000 },
  ],
};
const planWith = (standard: Partial<CompensationStandard>): PlanDraft => ({ title: '实施方案', body: '正文', standard: { ...STANDARD, ...standard } });
const published = () => publishPlan(reviewPlan(draftPlan(undefined, 'P1', planWith({}), land, now), 'approve', undefined, legal, now), land, now);

describe('the implementation plan and its one compensation standard', () => {
  it('is drafted with its standard, pending review', () => {
    expect(draftPlan(undefined, 'P1', planWith({}), land, now)).toMatchObject({ projectId: 'P1', standard: STANDARD, status: 'pending-review', revision: 1 });
  });

  it.each([
    ['land class', { landRates: [...STANDARD.landRates, { landClass: '水田', fenPerMu: 5_000_000 }] }, '地类“水田”'],
    ['resettlement subsidy', { resettlementSubsidyRates: [...STANDARD.resettlementSubsidyRates, { landClass: '水田', fenPerMu: 1 }] }, '安置补助费地类“水田”'],
    ['crop', { cropRates: [...STANDARD.cropRates, { crop: '水稻', fenPerMu: 1 }] }, '青苗“水稻”'],
    ['attachment of the same unit', { attachmentRates: [...STANDARD.attachmentRates, { item: '水井', unit: '口', fenPerUnit: 1 }] }, '附着物“水井/口”'],
    ['house structure', { houseRates: [...STANDARD.houseRates, { structure: '砖混', fenPerSquareMetre: 1 }] }, '房屋结构“砖混”'],
    ['resettlement option', { resettlementOptions: [...STANDARD.resettlementOptions, { id: 'money', description: '另一种', kind: 'cash' as const }] }, '安置方式“money”'],
  ])('refuses two rates for the same %s (two standards in one project)', (_, standard, named) => {
    expect(() => draftPlan(undefined, 'P1', planWith(standard), land, now)).toThrow(expect.objectContaining({ code: 'plan.duplicate-rate', category: 'validation', message: expect.stringContaining(named) }));
  });

  it('takes one item at two units as two rates', () => {
    const standard = { attachmentRates: [...STANDARD.attachmentRates, { item: '水井', unit: '米', fenPerUnit: 1_000 }] };
    expect(draftPlan(undefined, 'P1', planWith(standard), land, now).standard.attachmentRates).toHaveLength(2);
  });

  it('needs a land rate', () => {
    expect(() => draftPlan(undefined, 'P1', planWith({ landRates: [] }), land, now)).toThrow(expect.objectContaining({ code: 'plan.land-rates-required' }));
  });

  it('needs a resettlement subsidy rate for every land class with a land rate (LAL art. 48)', () => {
    const standard = { landRates: [...STANDARD.landRates, { landClass: '旱地', fenPerMu: 3_600_000 }, { landClass: '林地', fenPerMu: 1_000_000 }] };
    expect(() => draftPlan(undefined, 'P1', planWith(standard), land, now)).toThrow(
      expect.objectContaining({ code: 'plan.resettlement-subsidy-required', category: 'validation', message: expect.stringContaining('地类“旱地”、“林地”缺少安置补助费标准'), details: { landClasses: ['旱地', '林地'] } }),
    );
  });

  it('refuses a resettlement subsidy for a land class without a land rate', () => {
    const standard = { resettlementSubsidyRates: [...STANDARD.resettlementSubsidyRates, { landClass: '菜地', fenPerMu: 1_000_000 }] };
    expect(() => draftPlan(undefined, 'P1', planWith(standard), land, now)).toThrow(expect.objectContaining({ code: 'plan.resettlement-subsidy-unknown-class', message: expect.stringContaining('“菜地”没有对应的土地补偿标准') }));
  });

  it('needs social-security contributions per resettled person, more than zero', () => {
    expect(() => draftPlan(undefined, 'P1', planWith({ socialSecurity: { fenPerPerson: 0 } }), land, now)).toThrow(
      expect.objectContaining({ code: 'plan.social-security-required', message: expect.stringContaining('社会保障费用') }),
    );
  });

  it('needs at least one resettlement option', () => {
    expect(() => draftPlan(undefined, 'P1', planWith({ resettlementOptions: [] }), land, now)).toThrow(expect.objectContaining({ code: 'plan.resettlement-options-required' }));
  });

  it('needs a price for the resettlement house of a property swap', () => {
    const standard = { resettlementOptions: [{ id: 'swap-b', description: '产权调换', kind: 'swap' as const, fenPerSquareMetre: 0 }] };
    expect(() => draftPlan(undefined, 'P1', planWith(standard), land, now)).toThrow(expect.objectContaining({ code: 'plan.swap-price-required', message: expect.stringContaining('“swap-b”') }));
  });

  it('re-checks the standard at publication: an incomplete draft stored before the rule is not published', () => {
    const approved = reviewPlan(draftPlan(undefined, 'P1', planWith({}), land, now), 'approve', undefined, legal, now);
    const stale = { ...approved, standard: { ...approved.standard, resettlementSubsidyRates: [] } };
    expect(() => publishPlan(stale, land, now)).toThrow(expect.objectContaining({ code: 'plan.resettlement-subsidy-required' }));
  });

  it('refuses with the plan codes: publish before approval, review when not pending', () => {
    const pending = draftPlan(undefined, 'P1', planWith({}), land, now);
    expect(() => publishPlan(pending, land, now)).toThrow(expect.objectContaining({ code: 'plan.not-approved' }));
    const returned = reviewPlan(pending, 'return', '标准偏低', legal, now);
    expect(() => reviewPlan(returned, 'approve', undefined, legal, now)).toThrow(expect.objectContaining({ code: 'plan.not-pending-review' }));
  });

  it('once published, the standard is locked: any redraft is refused as plan.locked, even an invalid one', () => {
    const plan = published();
    expect(() => draftPlan(plan, 'P1', planWith({ landRates: [{ landClass: '水田', fenPerMu: 9_999_999 }] }), land, now)).toThrow(
      expect.objectContaining({ code: 'plan.locked', message: STANDARD_LOCKED_MESSAGE }),
    );
    expect(() => draftPlan(plan, 'P1', planWith({ landRates: [] }), land, now)).toThrow(expect.objectContaining({ code: 'plan.locked' }));
    expect(() => publishPlan(plan, land, now)).toThrow(expect.objectContaining({ code: 'plan.locked' }));
  });
});
