import { describe, expect, it } from 'vitest';
import { agencyName, covers, jurisdictionName } from './agencies.ts';

describe('agency and jurisdiction names compiled into the console', () => {
  it('names agencies and jurisdictions in Chinese as shared/agencies.ts does; an unknown id shows as itself', () => {
    expect(agencyName('land-bureau')).toBe('市国土资源局');
    expect(agencyName('township')).toBe('乡镇人民政府 / 街道办事处');
    expect(jurisdictionName('yongzhou/lengshuitan')).toBe('冷水滩区');
    expect(jurisdictionName('yongzhou/lengshuitan/meiwan')).toBe('梅湾街道');
    expect(jurisdictionName('yongzhou/nowhere')).toBe('yongzhou/nowhere');
    expect(agencyName('no-such-agency')).toBe('no-such-agency');
  });

  it('a jurisdiction covers itself and what lies within it, not a neighbour sharing a prefix', () => {
    expect(covers('yongzhou/lengshuitan/meiwan', 'yongzhou/lengshuitan/meiwan')).toBe(true);
    expect(covers('yongzhou/lengshuitan', 'yongzhou/lengshuitan/yitang')).toBe(true);
    expect(covers('yongzhou/lengshuitan/meiwan', 'yongzhou/lengshuitan/yitang')).toBe(false);
    expect(covers('yongzhou/leng', 'yongzhou/lengshuitan')).toBe(false);
  });
});
