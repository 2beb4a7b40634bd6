import type { AgencyId } from '../../../shared/agencies.ts';
import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { formatBeijing, resolveRule, type RuleId } from '../../../shared/calendar/index.ts';
import { describeDue, isDue, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import type { Identity } from '../../../shared/identity.ts';
import { authorize } from '../../../shared/permissions.ts';
import type { Notice } from '../domain/notice.ts';
import type { NoticesDeps } from './use-cases.ts';

export type StepStatus = 'done' | 'done-late' | 'open' | 'overdue' | 'closed' | 'not-started';

export interface TimelineStep {
  step: string;
  status: StepStatus;
  responsibleAgency: AgencyId;
  legalSource: string;
  dueAt?: string;
  dueAtBeijing?: string;
  /** The last day (Beijing date) and, in words, when the period ends: "2026年10月16日24时". */
  lastDay?: string;
  due?: string;
  doneAt?: string;
  doneAtBeijing?: string;
  by?: Pick<Identity, 'agency' | 'user' | 'jurisdiction'>;
  detail?: string;
}

const SEED = '永州市征地拆迁联动机制实施方案';

/**
 * The project's procedure as one list: every step, its due instant (Beijing time shown), whether
 * it is done, open or overdue, by whom, and the rule's legal source. Built from the case records
 * alone, with "now" deciding what is overdue.
 */
export async function projectTimeline(
  deps: Pick<NoticesDeps, 'uow' | 'projects' | 'documents' | 'watches' | 'postings' | 'counters'>,
  projectId: string,
  ctx: ActionContext,
) {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  await auditRead(deps.uow, ctx, 'timeline.read', { type: 'project', id: projectId, projectId });

  const [notice, plan, postings, watches, registrations] = await Promise.all([
    deps.documents.find<Notice>(projectId, 'notice'),
    deps.documents.find(projectId, 'plan'),
    deps.postings.ofProject(projectId),
    deps.watches.ofCase(projectId),
    deps.counters.read(projectId, 'registrations'),
  ]);
  const watchOf = (ruleId: string) => watches.find((w) => w.ruleId === ruleId);
  const approved = notice?.reviews.findLast((r) => r.decision === 'approve' && r.revision === notice.revision);

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
    ...project.villageGroups.map((group) => {
      const posting = postings.find((p) => p.document === 'notice' && p.villageGroupId === group.id);
      const name = `张贴征收土地通告并拍照留存：${group.village}${group.name}`;
      return posting
        ? done(name, 'township', `${SEED} §五(一)1、§三(三)`, posting.recordedAt, posting.recordedBy, `证据 ${posting.evidence.length} 份`)
        : pending(name, 'township', `${SEED} §五(一)1、§三(三)`);
    }),
    notice?.publishedAt
      ? done('通知公安暂停户籍异动', 'public-security', `${SEED} §三(七)`, notice.publishedAt, notice.publishedBy)
      : pending('通知公安暂停户籍异动', 'public-security', `${SEED} §三(七)`),
    clockStep(watchOf('registration-window'), 'registration-window', ctx.now, `已登记 ${registrations} 项`),
    clockStep(watchOf('implementation-plan'), 'implementation-plan', ctx.now, plan ? `方案状态：${plan.status}` : undefined, plan?.publishedBy),
  ];
  return { projectId, name: project.name, now: ctx.now.toISOString(), nowBeijing: formatBeijing(ctx.now), steps };
}

function clockStep(watch: DeadlineWatch | undefined, ruleId: RuleId, now: Date, detail?: string, by?: Identity): TimelineStep {
  if (!watch) {
    const rule = resolveRule(ruleId);
    return pending(rule.step.zh, rule.responsible, rule.source, detail);
  }
  const base = {
    step: watch.step,
    responsibleAgency: watch.responsibleAgency,
    legalSource: watch.source,
    dueAt: watch.dueAt,
    dueAtBeijing: formatBeijing(watch.dueAt),
    lastDay: watch.lastDay,
    due: describeDue(watch),
    ...(detail ? { detail } : {}),
  };
  if (watch.status === 'met' || watch.status === 'met-late') {
    return {
      ...base,
      status: watch.status === 'met' ? 'done' : 'done-late',
      ...(watch.metAt ? { doneAt: watch.metAt, doneAtBeijing: formatBeijing(watch.metAt) } : {}),
      ...(by ? { by: actorOf(by) } : {}),
    };
  }
  if (watch.clock !== 'agency-deadline') return { ...base, status: watch.status === 'elapsed' || isDue(watch, now) ? 'closed' : 'open' };
  return { ...base, status: watch.status === 'overdue' || isDue(watch, now) ? 'overdue' : 'open' };
}

function done(step: string, agency: AgencyId, source: string, at: string, by: Identity | undefined, detail?: string): TimelineStep {
  return {
    step,
    status: 'done',
    responsibleAgency: agency,
    legalSource: source,
    doneAt: at,
    doneAtBeijing: formatBeijing(at),
    ...(by ? { by: actorOf(by) } : {}),
    ...(detail ? { detail } : {}),
  };
}

function pending(step: string, agency: AgencyId, source: string, detail?: string): TimelineStep {
  return { step, status: 'not-started', responsibleAgency: agency, legalSource: source, ...(detail ? { detail } : {}) };
}

const actorOf = (by: Identity) => ({ agency: by.agency, user: by.user, jurisdiction: by.jurisdiction });
