import { describe, expect, it } from 'vitest';
import { FilterPolicyError, matchesFilterPolicy, parseFilterPolicy, type FilterValue } from './sns-filter-policy.ts';

const matches = (policy: object, subject: Record<string, FilterValue>, scope?: 'MessageBody'): boolean =>
  matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy), scope), subject);

describe('filter policy matching', () => {
  it('matches exact strings from a list', () => {
    expect(matches({ agency: ['land', 'housing'] }, { agency: 'housing' })).toBe(true);
    expect(matches({ agency: ['land', 'housing'] }, { agency: 'police' })).toBe(false);
    expect(matches({ agency: ['land'] }, { agency: 'Land' })).toBe(false);
  });

  it('needs every key to match (AND) and a missing key fails', () => {
    const policy = { agency: ['land'], severity: ['overdue'] };
    expect(matches(policy, { agency: 'land', severity: 'overdue' })).toBe(true);
    expect(matches(policy, { agency: 'land', severity: 'info' })).toBe(false);
    expect(matches(policy, { agency: 'land' })).toBe(false);
  });

  it('matches anything-but only when the attribute is present and not excluded', () => {
    expect(matches({ agency: [{ 'anything-but': ['police', 'court'] }] }, { agency: 'land' })).toBe(true);
    expect(matches({ agency: [{ 'anything-but': ['police', 'court'] }] }, { agency: 'court' })).toBe(false);
    expect(matches({ agency: [{ 'anything-but': 'police' }] }, {})).toBe(false);
    expect(matches({ code: [{ 'anything-but': { prefix: 'tmp-' } }] }, { code: 'tmp-1' })).toBe(false);
    expect(matches({ code: [{ 'anything-but': { prefix: 'tmp-' } }] }, { code: 'case-1' })).toBe(true);
  });

  it('matches prefix, suffix and equals-ignore-case on strings only', () => {
    expect(matches({ district: [{ prefix: '3201' }] }, { district: '320102' })).toBe(true);
    expect(matches({ district: [{ prefix: '3201' }] }, { district: '310102' })).toBe(false);
    expect(matches({ district: [{ prefix: '3201' }] }, { district: 320102 })).toBe(false);
    expect(matches({ file: [{ suffix: '.pdf' }] }, { file: 'notice.pdf' })).toBe(true);
    expect(matches({ agency: [{ 'equals-ignore-case': 'LAND' }] }, { agency: 'land' })).toBe(true);
  });

  it('matches numeric comparisons and ranges against numbers only', () => {
    expect(matches({ days: [{ numeric: ['=', 30] }] }, { days: 30 })).toBe(true);
    expect(matches({ days: [{ numeric: ['>', 30] }] }, { days: 30 })).toBe(false);
    expect(matches({ days: [{ numeric: ['>=', 30] }] }, { days: 30 })).toBe(true);
    expect(matches({ days: [{ numeric: ['<', 0] }] }, { days: -1 })).toBe(true);
    const range = { days: [{ numeric: ['>', 0, '<=', 45] }] };
    expect(matches(range, { days: 45 })).toBe(true);
    expect(matches(range, { days: 0 })).toBe(false);
    expect(matches(range, { days: 46 })).toBe(false);
    expect(matches(range, { days: '10' })).toBe(false);
    expect(matches({ days: [30] }, { days: 30 })).toBe(true);
  });

  it('matches exists true and false', () => {
    expect(matches({ escalated: [{ exists: true }] }, { escalated: 'yes' })).toBe(true);
    expect(matches({ escalated: [{ exists: true }] }, {})).toBe(false);
    expect(matches({ escalated: [{ exists: false }] }, {})).toBe(true);
    expect(matches({ escalated: [{ exists: false }] }, { escalated: 'yes' })).toBe(false);
  });

  it('matches an array attribute when any element matches', () => {
    expect(matches({ agencies: ['land'] }, { agencies: ['police', 'land'] })).toBe(true);
    expect(matches({ agencies: ['land'] }, { agencies: ['police', 'court'] })).toBe(false);
    expect(matches({ agencies: ['land'] }, { agencies: [] })).toBe(false);
  });

  it('supports $or between alternatives', () => {
    const policy = { $or: [{ agency: ['land'] }, { severity: ['critical'] }] };
    expect(matches(policy, { agency: 'police', severity: 'critical' })).toBe(true);
    expect(matches(policy, { agency: 'police', severity: 'info' })).toBe(false);
  });

  it('matches nested keys of a JSON body with the MessageBody scope', () => {
    const policy = { case: { agency: ['land'], overdueDays: [{ numeric: ['>', 0] }] } };
    expect(matches(policy, { case: { agency: 'land', overdueDays: 3 } }, 'MessageBody')).toBe(true);
    expect(matches(policy, { case: { agency: 'land', overdueDays: 0 } }, 'MessageBody')).toBe(false);
    expect(matches(policy, { case: 'land' }, 'MessageBody')).toBe(false);
  });
});

describe('filter policy validation', () => {
  it.each([
    ['not JSON', '{agency:'],
    ['not an object', '["land"]'],
    ['a bare string value', '{"agency":"land"}'],
    ['an empty list', '{"agency":[]}'],
    ['an unknown operator', '{"agency":[{"regex":"l.*"}]}'],
    ['a bad numeric operator', '{"days":[{"numeric":["!=",3]}]}'],
    ['a reversed range', '{"days":[{"numeric":["<",3,">",1]}]}'],
    ['a non-boolean exists', '{"x":[{"exists":"yes"}]}'],
    ['nesting outside MessageBody', '{"case":{"agency":["land"]}}'],
  ])('rejects %s', (_, text) => {
    expect(() => parseFilterPolicy(text)).toThrow(FilterPolicyError);
  });
});
