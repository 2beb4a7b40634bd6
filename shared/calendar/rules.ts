/**
 * The procedure's clocks as data (seed §五, §四(一)): which event starts each clock, how long it
 * runs, what kind of clock it is, who answers for it and who hears when it is missed.
 *
 * The seed is the default. Where national law counts differently the national rule is recorded
 * beside it (`national`), and {@link resolveRule} picks one by data, so a jurisdiction can switch
 * without a code change.
 */
import type { AgencyId } from '../agencies.ts';
import { computeDeadline } from './deadline.ts';
import type { Deadline } from './deadline.ts';
import { InvalidPeriodError } from './errors.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';
import type { Instant } from './instant.ts';

/**
 * - `waiting-period`: "no earlier than" — the gated step is refused before the period ends.
 * - `agency-deadline`: "no later than" — when it passes unfinished, an overdue alert goes out.
 * - `public-window`: the time the public has to act (e.g. to register); late = rights waived.
 */
export type ClockKind = 'waiting-period' | 'agency-deadline' | 'public-window';

/** Agencies, plus the joint meeting (convened by the leading group office, seed §四(一)). */
export type EscalationTarget = AgencyId | 'joint-meeting';

/** The registration window's length is written into each notice, not into the rules. */
export const SET_BY_NOTICE = 'set-by-notice';

export interface ClockEvent {
  /** Stable kebab-case id of the event the workflows record. */
  id: string;
  zh: string;
  en: string;
}

/** A period under national law, where it differs from the seed. */
export interface NationalVariant {
  period: string;
  source: string;
  note: string;
}

export interface DeadlineRule {
  id: RuleId;
  step: { zh: string; en: string };
  /** One line, Chinese. */
  descriptionZh: string;
  startsOn: ClockEvent;
  /** A period text (`45d`, `7wd`, `3mo`, `2h`), or {@link SET_BY_NOTICE}. */
  period: string;
  clock: ClockKind;
  responsible: AgencyId;
  coResponsible?: AgencyId[];
  escalateTo: EscalationTarget[];
  /** For waiting periods: the step (rule id) that is refused before the period ends. */
  gates?: RuleId;
  /** Legal source: document and article/section. */
  source: string;
  note?: string;
  national?: NationalVariant;
}

export type RuleVariant = 'seed' | 'national';

/** A rule with one variant applied; `national` is folded in. */
export type ResolvedRule = Omit<DeadlineRule, 'national'> & { variant: RuleVariant };

