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
/** A joint meeting's resolution (or a supervision assignment) sets its own period when it is made. */
export const SET_BY_DECISION = 'set-by-decision';
/** A duty per Beijing calendar month: due at 24:00 of the month's last day, whatever day that is. */
export const EACH_CALENDAR_MONTH = 'each-calendar-month';
/** Periods the rule table does not fix as a period text. */
export const PERIODS_NOT_FIXED: readonly string[] = [SET_BY_NOTICE, SET_BY_DECISION, EACH_CALENDAR_MONTH];

export interface ClockEvent {
  /** Stable kebab-case id of the event the workflows record. */
  id: string;
  zh: string;
  en: string;
}

/** A period (and, where the law names another, the agency) under national law, where it differs from the seed. */
export interface NationalVariant {
  period: string;
  source: string;
  note: string;
  /** Who acts under national law, where it is not the seed's agency (the decisions of the chain). */
  responsible?: AgencyId;
}

export interface DeadlineRule {
  id: RuleId;
  step: { zh: string; en: string };
  /** One line, Chinese. */
  descriptionZh: string;
  startsOn: ClockEvent;
  /** A period text (`45d`, `7wd`, `3mo`, `2h`), or {@link SET_BY_NOTICE}, {@link SET_BY_DECISION}, {@link EACH_CALENDAR_MONTH}. */
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
  /**
   * `false` for an agency the city does not assess (the courts): a miss is shown and alerted to
   * the leading group office but recorded against no one's performance.
   */
  assessed?: false;
  /** `critical` for a miss that needs action within hours (the 2-hour rule); otherwise a miss is a warning. */
  alertSeverity?: 'critical';
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
  'reconsideration-period',
  'reconsideration-period-unstated',
  'litigation-period',
  'litigation-period-unstated',
  'litigation-after-reconsideration',
  'court-acceptance',
  'court-refusal-review',
  'higher-court-review',
  'court-ruling',
  'court-ruling-after-hearing',
  'court-emergency-execution',
  'forced-demolition',
  'public-notice-service',
  'emergency-on-site',
  'joint-meeting',
  'resolution',
  'supervision-assignment',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const SEED = '永州市征地拆迁联动机制实施方案';
const ACL = '《中华人民共和国行政强制法》';
const ALL = '《中华人民共和国行政诉讼法》';
const ARL = '《中华人民共和国行政复议法》';
const ACL_ART_69 = `${ACL}第六十九条`;
const ACL_69_NOTE = '行政强制法第六十九条：本法中十日以内期限的规定是指工作日，不含法定节假日';
const NOTICE_RULES = '《征收土地公告办法》（国土资源部令第49号修正）';
const REGULATIONS = '《中华人民共和国土地管理法实施条例》（2021年）';
const ALL_INTERPRETATION = '《最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释》（法释〔2018〕1号）';
const COURT_NOTE = '法院不属本市考核对象：逾期只提示领导小组办公室，不计入绩效';
/** Under national law the agency that decided reminds and applies to the court (ACL arts. 53–54): the district government. */
const DECIDER_ACTS = (period: string, source: string, note: string) => ({
  period,
  responsible: 'district-government' as const,
  source: `${source}；${REGULATIONS}第六十二条`,
  note: `${note}；国家法律下由作出决定的区人民政府催告并申请强制执行（行政强制法第五十三条、第五十四条）`,
});
/** Under national law the district government decides (2021 Regulations arts. 31, 62), within 10 working days (ACL art. 69). */
const DISTRICT_DECIDES = (what: string) => ({
  period: '10wd',
  responsible: 'district-government' as const,
  source: `${REGULATIONS}第三十一条、第六十二条；${ACL_ART_69}`,
  note: `${what}由县级以上地方人民政府（本市为区人民政府，经授权的为经开区管委会）作出；${ACL_69_NOTE}`,
});

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
    note: '实施方案由市国土资源局拟定、作出；自补偿告知期限届满之日起算（以 expiryInstant(告知期限) 为起算时刻）',
    national: DISTRICT_DECIDES('征地补偿决定'),
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
    note: '实施方案由市国土资源局拟定、作出；自限期腾地通知期限届满之日起算（以 expiryInstant(通知期限) 为起算时刻）',
    national: DISTRICT_DECIDES('责令交出土地决定'),
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
    note:
      `不早于决定送达后6个月，且不早于实际适用的复议、起诉期限届满：起诉期限六个月（${ALL}第四十六条），未告知诉权的最长一年（${ALL_INTERPRETATION}第六十四条），` +
      `经复议的自收到复议决定书之日起十五日（${ALL}第四十五条）；复议或诉讼未决期间程序中止；复议、诉讼已有结果的，以实际适用的期限届满为准（实施方案的6个月即起诉期限，不得使申请超过行政强制法第五十三条的三个月）`,
    national: DECIDER_ACTS('6mo', `${SEED} §五(一)5；${ALL}第四十六条`, '起诉期限届满后方可催告'),
  },
  'court-application': {
    id: 'court-application',
    step: { zh: '申请人民法院强制执行', en: 'Apply to the court for enforcement' },
    descriptionZh: '催告书送达10个工作日后当事人仍未履行的，方可申请人民法院强制执行；当事人的陈述、申辩须经记录和复核',
    startsOn: { id: 'reminder-served', zh: '催告书送达', en: 'reminder served' },
    period: '10wd',
    clock: 'waiting-period',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    gates: 'court-application',
    source: `${ACL}第三十五条至第三十七条、第五十四条、第六十九条；${SEED} §五(一)5`,
    note: '实施方案未规定期限，依国家法律；十日以内的期限按工作日计算（第六十九条），且不早于催告书确定的履行期限届满；向不动产所在地有管辖权的人民法院申请（第五十四条）',
    national: DECIDER_ACTS('10wd', `${ACL}第三十五条至第三十七条、第五十四条、第六十九条；${SEED} §五(一)5`, '催告书送达10个工作日后方可申请'),
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
    source: `${ACL}第五十三条；${ALL_INTERPRETATION}第一百五十六条`,
    note: '实施方案未规定期限，依国家法律；自实际适用的起诉期限届满之日起算（以 expiryInstant(起诉期限) 为起算时刻）',
    national: DECIDER_ACTS('3mo', `${ACL}第五十三条；${ALL_INTERPRETATION}第一百五十六条`, '复议、起诉期限届满之日起三个月内申请'),
  },
  'reconsideration-period': {
    id: 'reconsideration-period',
    step: { zh: '申请行政复议', en: 'Apply for administrative reconsideration' },
    descriptionZh: '被征收人可以自知道该行政行为之日起六十日内申请行政复议；期间届满未申请的，不再中止程序',
    startsOn: { id: 'decision-served', zh: '决定书送达（已告知复议权利）', en: 'decision served (right to reconsideration stated)' },
    period: '60d',
    clock: 'public-window',
    responsible: 'legal-affairs-office',
    coResponsible: ['land-bureau'],
    escalateTo: ['leading-group-office'],
    source: `${ARL}（2023年修订）第二十条第一款；${SEED} §三(十三)`,
    note: '实施方案未规定期限，依国家法律；法制办协调复议案件，国土资源局应诉（§三(一)）',
  },
  'reconsideration-period-unstated': {
    id: 'reconsideration-period-unstated',
    step: { zh: '申请行政复议（未告知复议权利）', en: 'Apply for reconsideration (right not stated)' },
    descriptionZh: '行政机关未告知复议权利、复议机关和申请期限的，申请期限最长不超过自知道行政行为内容之日起一年',
    startsOn: { id: 'decision-served-unstated', zh: '决定书送达（未告知复议权利）', en: 'decision served (right not stated)' },
    period: '12mo',
    clock: 'public-window',
    responsible: 'legal-affairs-office',
    escalateTo: ['leading-group-office'],
    source: `${ARL}（2023年修订）第二十条第三款`,
    note: '以送达时实际告知的内容为准；本系统生成的决定书均载明复议、诉讼权利，按其他方式送达未载明的，须如实登记',
  },
  'litigation-period': {
    id: 'litigation-period',
    step: { zh: '提起行政诉讼', en: 'Bring an administrative lawsuit' },
    descriptionZh: '被征收人可以自知道或者应当知道作出行政行为之日起六个月内提起行政诉讼',
    startsOn: { id: 'decision-served', zh: '决定书送达（已告知诉权）', en: 'decision served (right to sue stated)' },
    period: '6mo',
    clock: 'public-window',
    responsible: 'land-bureau',
    coResponsible: ['legal-affairs-office'],
    escalateTo: ['leading-group-office'],
    source: `${ALL}第四十六条`,
    note: '国土资源局应诉（§三(一)），法制办协调（§三(十三)）',
  },
  'litigation-period-unstated': {
    id: 'litigation-period-unstated',
    step: { zh: '提起行政诉讼（未告知诉权）', en: 'Bring a lawsuit (right not stated)' },
    descriptionZh: '行政机关未告知起诉期限的，起诉期限自知道或者应当知道起诉期限之日起计算，但最长不超过一年',
    startsOn: { id: 'decision-served-unstated', zh: '决定书送达（未告知诉权）', en: 'decision served (right not stated)' },
    period: '12mo',
    clock: 'public-window',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${ALL_INTERPRETATION}第六十四条`,
  },
  'litigation-after-reconsideration': {
    id: 'litigation-after-reconsideration',
    step: { zh: '不服复议决定提起行政诉讼', en: 'Sue after the reconsideration decision' },
    descriptionZh: '不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼',
    startsOn: { id: 'reconsideration-decision-served', zh: '复议决定书送达', en: 'reconsideration decision served' },
    period: '15d',
    clock: 'public-window',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${ALL}第四十五条`,
  },
  'court-acceptance': {
    id: 'court-acceptance',
    step: { zh: '人民法院裁定是否受理强制执行申请', en: 'Court decides whether to accept the application' },
    descriptionZh: '人民法院接到行政机关强制执行的申请，应当在五日内受理（五日按工作日计算）',
    startsOn: { id: 'court-application-filed', zh: '强制执行申请提交法院', en: 'application filed with the court' },
    period: '5wd',
    clock: 'agency-deadline',
    responsible: 'basic-court',
    escalateTo: ['leading-group-office'],
    assessed: false,
    source: `${ACL}第五十六条、第六十九条；${SEED} §三(六)`,
    note: `由实际受理申请的法院承担；${COURT_NOTE}`,
  },
  'court-refusal-review': {
    id: 'court-refusal-review',
    step: { zh: '对不予受理裁定向上一级人民法院申请复议', en: 'Ask the higher court to review a refusal to accept' },
    descriptionZh: '行政机关对人民法院不予受理的裁定有异议的，可以在十五日内向上一级人民法院申请复议',
    startsOn: { id: 'court-refusal-served', zh: '不予受理裁定送达', en: 'refusal to accept served' },
    period: '15d',
    clock: 'public-window',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `${ACL}第五十六条第二款`,
    note: '期间届满未申请复议的，不予受理裁定生效',
  },
  'higher-court-review': {
    id: 'higher-court-review',
    step: { zh: '上一级人民法院对复议申请作出是否受理的裁定', en: 'Higher court rules on the review' },
    descriptionZh: '上一级人民法院应当自收到复议申请之日起十五日内作出是否受理的裁定',
    startsOn: { id: 'court-review-filed', zh: '复议申请提交上一级法院', en: 'review filed with the higher court' },
    period: '15d',
    clock: 'agency-deadline',
    responsible: 'intermediate-court',
    escalateTo: ['leading-group-office'],
    assessed: false,
    source: `${ACL}第五十六条第二款`,
    note: COURT_NOTE,
  },
  'court-ruling': {
    id: 'court-ruling',
    step: { zh: '人民法院作出是否准予执行的裁定（书面审查）', en: 'Court rules on enforcement (written review)' },
    descriptionZh: '人民法院对行政机关强制执行的申请进行书面审查，应当自受理之日起七日内作出执行裁定（七日按工作日计算）',
    startsOn: { id: 'court-application-accepted', zh: '法院受理强制执行申请', en: 'application accepted' },
    period: '7wd',
    clock: 'agency-deadline',
    responsible: 'basic-court',
    escalateTo: ['leading-group-office'],
    assessed: false,
    source: `${ACL}第五十七条、第六十九条`,
    note: COURT_NOTE,
  },
  'court-ruling-after-hearing': {
    id: 'court-ruling-after-hearing',
    step: { zh: '人民法院听取意见后作出是否执行的裁定', en: 'Court rules after hearing both sides' },
    descriptionZh: '人民法院认为申请存在明显违法等情形，听取被执行人和行政机关意见的，应当自受理之日起三十日内作出是否执行的裁定',
    startsOn: { id: 'court-application-accepted', zh: '法院受理强制执行申请', en: 'application accepted' },
    period: '30d',
    clock: 'agency-deadline',
    responsible: 'basic-court',
    escalateTo: ['leading-group-office'],
    assessed: false,
    source: `${ACL}第五十八条`,
    note: `法院登记听取意见后以本期限代替七日期限；${COURT_NOTE}`,
  },
  'court-emergency-execution': {
    id: 'court-emergency-execution',
    step: { zh: '情况紧急时人民法院立即执行', en: 'Emergency execution by the court' },
    descriptionZh: '因情况紧急申请立即执行，经人民法院院长批准的，人民法院应当自作出执行裁定之日起五日内执行（五日按工作日计算）',
    startsOn: { id: 'emergency-ruling-made', zh: '紧急执行裁定作出', en: 'emergency execution ruling made' },
    period: '5wd',
    clock: 'agency-deadline',
    responsible: 'basic-court',
    escalateTo: ['leading-group-office'],
    assessed: false,
    source: `${ACL}第五十九条、第六十九条`,
    note: COURT_NOTE,
  },
  'forced-demolition': {
    id: 'forced-demolition',
    step: { zh: '强制拆除违法建筑', en: 'Forced demolition of an illegal building' },
    descriptionZh: '违法建筑经公告限期自行拆除，期限届满且当事人在法定期限内未申请复议、未起诉又不自行拆除的，方可强制拆除',
    startsOn: { id: 'demolition-notice-posted', zh: '限期拆除公告张贴', en: 'demolition notice posted' },
    period: SET_BY_NOTICE,
    clock: 'waiting-period',
    responsible: 'urban-management',
    coResponsible: ['housing-construction'],
    escalateTo: ['leading-group-office'],
    gates: 'forced-demolition',
    source: `${ACL}第四十四条；《中华人民共和国城乡规划法》第六十八条；${SEED} §三(九)(十)`,
    note: '不经法院；公告期限与复议（六十日）、起诉（六个月）期限均届满后方可强制拆除，复议、诉讼未决期间不得拆除',
  },
  'public-notice-service': {
    id: 'public-notice-service',
    step: { zh: '公告送达视为送达', en: 'Service by public notice takes effect' },
    descriptionZh: '受送达人下落不明或者用其他方式无法送达的，公告送达，自发出公告之日起经过三十日即视为送达；期间自视为送达之日起算',
    startsOn: { id: 'service-notice-published', zh: '送达公告发出', en: 'service notice published' },
    period: '30d',
    clock: 'public-window',
    responsible: 'land-bureau',
    escalateTo: ['leading-group-office'],
    source: `《中华人民共和国民事诉讼法》（2023年修正）第九十五条；${ACL}第三十八条`,
    note: '催告书、行政强制执行决定书应当直接送达，拒收或无法直接送达的依民事诉讼法送达（行政强制法第三十八条）',
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
    note: '按小时计算，不因夜间、节假日顺延；重大事件由领导小组召开联席会议研究解决，区主要负责人同样须2小时内到场',
    alertSeverity: 'critical',
  },
  'joint-meeting': {
    id: 'joint-meeting',
    step: { zh: '召开征地拆迁联席会议', en: 'Hold the joint meeting' },
    descriptionZh: '联席会议原则上每月召开一次（每个自然月至少一次），遇特殊、紧急情况随时召开',
    startsOn: { id: 'calendar-month-began', zh: '自然月开始', en: 'calendar month began' },
    period: EACH_CALENDAR_MONTH,
    clock: 'agency-deadline',
    responsible: 'leading-group-office',
    escalateTo: ['leading-group-office'],
    source: `${SEED} §四(一)`,
    note: '按北京时间自然月计：当月未召开的，于月末24时逾期，不因节假日顺延；临时会议同样计入当月',
  },
  'resolution': {
    id: 'resolution',
    step: { zh: '落实联席会议决议', en: 'Carry out a joint-meeting resolution' },
    descriptionZh: '联席会议决议明确责任单位和完成时限，责任单位按期落实；不落实的专题报送并督办',
    startsOn: { id: 'resolution-made', zh: '联席会议作出决议', en: 'resolution made' },
    period: SET_BY_DECISION,
    clock: 'agency-deadline',
    // The resolution names its owner; the rule's agency is only who answers when none is named.
    responsible: 'leading-group-office',
    escalateTo: ['leading-group-office', 'discipline-commission', 'supervision-office'],
    source: `${SEED} §四(一)、§四(四)`,
    note: '时限由决议确定，按法定期间计算（工作日不含法定节假日）；逾期计入责任单位绩效考核（§四(三)）',
  },
  'supervision-assignment': {
    id: 'supervision-assignment',
    step: { zh: '办理督查交办事项', en: 'Settle a supervision assignment' },
    descriptionZh: '督查发现的问题交办责任单位，限期办结并报告，逾期的予以督办',
    startsOn: { id: 'assignment-made', zh: '问题交办', en: 'problem assigned' },
    period: SET_BY_DECISION,
    clock: 'agency-deadline',
    responsible: 'leading-group-office',
    escalateTo: ['discipline-commission', 'supervision-office', 'leading-group-office'],
    source: `${SEED} §四(四)`,
    note: '交办时确定办结时限；逾期的予以督办，并可提请市纪（监）委约谈、追责',
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
    return { ...base, period: national.period, source: national.source, note: national.note, ...(national.responsible ? { responsible: national.responsible } : {}), variant };
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
  const period = rule.period === SET_BY_NOTICE || rule.period === SET_BY_DECISION ? options.noticePeriod : rule.period;
  if (period === undefined) throw new InvalidPeriodError(period, `${ruleId}: 期限由通告或决定规定，须提供 / set by the notice or decision, give noticePeriod`);
  return { rule, deadline: computeDeadline(period, from, calendar) };
}
