import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import { cancelLiveWatches, ENFORCEMENT_PHASE_PREFIX } from '../../../shared/cases/cancel-watches.ts';
import type { PayableAgreement } from '../../../shared/cases/household-money.ts';
import type { Change } from '../../../shared/cases/ports.ts';
import type { Project } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { openWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { DOWNLOAD_URL_TTL_SECONDS, type StoredDocument } from '../../../shared/evidence/evidence.ts';
import { NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { formatYuan } from '../../../shared/money.ts';
import { log } from '../../../shared/log.ts';
import { attachDocument, draftAgreement, payoutFen, signAgreement, supplementAgreement, type Agreement, type AgreementMode } from '../domain/agreement.ts';
import type { Household } from '../domain/household.ts';
import { sumFen } from '../domain/quantity.ts';
import { listCovers } from '../domain/resettlement-list.ts';
import type { AgreementDocument, DocumentRenderer } from './documents.ts';
import { authorizeOnHousehold, commitHousehold, groupOf, householdTarget, verifiedUploads } from './household-access.ts';
import { statedTime } from '../domain/survey.ts';
import { changedMeanwhile, householdLabel, load } from './household-access.ts';
import type { CompensationDeps, DocumentsDeps } from './use-cases.ts';

/** The payment clock of a household runs in its own workflow phase (the payments service adds its steps). */
export const PAYMENT_PHASE = 'payment';

const LAND_BUREAU_BRANCH: Record<string, string> = {
  'yongzhou/lengshuitan': '永州市国土资源局冷水滩分局',
  'yongzhou/etdz': '永州市国土资源局经开区分局',
};

export interface AgreementDraftRequest {
  mode: AgreementMode;
  /** For a supplementary agreement (补充协议): the live agreement it amends, and why. */
  supplements?: string | undefined;
  reason?: string | undefined;
}

/**
 * Drafts the household's agreement from its final computation and renders the document the
 * household signs (PDF, stored once with its SHA-256). Needs the group's resettlement list approved
 * with this household in it, a computation made after that approval, and that computation
 * disclosed and posted in the group (the same survey revision and total).
 */
export async function draftHouseholdAgreement(
  deps: DocumentsDeps & { renderer: DocumentRenderer },
  householdId: string,
  input: AgreementDraftRequest,
  ctx: ActionContext,
): Promise<{ agreement: Agreement; document: StoredDocument & { url: string } }> {
  const { project, household } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'agreement.draft', project, household);
  const [locked, stored, list, existing] = await Promise.all([
    deps.standards.find(project.id),
    deps.compensations.find(householdId),
    deps.lists.find(project.id, household.villageGroupId),
    deps.agreements.ofHousehold(householdId),
  ]);
  if (!locked) throw new RuleViolationError('compensation.standard-not-locked', '补偿标准尚未锁定，不能拟定协议');
  if (!stored) throw new RuleViolationError('agreement.not-computed', '该户补偿尚未核算，不能拟定协议');
  if (!listCovers(list, householdId)) {
    throw new RuleViolationError('agreement.resettlement-list-not-approved', '该户所在村民小组的安置人员名单尚未经区人民政府审批（或审批时尚无该户），不能拟定协议（方案§三(三)）');
  }
  const compensation = withoutVersion(stored);
  if (list?.approval && compensation.computedAt < list.approval.at) {
    throw new RuleViolationError('agreement.compensation-stale', '安置人员名单审批后尚未重新核算补偿，请重新核算后再拟定协议');
  }
  const agreements = existing.map((a) => withoutVersion(a));
  const group = groupOf(project, household.villageGroupId);
  const draftInput = {
    agreementId: deps.newId(ctx.now.getTime()),
    number: `${group.id.toUpperCase()}-${household.householdNumber}-${String(agreements.length + 1).padStart(2, '0')}`,
    household,
    compensation,
    standard: locked.standard,
    mode: input.mode,
    existing: agreements,
    actor: ctx.actor,
    now: ctx.now,
  };
  const original = input.supplements ? agreements.find((a) => a.agreementId === input.supplements) : undefined;
  if (input.supplements && !original) throw new NotFoundError('agreement.not-found', `协议不存在：${input.supplements}`);
  const drafted = original ? supplementAgreement(original, input.reason ?? '', draftInput) : draftAgreement(draftInput);
  // What the household signs must be what was disclosed and posted in its group (公示), unchanged.
  const disclosures = await deps.disclosures.ofGroup(project.id, household.villageGroupId);
  const disclosed = disclosures.some(
    (d) => d.postings.length > 0 && d.households.some((h) => h.householdId === householdId && h.surveyRevision === compensation.surveyRevision && h.totalFen === compensation.totalFen),
  );
  if (!disclosed) {
    throw new RuleViolationError('agreement.not-disclosed', '该户补偿核算结果尚未在村民小组公示并张贴，或公示后补偿又有变更，不能拟定协议（请重新导出公示并张贴）');
  }

  const pdf = await deps.renderer.agreementPdf(agreementDocument(project, household, drafted.agreement, locked.standard.resettlementOptions, original));
  const key = `projects/${project.id}/households/${householdId}/agreements/${drafted.agreement.agreementId}.pdf`;
  const document = await deps.files.put(key, pdf, 'application/pdf', `征收土地协议-${drafted.agreement.number}.pdf`);
  const agreement = attachDocument(drafted.agreement, document.sha256);
  const versions = new Map(existing.map((a) => [a.agreementId, a.version]));
  await commitHousehold(
    deps.uow,
    ctx,
    household,
    'agreement.draft',
    [deps.agreements.save(agreement, 'absent'), ...drafted.superseded.map((a): Change => deps.agreements.save(a, versions.get(a.agreementId)!))],
    { agreementId: agreement.agreementId, number: agreement.number, kind: agreement.kind, totalFen: agreement.totalFen, documentSha256: document.sha256 },
  );
  const url = await deps.files.presignDownload(key, DOWNLOAD_URL_TTL_SECONDS, ctx.now);
  return { agreement, document: { ...document, url } };
}

/**
 * The branch signs with the household (seed §五(一)4): the signed scan is verified, the agreement
 * becomes immutable, and the 3-month payment clock starts (rule `compensation-payment`); finance
 * hears of it in its inbox.
 */
export async function signHouseholdAgreement(
  deps: CompensationDeps,
  householdId: string,
  agreementId: string,
  input: { uploadId: string; place: string; documentSha256: string; signedAt?: string | undefined },
  ctx: ActionContext,
): Promise<{ agreement: Agreement; payment: DeadlineWatch }> {
  const { project, household, version } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'agreement.sign', project, household);
  const stored = await deps.agreements.ofHousehold(householdId);
  const found = stored.find((a) => a.agreementId === agreementId);
  if (!found) throw new NotFoundError('agreement.not-found', `协议不存在：${agreementId}`);
  const signedAt = statedTime(input.signedAt, found.draftedAt, ctx.now, '协议签订');
  const { evidence, changes } = await verifiedUploads(deps, { caseId: householdId, projectId: project.id }, 'agreement-scan', [input.uploadId], `agreement:${agreementId}`, ctx);
  const signed = signAgreement(
    withoutVersion(found),
    household,
    stored.map((a) => withoutVersion(a)),
    { documentSha256: input.documentSha256.toLowerCase(), place: input.place, evidence: evidence[0], signedAt },
    ctx.actor,
    ctx.now,
  );
  // The clock runs from the first signing; a supplement amends the terms, not when they started.
  const existingClock = await deps.watches.find(householdId, 'compensation-payment');
  const payment = existingClock?.watch ?? openWatch({ caseId: householdId, projectId: project.id, caseLabel: householdLabel(project, household), phase: PAYMENT_PHASE, jurisdiction: project.district }, watchRule('compensation-payment'), signedAt, await deps.calendar());
  const versions = new Map(stored.map((a) => [a.agreementId, a.version]));
  const group = groupOf(project, household.villageGroupId);
  const told = inboxEvent({
    id: deps.newId(ctx.now.getTime()),
    projectId: project.id,
    addressee: 'finance',
    kind: 'agreement-signed',
    at: ctx.now,
    title: `征收土地协议已签订，须3个月内足额支付：${group.village}${group.name} ${household.householdNumber} 号户`,
    text: `协议${signed.agreement.number}已签订，补偿款须于${payment.lastDay}（北京时间24时）前足额支付（方案§五(一)4、§三(八)）。`,
    jurisdictions: [project.district],
    data: {
      householdId,
      villageGroupId: household.villageGroupId,
      householdNumber: household.householdNumber,
      agreementId,
      agreementNumber: signed.agreement.number,
      kind: signed.agreement.kind,
      totalFen: signed.agreement.totalFen,
      amountsByPayee: signed.agreement.amountsByPayee,
      signedAt: signedAt.toISOString(),
      payment: { dueAt: payment.dueAt, lastDay: payment.lastDay },
    },
  });
  const firstSigning = !household.agreementInForce;
  // A first signing ends the enforcement chain of a household that had refused to sign, and its
  // clocks with it (decision 0026). A supplement does not: a chain against a household paid in
  // full that refuses to vacate goes on.
  const enforcement = firstSigning
    ? await cancelLiveWatches(deps.watches, householdId, ENFORCEMENT_PHASE_PREFIX, ctx.now, `被征收户已签订征收土地协议（${signed.agreement.number}），强制执行程序终结`)
    : { changes: [], releases: [] };
  const supersededIds = new Set(signed.superseded.map((a) => a.agreementId));
  const supersededPayables = (await deps.payableAgreements.ofHousehold(householdId)).filter((a) => supersededIds.has(a.agreementId));
  // Full funds first (2021 Regulations art. 32): what the signed agreements pay out is counted on the
  // project; when it passes what was confirmed in the dedicated account, finance and the investment
  // groups are told in the same transaction.
  const payoutDelta = payoutFen(signed.agreement) - sumFen(signed.superseded.map((a) => payoutFen(a)));
  const [payouts, deposits] = await Promise.all([deps.counters.read(project.id, 'agreements-payout-fen'), deps.counters.read(project.id, 'deposits-confirmed-fen')]);
  const shortfall = payouts + payoutDelta - deposits;
  const shortOfFunds =
    shortfall > 0
      ? (['finance', 'investment-group'] as const).map((addressee) =>
          inboxEvent({
            id: deps.newId(ctx.now.getTime()),
            projectId: project.id,
            addressee,
            kind: 'funds-short',
            at: ctx.now,
            title: `征地拆迁专户资金不足：${project.name}`,
            text: `已签订协议应付补偿款合计${formatYuan(payouts + payoutDelta)}元，专户已确认到账${formatYuan(deposits)}元，缺口${formatYuan(shortfall)}元；请及时足额缴存（方案§三(八)(十五)，《土地管理法实施条例》第三十二条）。`,
            jurisdictions: [project.district],
            data: { payoutsFen: payouts + payoutDelta, depositsFen: deposits, shortfallFen: shortfall, agreementId },
          }),
        )
      : [];
  await commitHousehold(
    deps.uow,
    ctx,
    household,
    'agreement.sign',
    [
      deps.agreements.save(signed.agreement, versions.get(agreementId)!),
      ...signed.superseded.map((a): Change => deps.agreements.save(a, versions.get(a.agreementId)!)),
      // Payments reads what it pays from the kernel, never from this service's records.
      deps.payableAgreements.save(payableOf(signed.agreement, project, household, signedAt), 'absent'),
      ...supersededPayables.map(({ version: expected, ...a }): Change => deps.payableAgreements.save({ ...a, status: 'superseded', supersededBy: agreementId }, expected)),
      deps.households.save(signed.household, version, changedMeanwhile()),
      ...changes,
      ...(existingClock ? [] : [deps.watches.save(payment, 'absent')]),
      ...(firstSigning ? [deps.counters.increment(project.id, 'households-signed')] : []),
      ...(payoutDelta !== 0 ? [deps.counters.increment(project.id, 'agreements-payout-fen', payoutDelta)] : []),
      deps.inbox.add(told),
      ...shortOfFunds.map((e) => deps.inbox.add(e)),
      ...enforcement.changes,
    ],
    { agreementId, number: signed.agreement.number, kind: signed.agreement.kind, totalFen: signed.agreement.totalFen, paymentDueAt: payment.dueAt, ...(enforcement.changes.length ? { enforcementClocksCancelled: enforcement.changes.length } : {}) },
  );
  for (const { token, watch } of enforcement.releases) {
    // A lost release is made good by the workflow's weekly look at the record (the watch is cancelled).
    await deps.scheduler.release(token, watch).catch((error) => log.error('enforcement workflow release failed', { householdId, error: String(error) }));
  }
  if (!existingClock) {
    try {
      await deps.scheduler.watch(householdId, PAYMENT_PHASE, [payment], ctx.now);
    } catch (error) {
      // The clock is recorded; reconcile starts its workflow if this start did not happen.
      log.error('payment workflow start failed; reconcile will retry', { householdId, error: String(error) });
    }
  }
  return { agreement: signed.agreement, payment };
}