export const RULE_IDS = [
  'notice-posting',
  'registration-window',
  'implementation-plan',
  'compensation-payment',
  'compensation-notification',
  'compensation-decision',
  'vacating-notice',
  'vacating-decision',
  'performance-reminder',
  'court-application',
  'court-application-deadline',
  'emergency-on-site',
  'joint-meeting',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const SEED = '永州市征地拆迁联动机制实施方案';
const ACL = '《中华人民共和国行政强制法》';
const ALL = '《中华人民共和国行政诉讼法》';
const ARL = '《中华人民共和国行政复议法》';
const ACL_ART_69 = `${ACL}第六十九条`;
const ACL_69_NOTE = '行政强制法第六十九条：本法中十日以内期限的规定是指工作日，不含法定节假日';
const NOTICE_RULES = '《征收土地公告办法》（国土资源部令第49号修正）';

export const RULES: Readonly<Record<RuleId, DeadlineRule>> = {
  'notice-posting': {
    id: 'notice-posting',
    step: { zh: '张贴征收土地通告并拍照留存', en: 'Post the notice in the village group, with photo evidence' },
    descriptionZh: '征收土地通告发布后，乡镇、街道应在10个工作日内于每个被征收村民小组醒目位置张贴并拍照留存',
    startsOn: { id: 'notice-published', zh: '征收土地通告发布', en: 'land expropriation notice published' },
    period: '10wd',
    clock: 'agency-deadline',
    responsible: 'township',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §五(一)1、§三(三)；${NOTICE_RULES}第三条、第四条、第十四条`,
    note:
      '实施方案未规定张贴期限，依公告办法：市、县人民政府应当自收到征收土地方案批准文件之日起10个工作日内进行征收土地公告（第四条），' +
      '在被征收土地所在地的村、组内以书面形式公告（第三条）；本系统自通告发布时起算（不早于收到批准文件）。' +
      '未依法公告的，权利人有权拒绝办理征地补偿登记（第十四条），故每个村民小组的登记期限自该组经核验的张贴起算。按村民小组分别计时',
    national: {
      period: '15wd',
      source: '《中华人民共和国土地管理法实施条例》（2021年）第三十一条',
      note: '县级以上地方人民政府应当自收到批准文件之日起15个工作日内在拟征收土地所在的乡（镇）和村、村民小组范围内发布征收土地公告；本系统自通告发布时起算',
    },
  },
  'registration-window': {
    id: 'registration-window',
    step: { zh: '办理征地补偿登记', en: 'Compensation registration' },
    descriptionZh: '权利人应在征收土地通告规定的期限内办理补偿登记，逾期视为放弃补偿权利；期限自通告在本村民小组张贴之日起算',
    startsOn: { id: 'notice-posted', zh: '征收土地通告在村民小组张贴（证据经核验）', en: 'notice posted in the village group (evidence verified)' },
    period: SET_BY_NOTICE,
    clock: 'public-window',
    responsible: 'land-bureau',
    coResponsible: ['township'],
    escalateTo: ['leading-group-office'],
    source: `${SEED} §五(一)2；${NOTICE_RULES}第三条、第六条、第十四条`,
    note: '期限由通告规定，按村民小组分别自该组张贴之日起算（未张贴的村民小组不视为放弃）；乡镇、街道协助登记（§三(三)）',
  },
  'implementation-plan': {
    id: 'implementation-plan',
    step: { zh: '发布征地补偿安置实施方案', en: 'Publish the compensation and resettlement implementation plan' },
    descriptionZh: '自征收土地通告发布之日起45日内发布征地补偿安置实施方案',
    startsOn: { id: 'notice-published', zh: '征收土地通告发布', en: 'land expropriation notice published' },
    period: '45d',
    clock: 'agency-deadline',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §五(一)3`,
    note: '2019年修正的《中华人民共和国土地管理法》第四十七条改为报批前公告补偿安置方案至少三十日，程序顺序不同',
  },
  'compensation-payment': {
    id: 'compensation-payment',
    step: { zh: '足额支付征地补偿款', en: 'Pay compensation in full' },
    descriptionZh: '征收土地协议签订后3个月内足额支付征地补偿款',
    startsOn: { id: 'agreement-signed', zh: '征收土地协议签订', en: 'expropriation agreement signed' },
    period: '3mo',
    clock: 'agency-deadline',
    responsible: 'land-bureau',
    coResponsible: ['finance', 'investment-group'],
    // Finance disburses: an unpaid household is its business too, whoever is counted for the miss.
    escalateTo: ['finance', 'leading-group-office'],
    source: `${SEED} §五(一)4；§三(八)、§三(十五)`,
    note: '财政局拨付资金，城投、经投集团及时足额缴存征地拆迁专户',
  },
  'compensation-notification': {
    id: 'compensation-notification',
    step: { zh: '下达补偿告知书', en: 'Compensation notification' },
    descriptionZh: '补偿告知书送达后给予被征收人7个工作日，期满前不得作出补偿决定',
    startsOn: { id: 'compensation-notification-served', zh: '补偿告知书送达', en: 'compensation notification served' },
    period: '7wd',
    clock: 'waiting-period',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    gates: 'compensation-decision',
    source: `${SEED} §五(一)5`,
  },
  'compensation-decision': {
    id: 'compensation-decision',
    step: { zh: '作出补偿决定书', en: 'Compensation decision' },
    descriptionZh: '补偿告知期满后10日内作出补偿决定书',
    startsOn: { id: 'compensation-notification-expired', zh: '补偿告知期限届满', en: 'compensation notification period expired' },
    period: '10d',
    clock: 'agency-deadline',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §五(一)5`,
    note: '自补偿告知期限届满之日起算（以 expiryInstant(告知期限) 为起算时刻）',
    national: { period: '10wd', source: ACL_ART_69, note: ACL_69_NOTE },
  },
  'vacating-notice': {
    id: 'vacating-notice',
    step: { zh: '下达限期腾地通知书', en: 'Vacating-deadline notice' },
    descriptionZh: '限期腾地通知书送达后给予7个工作日，期满前不得作出限期腾地决定',
    startsOn: { id: 'vacating-notice-served', zh: '限期腾地通知书送达', en: 'vacating-deadline notice served' },
    period: '7wd',
    clock: 'waiting-period',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    gates: 'vacating-decision',
    source: `${SEED} §五(一)5`,
  },
  'vacating-decision': {
    id: 'vacating-decision',
    step: { zh: '作出限期腾地决定书', en: 'Vacating-deadline decision' },
    descriptionZh: '限期腾地通知期满后10日内作出限期腾地决定书',
    startsOn: { id: 'vacating-notice-expired', zh: '限期腾地通知期限届满', en: 'vacating-deadline notice period expired' },
    period: '10d',
    clock: 'agency-deadline',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §五(一)5`,
    note: '自限期腾地通知期限届满之日起算（以 expiryInstant(通知期限) 为起算时刻）',
    national: { period: '10wd', source: ACL_ART_69, note: ACL_69_NOTE },
  },
  'performance-reminder': {
    id: 'performance-reminder',
    step: { zh: '下达履行行政决定催告书', en: 'Reminder to perform the decision' },
    descriptionZh: '限期腾地决定送达6个月后（起诉期限届满）方可催告当事人履行',
    startsOn: { id: 'vacating-decision-served', zh: '限期腾地决定书送达', en: 'vacating-deadline decision served' },
    period: '6mo',
    clock: 'waiting-period',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    gates: 'performance-reminder',
    source: `${SEED} §五(一)5；${ALL}第四十六条`,
    note: `起诉期限六个月，自知道或者应当知道作出行政行为之日起计算（${ALL}第四十六条）；复议期限六十日（${ARL}第二十条）；当事人申请复议或者起诉的，期限另计`,
  },
  'court-application': {
    id: 'court-application',
    step: { zh: '申请人民法院强制执行', en: 'Apply to the court for enforcement' },
    descriptionZh: '催告书送达10日后当事人仍未履行的，方可申请人民法院强制执行',
    startsOn: { id: 'reminder-served', zh: '催告书送达', en: 'reminder served' },
    period: '10d',
    clock: 'waiting-period',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    gates: 'court-application',
    source: `${ACL}第五十四条；${SEED} §五(一)5`,
    note: '实施方案未规定期限，依国家法律；"送达十日后"不属第六十九条所称"十日以内"，按日历日计算',
  },
  'court-application-deadline': {
    id: 'court-application-deadline',
    step: { zh: '申请人民法院强制执行（最迟期限）', en: 'Apply to the court for enforcement (latest date)' },
    descriptionZh: '复议、起诉期限届满之日起3个月内申请人民法院强制执行',
    startsOn: { id: 'litigation-period-expired', zh: '复议、起诉期限届满', en: 'reconsideration and litigation periods expired' },
    period: '3mo',
    clock: 'agency-deadline',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${ACL}第五十三条`,
    note: '实施方案未规定期限，依国家法律；自起诉期限届满之日起算（以 expiryInstant(起诉期限) 为起算时刻）',
  },
  'emergency-on-site': {
    id: 'emergency-on-site',
    step: { zh: '较大突发事件区主要负责人到场处置', en: 'District principal leaders on site for a larger incident' },
    descriptionZh: '较大突发事件发生后，区政府（管委会）主要负责人2小时内必须赶赴现场处置',
    startsOn: { id: 'larger-incident-reported', zh: '较大突发事件报告', en: 'larger incident reported' },
    period: '2h',
    clock: 'agency-deadline',
    responsible: 'district-government',
    escalateTo: ['leading-group-office', 'joint-meeting'],
    source: `${SEED} §五(三)`,
    note: '重大事件由领导小组召开联席会议研究解决',
  },
  'joint-meeting': {
    id: 'joint-meeting',
    step: { zh: '召开征地拆迁联席会议', en: 'Hold the joint meeting' },
    descriptionZh: '联席会议原则上每月召开一次，遇特殊、紧急情况随时召开',
    startsOn: { id: 'joint-meeting-held', zh: '上次联席会议召开', en: 'previous joint meeting held' },
    period: '1mo',
    clock: 'agency-deadline',
    responsible: 'leading-group-office',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §四(一)`,
  },
};

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** The rule with the seed's period or national law's applied. `rules` lets a deployment supply its own table. */
export function resolveRule(
  ruleId: RuleId,
  variant: RuleVariant = 'seed',
  rules: Readonly<Record<RuleId, DeadlineRule>> = RULES,
): ResolvedRule {
  const { national, ...base } = rules[ruleId];
  if (variant === 'national' && national) {
    return { ...base, period: national.period, source: national.source, note: national.note, variant };
  }
  return { ...base, variant };
}

export interface RuleDeadlineOptions {
  variant?: RuleVariant;
  /** The period the notice sets, required for rules whose period is {@link SET_BY_NOTICE}. */
  noticePeriod?: string;
  rules?: Readonly<Record<RuleId, DeadlineRule>>;
}

/** Resolves a rule and computes its deadline from the instant its starting event happened. */
export function computeRuleDeadline(
  ruleId: RuleId,
  from: Instant,
  calendar: HolidayCalendar,
  options: RuleDeadlineOptions = {},
): { rule: ResolvedRule; deadline: Deadline } {
  const rule = resolveRule(ruleId, options.variant, options.rules);
  const period = rule.period === SET_BY_NOTICE ? options.noticePeriod : rule.period;
  if (period === undefined) throw new InvalidPeriodError(period, `${ruleId}: 期限由通告规定，须提供 / set by the notice, give noticePeriod`);
  return { rule, deadline: computeDeadline(period, from, calendar) };
}
