import * as z from 'zod';
import { defineRoutes } from '../../shared/http/routes.ts';
import { day, identityResponse, utcInstant } from '../../shared/http/response-schemas.ts';
import { idParam, text } from '../../shared/http/schemas.ts';
import { MEDICAL_SCHEMES, PENSION_SCHEMES } from './domain/social-security.ts';

const positiveFen = z.number({ error: '金额必须是以“分”为单位的整数' }).int({ error: '金额必须是以“分”为单位的整数' }).positive({ error: '划转金额须大于零' }).max(Number.MAX_SAFE_INTEGER);
const beijingDay = (what: string) => z.iso.date({ error: `${what}须为日期（YYYY-MM-DD，北京时间）` });

export const householdParams = z.strictObject({ householdId: idParam });
export const personParams = z.strictObject({ householdId: idParam, memberId: idParam });

export const transferBody = z.strictObject({
  amountFen: positiveFen,
  transferDate: beijingDay('transferDate（划转日期）'),
  voucherNumber: text(64),
  /** Required when more than the agreement's line is transferred (e.g. a district top-up). */
  reason: text(500).optional(),
});

export const enrolmentBody = z.strictObject({
  pension: z.enum(PENSION_SCHEMES, { error: 'pension 须为 urban-employee（城镇职工基本养老保险）或 urban-rural-resident（城乡居民基本养老保险）' }),
  medical: z.enum(MEDICAL_SCHEMES, { error: 'medical 须为 employee（职工基本医疗保险）或 urban-rural-resident（城乡居民基本医疗保险）' }),
  enrolmentDate: beijingDay('enrolmentDate（参保日期）'),
  /** 社会保障号码 = 公民身份号码; trimmed and checked by the use case. */
  socialSecurityNumber: z.string({ error: 'socialSecurityNumber 须为社会保障号码（公民身份号码）' }).max(40, { error: '社会保障号码不能超过 40 个字符' }),
});

// ---- responses: the sealed number never appears, only its mask ----

const transferResponse = z.strictObject({
  amountFen: z.int().positive(),
  lineFen: z.int().nonnegative(),
  reason: z.string().optional(),
  transferDate: day,
  voucherNumber: z.string(),
  by: identityResponse,
  at: utcInstant,
});
const enrolmentResponse = z.strictObject({
  pension: z.enum(PENSION_SCHEMES),
  medical: z.enum(MEDICAL_SCHEMES),
  enrolmentDate: day,
  socialSecurityNumberMasked: z.string().regex(/^.{4}\*+.{4}$/),
  by: identityResponse,
  at: utcInstant,
});
export const personResponse = z.strictObject({
  memberId: z.string(),
  name: z.string(),
  lineFen: z.int().nonnegative(),
  status: z.enum(['awaiting-payment', 'awaiting-transfer', 'awaiting-enrolment', 'enrolled']),
  transfer: transferResponse.optional(),
  enrolment: enrolmentResponse.optional(),
});
export const socialSecurityResponse = z.strictObject({
  householdId: z.string(),
  projectId: z.string(),
  agreementId: z.string(),
  agreementNumber: z.string(),
  caseLabel: z.string(),
  paidInFullAt: utcInstant.optional(),
  persons: z.array(personResponse),
});

export const routes = defineRoutes({
  transfer: { method: 'POST', path: '/households/{householdId}/social-security/{memberId}/transfer', service: 'social-security', summary: '市财政局登记安置人员的被征地农民社会保障补贴资金划转（本户补偿款足额到位后；金额以分计，不少于协议约定，多于约定须说明原因）', action: 'social-security.transfer', auth: 'jwt', params: personParams, body: transferBody, successStatus: 201, response: personResponse },
  enrolment: { method: 'POST', path: '/households/{householdId}/social-security/{memberId}/enrolment', service: 'social-security', summary: '市人社局登记安置人员参加基本养老保险、基本医疗保险（补贴资金划转后；社会保障号码加密保存、脱敏显示）', action: 'social-security.enrol', auth: 'jwt', params: personParams, body: enrolmentBody, successStatus: 201, response: personResponse },
  read: { method: 'GET', path: '/households/{householdId}/social-security', service: 'social-security', summary: '查看本户安置人员的社会保障办理情况（补贴划转、参保登记）', action: 'social-security.read', auth: 'jwt', params: householdParams, response: socialSecurityResponse },
});
