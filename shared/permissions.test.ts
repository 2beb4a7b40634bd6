import { describe, expect, it } from 'vitest';
import { AGENCY_IDS, type AgencyId } from './agencies.ts';
import type { Identity } from './identity.ts';
import { ACTIONS, actionsOf, authorize, withinJurisdiction, type Action } from './permissions.ts';

const as = (agency: AgencyId, jurisdiction: string): Identity => ({ user: 'u', agency, jurisdiction });
const PROJECT = ['yongzhou/lengshuitan', 'yongzhou/lengshuitan/meiwan', 'yongzhou/lengshuitan/yitang'];
const refusal = (actor: Identity, action: Action, targets: readonly string[]) => {
  try {
    authorize(actor, action, targets);
  } catch (error) {
    return error as { code: string; category: string; details: unknown };
  }
  return undefined;
};

describe('authorize: agency × jurisdiction', () => {
  it('lets an agency with the duty act inside its jurisdiction', () => {
    expect(refusal(as('land-bureau', 'yongzhou/lengshuitan'), 'notice.draft', PROJECT)).toBeUndefined();
    expect(refusal(as('land-bureau', 'yongzhou'), 'notice.draft', PROJECT)).toBeUndefined();
    expect(refusal(as('legal-affairs-office', 'yongzhou'), 'plan.review', PROJECT)).toBeUndefined();
  });

  it('a township acts where one of the project’s jurisdictions is its own', () => {
    expect(refusal(as('township', 'yongzhou/lengshuitan/meiwan'), 'posting.record', PROJECT)).toBeUndefined();
    expect(refusal(as('township', 'yongzhou/lengshuitan/shanhu'), 'posting.record', PROJECT)).toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('refuses an agency without the duty (403, naming action and agency), before looking at the jurisdiction', () => {
    expect(refusal(as('legal-affairs-office', 'yongzhou'), 'notice.publish', PROJECT)).toMatchObject({
      code: 'forbidden.agency',
      category: 'forbidden',
      details: { action: 'notice.publish', agency: 'legal-affairs-office' },
    });
    expect(refusal(as('legal-affairs-office', 'yongzhou/etdz'), 'notice.publish', PROJECT)).toMatchObject({ code: 'forbidden.agency' });
  });

  it('refuses the right agency from another jurisdiction, including a sibling whose id shares a prefix', () => {
    expect(refusal(as('land-bureau', 'yongzhou/etdz'), 'notice.draft', PROJECT)).toMatchObject({
      code: 'forbidden.jurisdiction',
      details: { action: 'notice.draft', jurisdiction: 'yongzhou/etdz' },
    });
    expect(refusal(as('land-bureau', 'yongzhou/lengshui'), 'notice.draft', PROJECT)).toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('refuses when the target lies nowhere', () => {
    expect(refusal(as('land-bureau', 'yongzhou'), 'notice.draft', [])).toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('names only known agencies, and gives every action a Chinese description', () => {
    for (const [action, rule] of Object.entries(ACTIONS)) {
      expect(rule.agencies.length, action).toBeGreaterThan(0);
      for (const agency of rule.agencies) expect(AGENCY_IDS, action).toContain(agency);
      expect(rule.zh, action).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('keeps the legal affairs office the only reviewer and the land bureau the only publisher', () => {
    expect(ACTIONS['notice.review'].agencies).toEqual(['legal-affairs-office']);
    expect(ACTIONS['plan.review'].agencies).toEqual(['legal-affairs-office']);
    expect(ACTIONS['notice.publish'].agencies).toEqual(['land-bureau']);
    expect(ACTIONS['plan.publish'].agencies).toEqual(['land-bureau']);
  });

  it('lists an agency\'s actions from the table: every agency reads its identity, only the legal affairs office reviews', () => {
    const legal = actionsOf('legal-affairs-office');
    expect(legal).toContain('identity.read');
    expect(legal).toContain('notice.review');
    expect(legal).not.toContain('notice.publish');
    expect(actionsOf('township')).toEqual(expect.arrayContaining(['posting.record', 'household.survey', 'project.read']));
    expect(actionsOf('township')).not.toContain('project.create');
    for (const agency of AGENCY_IDS) expect(actionsOf(agency), agency).toContain('identity.read');
  });

  it('withinJurisdiction is authorize\'s jurisdiction rule', () => {
    expect(withinJurisdiction(as('township', 'yongzhou/lengshuitan/meiwan'), PROJECT)).toBe(true);
    expect(withinJurisdiction(as('township', 'yongzhou/lengshuitan/shanhu'), PROJECT)).toBe(false);
    expect(withinJurisdiction(as('land-bureau', 'yongzhou'), PROJECT)).toBe(true);
    expect(withinJurisdiction(as('land-bureau', 'yongzhou/etdz'), PROJECT)).toBe(false);
  });
});
