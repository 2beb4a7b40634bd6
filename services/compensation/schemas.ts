import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { deadlineWatchResponse, reviewedDocumentFields } from '../../shared/http/response-schemas.ts';
import { projectParams, reviewBody, text } from '../../shared/http/schemas.ts';
import { fenSchema } from '../../shared/money.ts';

const resettlementOptionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: text(20), description: text(1000), kind: z.literal('cash') }),
  z.strictObject({ id: text(20), description: text(1000), kind: z.literal('swap'), fenPerSquareMetre: fenSchema }),
], { error: '安置方式的 kind 须为 cash（货币补偿）或 swap（产权调换，须给出安置房每平方米价格 fenPerSquareMetre）' });

/** The one standard (plan.ts): complete under LAL art. 48 / Regulations art. 32; amounts in fen. */
export const standardSchema = z.strictObject({
  landRates: z.array(z.strictObject({ landClass: text(50), fenPerMu: fenSchema })).max(100),
  resettlementSubsidyRates: z.array(z.strictObject({ landClass: text(50), fenPerMu: fenSchema })).max(100),
  cropRates: z.array(z.strictObject({ crop: text(50), fenPerMu: fenSchema })).max(200),
  attachmentRates: z.array(z.strictObject({ item: text(100), unit: text(20), fenPerUnit: fenSchema })).max(500),
  houseRates: z.array(z.strictObject({ structure: text(50), fenPerSquareMetre: fenSchema })).max(100),
  socialSecurity: z.strictObject({ fenPerPerson: fenSchema }),
  resettlementOptions: z.array(resettlementOptionSchema).max(20),
});

export const planDraftBody = z.strictObject({
  title: text(200),
  body: text(50_000),
  standard: standardSchema,
});

export const planResponse = z.strictObject({
  projectId: z.string(),
  title: z.string(),
  body: z.string(),
  standard: standardSchema,
  ...reviewedDocumentFields,
});

/** The published plan and the 45-day clock it met (absent when the project has none). */
export const publishPlanResponse = z.strictObject({ plan: planResponse, deadline: deadlineWatchResponse.optional() });

export const routes = defineRoutes({
  draftPlan: { method: 'PUT', path: '/projects/{projectId}/plan', service: 'compensation', summary: '拟定或修改征地补偿安置实施方案（含唯一补偿标准，金额以分计）', action: 'plan.draft', auth: 'jwt', params: projectParams, body: planDraftBody, response: planResponse },
  getPlan: { method: 'GET', path: '/projects/{projectId}/plan', service: 'compensation', summary: '查看实施方案', action: 'project.read', auth: 'jwt', params: projectParams, response: planResponse },
  reviewPlan: { method: 'POST', path: '/projects/{projectId}/plan/review', service: 'compensation', summary: '法制办审核实施方案', action: 'plan.review', auth: 'jwt', params: projectParams, body: reviewBody, response: planResponse },
  publishPlan: { method: 'POST', path: '/projects/{projectId}/plan/publish', service: 'compensation', summary: '发布实施方案（锁定补偿标准，结束45日期限）', action: 'plan.publish', auth: 'jwt', params: projectParams, response: publishPlanResponse },
});
