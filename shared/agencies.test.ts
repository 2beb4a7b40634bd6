import { describe, expect, it } from 'vitest';
import { AGENCIES, AGENCY_IDS, covers, districtOf, districtsSeenFrom, findJurisdiction, isAgencyId, jurisdictionFullName, JURISDICTIONS } from './agencies.ts';

describe('agencies', () => {
  it('each id has its entry, under the same id, with at least one level', () => {
    expect(Object.keys(AGENCIES).sort()).toEqual([...AGENCY_IDS].sort());
    for (const id of AGENCY_IDS) {
      expect(AGENCIES[id].id).toBe(id);
      expect(AGENCIES[id].levels.length, id).toBeGreaterThan(0);
    }
  });

  it('isAgencyId knows exactly the listed ids', () => {
    expect(isAgencyId('land-bureau')).toBe(true);
    expect(isAgencyId('Land-Bureau')).toBe(false);
    expect(isAgencyId('toString')).toBe(false);
    expect(isAgencyId('')).toBe(false);
  });
});

describe('jurisdictions', () => {
  it('are unique, and each sits one level inside an existing parent', () => {
    const ids = JURISDICTIONS.map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    const depth = { city: 1, district: 2, township: 3 } as const;
    for (const j of JURISDICTIONS) {
      expect(j.id.split('/').length, j.id).toBe(depth[j.level]);
      if (j.level !== 'city') expect(findJurisdiction(j.id.split('/').slice(0, -1).join('/')), j.id).toBeDefined();
    }
  });

  it('findJurisdiction finds by exact id only', () => {
    expect(findJurisdiction('yongzhou/lengshuitan')).toMatchObject({ nameZh: '冷水滩区', level: 'district' });
    expect(findJurisdiction('yongzhou/lengshuitan/')).toBeUndefined();
    expect(findJurisdiction('YONGZHOU')).toBeUndefined();
  });

  it('covers itself and what lies inside it, not a sibling that shares a prefix or a parent', () => {
    expect(covers('yongzhou', 'yongzhou')).toBe(true);
    expect(covers('yongzhou', 'yongzhou/lengshuitan/meiwan')).toBe(true);
    expect(covers('yongzhou/lengshuitan', 'yongzhou/lengshuitan/meiwan')).toBe(true);
    expect(covers('yongzhou/lengshuitan', 'yongzhou/lengshuitanx')).toBe(false);
    expect(covers('yongzhou/lengshuitan/meiwan', 'yongzhou/lengshuitan')).toBe(false);
    expect(covers('yongzhou/etdz', 'yongzhou/lengshuitan/meiwan')).toBe(false);
  });

  it('districtOf is the first two levels; the city has none', () => {
    expect(districtOf('yongzhou/lengshuitan/meiwan')).toBe('yongzhou/lengshuitan');
    expect(districtOf('yongzhou/etdz')).toBe('yongzhou/etdz');
    expect(districtOf('yongzhou')).toBeUndefined();
  });

  it('a full name reads from the city down; an unknown id has none', () => {
    expect(jurisdictionFullName('yongzhou/lengshuitan/meiwan')).toBe('永州市冷水滩区梅湾街道');
    expect(jurisdictionFullName('yongzhou/etdz')).toBe('永州市永州经济技术开发区');
    expect(jurisdictionFullName('yongzhou')).toBe('永州市');
    expect(jurisdictionFullName('yongzhou/lengshuitan/nowhere')).toBeUndefined();
  });

  it('the city sees every district, a district itself, a township its own district', () => {
    expect(districtsSeenFrom('yongzhou').sort()).toEqual(JURISDICTIONS.filter((j) => j.level === 'district').map((j) => j.id).sort());
    expect(districtsSeenFrom('yongzhou/etdz')).toEqual(['yongzhou/etdz']);
    expect(districtsSeenFrom('yongzhou/lengshuitan/meiwan')).toEqual(['yongzhou/lengshuitan']);
    expect(districtsSeenFrom('yongzhou/lengshuitanx')).toEqual([]);
  });
});
