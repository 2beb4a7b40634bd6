import { describe, expect, it } from 'vitest';
import type { DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { checkRightShape, checkWindowOpen, normaliseName, rightKeyOf } from './registration.ts';

// A group's registration window, the notice posted there on 1 Sep 2026: last day 8 Oct, 24:00 Beijing.
const WINDOW = { status: 'open', lastDay: '2026-10-08', dueAt: '2026-10-08T16:00:00.000Z' } as DeadlineWatch;
const DUE = Date.parse(WINDOW.dueAt);
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('the registration window', () => {
  it('is not open before the notice is published', () => {
    expect(codeOf(() => checkWindowOpen(false, undefined, new Date(DUE - 1)))).toBe('registration.not-open');
  });

  it('stays open in a village group where the notice is not posted yet: no window runs, nothing is waived', () => {
    expect(codeOf(() => checkWindowOpen(true, undefined, new Date(DUE + 365 * 86_400_000)))).toBeUndefined();
  });

  it('is open until the due instant of the group’s window, excluded', () => {
    expect(codeOf(() => checkWindowOpen(true, WINDOW, new Date(DUE - 1)))).toBeUndefined();
    expect(codeOf(() => checkWindowOpen(true, WINDOW, new Date(DUE)))).toBe('registration.window-closed');
  });

  it('a closed window says when it closed and that the right is deemed waived', () => {
    let error: any;
    try {
      checkWindowOpen(true, WINDOW, new Date(DUE + 60_000));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ category: 'rule', details: { closedAt: WINDOW.dueAt, lastDay: '2026-10-08' } });
    expect(error.message).toContain('2026年10月8日24时');
    expect(error.message).toContain('视为放弃补偿权利');
  });

  it('an elapsed window is closed whatever the time', () => {
    expect(codeOf(() => checkWindowOpen(true, { ...WINDOW, status: 'elapsed' }, new Date(DUE - 86_400_000)))).toBe('registration.window-closed');
  });
});

describe('the key of a right', () => {
  const base = { villageGroupId: 'g1', holderKey: 'H1', description: '承包地' };

  it('collective land ownership: one per owning collective (village or group) in the village group, whoever registers it', () => {
    const group = rightKeyOf({ ...base, rightType: 'collective-land-ownership', collectiveLevel: 'group' });
    const village = rightKeyOf({ ...base, rightType: 'collective-land-ownership', collectiveLevel: 'village' });
    expect(village).not.toBe(group);
    expect(rightKeyOf({ ...base, rightType: 'collective-land-ownership', collectiveLevel: 'group', holderKey: 'H2', description: '另一说法' })).toBe(group);
    expect(rightKeyOf({ ...base, rightType: 'collective-land-ownership', collectiveLevel: 'village', holderKey: 'H2' })).toBe(village);
    expect(rightKeyOf({ ...base, rightType: 'collective-land-ownership', collectiveLevel: 'group', villageGroupId: 'g2' })).not.toBe(group);
  });

  it('a land contract: its number in the group, whatever the spelling (width, case, spaces) or claimant', () => {
    const a = rightKeyOf({ ...base, rightType: 'land-contract', contractNumber: 'C-001' });
    expect(rightKeyOf({ ...base, rightType: 'land-contract', contractNumber: ' ｃ－００１ ', holderKey: 'H2' })).toBe(a);
    expect(rightKeyOf({ ...base, rightType: 'land-contract', contractNumber: 'C-002' })).not.toBe(a);
    expect(rightKeyOf({ ...base, rightType: 'land-contract', contractNumber: 'C-001', villageGroupId: 'g2' })).not.toBe(a);
  });

  it('another right: who holds it and what, the contract number standing for what when given', () => {
    const a = rightKeyOf({ ...base, rightType: 'other-right' });
    expect(rightKeyOf({ ...base, rightType: 'other-right', description: '承 包 地' })).toBe(a);
    expect(rightKeyOf({ ...base, rightType: 'other-right', holderKey: 'H2' })).not.toBe(a);
    expect(rightKeyOf({ ...base, rightType: 'other-right', description: '宅基地' })).not.toBe(a);
    expect(rightKeyOf({ ...base, rightType: 'other-right', contractNumber: 'R-1' })).toBe(rightKeyOf({ ...base, rightType: 'other-right', description: 'R-1' }));
  });

  it('different kinds of right never share a key', () => {
    const keys = (['collective-land-ownership', 'land-contract', 'other-right'] as const).map((rightType) => rightKeyOf({ ...base, rightType, contractNumber: 'C-001' }));
    expect(new Set(keys).size).toBe(3);
  });
});

describe('the shape of a right', () => {
  it('collective land ownership is held by a collective that says which one it is', () => {
    expect(codeOf(() => checkRightShape({ rightType: 'collective-land-ownership', holderKind: 'person', collectiveLevel: 'group' }))).toBe('registration.holder-kind');
    expect(codeOf(() => checkRightShape({ rightType: 'collective-land-ownership', holderKind: 'collective' }))).toBe('registration.collective-level-required');
    expect(codeOf(() => checkRightShape({ rightType: 'collective-land-ownership', holderKind: 'collective', collectiveLevel: 'village' }))).toBeUndefined();
    expect(codeOf(() => checkRightShape({ rightType: 'collective-land-ownership', holderKind: 'collective', collectiveLevel: 'group' }))).toBeUndefined();
  });

  it('only a collective names its level', () => {
    expect(codeOf(() => checkRightShape({ rightType: 'other-right', holderKind: 'person', collectiveLevel: 'group' }))).toBe('registration.collective-level-not-applicable');
    expect(codeOf(() => checkRightShape({ rightType: 'other-right', holderKind: 'collective', collectiveLevel: 'village' }))).toBeUndefined();
  });

  it('a land contract needs a non-blank contract number', () => {
    expect(codeOf(() => checkRightShape({ rightType: 'land-contract', holderKind: 'person' }))).toBe('registration.contract-number-required');
    expect(codeOf(() => checkRightShape({ rightType: 'land-contract', holderKind: 'person', contractNumber: '  ' }))).toBe('registration.contract-number-required');
    expect(codeOf(() => checkRightShape({ rightType: 'land-contract', holderKind: 'person', contractNumber: 'C-1' }))).toBeUndefined();
    expect(codeOf(() => checkRightShape({ rightType: 'other-right', holderKind: 'organisation' }))).toBeUndefined();
  });
});

describe('names', () => {
  it('are compared without spaces and in NFKC form (full-width letters and digits as half-width)', () => {
    expect(normaliseName(' 张　三 ')).toBe('张三');
    expect(normaliseName('ＡＢ１２')).toBe('AB12');
  });
});
