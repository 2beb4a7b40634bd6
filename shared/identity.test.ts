import { describe, expect, it } from 'vitest';
import { identityFromClaims } from './identity.ts';

describe('identity from the authorizer claims', () => {
  it('takes user, agency and jurisdiction', () => {
    expect(identityFromClaims({ sub: 'zhou', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' })).toEqual({
      user: 'zhou',
      agency: 'township',
      jurisdiction: 'yongzhou/lengshuitan/meiwan',
    });
  });

  it('refuses unknown agencies or jurisdictions (401)', () => {
    expect(() => identityFromClaims({ sub: 'x', agency: 'mayor', jurisdiction: 'yongzhou' })).toThrow(expect.objectContaining({ code: 'identity.invalid' }));
    expect(() => identityFromClaims({ sub: 'x', agency: 'township', jurisdiction: 'beijing' })).toThrow(expect.objectContaining({ code: 'identity.invalid' }));
    expect(() => identityFromClaims(undefined)).toThrow(expect.objectContaining({ category: 'unauthenticated' }));
  });

  it('refuses an agency acting at a level it does not have (a township with city-wide jurisdiction)', () => {
    expect(() => identityFromClaims({ sub: 'x', agency: 'township', jurisdiction: 'yongzhou' })).toThrow(expect.objectContaining({ code: 'identity.level-mismatch', category: 'forbidden' }));
    expect(() => identityFromClaims({ sub: 'x', agency: 'district-government', jurisdiction: 'yongzhou' })).toThrow(expect.objectContaining({ code: 'identity.level-mismatch' }));
    expect(identityFromClaims({ sub: 'x', agency: 'land-bureau', jurisdiction: 'yongzhou/etdz' }).jurisdiction).toBe('yongzhou/etdz');
  });
});
