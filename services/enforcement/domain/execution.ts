import { beijingDate, formatBeijing, type HolidayCalendar } from '../../../shared/calendar/index.ts';
import { ConflictError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { EnforcementChain, JointActionPlan, PlanMeasure } from './chain.ts';
import { instrumentOf } from './chain.ts';
import { laterOf, periodEnds, remedyPeriodsEnd } from './clocks.ts';

/**
 * The joint action (§四(二)) and the execution. Whatever the plan says, the law limits it
 * (ACL art. 43): no execution at night or on a statutory rest day unless an emergency is recorded,
 * and no cutting of water, power, heating or gas to force the household out.
 */

/** 夜间: 22:00 to 06:00 (噪声污染防治法第八十八条 defines the night so; ACL art. 43 does not). */
const DAY_STARTS_HOUR = 6;
const NIGHT_STARTS_HOUR = 22;

const FORBIDDEN_MEASURES: Partial<Record<PlanMeasure, string>> = {
  'cut-water': '停止供水',
  'cut-power': '停止供电',
  'cut-heating': '停止供热',
  'cut-gas': '停止供燃气',
};

function beijingHour(at: Date): number {
  return (at.getUTCHours() + 8) % 24 + at.getUTCMinutes() / 60;
}

/**
 * Why `at` is not a lawful time for execution, or undefined. Rest days are the calendar's (weekends
 * and holidays, but not adjusted working days): the law says 法定节假日, read to include the weekly rest days.
 */
export function unlawfulTime(at: Date, calendar: HolidayCalendar): string | undefined {
  const hour = beijingHour(at);
  if (hour < DAY_STARTS_HOUR || hour >= NIGHT_STARTS_HOUR) return `${formatBeijing(at)}属夜间（22时至次日6时）`;
  const day = beijingDate(at);
  if (!calendar.isWorkingDay(day)) return `${day}是法定节假日或休息日`;
  return undefined;
}

/** When an illegal building may be demolished by force: its notice's period and the remedy periods on its decision have all run out. */
export function demolitionAllowedFrom(chain: EnforcementChain, calendar: HolidayCalendar): string | undefined {
  const decision = instrumentOf(chain, 'demolition-decision');
  const notice = instrumentOf(chain, 'demolition-notice');
  if (!notice?.service || !notice.terms.performWithin) return undefined;
  const remedies = remedyPeriodsEnd(chain, decision, calendar);
  if (!remedies) return undefined;
  const noticeEnds = periodEnds('forced-demolition', notice.service.effectiveAt, chain, calendar, notice.terms.performWithin);
  return laterOf(noticeEnds, remedies);
}

/** What must stand before execution may be planned: an enforcement ruling, or for an illegal building the periods run out. */
function executableFrom(chain: EnforcementChain, calendar: HolidayCalendar): string {
  if (chain.status !== 'active') {
    throw chain.status === 'ended'
      ? new ConflictError('enforcement.chain-ended', '强制执行程序已终结', {})
      : new RuleViolationError('enforcement.suspended', '有未决的行政复议或行政诉讼，程序中止，不能实施强制执行', {});
  }
  if (chain.kind === 'vacating') {
    const ruling = chain.court?.ruling;
    if (!ruling?.enforce) throw new RuleViolationError('enforcement.no-enforcement-ruling', '人民法院尚未作出准予执行的裁定，不能组织强制执行', {});
    return ruling.at;
  }
  const from = demolitionAllowedFrom(chain, calendar);
  if (!from) throw new RuleViolationError('enforcement.demolition-not-due', '限期拆除公告尚未张贴，或复议、起诉期限尚不能确定，不能强制拆除', {});
  return from;
}

export interface PlanInput {
  plannedFor: Date;
  participants: JointActionPlan['participants'];
  measures: PlanMeasure[];
  emergency?: { reason: string };
}

export function planJointAction(chain: EnforcementChain, input: PlanInput, actor: Identity, now: Date, calendar: HolidayCalendar): EnforcementChain {
  const from = executableFrom(chain, calendar);
  if (chain.execution) throw new ConflictError('enforcement.executed', '已实施强制执行', {});
  const forbidden = input.measures.filter((m) => FORBIDDEN_MEASURES[m]).map((m) => FORBIDDEN_MEASURES[m]);
  if (forbidden.length > 0) {
    throw new RuleViolationError('enforcement.utilities-cut-forbidden', `不得采取${forbidden.join('、')}等方式迫使当事人履行（行政强制法第四十三条第二款）`, { measures: input.measures });
  }
  if (input.plannedFor.getTime() < Date.parse(from)) {
    throw new RuleViolationError('enforcement.waiting-period', `须待${formatBeijing(from)}（北京时间）后方可实施`, { allowedFrom: from });
  }
  if (input.plannedFor.getTime() < now.getTime()) throw new ValidationError('enforcement.planned-in-past', '行动时间不能早于当前时间', {});
  const unlawful = input.emergency ? undefined : unlawfulTime(input.plannedFor, calendar);
  if (unlawful) {
    throw new RuleViolationError('enforcement.night-or-holiday', `${unlawful}，不得实施强制执行；情况紧急的须登记紧急情况（行政强制法第四十三条第一款）`, { plannedFor: input.plannedFor.toISOString() });
  }
  const plan: JointActionPlan = { plannedFor: input.plannedFor.toISOString(), participants: input.participants, measures: input.measures, ...(input.emergency ? { emergency: input.emergency } : {}), plannedBy: actor, plannedAt: now.toISOString() };
  return { ...chain, jointAction: plan, updatedAt: now.toISOString() };
}

export interface ExecutionInput {
  startedAt: Date;
  endedAt: Date;
  summary: string;
}

export function recordExecution(chain: EnforcementChain, input: ExecutionInput, evidence: EvidenceRecord[], actor: Identity, now: Date, calendar: HolidayCalendar): EnforcementChain {
  const from = executableFrom(chain, calendar);
  const plan = chain.jointAction;
  if (!plan) throw new RuleViolationError('enforcement.no-plan', '领导小组尚未制定联合行动方案', {});
  if (chain.execution) throw new ConflictError('enforcement.executed', '强制执行已登记', {});
  if (input.endedAt < input.startedAt || input.endedAt.getTime() > now.getTime()) throw new ValidationError('enforcement.execution-instants', '结束时间不能早于开始时间，也不能晚于当前时间', {});
  if (input.startedAt.getTime() < Date.parse(from)) throw new RuleViolationError('enforcement.waiting-period', `须待${formatBeijing(from)}（北京时间）后方可实施`, { allowedFrom: from });
  if (!plan.emergency) {
    const unlawful = unlawfulTime(input.startedAt, calendar) ?? unlawfulTime(new Date(input.endedAt.getTime() - 1), calendar);
    if (unlawful || beijingDate(input.startedAt) !== beijingDate(new Date(input.endedAt.getTime() - 1))) {
      throw new RuleViolationError('enforcement.night-or-holiday', `${unlawful ?? '执行跨越夜间'}，不得实施强制执行（行政强制法第四十三条第一款）`, {});
    }
  }
  if (!evidence.some((e) => e.contentType.startsWith('video/'))) {
    throw new ValidationError('enforcement.execution-video-required', '须上传执行全过程的视频', {});
  }
  const execution = { startedAt: input.startedAt.toISOString(), endedAt: input.endedAt.toISOString(), summary: input.summary, evidence, recordedBy: actor, recordedAt: now.toISOString() };
  return { ...chain, execution, updatedAt: now.toISOString() };
}

/** The land is handed over after execution: the case closes. */
export function recordForcedHandover(chain: EnforcementChain, input: { at: Date }, evidence: EvidenceRecord[], actor: Identity, now: Date): EnforcementChain {
  if (chain.status === 'ended') throw new ConflictError('enforcement.chain-ended', '强制执行程序已终结', {});
  if (!chain.execution) throw new RuleViolationError('enforcement.not-executed', '尚未实施强制执行', {});
  if (input.at.getTime() < Date.parse(chain.execution.endedAt) || input.at.getTime() > now.getTime()) throw new ValidationError('enforcement.handover-at', '交地时间应在执行结束之后、当前时间之前', {});
  if (evidence.length === 0) throw new ValidationError('enforcement.handover-evidence-required', '须上传交地现场影像', {});
  const at = now.toISOString();
  return {
    ...chain,
    handover: { at: input.at.toISOString(), evidence, recordedBy: actor, recordedAt: at },
    status: 'ended',
    ended: { reason: 'executed', at, by: actor, note: `已于${formatBeijing(chain.execution.endedAt)}执行完毕并交地` },
    updatedAt: at,
  };
}
