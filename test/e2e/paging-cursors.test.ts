import { expect, it } from 'vitest';
import { apiClient, publishNoticeViaApi, useTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * Paged lists through the API: cursors are opaque and tamper-evident (signed with a secret the
 * functions derive from the KMS cursor key the template provisions), so a forged, edited or
 * borrowed cursor is a 400 `request.cursor` — never a 500 and never another list's page.
 */
const cloudOf = useTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });

const raw = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');

it('pages the inbox and the overdue records, and refuses forged cursors with a 400', async () => {
  const cloud = cloudOf();
  const call = apiClient(cloud);
  const first = await publishNoticeViaApi(call);
  await publishNoticeViaApi(call);

  const page1 = await call(WHO.police, 'GET', '/inbox?limit=1');
  expect(page1.status).toBe(200);
  expect(page1.body.items).toHaveLength(1);
  const page2 = await call(WHO.police, 'GET', `/inbox?limit=1&cursor=${page1.body.cursor}`);
  expect(page2.status).toBe(200);
  expect(page2.body.items).toHaveLength(1);
  expect(page2.body.items[0].eventId).not.toBe(page1.body.items[0].eventId);

  // Both 45-day deadlines pass unmet: two overdue records against the land bureau.
  await cloud.advance(Date.parse(first.plan.dueAt) + 3_600_000 - cloud.clock.now());
  const overdue1 = await call(WHO.leadingGroup, 'GET', '/performance/overdue?limit=1');
  expect(overdue1.status).toBe(200);
  expect(overdue1.body.items).toHaveLength(1);
  const overdue2 = await call(WHO.leadingGroup, 'GET', `/performance/overdue?limit=1&cursor=${overdue1.body.cursor}`);
  expect(overdue2.body.items).toHaveLength(1);
  expect(overdue2.body.items[0].caseId).not.toBe(overdue1.body.items[0].caseId);

  const [payload, mac] = String(page1.body.cursor).split('.');
  const forged = [
    raw({ pk: '', sk: '', gsi1pk: 'INBOX#public-security', gsi1sk: '' }),
    raw({ gsi1pk: 'OVERDUE', gsi1sk: '' }),
    `${raw({ pk: '', sk: '', gsi1pk: 'OVERDUE', gsi1sk: '' })}.${mac}`,
    `${payload}A.${mac}`,
    'garbage',
  ];
  for (const cursor of forged) {
    for (const path of ['/inbox', '/performance/overdue']) {
      const who = path === '/inbox' ? WHO.police : WHO.leadingGroup;
      const response = await call(who, 'GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect({ path, cursor, status: response.status, code: response.body?.error?.code }).toEqual({ path, cursor, status: 400, code: 'request.cursor' });
    }
  }
  // A genuine cursor of one list does not continue another.
  const borrowed = await call(WHO.leadingGroup, 'GET', `/performance/overdue?limit=1&cursor=${page1.body.cursor}`);
  expect(borrowed.status).toBe(400);
  const registrations = await call(WHO.landBranch, 'GET', `/projects/${first.projectId}/registrations?limit=1&cursor=${overdue1.body.cursor}`);
  expect(registrations.status).toBe(400);
});
