import { AGENCY_IDS, covers, type AgencyId } from './agencies.ts';
import { ForbiddenError } from './errors.ts';
import type { Identity } from './identity.ts';

interface ActionRule {
  /** Agencies whose duties include the action (seed §三). */
  agencies: readonly AgencyId[];
  /** What the action is, for messages and the audit trail. */
  zh: string;
}

const EVERY_AGENCY = AGENCY_IDS;

/**
 * Which agency may do what. The jurisdiction half of the check is `authorize`'s: an agency acts
 * only on targets inside its own jurisdiction.
 */
export const ACTIONS = {
  'project.create': { agencies: ['district-government', 'land-bureau'], zh: '创建征收项目' },
  'project.read': { agencies: EVERY_AGENCY, zh: '查看征收项目' },
  'notice.draft': { agencies: ['land-bureau'], zh: '拟定征收土地通告' },
  'notice.review': { agencies: ['legal-affairs-office'], zh: '审核征收土地通告' },
  'notice.publish': { agencies: ['land-bureau'], zh: '发布征收土地通告' },
  'posting.record': { agencies: ['township'], zh: '登记公告张贴及证据' },
  'registration.create': { agencies: ['township', 'land-bureau'], zh: '办理补偿登记' },
  'registration.read': { agencies: ['township', 'land-bureau', 'district-government', 'leading-group-office'], zh: '查看补偿登记' },
  'plan.draft': { agencies: ['land-bureau'], zh: '拟定征地补偿安置实施方案' },
  'plan.review': { agencies: ['legal-affairs-office'], zh: '审核征地补偿安置实施方案' },
  'plan.publish': { agencies: ['land-bureau'], zh: '发布征地补偿安置实施方案' },
  // The discipline commission and the procuratorate read the cases they supervise (§三(四)(五)); every read is audited.
  'household.read': {
    agencies: ['land-bureau', 'township', 'district-government', 'leading-group-office', 'public-security', 'civil-affairs', 'housing-construction', 'urban-management', 'finance', 'discipline-commission', 'procuratorate'],
    zh: '查看被征收户及调查结果',
  },
  'household.survey': { agencies: ['land-bureau', 'township'], zh: '登记调查结果（清点、丈量）' },
  'household.evidence': { agencies: ['land-bureau', 'township', 'urban-management'], zh: '上传调查影像资料' },
  'household.confirm-survey': { agencies: ['land-bureau', 'township'], zh: '登记被征收户对调查结果的签字确认' },
  'household.import': { agencies: ['land-bureau', 'township'], zh: '导入调查清册' },
  'household.legality': { agencies: ['housing-construction'], zh: '认定建筑物合法性' },
  'household.hukou-check': { agencies: ['public-security'], zh: '核实安置人员户籍' },
  'household.military-check': { agencies: ['civil-affairs'], zh: '审核现役、退役军人情况' },
  'resettlement-list.co-review': { agencies: ['township'], zh: '会审农转非安置人员名单' },
  'resettlement-list.approve': { agencies: ['district-government'], zh: '审批农转非安置人员名单' },
  'dispute.raise': { agencies: ['land-bureau', 'township'], zh: '登记被征收户对调查结果的异议' },
  'dispute.resolve': { agencies: ['land-bureau', 'district-government'], zh: '协调处理补偿争议' },
  'compensation.compute': { agencies: ['land-bureau'], zh: '核算补偿' },
  'disclosure.export': { agencies: ['land-bureau', 'township'], zh: '导出补偿公示清单' },
  'disclosure.post': { agencies: ['township'], zh: '张贴补偿公示并留存证据' },
  'agreement.draft': { agencies: ['land-bureau'], zh: '拟定征收土地协议' },
  'agreement.sign': { agencies: ['land-bureau'], zh: '签订征收土地协议' },
  'agreement.read': { agencies: ['land-bureau', 'township', 'district-government', 'leading-group-office', 'finance', 'discipline-commission', 'procuratorate'], zh: '查看征收土地协议' },
  'account.deposit': { agencies: ['investment-group'], zh: '缴存征地补偿资金至专户并上传银行回单' },
  'account.subsidy-deposit': { agencies: ['finance'], zh: '登记被征地农民社会保障补贴资金入专户并上传银行回单' },
  'account.confirm': { agencies: ['finance'], zh: '确认专户资金到账' },
  'account.reverse': { agencies: ['finance'], zh: '冲销专户存入记录或到账确认（写明原因；已占用的资金不能冲回）' },
  'payment.instruct': { agencies: ['finance'], zh: '下达征地补偿款支付指令（含退票后的更正支付）' },
  'payment.read': { agencies: ['finance', 'land-bureau', 'township', 'district-government', 'leading-group-office'], zh: '查看征地补偿款支付情况' },
  'account.read': { agencies: ['land-bureau', 'district-government', 'leading-group-office', 'finance', 'investment-group'], zh: '查看征地拆迁专户' },
  'social-security.transfer': { agencies: ['finance'], zh: '登记被征地农民社会保障补贴资金划转' },
  'social-security.enrol': { agencies: ['hr-social-security'], zh: '登记被征地农民参加基本养老、医疗保险' },
  'social-security.read': { agencies: ['finance', 'hr-social-security', 'land-bureau', 'township', 'district-government', 'leading-group-office'], zh: '查看被征地农民社会保障办理情况' },
  // Handover (腾地、交地) is recorded jointly by the township and the land bureau's branch (§三(一)(三), §五(一)4).
  'handover.record': { agencies: ['township', 'land-bureau'], zh: '登记腾地、交地并留存影像' },
  'handover.refusal': { agencies: ['township', 'land-bureau'], zh: '登记被征收户拒不腾地' },
  'handover.clearing': { agencies: ['urban-management'], zh: '登记清表交地' },
  'handover.read': { agencies: ['land-bureau', 'township', 'district-government', 'leading-group-office', 'urban-management', 'finance', 'discipline-commission'], zh: '查看腾地、交地、清表及权属证书注销情况' },
  'certificate.cancel': { agencies: ['land-bureau'], zh: '注销已征收房屋、土地的权属证书' },
  'collective-distribution.record': { agencies: ['township'], zh: '登记村集体土地补偿费分配公示' },
  'hukou-suspension.acknowledge': { agencies: ['public-security'], zh: '确认暂停办理户籍异动' },
  'hukou-changes.resume': { agencies: ['public-security'], zh: '被征收户全部结清后恢复办理户籍异动' },
  // The forced-vacating chain (§五(一)5) and urban management's illegal-building chain (§三(九)(十)). Who
  // issues each instrument is the rule table's (by variant), checked again from the record.
  'enforcement.open': { agencies: ['land-bureau', 'district-government', 'urban-management'], zh: '启动限期腾地（违法建筑强制拆除）程序' },
  'enforcement.issue': { agencies: ['land-bureau', 'district-government', 'urban-management'], zh: '作出限期腾地（拆除）程序文书' },
  'enforcement.serve': { agencies: ['land-bureau', 'district-government', 'township', 'urban-management'], zh: '登记文书送达及送达证据' },
  'enforcement.remedy': { agencies: ['legal-affairs-office', 'land-bureau'], zh: '登记行政复议、行政诉讼及其结果' },
  'enforcement.statement': { agencies: ['land-bureau', 'district-government', 'urban-management'], zh: '登记并复核当事人的陈述、申辩' },
  'enforcement.court': { agencies: ['basic-court', 'intermediate-court'], zh: '登记人民法院受理、听取意见和执行裁定' },
  'enforcement.court-review': { agencies: ['land-bureau', 'district-government'], zh: '对不予受理裁定向上一级人民法院申请复议' },
  'enforcement.plan': { agencies: ['leading-group-office'], zh: '制定联合行动方案' },
  'enforcement.execute': { agencies: ['urban-management', 'basic-court', 'intermediate-court', 'district-government', 'land-bureau'], zh: '登记强制执行及全过程影像' },
  'enforcement.handover': { agencies: ['land-bureau', 'township'], zh: '登记强制执行后交地' },
  'enforcement.end': { agencies: ['land-bureau', 'district-government', 'urban-management'], zh: '终结限期腾地（拆除）程序' },
  'enforcement.read': {
    agencies: ['land-bureau', 'district-government', 'township', 'leading-group-office', 'legal-affairs-office', 'basic-court', 'intermediate-court', 'procuratorate', 'discipline-commission', 'urban-management', 'housing-construction'],
    zh: '查看限期腾地、强制执行案件',
  },
  // Incidents (§五(三)): the township or community reports and responds first; the district's
  // headquarters resolves and its leaders go on site; the leading group office keeps the criteria.
  'incident.report': { agencies: ['township', 'district-government'], zh: '报告突发事件并先期处置' },
  'incident.classify': { agencies: ['district-government', 'leading-group-office'], zh: '认定、调整突发事件级别' },
  'incident.criteria': { agencies: ['leading-group-office'], zh: '制定突发事件分级标准' },
  'incident.on-site': { agencies: ['district-government'], zh: '登记区主要负责人到场处置' },
  'incident.refer': { agencies: ['township', 'district-government', 'leading-group-office'], zh: '将暴力抗拆移送公安机关、检察机关' },
  'incident.close': { agencies: ['district-government', 'leading-group-office'], zh: '突发事件处置结案' },
  'incident.read': {
    agencies: ['township', 'district-government', 'leading-group-office', 'land-bureau', 'public-security', 'procuratorate', 'discipline-commission', 'petition-bureau'],
    zh: '查看突发事件',
  },
  // Petitions and disputes (§三(三)(十四)): the district handles them, the petition bureau guides.
  'petition.record': { agencies: ['township', 'district-government', 'land-bureau', 'petition-bureau'], zh: '登记信访事项、补偿安置争议' },
  'petition.handle': { agencies: ['district-government', 'township', 'petition-bureau'], zh: '登记信访、争议办理情况（信访局指导协调）' },
  'petition.close': { agencies: ['district-government'], zh: '信访事项、争议办结' },
  'petition.read': { agencies: ['township', 'district-government', 'leading-group-office', 'land-bureau', 'petition-bureau', 'discipline-commission'], zh: '查看信访事项、补偿安置争议' },
  // Joint meetings and their resolutions (§四(一)): the leading group office records them; a
  // resolution's owner agency (any agency, checked against the record) reports progress and completion.
  'meeting.record': { agencies: ['leading-group-office'], zh: '登记联席会议、会议纪要及决议' },
  'meeting.read': { agencies: EVERY_AGENCY, zh: '查看联席会议及决议' },
  'resolution.report': { agencies: EVERY_AGENCY, zh: '报告本单位承办决议的落实情况' },
  // Policy queries (§三(三)): the district government writes to the city land bureau on a policy it
  // cannot apply with confidence; the land bureau's topic meeting studies it, the city government
  // approves its opinion, and the district applies it. The leading group office follows every one.
  'policy-query.submit': { agencies: ['district-government'], zh: '就补偿安置政策把握不准的事项提出处理建议并书面函告市国土资源局' },
  'policy-query.meeting': { agencies: ['land-bureau'], zh: '牵头召开专题协调会议研究政策请示' },
  'policy-query.submit-for-approval': { agencies: ['land-bureau'], zh: '将专题协调会议意见报市人民政府批准' },
  'policy-query.decide': { agencies: ['city-government'], zh: '批准或退回专题协调会议意见' },
  'policy-query.apply': { agencies: ['district-government'], zh: '登记执行经批准的政策意见' },
  'policy-query.read': { agencies: ['district-government', 'land-bureau', 'city-government', 'leading-group-office'], zh: '查看补偿安置政策请示及办理情况' },
  // Supervision (§四(四)): the discipline commission and the supervision office inspect, report,
  // assign problems and follow them up; the discipline commission summons officials. An assignment's
  // owner (any agency, checked against the record) reports it done.
  'supervision.inspect': { agencies: ['discipline-commission', 'supervision-office'], zh: '督查：生成督查报告、交办督办问题' },
  'supervision.summon': { agencies: ['discipline-commission'], zh: '登记对相关责任人的约谈' },
  'supervision.read': { agencies: ['discipline-commission', 'supervision-office', 'leading-group-office', 'city-government'], zh: '查看督查报告、交办事项和约谈记录' },
  'assignment.report': { agencies: EVERY_AGENCY, zh: '报告本单位承办的督查交办事项办结情况' },
  // Who the caller is and what it may do: the console shows only what the agency may do.
  'identity.read': { agencies: EVERY_AGENCY, zh: '查看本人身份、单位、辖区及权限' },
  'inbox.read': { agencies: EVERY_AGENCY, zh: '查看本单位待办事项' },
  'calendar.read': { agencies: EVERY_AGENCY, zh: '查询法定期限' },
  'calendar.admin': { agencies: ['leading-group-office'], zh: '维护节假日数据' },
  'alerts.read': { agencies: EVERY_AGENCY, zh: '查看本单位收到的逾期提醒' },
  'performance.read': { agencies: ['leading-group-office', 'discipline-commission'], zh: '查看逾期考核记录' },
  // The deduction rate of the scorecard (§四(三)) is the leading group office's to set.
  'scorecard.settings': { agencies: ['leading-group-office'], zh: '设定绩效考核扣减工作经费比例' },
} as const satisfies Record<string, ActionRule>;

