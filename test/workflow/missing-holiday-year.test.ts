import { expect, it } from 'vitest';
import { apiClient, useTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * A deadline that falls in a year without holiday data, through the real API. On a cloud of its
 * own: it adds a test year to the calendar, which would change what other tests' deadlines need.
 */
const cloudOf = useTestCloud({ clockStart: '2026-12-01T09:00:00+08:00' });

it('is refused with a 422 naming the year, and nothing is published', async () => {
  const cloud = cloudOf();
  const call = apiClient(cloud);
  const created = await call(WHO.district, 'POST', '/projects', { name: '年末项目', district: 'yongzhou/lengshuitan', villageGroups: [{ name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' }] });
  const id = created.body.id as string;
  await call(WHO.landBranch, 'PUT', `/projects/${id}/notice`, { title: '征收土地通告', body: '正文', registrationPeriod: '30d', registrationPlace: '街道' });
  await call(WHO.legal, 'POST', `/projects/${id}/notice/review`, { decision: 'approve' });
  const refused = await call(WHO.landBranch, 'POST', `/projects/${id}/notice/publish`);
  expect(refused.status).toBe(422);
  expect(refused.body.error).toMatchObject({ code: 'calendar.missing-holiday-data', details: { year: 2027 } });
  expect((await call(WHO.landBranch, 'GET', `/projects/${id}/notice`)).body.status).toBe('approved');

  // The leading group office adds the year's schedule (an audited call, no redeploy); then it works.
  // Test fixture only — not the State Council's 2027 schedule.
  const year = { year: 2027, holidays: ['2027-01-01'], workdays: [], source: '测试数据（非国务院安排）', updatedAt: '2026-11-27' };
  expect((await call(WHO.landBranch, 'PUT', '/calendar/years/2027', year)).status).toBe(403);
  expect((await call(WHO.leadingGroup, 'PUT', '/calendar/years/2027', { ...year, workdays: ['2027-01-04'] })).body.error.code).toBe('request.invalid');
  expect((await call(WHO.leadingGroup, 'PUT', '/calendar/years/2027', year)).status).toBe(202);
  expect((await call(WHO.landBranch, 'GET', '/calendar/years')).body.at(-1)).toMatchObject({ year: 2027, origin: 'operator' });
  const published = await call(WHO.landBranch, 'POST', `/projects/${id}/notice/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  const plan = published.body.deadlines.find((d: { ruleId: string }) => d.ruleId === 'implementation-plan');
  expect(plan.lastDay, JSON.stringify(published.body.deadlines)).toMatch(/^2027-/);
});
