import { covers } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { Change } from '../../../shared/cases/ports.ts';
import type { Project } from '../../../shared/cases/project.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { beijingDate } from '../../../shared/calendar/index.ts';
import { verifyEvidence } from '../../../shared/evidence/evidence.ts';
import { DependencyUnavailableError, DomainError, ForbiddenError, NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { log } from '../../../shared/log.ts';
import { authorize } from '../../../shared/permissions.ts';
import { householdIdOf } from '../domain/household-id.ts';
import type { Household } from '../domain/household.ts';
import type { CompensationStandard, Plan } from '../domain/plan.ts';
import { importFailureText, MAX_KEPT_ERRORS, newImportJob, type ImportRowError, type SurveyImportJob } from '../domain/survey-import.ts';
import type { ParsedHousehold, RowError } from '../domain/survey-workbook.ts';
import { householdState, replaceSurvey } from '../domain/survey.ts';
import { checkUploadUsable, XLSX_CONTENT_TYPE } from '../domain/uploads.ts';
import { commitHousehold, groupOf, householdCard } from './household-access.ts';
import { requirePublishedNotice } from './households.ts';
import { claimMembers, sealMembers } from './members.ts';
import type { ImportStarter, SurveyWorkbooks } from './ports.ts';
import type { CompensationDeps, DocumentsDeps, ImportWorkerDeps } from './use-cases.ts';

/**
 * The survey workbook import (decision 0016). The uploaded file is verified like evidence and
 * kept (immutable); a job on the survey-imports workflow parses it and applies its households a
 * chunk at a time, each household in its own transaction, all-or-nothing. The parse is repeated
 * for every chunk rather than stored: its result holds clear ID numbers, which are kept nowhere.
 */

/** Households applied per page of the job (a page also re-parses the file: ~2 s for 30,000 rows). */
export const HOUSEHOLDS_PER_PAGE = 250;

type ImportDeps = ImportWorkerDeps & { workbooks: SurveyWorkbooks };

/** The standard surveys are checked against: the locked one, else the plan's draft (surveys come before the plan). */
async function standardFor(deps: Pick<CompensationDeps, 'standards' | 'documents'>, projectId: string): Promise<CompensationStandard> {
  const locked = await deps.standards.find(projectId);
  if (locked) return locked.standard;
  const plan = await deps.documents.find<Plan>(projectId, 'plan');
  if (!plan) throw new RuleViolationError('import.no-standard', '实施方案（含补偿标准）尚未拟定：调查表的地类、青苗、附着物、房屋结构须取自补偿标准');
  return plan.standard;
}

/** The template workbook of the project: Chinese headers, one sheet per kind, lists from its standard. */
export async function surveyTemplateOf(deps: DocumentsDeps & { workbooks: SurveyWorkbooks }, projectId: string, ctx: ActionContext): Promise<{ url: string; sha256: string; size: number; fileName: string }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'household.import', jurisdictionsOf(project));
  const standard = await standardFor(deps, projectId);
  const bytes = await deps.workbooks.template(standard, project.villageGroups);
  const fileName = `调查表模板-${project.name}.xlsx`;
  const key = `projects/${projectId}/survey-templates/${deps.newId(ctx.now.getTime())}.xlsx`;
  const stored = await deps.files.put(key, bytes, XLSX_CONTENT_TYPE, fileName);
  await auditRead(deps.uow, ctx, 'survey-template.read', { type: 'project', id: projectId, projectId }, { sha256: stored.sha256 });
  return { url: await deps.files.presignDownload(key, 15 * 60, ctx.now), sha256: stored.sha256, size: stored.size, fileName };
}

/** Starts an import of an uploaded workbook (verified in the bucket like evidence). */
export async function startSurveyImport(deps: CompensationDeps & { importer: ImportStarter }, projectId: string, input: { uploadId: string }, ctx: ActionContext): Promise<SurveyImportJob> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'household.import', jurisdictionsOf(project));
  await requirePublishedNotice(deps, projectId);
  await standardFor(deps, projectId);
  const upload = await deps.uploads.find({ caseId: projectId, projectId }, input.uploadId);
  if (!upload) throw new NotFoundError('upload.not-found', `上传不存在：${input.uploadId}`);
  checkUploadUsable(upload, { caseId: projectId, purpose: 'survey-workbook' }, ctx.actor);
  const found = await verifyEvidence(deps.evidence, upload.key, upload.declared);
  const { version, ...slot } = upload;
  const job = newImportJob({ jobId: deps.newId(ctx.now.getTime()), projectId, uploadId: upload.uploadId, key: upload.key, fileName: upload.fileName, fileSha256: found.sha256, requestedBy: ctx.actor }, ctx.now);
  await deps.uow.commit(
    [deps.imports.save(job, 'absent'), deps.uploads.save({ ...slot, usedBy: `import:${job.jobId}` }, version)],
    [auditOf(ctx, 'survey-import.start', { type: 'survey-import', id: job.jobId, projectId }, { fileSha256: found.sha256, size: found.size })],
  );
  try {
    await deps.importer.start(projectId, job.jobId);
  } catch (error) {
    log.error('starting the survey import failed', { projectId, jobId: job.jobId, error: String(error) });
    throw error;
  }
  return job;
}

