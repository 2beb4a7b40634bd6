import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import { jurisdictionsOf, type VillageGroup } from '../../../shared/cases/project.ts';
import { clockStep, done, pending, type TimelineStep } from '../../../shared/cases/timeline.ts';
import { perGroupRuleId } from '../../../shared/deadlines/watch-rules.ts';
import { formatBeijing, resolveRule } from '../../../shared/calendar/index.ts';
import { formatYuan } from '../../../shared/money.ts';
import { authorize } from '../../../shared/permissions.ts';
import { everyHouseholdPaid, everyHouseholdSigned, type HukouResumption, type HukouSuspension } from '../domain/hukou.ts';
import { STATUS_ZH, type Notice } from '../domain/notice.ts';
import type { NoticesDeps } from './use-cases.ts';

const SEED = '永州市征地拆迁联动机制实施方案';

/**
 * The project's procedure as one list: every step, its due instant (Beijing time shown), whether
 * it is done, open or overdue, by whom, and the rule's legal source. Built from the case records
 * alone, with "now" deciding what is overdue.
 */
export async function projectTimeline(
  deps: Pick<NoticesDeps, 'uow' | 'projects' | 'documents' | 'planApprovals' | 'watches' | 'postings' | 'counters' | 'hukou'>,
  projectId: string,
  ctx: ActionContext,
) {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  await auditRead(deps.uow, ctx, 'timeline.read', { type: 'project', id: projectId, projectId });

  const [notice, plan, planApproval, postings, watches, registrations, hukou, resumed, households, settled, paid, payouts, deposits] = await Promise.all([
    deps.documents.find<Notice>(projectId, 'notice'),
    deps.documents.find(projectId, 'plan'),
    deps.planApprovals.find(projectId),
    deps.postings.ofProject(projectId),
    deps.watches.ofCase(projectId),
    deps.counters.read(projectId, 'registrations'),
    deps.hukou.find(projectId),
    deps.hukou.findResumption(projectId),
    deps.counters.read(projectId, 'households'),
    deps.counters.read(projectId, 'households-signed'),
    deps.counters.read(projectId, 'households-paid'),
    deps.counters.read(projectId, 'agreements-payout-fen'),
    deps.counters.read(projectId, 'deposits-confirmed-fen'),
  ]);
  const watchOf = (ruleId: string) => watches.find((w) => w.ruleId === ruleId);
  const approved = notice?.reviews.findLast((r) => r.decision === 'approve' && r.revision === notice.revision);
  const firstPosting = (group: VillageGroup) =>
    postings.filter((p) => p.document === 'notice' && p.villageGroupId === group.id).sort((a, b) => (a.postedAt < b.postedAt ? -1 : 1))[0];

  const postingStep = (group: VillageGroup): TimelineStep => {
    const name = `张贴征收土地通告并拍照留存：${group.village}${group.name}`;
    const posting = firstPosting(group);
    const detail = posting ? `证据 ${posting.evidence.length} 份` : undefined;
    const watch = watchOf(perGroupRuleId('notice-posting', group.id));
    // A notice published before posting deadlines existed has none: the posting alone tells.
    if (!watch && posting) return done(name, 'township', POSTING_SOURCE, posting.postedAt, posting.recordedBy, detail);
    return clockStep(watch, 'notice-posting', ctx.now, { name, detail, by: posting?.recordedBy });
  };

  // The window runs per group from its verified posting; before it, registration stays open there.
  const registrationStep = (group: VillageGroup): TimelineStep => {
    const name = `办理征地补偿登记：${group.village}${group.name}`;
    const count = `全项目已登记 ${registrations} 项`;
    const window = watchOf(perGroupRuleId('registration-window', group.id));
    if (window) return clockStep(window, 'registration-window', ctx.now, { name, detail: `自 ${formatBeijing(window.triggeredAt)} 张贴起算；${count}` });
    const rule = resolveRule('registration-window');
    if (!notice?.publishedAt) return { ...pending(name, rule.responsible, rule.source), due: NOT_POSTED };
    return { step: name, status: 'open', responsibleAgency: rule.responsible, legalSource: rule.source, due: NOT_POSTED, detail: `本组尚未张贴通告，登记照常受理，不视为放弃；${count}` };
  };

  const steps: TimelineStep[] = [
    done('创建征收项目', 'district-government', `${SEED} §三(三)`, project.createdAt, project.createdBy),
    notice
      ? done('拟定征收土地通告', 'land-bureau', `${SEED} §三(一)`, notice.draftedAt, notice.draftedBy, `第 ${notice.revision} 稿`)
      : pending('拟定征收土地通告', 'land-bureau', `${SEED} §三(一)`),
    approved
      ? done('法制办审核征收土地通告', 'legal-affairs-office', `${SEED} §三(十三)`, approved.at, approved.by)
      : pending('法制办审核征收土地通告', 'legal-affairs-office', `${SEED} §三(十三)`, notice?.status === 'returned' ? '已退回修改' : undefined),
    notice?.publishedAt
      ? done('发布征收土地通告', 'land-bureau', `${SEED} §五(一)1`, notice.publishedAt, notice.publishedBy)
      : pending('发布征收土地通告', 'land-bureau', `${SEED} §五(一)1`),
    ...project.villageGroups.map(postingStep),
    hukouSuspensionStep(notice?.publishedAt, hukou),
    ...project.villageGroups.map(registrationStep),
    planApproval
      ? done('联席会议审定实施方案', 'leading-group-office', `${SEED} §四(一)`, planApproval.approvedAt, undefined, `会议 ${planApproval.meetingId} 决议：${planApproval.text}`)
      : pending('联席会议审定实施方案', 'leading-group-office', `${SEED} §四(一)`, plan ? '审定后方可发布实施方案' : undefined),
    clockStep(watchOf('implementation-plan'), 'implementation-plan', ctx.now, { detail: plan ? `方案状态：${STATUS_ZH[plan.status]}` : undefined, by: plan?.publishedBy }),
    hukouResumeStep(households, settled, paid, resumed),
    fundsStep(payouts, deposits),
  ];
  return { projectId, name: project.name, now: ctx.now.toISOString(), nowBeijing: formatBeijing(ctx.now), steps };
}

