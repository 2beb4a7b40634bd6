import type { AgencyId } from '../../../shared/agencies.ts';
import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import { clockStep, done, pending, publishedStep, type TimelineStep } from '../../../shared/cases/timeline.ts';
import { formatYuan } from '../../../shared/money.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { liveAgreement } from '../domain/agreement.ts';
import type { Household } from '../domain/household.ts';
import { authorizeOnHousehold, householdTarget } from './household-access.ts';
import { load } from './household-access.ts';
import type { CompensationDeps } from './use-cases.ts';

const SEED = '永州市征地拆迁联动机制实施方案';

/**
 * A household's procedure as one list (seed §五(一)4, §三(一)(三)(七)(九)(十)(十二)): survey,
 * films, legality, confirmation, member checks, the resettlement list, disputes, computation,
 * agreement, and the 3-month payment clock — each done, open or overdue, by whom.
 */
export async function householdTimeline(deps: CompensationDeps, householdId: string, ctx: ActionContext) {
  const { project, household } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.read', project, household);
  await auditRead(deps.uow, ctx, 'timeline.read', householdTarget(household, 'timeline'));
  const [compensation, agreements, list, payment, disclosures, paid, published] = await Promise.all([
    deps.compensations.find(householdId),
    deps.agreements.ofHousehold(householdId),
    deps.lists.find(project.id, household.villageGroupId),
    deps.watches.find(householdId, 'compensation-payment'),
    deps.disclosures.ofGroup(project.id, household.villageGroupId),
    deps.paymentStatus.find(householdId),
    deps.householdSteps.ofHousehold(householdId),
  ]);
  // The latest disclosure of the group that lists this household, and whether it was posted.
  const disclosure = disclosures
    .filter((d) => d.households.some((h) => h.householdId === householdId))
    .sort((a, b) => a.generatedAt.localeCompare(b.generatedAt))
    .at(-1);
  const posting = disclosure?.postings.at(-1);
  const survey = household.survey;
  const live = liveAgreement(agreements.map((a) => withoutVersion(a)));
  const films = survey?.evidence.filter((e) => e.uploadedBy.agency === 'urban-management') ?? [];
  const steps: TimelineStep[] = [
    survey
      ? done('调查清点、丈量', 'land-bureau', `${SEED} §五(一)4、§三(一)(三)`, survey.surveyedAt, survey.surveyedBy, `第 ${survey.revision} 版，地块 ${survey.parcels.length}、青苗 ${survey.crops.length}、附着物 ${survey.attachments.length}、房屋 ${survey.houses.length}`)
      : pending('调查清点、丈量', 'land-bureau', `${SEED} §五(一)4、§三(一)(三)`),
    films.length > 0
      ? done('房屋摄像、拍照取证', 'urban-management', `${SEED} §三(十)`, films.at(-1)!.verifiedAt, films.at(-1)!.uploadedBy, `影像 ${films.length} 份`)
      : pending('房屋摄像、拍照取证', 'urban-management', `${SEED} §三(十)`, survey && survey.houses.length === 0 ? '无房屋' : undefined),
    ...(survey?.houses ?? []).map((house) =>
      house.determination
        ? done(`房屋合法性认定：${house.itemId}`, 'housing-construction', `${SEED} §三(三)(九)`, house.determination.at, house.determination.by, `${house.legality === 'legal' ? '合法' : '违法建筑'}（${house.determination.reference}）`)
        : pending(`房屋合法性认定：${house.itemId}`, 'housing-construction', `${SEED} §三(三)(九)`, '待认定：认定前不能签订协议'),
    ),
    survey?.confirmation
      ? done('被征收户签字确认调查结果', 'township', `${SEED} §三(三)`, survey.confirmation.confirmedAt, survey.confirmation.confirmedBy)
      : pending('被征收户签字确认调查结果', 'township', `${SEED} §三(三)`),
    checksStep(household, 'hukou', 'public-security', '核实安置人员户籍（以通告发布之日为准）', `${SEED} §三(七)`),
    ...(household.members.some((m) => m.military) ? [checksStep(household, 'military', 'civil-affairs', '审核现役、退役军人情况', `${SEED} §三(十二)`)] : []),
    list?.coReview ? done('乡镇会审安置人员名单', 'township', `${SEED} §三(三)`, list.coReview.at, list.coReview.by) : pending('乡镇会审安置人员名单', 'township', `${SEED} §三(三)`),
    list?.stage === 'approved' && list.approval?.householdIds.includes(householdId)
      ? done('区政府审批农转非安置人员名单', 'district-government', `${SEED} §三(三)`, list.approval.at, list.approval.by, `本户安置人员 ${list.approval.persons.filter((p) => p.householdId === householdId).length} 人`)
      : pending('区政府审批农转非安置人员名单', 'district-government', `${SEED} §三(三)`),
    ...household.disputes.map((d) =>
      d.resolution
        ? done(`协调处理争议：${d.grounds.slice(0, 20)}`, 'land-bureau', `${SEED} §三(一)`, d.resolution.at, d.resolution.by, d.resolution.outcome === 'upheld' ? `维持调查结果：${d.resolution.reasons}` : `重新调查：${d.resolution.reasons}`)
        : { ...pending(`协调处理争议：${d.grounds.slice(0, 20)}`, 'land-bureau', `${SEED} §三(一)`, `${formatBeijing(d.raisedAt)} 提出，处理前不能签订协议`), status: 'open' as const },
    ),
    compensation
      ? done('核算补偿', 'land-bureau', `${SEED} §五(二)`, compensation.computedAt, undefined, `合计 ${compensation.totalFen} 分${compensation.final ? '' : '（未定稿）'}${compensation.surveyRevision === survey?.revision ? '' : '（调查结果已变更，须重新核算）'}`)
      : pending('核算补偿', 'land-bureau', `${SEED} §五(二)`),
    posting && disclosure
      ? done('张贴补偿公示并留存影像', 'township', `${SEED} §三(三)`, posting.recordedAt, posting.recordedBy, `公示 ${disclosure.disclosureId}，证据 ${posting.evidence.length} 份，${posting.place}`)
      : pending('张贴补偿公示并留存影像', 'township', `${SEED} §三(三)`, disclosure ? `公示已生成（${formatBeijing(disclosure.generatedAt)}），尚未登记张贴` : undefined),
    live?.signed
      ? done('签订征收土地协议', 'land-bureau', `${SEED} §五(一)4`, live.signed.at, live.signed.by, `协议 ${live.number}，合计 ${live.totalFen} 分，签订地点：${live.signed.place}`)
      : pending('签订征收土地协议', 'land-bureau', `${SEED} §五(一)4`),
    clockStep(payment?.watch, 'compensation-payment', ctx.now, {
      detail: paid && `协议 ${paid.agreementNumber}：应付 ${formatYuan(paid.dueFen)} 元，已付 ${formatYuan(paid.paidFen)} 元，未付 ${formatYuan(paid.outstandingFen)} 元${paid.inFlightFen > 0 ? `（在途 ${formatYuan(paid.inFlightFen)} 元）` : ''}${paid.rejectedGroups.length > 0 ? `，银行退回待更正 ${paid.rejectedGroups.length} 笔` : ''}`,
    }),
    // Handover, certificates, social security …: published by the services after payment.
    ...published.map((step) => publishedStep(step)),
  ];
  return { householdId, projectId: project.id, householdNumber: household.householdNumber, headName: household.headName, state: household.state, now: ctx.now.toISOString(), nowBeijing: formatBeijing(ctx.now), steps };
}

function checksStep(household: Household, kind: 'hukou' | 'military', agency: AgencyId, name: string, source: string): TimelineStep {
  const checks = household.checks.filter((c) => c.kind === kind);
  const open = checks.filter((c) => c.status === 'pending');
  if (checks.length === 0) return pending(name, agency, source, '调查结果确认后开始');
  if (open.length > 0) return { ...pending(name, agency, source, `待核 ${open.length}/${checks.length} 人`), status: 'open' };
  const last = checks.map((c) => c.result!).sort((a, b) => a.at.localeCompare(b.at)).at(-1)!;
  const failed = checks.filter((c) => c.status === 'failed').length;
  return done(name, agency, source, last.at, last.by, `已核 ${checks.length} 人${failed ? `，未通过 ${failed} 人` : ''}`);
}
