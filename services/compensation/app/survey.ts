import type { ActionContext } from '../../../shared/audit.ts';
import type { Project } from '../../../shared/cases/project.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { computeCompensation } from '../domain/compensation.ts';
import type { CheckKind, Household } from '../domain/household.ts';
import { confirmSurvey as confirm, statedTime, determineLegality, openChecks, raiseDispute, recordCheck, replaceSurvey, resolveDispute, type LegalityInput, type SurveyInput } from '../domain/survey.ts';
import type { UploadPurpose } from '../domain/uploads.ts';
import { authorizeOnHousehold, changedMeanwhile, commitHousehold, groupOf, householdLabel, load, verifiedUploads } from './household-access.ts';
import { requirePublishedNotice } from './households.ts';
import type { CompensationDeps } from './use-cases.ts';

/**
 * The survey of a household and what follows from it: evidence, the household's confirmation, the
 * legality of its houses, the checks on its members, disputes. Each action reads the household,
 * applies one domain step and commits it (version-guarded) with its audit record.
 */

type Deps = CompensationDeps;

/** Records or replaces the survey (清点、丈量) while it is a draft. */
export async function recordSurvey(deps: Deps, householdId: string, input: SurveyInput, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.survey', project, household);
  const { publishedAt } = await requirePublishedNotice(deps, project.id);
  const surveyed = replaceSurvey(household, input, [], ctx.actor, ctx.now);
  await checkAgainstStandard(deps, surveyed, publishedAt, ctx.now);
  await commitHousehold(deps.uow, ctx, surveyed, 'survey.record', [deps.households.save(surveyed, version, changedMeanwhile())], {
    revision: surveyed.survey?.revision,
    items: counts(input),
  });
  return surveyed;
}

/** Films and photos of the houses, crops and attachments (§三(十)), verified in the evidence bucket. */
export async function addSurveyEvidence(deps: Deps, householdId: string, input: { purpose: UploadPurpose; uploadIds: string[] }, ctx: ActionContext): Promise<Household> {
  if (input.purpose !== 'house-film' && input.purpose !== 'survey-photo') {
    throw new ValidationError('survey.evidence-purpose', '调查影像资料只能是房屋影像（house-film）或青苗、附着物影像（survey-photo）');
  }
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.evidence', project, household);
  const survey = household.survey;
  if (!survey) throw new ValidationError('survey.not-recorded', '该户尚未登记调查结果，不能附加调查影像资料');
  const { evidence, changes } = await verifiedUploads(deps, { caseId: householdId, projectId: project.id }, input.purpose, input.uploadIds, `survey:${householdId}`, ctx);
  const updated: Household = { ...household, survey: { ...survey, evidence: [...survey.evidence, ...evidence] } };
  await commitHousehold(deps.uow, ctx, updated, 'survey.evidence', [deps.households.save(updated, version, changedMeanwhile()), ...changes], {
    purpose: input.purpose,
    evidence: evidence.map((e) => ({ key: e.key, sha256: e.sha256, size: e.size })),
  });
  return updated;
}

/**
 * The household signed the survey (a verified scan): the survey is confirmed and the members'
 * checks open in public security's (hukou) and civil affairs' (military members) inboxes.
 */
export async function confirmHouseholdSurvey(deps: Deps, householdId: string, input: { uploadId: string; confirmedAt?: string | undefined }, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.confirm-survey', project, household);
  const confirmedAt = statedTime(input.confirmedAt, household.survey?.surveyedAt ?? household.createdAt, ctx.now, '签字确认');
  const { evidence, changes } = await verifiedUploads(deps, { caseId: householdId, projectId: project.id }, 'survey-confirmation', [input.uploadId], `confirmation:${householdId}`, ctx);
  const confirmed = confirm(household, evidence[0], ctx.actor, confirmedAt);
  const checked = { ...confirmed, checks: openChecks(confirmed.members, confirmed.checks) };
  const tasks = checkTasks(deps, project, household, checked, ctx);
  await commitHousehold(deps.uow, ctx, checked, 'survey.confirm', [deps.households.save(checked, version, changedMeanwhile()), ...changes, ...tasks.map((t) => deps.inbox.add(t))], {
    revision: checked.survey?.revision,
    checksOpened: checked.checks.length - household.checks.length,
  });
  return checked;
}

/** Housing-construction classifies a house legal or illegal, citing its determination (§三(九)). */
export async function determineHouseLegality(deps: Deps, householdId: string, itemId: string, input: LegalityInput, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.legality', project, household);
  const determined = determineLegality(household, itemId, input, ctx.actor, ctx.now);
  await commitHousehold(deps.uow, ctx, determined, 'survey.legality', [deps.households.save(determined, version, changedMeanwhile())], {
    itemId,
    legality: input.legality,
    reference: input.reference,
  });
  return determined;
}