export async function getSurveyImport(deps: CompensationDeps, projectId: string, jobId: string, ctx: ActionContext): Promise<SurveyImportJob> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'household.import', jurisdictionsOf(project));
  const job = await deps.imports.find(projectId, jobId);
  if (!job) throw new NotFoundError('import.not-found', `导入任务不存在：${jobId}`);
  // A job's errors name members and households: the importing agency's area sees them, a township
  // another township's never.
  if (!covers(ctx.actor.jurisdiction, job.requestedBy.jurisdiction) && !covers(ctx.actor.jurisdiction, project.district)) {
    throw new ForbiddenError('forbidden.jurisdiction', '该导入任务不是本辖区发起的');
  }
  await auditRead(deps.uow, ctx, 'survey-import.read', { type: 'survey-import', id: jobId, projectId });
  return withoutVersion(job);
}

/**
 * One page of the job: parse the file, apply the next households from the checkpoint, move the
 * checkpoint. Idempotent: a household already applied is found unchanged by its fingerprint.
 */
export async function importPage(deps: ImportDeps, input: { projectId: string; jobId: string; requestId: string }, now: Date): Promise<{ done: boolean }> {
  const stored = await deps.imports.find(input.projectId, input.jobId);
  if (!stored) throw new NotFoundError('import.not-found', `导入任务不存在：${input.jobId}`);
  if (stored.status !== 'running') return { done: true };
  const project = await deps.projects.get(input.projectId);
  const standard = await standardFor(deps, input.projectId);
  const parsed = await deps.workbooks.parse(await deps.files.open(stored.key), { standard, villageGroupIds: project.villageGroups.map((g) => g.id), today: beijingDate(now.getTime()) });
  const { version, ...job } = stored;
  const ctx: ActionContext = { actor: job.requestedBy, requestId: input.requestId, now };

  const first = job.chunks === 0;
  const next: SurveyImportJob = { ...job, chunks: job.chunks + 1, counts: { ...job.counts } };
  if (first) {
    next.rowsTotal = parsed.rowCount;
    next.counts.households = parsed.households.length + parsed.rejected.length;
    next.counts.rejected = parsed.rejected.length;
    next.errorCount = parsed.errors.length;
    next.errors = parsed.errors.slice(0, MAX_KEPT_ERRORS).map(rowError);
    next.rowsDone = parsed.rejected.reduce((sum, r) => sum + r.rows, 0);
  }
  if (parsed.unusable) {
    await deps.uow.commit([deps.imports.save({ ...next, status: 'failed', failure: '调查表缺少工作表或必填列，未导入任何数据', finishedAt: now.toISOString() }, version)], [auditOf(ctx, 'survey-import.unusable', { type: 'survey-import', id: job.jobId, projectId: job.projectId })]);
    return { done: true };
  }
  const page = parsed.households.slice(job.next, job.next + HOUSEHOLDS_PER_PAGE);
  for (const household of page) {
    const outcome = await applyHousehold(deps, project, household, job.requestedBy, ctx);
    if (typeof outcome === 'string') next.counts[outcome] += 1;
    else {
      next.counts.rejected += 1;
      next.errorCount += 1;
      if (next.errors.length < MAX_KEPT_ERRORS) next.errors.push(outcome);
    }
    next.rowsDone += household.rows;
  }
  next.next = job.next + page.length;
  const done = next.next >= parsed.households.length;
  const saved = done ? { ...next, status: 'completed' as const, finishedAt: now.toISOString() } : next;
  await deps.uow.commit([deps.imports.save(saved, version)], done ? [auditOf(ctx, 'survey-import.complete', { type: 'survey-import', id: job.jobId, projectId: job.projectId }, { ...saved.counts, errors: saved.errorCount })] : []);
  return { done };
}

/** The household's kernel card, written when it is new or the import renamed its head. */
async function cardChange(deps: ImportDeps, project: Project, household: Household, now: Date): Promise<Change[]> {
  const card = await deps.householdCards.find(household.householdId);
  if (card && card.headName === household.headName) return [];
  return [deps.householdCards.save(householdCard(project, household, now), card?.version ?? 'absent')];
}

