import { describe, expect, it } from 'vitest';
import type { Identity } from '../identity.ts';
import { createProject, jurisdictionsOf, type NewProject } from './project.ts';

const district: Identity = { user: 'u-district', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' };
const now = new Date('2026-09-01T02:00:00.000Z');
const INPUT: NewProject = {
  name: '滨江大道建设项目',
  district: 'yongzhou/lengshuitan',
  villageGroups: [
    { name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
    { name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
    { name: '二组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
  ],
};
const codeOf = (input: NewProject) => {
  try {
    createProject('P1', input, district, now);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('creating a project', () => {
  it('numbers village groups g1, g2, … in the order given and records who and when', () => {
    const project = createProject('P1', INPUT, district, now);
    expect(project).toEqual({
      id: 'P1',
      name: INPUT.name,
      district: 'yongzhou/lengshuitan',
      villageGroups: [
        { id: 'g1', name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
        { id: 'g2', name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
        { id: 'g3', name: '二组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
      ],
      createdAt: now.toISOString(),
      createdBy: district,
    });
  });

  it('refuses a district that is unknown or not at district level', () => {
    expect(codeOf({ ...INPUT, district: 'yongzhou/nowhere' })).toBe('project.district-unknown');
    expect(codeOf({ ...INPUT, district: 'yongzhou' })).toBe('project.district-unknown');
    expect(codeOf({ ...INPUT, district: 'yongzhou/lengshuitan/meiwan' })).toBe('project.district-unknown');
  });

  it('refuses a township of another district, an unknown one, or a jurisdiction that is not a township', () => {
    const withTownship = (township: string): NewProject => ({ ...INPUT, villageGroups: [{ name: '一组', village: '甲村', township }] });
    expect(codeOf(withTownship('yongzhou/etdz/township-a'))).toBe('project.township-outside-district');
    expect(codeOf(withTownship('yongzhou/lengshuitan/nowhere'))).toBe('project.township-outside-district');
    expect(codeOf(withTownship('yongzhou/lengshuitan'))).toBe('project.township-outside-district');
    expect(codeOf(withTownship('yongzhou/lengshuitan/meiwan'))).toBeUndefined();
  });

  it('refuses the same village group twice, but not the same group name in two villages', () => {
    const twice = { ...INPUT, villageGroups: [INPUT.villageGroups[0]!, { ...INPUT.villageGroups[0]! }] };
    expect(codeOf(twice)).toBe('project.duplicate-village-group');
    const sameNameOtherVillage = { ...INPUT, villageGroups: [INPUT.villageGroups[0]!, { ...INPUT.villageGroups[0]!, village: '伊塘村' }] };
    expect(codeOf(sameNameOtherVillage)).toBeUndefined();
  });
});

describe('the jurisdictions a project lies in', () => {
  it('are its district and each affected township once', () => {
    expect(jurisdictionsOf(createProject('P1', INPUT, district, now))).toEqual(['yongzhou/lengshuitan', 'yongzhou/lengshuitan/meiwan', 'yongzhou/lengshuitan/yitang']);
  });
});