/** Public security (hukou as of the notice date) or civil affairs (military members) records a check. */
export async function recordMemberCheck(deps: Deps, householdId: string, check: { memberId: string; kind: CheckKind }, result: { passed: boolean; note: string }, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, check.kind === 'hukou' ? 'household.hukou-check' : 'household.military-check', project, household);
  const recorded = recordCheck(household, check, result, ctx.actor, ctx.now);
  await commitHousehold(deps.uow, ctx, recorded, `check.${check.kind}`, [deps.households.save(recorded, version, changedMeanwhile())], { memberId: check.memberId, passed: result.passed });
  return recorded;
}

/** The household disputes its survey: recorded, assigned to the land bureau, and it blocks the agreement. */
export async function raiseHouseholdDispute(deps: Deps, householdId: string, input: { grounds: string }, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'dispute.raise', project, household);
  const disputeId = deps.newId(ctx.now.getTime());
  const disputed = raiseDispute(household, { disputeId, grounds: input.grounds }, ctx.actor, ctx.now);
  const task = inboxEvent({
    id: deps.newId(ctx.now.getTime()),
    projectId: project.id,
    addressee: 'land-bureau',
    kind: 'dispute-raised',
    at: ctx.now,
    title: `补偿争议待协调处理：${householdLabel(project, household)}`,
    text: `被征收户对调查结果提出异议：${input.grounds}（方案§三(一)：协调处理征地补偿安置争议）。争议处理前不能签订征收土地协议。`,
    jurisdictions: [project.district],
    data: { householdId, disputeId },
  });
  await commitHousehold(deps.uow, ctx, disputed, 'dispute.raise', [deps.households.save(disputed, version, changedMeanwhile()), deps.inbox.add(task)], { disputeId });
  return disputed;
}

/** The land bureau resolves a dispute: upheld, or re-surveyed (the survey returns to draft). */
export async function resolveHouseholdDispute(deps: Deps, householdId: string, disputeId: string, input: { outcome: 'resurveyed' | 'upheld'; reasons: string }, ctx: ActionContext): Promise<Household> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'dispute.resolve', project, household);
  const resolved = resolveDispute(household, disputeId, input, ctx.actor, ctx.now);
  await commitHousehold(deps.uow, ctx, resolved, 'dispute.resolve', [deps.households.save(resolved, version, changedMeanwhile())], { disputeId, outcome: input.outcome });
  return resolved;
}

// ---- helpers ----

/** Once the standard is locked, a survey naming a class the standard lacks is refused now, not at computation. */
async function checkAgainstStandard(deps: Deps, household: Household, noticePublishedAt: string, now: Date): Promise<void> {
  const locked = await deps.standards.find(household.projectId);
  if (!locked) return;
  computeCompensation({ household, noticePublishedAt, resettledMemberIds: [], standard: locked.standard, standardLockedAt: locked.lockedAt, now });
}

/** One task per checking agency for the checks this confirmation opened. */
function checkTasks(deps: Deps, project: Project, before: Household, after: Household, ctx: ActionContext) {
  const opened = after.checks.filter((c) => !before.checks.some((b) => b.kind === c.kind && b.memberId === c.memberId));
  const group = groupOf(project, after.villageGroupId);
  return (['public-security', 'civil-affairs'] as const).flatMap((agency) => {
    const mine = opened.filter((c) => c.agency === agency);
    if (mine.length === 0) return [];
    const checks = mine.map((c) => {
      const member = after.members.find((m) => m.memberId === c.memberId)!;
      return { memberId: c.memberId, kind: c.kind, name: member.name, idNumberMasked: member.idNumberMasked };
    });
    return [
      inboxEvent({
        id: deps.newId(ctx.now.getTime()),
        projectId: project.id,
        addressee: agency,
        kind: 'survey-confirmed',
        at: ctx.now,
        title: `${agency === 'public-security' ? '核实安置人员户籍' : '审核现役、退役军人情况'}：${householdLabel(project, after)}`,
        text:
          agency === 'public-security'
            ? `请以征收土地通告发布之日的户籍为准，核实下列人员的户籍（方案§三(七)）：${checks.map((c) => `${c.name}（${c.idNumberMasked}）`).join('、')}。`
            : `请审核下列现役、退役军人的安置情况（方案§三(十二)）：${checks.map((c) => `${c.name}（${c.idNumberMasked}）`).join('、')}。`,
        jurisdictions: [project.district, group.township],
        data: { householdId: after.householdId, villageGroupId: after.villageGroupId, householdNumber: after.householdNumber, surveyRevision: after.survey?.revision ?? 0, checks },
      }),
    ];
  });
}

function counts(input: SurveyInput) {
  return { parcels: input.parcels.length, crops: input.crops.length, attachments: input.attachments.length, houses: input.houses.length };
}