export type Action = keyof typeof ACTIONS;

export const ACTION_IDS = Object.keys(ACTIONS) as [Action, ...Action[]];

/** Every action the agency's duties include, in the table's order (jurisdiction aside). */
export function actionsOf(agency: AgencyId): Action[] {
  return ACTION_IDS.filter((action) => (ACTIONS[action] as ActionRule).agencies.includes(agency));
}

/** The jurisdiction half of `authorize` as a test: the actor covers at least one of the target's jurisdictions. */
export function withinJurisdiction(actor: Identity, targetJurisdictions: readonly string[]): boolean {
  return targetJurisdictions.some((target) => covers(actor.jurisdiction, target));
}

/**
 * Checks agency × jurisdiction server-side. `targetJurisdictions` are the jurisdictions the target
 * lies in (a project's district and its townships); the actor must cover at least one of them.
 * Throws ForbiddenError naming what was refused.
 */
export function authorize(actor: Identity, action: Action, targetJurisdictions: readonly string[]): void {
  authorizeAgency(actor, action);
  const rule: ActionRule = ACTIONS[action];
  if (!withinJurisdiction(actor, targetJurisdictions)) {
    throw new ForbiddenError('forbidden.jurisdiction', `“${rule.zh}”超出本单位辖区`, {
      action,
      jurisdiction: actor.jurisdiction,
    });
  }
}

/**
 * The agency half alone, for a use case that must refuse an agency without the duty before it
 * looks the target up (so that agency learns nothing of it); `authorize` follows on the target.
 */
export function authorizeAgency(actor: Identity, action: Action): void {
  const rule: ActionRule = ACTIONS[action];
  if (!rule.agencies.includes(actor.agency)) {
    throw new ForbiddenError('forbidden.agency', `本单位无权“${rule.zh}”`, { action, agency: actor.agency });
  }
}
