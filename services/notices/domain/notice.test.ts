import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/identity.ts';
import { draftNotice, publishNotice, reviewNotice, STATUS_ZH, type NoticeDraft } from './notice.ts';

const land: Identity = { user: 'u-land', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const legal: Identity = { user: 'u-legal', agency: 'legal-affairs-office', jurisdiction: 'yongzhou' };
const now = new Date('2026-09-01T02:00:00.000Z');
const DRAFT: NoticeDraft = { title: '征收土地通告', body: '通告正文', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' };

describe('the expropriation notice', () => {
  it('is drafted for its project, pending the legal affairs office', () => {
    expect(draftNotice(undefined, 'P1', DRAFT, land, now)).toMatchObject({ ...DRAFT, projectId: 'P1', status: 'pending-review', revision: 1 });
  });

  it('refuses with the notice codes: publish before approval, review twice, change or republish once published', () => {
    const pending = draftNotice(undefined, 'P1', DRAFT, land, now);
    expect(() => publishNotice(pending, land, now)).toThrow(expect.objectContaining({ code: 'notice.not-approved', category: 'conflict' }));
    const approved = reviewNotice(pending, 'approve', undefined, legal, now);
    expect(() => reviewNotice(approved, 'approve', undefined, legal, now)).toThrow(expect.objectContaining({ code: 'notice.not-pending-review' }));
    const published = publishNotice(approved, land, now);
    expect(published.status).toBe('published');
    expect(() => publishNotice(published, land, now)).toThrow(expect.objectContaining({ code: 'notice.already-published' }));
    expect(() => draftNotice(published, 'P1', DRAFT, land, now)).toThrow(expect.objectContaining({ code: 'notice.already-published' }));
  });

  it('names every status in Chinese', () => {
    expect(Object.keys(STATUS_ZH).sort()).toEqual(['approved', 'pending-review', 'published', 'returned']);
    for (const label of Object.values(STATUS_ZH)) expect(label).toMatch(/^[\u4e00-\u9fff]+$/);
  });
});
