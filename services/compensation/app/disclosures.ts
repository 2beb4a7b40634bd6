import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { DOWNLOAD_URL_TTL_SECONDS } from '../../../shared/evidence/evidence.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';
import { disclosedHouseholds, recordDisclosurePosting, type Disclosure } from '../domain/disclosure.ts';
import type { Compensation } from '../domain/household.ts';
import { XLSX_CONTENT_TYPE } from '../domain/uploads.ts';
import { sumFen } from '../domain/quantity.ts';
import type { DisclosureDocument, DocumentRenderer } from './documents.ts';
import { groupOf, verifiedUploads } from './household-access.ts';
import { allHouseholdsOf } from './household-reads.ts';
import type { CompensationDeps, DocumentsDeps } from './use-cases.ts';


/**
 * The disclosure (公示) of a village group: every household, its items and amounts (ID numbers
 * masked), as a PDF notice to post and an .xlsx list, both stored once with their SHA-256.
 */
export async function exportDisclosure(
  deps: DocumentsDeps & { renderer: DocumentRenderer },
  projectId: string,
  villageGroupId: string,
  input: { postingNote: string },
  ctx: ActionContext,
): Promise<Disclosure & { urls: { pdf: string; xlsx: string } }> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, villageGroupId);
  authorize(ctx.actor, 'disclosure.export', [project.district, group.township]);
  const households = await allHouseholdsOf(deps.households, projectId, group.id);
  const computations = new Map<string, Compensation>();
  await Promise.all(
    households.map(async (h) => {
      const stored = await deps.compensations.find(h.householdId);
      if (stored) computations.set(h.householdId, withoutVersion(stored));
    }),
  );
  const disclosed = disclosedHouseholds(households, computations);
  const generatedAt = ctx.now.toISOString();
  const view: DisclosureDocument = {
    projectName: project.name,
    villageGroupName: `${group.village}${group.name}`,
    postingNote: input.postingNote,
    households: disclosed.map(({ household, compensation }) => ({
      householdNumber: household.householdNumber,
      headName: household.headName,
      members: household.members.map((m) => ({ name: m.name, relation: m.relation, idNumberMasked: m.idNumberMasked })),
      lines: compensation.lines.map((l) => ({ description: l.description, quantity: l.quantity, unit: l.unit, rateFen: l.rateFen, amountFen: l.amountFen, payee: l.payee, ...(l.zeroReason ? { zeroReason: l.zeroReason } : {}) })),
      totalFen: compensation.totalFen,
    })),
    totalFen: sumFen(disclosed.map((d) => d.compensation.totalFen)),
    generatedAt,
  };
  const disclosureId = deps.newId(ctx.now.getTime());
  const base = `projects/${projectId}/disclosures/${group.id}/${disclosureId}`;
  const [pdfBytes, xlsxBytes] = await Promise.all([deps.renderer.disclosurePdf(view), deps.renderer.disclosureXlsx(view)]);
  const [pdf, xlsx] = await Promise.all([
    deps.files.put(`${base}.pdf`, pdfBytes, 'application/pdf', `补偿公示-${group.village}${group.name}.pdf`),
    deps.files.put(`${base}.xlsx`, xlsxBytes, XLSX_CONTENT_TYPE, `补偿公示-${group.village}${group.name}.xlsx`),
  ]);
  const disclosure: Disclosure = {
    disclosureId,
    projectId,
    villageGroupId: group.id,
    postingNote: input.postingNote,
    households: disclosed.map(({ household, compensation }) => ({ householdId: household.householdId, householdNumber: household.householdNumber, surveyRevision: compensation.surveyRevision, totalFen: compensation.totalFen })),
    totalFen: view.totalFen,
    documents: { pdf, xlsx },
    generatedBy: ctx.actor,
    generatedAt,
    postings: [],
  };
  await deps.uow.commit(
    [deps.disclosures.save(disclosure, 'absent')],
    [auditOf(ctx, 'disclosure.export', { type: 'disclosure', id: disclosureId, projectId }, { villageGroupId: group.id, households: disclosed.length, totalFen: disclosure.totalFen, pdf: pdf.sha256, xlsx: xlsx.sha256 })],
  );
  const [pdfUrl, xlsxUrl] = await Promise.all([deps.files.presignDownload(pdf.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now), deps.files.presignDownload(xlsx.key, DOWNLOAD_URL_TTL_SECONDS, ctx.now)]);
  return { ...disclosure, urls: { pdf: pdfUrl, xlsx: xlsxUrl } };
}

/** The township posts the disclosure in the group, with photo/video evidence, like the notice. */
export async function postDisclosure(
  deps: CompensationDeps,
  projectId: string,
  villageGroupId: string,
  disclosureId: string,
  input: { uploadIds: string[]; postedAt: string; place: string },
  ctx: ActionContext,
): Promise<Disclosure> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, villageGroupId);
  authorize(ctx.actor, 'disclosure.post', [group.township]);
  const stored = await deps.disclosures.find(projectId, group.id, disclosureId);
  if (!stored) throw new NotFoundError('disclosure.not-found', `公示不存在：${disclosureId}`);
  const { evidence, changes } = await verifiedUploads(deps, { caseId: projectId, projectId }, 'disclosure-posting', input.uploadIds, `disclosure:${disclosureId}`, ctx);
  const posted = recordDisclosurePosting(withoutVersion(stored), { postedAt: new Date(input.postedAt).toISOString(), place: input.place, evidence, recordedBy: ctx.actor, recordedAt: ctx.now.toISOString() }, ctx.now);
  await deps.uow.commit(
    [deps.disclosures.save(posted, stored.version), ...changes],
    [auditOf(ctx, 'disclosure.post', { type: 'disclosure', id: disclosureId, projectId }, { villageGroupId: group.id, evidence: evidence.map((e) => ({ key: e.key, sha256: e.sha256 })) })],
  );
  return posted;
}