/** The workflow gave up on a page: the job is marked failed (the households applied so far stay). */
export async function importFailed(deps: ImportWorkerDeps, input: { projectId: string; jobId: string; error?: string | undefined; cause?: string | undefined; requestId: string }, now: Date): Promise<void> {
  const stored = await deps.imports.find(input.projectId, input.jobId);
  if (stored?.status !== 'running') return;
  const { version, ...job } = stored;
  const ctx: ActionContext = { actor: job.requestedBy, requestId: input.requestId, now };
  // The whole cause (with its stack trace) goes to the logs; the record keeps what the agency can act on.
  log.warn('survey import failed', { projectId: job.projectId, jobId: job.jobId, error: input.error, cause: input.cause?.slice(0, 4000) });
  await deps.uow.commit(
    [deps.imports.save({ ...job, status: 'failed', failure: importFailureText(input.error, input.cause), finishedAt: now.toISOString() }, version)],
    [auditOf(ctx, 'survey-import.failed', { type: 'survey-import', id: job.jobId, projectId: job.projectId }, { error: input.error })],
  );
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'confirmedKept' | ImportRowError;

/** One household of the workbook, all or nothing, in its own transaction (audited on its chain). */
async function applyHousehold(deps: ImportDeps, project: Project, parsed: ParsedHousehold, requestedBy: Identity, ctx: ActionContext): Promise<Outcome> {
  const householdId = householdIdOf(project.id, parsed.villageGroupId, parsed.householdNumber);
  const refuse = (error: DomainError): ImportRowError => ({ sheet: '户及成员', code: error.code, message: `户编号 ${parsed.householdNumber}：${error.message}`, householdNumber: parsed.householdNumber });
  try {
    const group = groupOf(project, parsed.villageGroupId);
    authorize(requestedBy, 'household.import', [project.district, group.township]);
    const stored = await deps.households.find(householdId);
    const fingerprint = await deps.pii.mac(`survey-import\u0000${parsed.fingerprint}`);
    if (stored?.importFingerprint === fingerprint) return 'unchanged';
    if (stored?.survey?.status === 'confirmed') return 'confirmedKept';
    const existing = stored ? withoutVersion(stored) : undefined;
    const sealed = await sealMembers(deps.pii, project.id, parsed.members);
    const claims = await claimMembers(deps.households, project.id, householdId, sealed, existing?.members);
    const base: Household = existing ?? {
      householdId,
      projectId: project.id,
      villageGroupId: group.id,
      householdNumber: parsed.householdNumber,
      headName: parsed.headName,
      members: [],
      registrationIds: [],
      checks: [],
      disputes: [],
      state: 'surveying',
      createdAt: ctx.now.toISOString(),
      createdBy: requestedBy,
    };
    const items = { ...parsed.items, houses: parsed.items.houses.map(({ legality: _stated, determination: _none, ...house }) => house) };
    // Checks belong to members: those of people the corrected file no longer lists go with them.
    const checks = base.checks.filter((c) => sealed.members.some((m) => m.memberId === c.memberId));
    const surveyed = replaceSurvey({ ...base, headName: parsed.headName, members: sealed.members, checks }, items, [], requestedBy, ctx.now);
    const household: Household = { ...surveyed, importFingerprint: fingerprint, state: householdState(surveyed) };
    await commitHousehold(
      deps.uow,
      ctx,
      household,
      'household.import',
      [
        deps.households.save(household, stored?.version ?? 'absent', new RuleViolationError('import.concurrent-change', '导入期间该户被他人修改，请重新导入')),
        ...(await cardChange(deps, project, household, ctx.now)),
        ...claims,
        ...(stored ? [] : [deps.counters.increment(project.id, 'households')]),
      ],
      { villageGroupId: group.id, householdNumber: parsed.householdNumber, revision: household.survey?.revision, members: household.members.length },
    );
    return stored ? 'updated' : 'created';
  } catch (error) {
    // A household's own fault (a member already elsewhere, outside the importer's area) rejects it
    // alone; anything else (an outage) fails the page, which the workflow retries.
    if (error instanceof DomainError && !(error instanceof DependencyUnavailableError) && !(error instanceof ForbiddenError && error.code === 'forbidden.agency')) return refuse(error);
    throw error;
  }
}

function rowError(error: RowError): ImportRowError {
  return { sheet: error.sheet, row: error.row, ...(error.column ? { column: `${error.column.header}（${error.column.letter}列）` } : {}), code: error.code, message: error.message };
}
