import { describe, expect, it } from 'vitest';
import { registrationBody } from './schemas.ts';

const body = (idNumber: string) => ({
  villageGroupId: 'g1',
  rightType: 'land-contract',
  holder: { kind: 'person', name: '张三', idNumber },
  contractNumber: 'C-001',
  description: '承包地 2 亩',
  onBehalf: true,
});

describe('registration request', () => {
  it('trims the ID number before checking its length (a pasted number with spaces is accepted)', () => {
    const parsed = registrationBody.safeParse(body('  11010519491231002X \u3000'));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.holder.idNumber).toBe('11010519491231002X');
  });

  it('still refuses an ID number longer than 18 characters once trimmed', () => {
    const parsed = registrationBody.safeParse(body(' 11010519491231002X1 '));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['holder', 'idNumber']);
  });

  it('takes which collective owns the land: village or group, nothing else', () => {
    const collective = (collectiveLevel: unknown) => ({ villageGroupId: 'g1', rightType: 'collective-land-ownership', holder: { kind: 'collective', name: '梅湾村', collectiveLevel }, description: '集体土地', onBehalf: false });
    expect(registrationBody.safeParse(collective('village')).success).toBe(true);
    expect(registrationBody.safeParse(collective('group')).success).toBe(true);
    const township = registrationBody.safeParse(collective('township'));
    expect(township.success).toBe(false);
    expect(township.error?.issues[0]?.path).toEqual(['holder', 'collectiveLevel']);
  });
});
