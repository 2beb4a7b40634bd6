import { describe, expect, it } from 'vitest';
import { AGENTS, ctxOf } from '../../../test/support/fakes.ts';
import { meResponse } from '../schemas.ts';
import { whoAmI } from './identity.ts';

describe('who the token speaks for', () => {
  it('names the township with its full jurisdiction name, the actions of its duties and the server clock in UTC and Beijing time', () => {
    const me = whoAmI(ctxOf({ ...AGENTS.meiwan, name: '周梅' }, '2026-09-01T23:30:00Z'));
    expect(me).toMatchObject({
      user: 'zhou.tw',
      name: '周梅',
      agency: 'township',
      agencyName: '乡镇人民政府 / 街道办事处',
      jurisdiction: 'yongzhou/lengshuitan/meiwan',
      jurisdictionName: '永州市冷水滩区梅湾街道',
      level: 'township',
      now: '2026-09-01T23:30:00.000Z',
      nowBeijing: '2026-09-02T07:30:00+08:00',
    });
    expect(me.actions).toEqual(expect.arrayContaining(['identity.read', 'posting.record', 'registration.create', 'handover.record']));
    expect(me.actions).not.toContain('notice.publish');
    expect(meResponse.safeParse(me).error?.issues ?? []).toEqual([]);
  });

  it('a city agency without a name in its token: no name, its own actions only', () => {
    const me = whoAmI(ctxOf(AGENTS.legal, '2026-09-01T10:00:00+08:00'));
    expect(me).not.toHaveProperty('name');
    expect(me).toMatchObject({ agencyName: '市政府法制办', jurisdictionName: '永州市', level: 'city' });
    expect(me.actions).toContain('notice.review');
    expect(me.actions).not.toContain('household.read');
    expect(meResponse.safeParse(me).error?.issues ?? []).toEqual([]);
  });
});
