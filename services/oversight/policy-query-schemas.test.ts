import { describe, expect, it } from 'vitest';
import { approvalSubmissionBody, policyDecisionBody, policyQueryBody, policyQueryListQuery, policyQueryRoutes, topicMeetingBody } from './policy-query-schemas.ts';

/** The policy-query routes' request schemas: what a clerk is told, in Chinese, when a field is wrong. */
const messagesOf = (result: { error?: { issues: Array<{ message: string }> } }) => result.error?.issues.map((i) => i.message) ?? [];
const body = { subject: '钢架大棚补偿', question: '是否按附着物计补', proposal: '每平方米 40 元', letter: { number: '冷政函〔2026〕15号', date: '2026-10-09' } };

describe('policy-query schemas', () => {
  it('the letter needs its number and a calendar date; unknown fields are refused', () => {
    expect(policyQueryBody.safeParse(body).success).toBe(true);
    expect(messagesOf(policyQueryBody.safeParse({ ...body, letter: { number: '冷政函〔2026〕15号', date: '2026/10/09' } }))).toEqual(['letter.date 须为函的日期（YYYY-MM-DD，北京时间）']);
    expect(messagesOf(policyQueryBody.safeParse({ ...body, letter: { number: ' ', date: '2026-10-09' } }))).toEqual(['不能为空']);
    expect(policyQueryBody.safeParse({ ...body, district: 'yongzhou/etdz' }).success).toBe(false);
  });

  it('a meeting lists known agencies; a decision is approve or return; the submission names its document', () => {
    expect(messagesOf(topicMeetingBody.safeParse({ heldAt: '2026-10-12T10:00:00+08:00', attendees: ['land-bureau', 'mayor'], opinion: 'o' }))).toEqual(['参会单位不存在']);
    expect(messagesOf(topicMeetingBody.safeParse({ heldAt: '2026-10-12T10:00:00', attendees: ['land-bureau'], opinion: 'o' }))).toEqual(['须为带时区的 ISO-8601 时间，如 2026-10-01T09:00:00+08:00']);
    expect(messagesOf(policyDecisionBody.safeParse({ decision: 'maybe', decidedAt: '2026-10-15T10:00:00+08:00' }))).toEqual(['decision 须为 approve（批准）或 return（退回）']);
    expect(approvalSubmissionBody.safeParse({}).success).toBe(false);
  });

  it('the list takes a district id and the page', () => {
    expect(policyQueryListQuery.parse({ district: 'yongzhou/etdz' })).toEqual({ district: 'yongzhou/etdz', limit: 100 });
    expect(messagesOf(policyQueryListQuery.safeParse({ district: '../x' }))).toEqual(['district 须为区（县）辖区编号，如 yongzhou/lengshuitan']);
  });

  it('every route is the oversight service’s, behind a permission', () => {
    expect(Object.values(policyQueryRoutes).map((r) => `${r.method} ${r.path} ${r.action}`)).toEqual([
      'POST /policy-queries policy-query.submit',
      'GET /policy-queries policy-query.read',
      'GET /policy-queries/{queryId} policy-query.read',
      'POST /policy-queries/{queryId}/topic-meeting policy-query.meeting',
      'POST /policy-queries/{queryId}/submission policy-query.submit-for-approval',
      'POST /policy-queries/{queryId}/decision policy-query.decide',
      'POST /policy-queries/{queryId}/application policy-query.apply',
    ]);
    expect(new Set(Object.values(policyQueryRoutes).map((r) => r.service))).toEqual(new Set(['oversight']));
  });
});
