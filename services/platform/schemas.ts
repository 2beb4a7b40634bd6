import * as z from 'zod';
import { holidayYearSchema } from '../../shared/calendar/index.ts';
import { defineRoutes } from '../../shared/http/routes.ts';
import { agencyId, beijingInstant, CLOCK_KINDS, day, pageOf, utcInstant } from '../../shared/http/response-schemas.ts';
import { instant, pageQuery } from '../../shared/http/schemas.ts';
import { ACTION_IDS } from '../../shared/permissions.ts';

export const deadlineQuery = z.strictObject({
  period: z.string().min(1).max(20),
  from: instant,
});

export const yearParams = z.strictObject({ year: z.string().regex(/^\d{4}$/, { error: '年份须为四位数字' }) });

// ---- responses ----

export const openApiResponse = z.strictObject({
  openapi: z.literal('3.1.0'),
  info: z.strictObject({ title: z.string(), version: z.string() }),
  components: z.record(z.string(), z.unknown()),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const healthResponse = z.strictObject({ status: z.literal('ok') });

const dependencyStatus = z.strictObject({ status: z.enum(['up', 'down']), ms: z.number().nonnegative(), error: z.string().optional() });
/** Every dependency answered (otherwise the answer is a 503 naming the ones that did not). */
export const readinessResponse = z.strictObject({
  status: z.literal('ready'),
  checks: z.strictObject({ table: dependencyStatus, evidenceBucket: dependencyStatus, workflow: dependencyStatus }),
});

export const deadlineResponse = z.strictObject({
  period: z.string(),
  from: utcInstant,
  triggerDay: day,
  lastDay: day,
  dueAt: utcInstant,
  dueAtBeijing: beijingInstant,
  explanation: z.strictObject({
    rule: z.string(),
    counted: z.strictObject({
      unit: z.enum(['calendar-day', 'working-day', 'month', 'hour']),
      amount: z.int().positive(),
      from: z.string(),
      to: z.string(),
      adjustedWorkdays: z.array(day).optional(),
    }),
    skipped: z.array(z.strictObject({ date: day, reason: z.enum(['holiday', 'weekend']), name: z.string().optional() })),
    rolledForwardFrom: day.optional(),
  }),
});

export const holidayYearsResponse = z.array(
  z.union([
    z.strictObject({ year: z.int(), source: z.string(), origin: z.literal('built-in') }),
    z.strictObject({ year: z.int(), source: z.string(), updatedAt: z.string(), origin: z.literal('operator') }),
  ]),
);

export const jobParams = z.strictObject({ jobId: z.string().regex(/^[A-Za-z0-9-]{1,80}$/, { error: '任务编号无效' }) });

export const jobResponse = z.strictObject({
  jobId: z.string(),
  kind: z.enum(['reconcile', 'recount']),
  status: z.enum(['running', 'completed', 'failed']),
  reason: z.string(),
  startedAt: utcInstant,
  finishedAt: utcInstant.optional(),
  /** Live deadlines read; deadlines moved; case phases whose workflow was (re)started; phases that could not be watched (alerted). */
  counts: z.strictObject({ processed: z.int(), changed: z.int(), restarted: z.int(), failed: z.int() }),
  pages: z.int(),
  error: z.string().optional(),
});

const dayEntry = z.strictObject({ date: day, name: z.string().optional() });
export const putHolidayYearResponse = z.strictObject({
  year: z.int(),
  holidays: z.array(dayEntry),
  workdays: z.array(dayEntry),
  source: z.string(),
  updatedAt: z.string(),
  /** The recount of open deadlines on the corrected calendar, running: `GET /calendar/jobs/{jobId}` follows it. */
  job: jobResponse,
});

export const overdueResponse = pageOf(
  z.strictObject({
    agency: agencyId,
    jurisdiction: z.string(),
    caseId: z.string(),
    ruleId: z.string(),
    step: z.string(),
    dueAt: utcInstant,
    recordedAt: utcInstant,
    source: z.string(),
  }),
);

/** The caller as the token names it, its agency's actions, and the server's clock. */
export const meResponse = z.strictObject({
  user: z.string(),
  name: z.string().optional(),
  agency: agencyId,
  agencyName: z.string(),
  jurisdiction: z.string(),
  /** The full Chinese name, city first: 永州市冷水滩区梅湾街道. */
  jurisdictionName: z.string(),
  level: z.enum(['city', 'district', 'township']),
  /** Every action the agency's duties include (shared/permissions.ts); the target's jurisdiction is checked on each act. */
  actions: z.array(z.enum(ACTION_IDS)),
  /** The server's clock (virtual on the local cloud): judge "overdue" against it, not the browser's. */
  now: utcInstant,
  nowBeijing: beijingInstant,
});
export const alertsQuery = pageQuery.extend({ since: instant.optional() });

const caseKind = z.enum(['project', 'household', 'incident', 'oversight']);
/** Where the console shows the case: `enforcement` is a household's enforcement chain (the id is the household's). */
const caseLink = z.strictObject({ kind: z.enum(['project', 'household', 'incident', 'oversight', 'enforcement']), id: z.string() });

/** The live deadlines the caller's agency answers for, within its jurisdiction, nearest due first. */
export const myWorkResponse = pageOf(
  z.strictObject({
    caseId: z.string(),
    projectId: z.string().optional(),
    caseKind,
    caseLabel: z.string().optional(),
    link: caseLink,
    jurisdiction: z.string(),
    step: z.string(),
    ruleId: z.string(),
    /** The rule's legal source. */
    source: z.string(),
    period: z.string(),
    clock: z.enum(CLOCK_KINDS),
    lastDay: day,
    dueAt: utcInstant,
    dueBeijing: beijingInstant,
    /** Due by the server's clock. */
    overdue: z.boolean(),
    severity: z.literal('critical').optional(),
  }),
);

/** Overdue alerts addressed to the caller's agency, within its jurisdiction, newest first. */
export const alertsResponse = pageOf(
  z.strictObject({
    id: z.string(),
    at: utcInstant,
    atBeijing: beijingInstant,
    severity: z.enum(['warning', 'critical']),
    /** The responsible agency. */
    agency: agencyId,
    agencies: z.array(agencyId),
    jurisdiction: z.string(),
    caseId: z.string(),
    caseKind,
    projectId: z.string(),
    caseLabel: z.string().optional(),
    link: caseLink,
    ruleId: z.string(),
    step: z.string(),
    period: z.string(),
    lastDay: day,
    dueAt: utcInstant,
    dueBeijing: beijingInstant,
    source: z.string(),
    message: z.string(),
  }),
);

export const routes = defineRoutes({
  openapi: { method: 'GET', path: '/openapi.json', service: 'platform', summary: 'OpenAPI 文档（无需令牌）', auth: 'none', response: openApiResponse },
  health: { method: 'GET', path: '/health', service: 'platform', summary: '存活检查（无需令牌；不访问任何依赖）', auth: 'none', response: healthResponse },
  ready: { method: 'GET', path: '/health/ready', service: 'platform', summary: '就绪检查（无需令牌；检查数据表、证据存储桶与期限工作流，不可用时 503）', auth: 'none', response: readinessResponse },
  me: { method: 'GET', path: '/me', service: 'platform', summary: '当前用户：单位、辖区（中文全称）、本单位可办理的事项及服务器时钟', action: 'identity.read', auth: 'jwt', response: meResponse },
  deadline: { method: 'GET', path: '/calendar/deadline', service: 'platform', summary: '按法定方法计算期限（届满日、届满时刻及计算说明）', action: 'calendar.read', auth: 'jwt', query: deadlineQuery, response: deadlineResponse },
  holidayYears: { method: 'GET', path: '/calendar/years', service: 'platform', summary: '已有节假日数据的年份及来源', action: 'calendar.read', auth: 'jwt', response: holidayYearsResponse },
  putHolidayYear: { method: 'PUT', path: '/calendar/years/{year}', service: 'platform', summary: '新增或更正一年的节假日安排（领导小组办公室，留痕）', action: 'calendar.admin', auth: 'jwt', params: yearParams, body: holidayYearSchema, successStatus: 202, response: putHolidayYearResponse },
  maintenanceJob: { method: 'GET', path: '/calendar/jobs/{jobId}', service: 'platform', summary: '期限维护任务（节假日更正后的重新计算、核对）的进度（领导小组办公室，留痕）', action: 'calendar.admin', auth: 'jwt', params: jobParams, response: jobResponse },
  myWork: { method: 'GET', path: '/my-work', service: 'platform', summary: '本单位待办期限（本辖区内由本单位负责的未办结期限，近者在前，分页）', action: 'inbox.read', auth: 'jwt', query: pageQuery, response: myWorkResponse },
  alerts: { method: 'GET', path: '/alerts', service: 'platform', summary: '本单位收到的逾期提醒（本辖区内，新的在前，分页；since 只取其后的）', action: 'alerts.read', auth: 'jwt', query: alertsQuery, response: alertsResponse },
  overdue: { method: 'GET', path: '/performance/overdue', service: 'platform', summary: '逾期记录（绩效考核；新的在前，分页）', action: 'performance.read', auth: 'jwt', query: pageQuery, response: overdueResponse },
});