const POSTING_SOURCE = `${SEED} §五(一)1、§三(三)`;
const HUKOU_SOURCE = `${SEED} §三(七)`;
/** What a group's registration window shows until the notice is posted there. */
const NOT_POSTED = '张贴后起算';

/** Public security's own act: pending until it acknowledges, then done under its name. */
function hukouSuspensionStep(publishedAt: string | undefined, suspension: HukouSuspension | undefined): TimelineStep {
  const step = '暂停办理户籍异动';
  if (suspension) return done(step, 'public-security', HUKOU_SOURCE, suspension.acknowledgedAt, suspension.acknowledgedBy);
  if (!publishedAt) return pending(step, 'public-security', HUKOU_SOURCE);
  return { step, status: 'open', responsibleAgency: 'public-security', legalSource: HUKOU_SOURCE, detail: `已于 ${formatBeijing(publishedAt)} 通知公安，待公安确认暂停` };
}

/**
 * Full funds first (seed §三(八)(十五); 2021 Regulations art. 32): the dedicated account's confirmed
 * deposits against what the signed agreements pay out. A shortfall shows as overdue: the investment
 * groups deposit, finance confirms.
 */
function fundsStep(payoutsFen: number, depositsFen: number): TimelineStep {
  const step = '征地拆迁专户资金足额到位';
  const source = `${SEED} §三(八)(十五)；《土地管理法实施条例》第三十二条`;
  const detail = `专户已确认到账 ${formatYuan(depositsFen)} 元，已签订协议应付 ${formatYuan(payoutsFen)} 元`;
  if (payoutsFen === 0 && depositsFen === 0) return pending(step, 'investment-group', source);
  if (depositsFen < payoutsFen) return { ...pending(step, 'investment-group', source, `${detail}，缺口 ${formatYuan(payoutsFen - depositsFen)} 元`), status: 'overdue' };
  return { ...pending(step, 'investment-group', source, detail), status: 'open' };
}

/**
 * Resuming is public security's act, like suspending: never shown done on the system's count. Once
 * every household has signed and been paid in full, the step is open for public security.
 */
function hukouResumeStep(households: number, signed: number, paid: number, resumed: HukouResumption | undefined): TimelineStep {
  const step = '恢复办理户籍异动';
  const detail = `已签订协议 ${signed}/${households} 户，补偿款已足额支付 ${paid}/${households} 户`;
  if (resumed) return done(step, 'public-security', HUKOU_SOURCE, resumed.resumedAt, resumed.resumedBy, `共 ${resumed.households} 户全部结清`);
  if (everyHouseholdSigned(households, signed) && everyHouseholdPaid(households, paid)) return { ...pending(step, 'public-security', HUKOU_SOURCE, `${detail}；待公安机关恢复办理`), status: 'open' };
  return pending(step, 'public-security', HUKOU_SOURCE, detail);
}
