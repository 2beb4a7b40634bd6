import { describe, expect, it } from 'vitest';
import { STANDARD } from '../../test/support/households.ts';
import { planDraftBody, standardSchema } from './schemas.ts';

describe('the standard as the API takes it', () => {
  it('accepts a complete standard: subsidy rates, social security, cash and priced swap options', () => {
    expect(standardSchema.parse(STANDARD)).toEqual(STANDARD);
  });

  it.each([
    ['no resettlement subsidy rates', (s: Record<string, unknown>) => ({ ...s, resettlementSubsidyRates: undefined })],
    ['no social security', (s: Record<string, unknown>) => ({ ...s, socialSecurity: undefined })],
    ['social security in yuan (a fraction)', (s: Record<string, unknown>) => ({ ...s, socialSecurity: { fenPerPerson: 25_000.5 } })],
    ['an option without its kind', (s: Record<string, unknown>) => ({ ...s, resettlementOptions: [{ id: 'money', description: '货币补偿' }] })],
    ['a swap without the house price', (s: Record<string, unknown>) => ({ ...s, resettlementOptions: [{ id: 'swap', description: '产权调换', kind: 'swap' }] })],
    ['a price on a cash option', (s: Record<string, unknown>) => ({ ...s, resettlementOptions: [{ id: 'money', description: '货币补偿', kind: 'cash', fenPerSquareMetre: 1 }] })],
  ])('refuses %s', (_, change) => {
    expect(planDraftBody.safeParse({ title: '方案', body: '正文', standard: change({ ...STANDARD }) }).success).toBe(false);
  });
});