/** The household's agreements, newest first, and a download link for each one's document. */
export async function listHouseholdAgreements(deps: CompensationDeps, householdId: string, ctx: ActionContext): Promise<Array<Agreement & { documentUrl?: string }>> {
  const { project, household } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'agreement.read', project, household);
  const agreements = (await deps.agreements.ofHousehold(householdId)).map((a) => withoutVersion(a)).sort((a, b) => b.draftedAt.localeCompare(a.draftedAt));
  await auditRead(deps.uow, ctx, 'agreement.read', householdTarget(household, 'agreement'), { count: agreements.length });
  return Promise.all(
    agreements.map(async (a) => {
      if (!a.documentSha256) return a;
      const key = `projects/${project.id}/households/${householdId}/agreements/${a.agreementId}.pdf`;
      return { ...a, documentUrl: await deps.files.presignDownload(key, DOWNLOAD_URL_TTL_SECONDS, ctx.now) };
    }),
  );
}

/** The view the PDF renderer lays out: every line, the swap's settlement, the payment terms. */
function agreementDocument(project: Project, household: Household, agreement: Agreement, options: ReadonlyArray<{ id: string; description: string }>, original: Agreement | undefined): AgreementDocument {
  const group = groupOf(project, household.villageGroupId);
  const swapLine = agreement.lines.find((l) => l.kind === 'swap-house-price');
  return {
    agreementNumber: agreement.number,
    kind: agreement.kind === 'supplementary' && original ? { kind: 'supplementary', originalAgreementNumber: original.number, reason: agreement.reason ?? '' } : { kind: 'original' },
    projectName: project.name,
    villageGroupName: `${group.village}${group.name}`,
    householdNumber: household.householdNumber,
    headName: household.headName,
    members: household.members.map((m) => ({ name: m.name, relation: m.relation, idNumberMasked: m.idNumberMasked })),
    mode:
      agreement.mode.kind === 'swap' && agreement.swap && swapLine
        ? {
            mode: 'swap',
            resettlementOption: options.find((o) => o.id === agreement.mode.optionId)?.description ?? agreement.mode.optionId,
            houseAreaSquareMetres: agreement.mode.houseAreaSquareMetres,
            housePriceFen: agreement.swap.housePriceFen,
            difference: { amountFen: Math.abs(agreement.swap.differenceFen), direction: agreement.swap.differenceFen < 0 ? 'household-pays' : 'household-receives' },
          }
        : { mode: 'cash' },
    lines: agreement.lines,
    totalFen: agreement.totalFen,
    amountsByPayee: agreement.amountsByPayee,
    paymentTerms: { text: agreement.paymentTerms },
    parties: { landBureauBranch: LAND_BUREAU_BRANCH[project.district] ?? '永州市国土资源局' },
    generatedAt: agreement.draftedAt,
  };
}

/** The signed agreement as the kernel publishes it to payments (shared/cases/household-money.ts). */
function payableOf(agreement: Agreement, project: Project, household: Household, signedAt: Date): PayableAgreement {
  const lines = agreement.lines.map((l) => ({ kind: l.kind, itemId: l.itemId, amountFen: l.amountFen, payee: l.payee }));
  const insured = new Set(lines.filter((l) => l.payee === 'social-security-fund').map((l) => l.itemId));
  return {
    agreementId: agreement.agreementId,
    householdId: household.householdId,
    projectId: project.id,
    number: agreement.number,
    kind: agreement.kind,
    ...(agreement.supplements ? { supplements: agreement.supplements } : {}),
    status: 'signed',
    lines,
    totalFen: agreement.totalFen,
    signedAt: signedAt.toISOString(),
    villageGroupId: household.villageGroupId,
    householdNumber: household.householdNumber,
    caseLabel: householdLabel(project, household),
    jurisdiction: project.district,
    persons: household.members.filter((m) => insured.has(m.memberId)).map((m) => ({ memberId: m.memberId, name: m.name })),
  };
}
