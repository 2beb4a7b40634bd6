import * as z from 'zod';
import { holidayYearSchema } from '../../shared/calendar/index.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { instant, pageQuery } from '../../shared/http/schemas.ts';

export const deadlineQuery = z.strictObject({
  period: z.string().min(1).max(20),
  from: instant,
});

export const yearParams = z.strictObject({ year: z.string().regex(/^\d{4}$/, { error: '年份须为四位数字' }) });

export const routes = defineRoutes({
  openapi: { method: 'GET', path: '/openapi.json', service: 'platform', summary: 'OpenAPI 文档（无需令牌）', auth: 'none' },
  health: { method: 'GET', path: '/health', service: 'platform', summary: '健康检查（无需令牌）', auth: 'none' },
  deadline: { method: 'GET', path: '/calendar/deadline', service: 'platform', summary: '按法定方法计算期限（届满日、届满时刻及计算说明）', action: 'calendar.read', auth: 'jwt', query: deadlineQuery },
  holidayYears: { method: 'GET', path: '/calendar/years', service: 'platform', summary: '已有节假日数据的年份及来源', action: 'calendar.read', auth: 'jwt' },
  putHolidayYear: { method: 'PUT', path: '/calendar/years/{year}', service: 'platform', summary: '新增或更正一年的节假日安排（领导小组办公室，留痕）', action: 'calendar.admin', auth: 'jwt', params: yearParams, body: holidayYearSchema },
  overdue: { method: 'GET', path: '/performance/overdue', service: 'platform', summary: '逾期记录（绩效考核；新的在前，分页）', action: 'performance.read', auth: 'jwt', query: pageQuery },
});
