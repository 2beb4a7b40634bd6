import { auditOf, type ActionContext, type AuditRecord } from '../../../shared/audit.ts';
import type { HouseholdPaymentStatus, HouseholdStep, PayableAgreement } from '../../../shared/cases/household-money.ts';
import type {
  Change,
  HouseholdPaymentStatusRepository,
  HouseholdStepRepository,
  InboxRepository,
  PayableAgreementRepository,
  ProjectRepository,
  UnitOfWork,
  Versioned,
} from '../../../shared/cases/ports.ts';
import { missingSocialSecuritySteps } from '../../../shared/cases/social-security-steps.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import { authorize, authorizeAgency, type Action } from '../../../shared/permissions.ts';
import { maskIdNumber, normaliseIdNumber } from '../../../shared/pii/id-number.ts';
import { memberIdOf } from '../../../shared/pii/member-id.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import {
  agreementInForce,
  checkEnrolment,
  personOf,
  personStatus,
  personStep,
  recordEnrolment,
  recordTransfer,
  subsidyLineFen,
  type EnrolmentInput,
  type PersonSocialSecurity,
  type PersonStatus,
  type TransferInput,
} from '../domain/social-security.ts';
import type { SocialSecurityRepository } from './ports.ts';

export interface SocialSecurityDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  payableAgreements: PayableAgreementRepository;
  paymentStatus: HouseholdPaymentStatusRepository;
  householdSteps: HouseholdStepRepository;
  inbox: InboxRepository;
  records: SocialSecurityRepository;
  pii: PiiVault;
  newId: (nowMs: number) => string;
}

interface HouseholdCase {
  agreement: PayableAgreement;
  payment: HouseholdPaymentStatus | undefined;
  records: Array<Versioned<PersonSocialSecurity>>;
  steps: Array<Versioned<HouseholdStep>>;
}

/**
 * The household's case as this service sees it in the kernel: the agreement in force, the payment
 * status and its records. An agency without the duty is refused before anything is read; the case
 * lies in the project's district and the household's township (city agencies cover both).
 */
async function loadCase(deps: SocialSecurityDeps, householdId: string, action: Action, ctx: ActionContext): Promise<HouseholdCase> {
  authorizeAgency(ctx.actor, action);
  const agreement = agreementInForce((await deps.payableAgreements.ofHousehold(householdId)).map(withoutVersion));
  if (!agreement) throw new NotFoundError('social-security.no-agreement', `被征收户${householdId}尚无已签订的征收土地协议`);
  const project = await deps.projects.get(agreement.projectId);
  const township = project.villageGroups.find((g) => g.id === agreement.villageGroupId)?.township;
  authorize(ctx.actor, action, [agreement.jurisdiction, ...(township ? [township] : [])]);
  const [payment, records, steps] = await Promise.all([deps.paymentStatus.find(householdId), deps.records.ofHousehold(householdId), deps.householdSteps.ofHousehold(householdId)]);
  return { agreement, payment: payment && withoutVersion(payment), records, steps };
}

/** Each act chains under the household (decision 0012), one target per person. */
const personTarget = (agreement: PayableAgreement, memberId: string) => ({ type: 'social-security', id: `${agreement.householdId}#${memberId}`, projectId: agreement.projectId, householdId: agreement.householdId });

/** The person's timeline step, replacing the published one at its version. */
function stepChange(deps: SocialSecurityDeps, c: HouseholdCase, step: HouseholdStep): Change {
  return deps.householdSteps.save(step, c.steps.find((s) => s.key === step.key)?.version ?? 'absent');
}

export interface PersonView {
  memberId: string;
  name: string;
  /** The agreement's social-security line for the person. */
  lineFen: Fen;
  status: PersonStatus;
  transfer?: PersonSocialSecurity['transfer'];
  enrolment?: PersonSocialSecurity['enrolment'];
}

function viewOf(c: HouseholdCase, person: { memberId: string; name: string }, record: PersonSocialSecurity | undefined): PersonView {
  return {
    memberId: person.memberId,
    name: person.name,
    lineFen: subsidyLineFen(c.agreement, person.memberId),
    status: personStatus(c.payment, c.agreement, record),
    ...(record ? { transfer: record.transfer } : {}),
    ...(record?.enrolment ? { enrolment: record.enrolment } : {}),
  };
}

/**
 * Finance records the person's subsidy transfer (seed §三(八)); HR-social-security is asked to
 * enrol the person (an inbox event), and the person's step on the timeline moves to HR.
 */
export async function recordSubsidyTransfer(deps: SocialSecurityDeps, householdId: string, memberId: string, input: TransferInput, ctx: ActionContext): Promise<PersonView> {
  const c = await loadCase(deps, householdId, 'social-security.transfer', ctx);
  const existing = c.records.find((r) => r.memberId === memberId);
  const record = recordTransfer(c.agreement, c.payment, existing && withoutVersion(existing), memberId, input, ctx.actor, ctx.now);
  const person = { memberId, name: record.name };
  const { transfer } = record;
  await deps.uow.commit(
    [deps.records.save(record, 'absent'), stepChange(deps, c, personStep(c.agreement, person, record, ctx.now)), deps.inbox.add(transferRecorded(deps, c.agreement, record, ctx.now))],
    [
      auditOf(ctx, 'social-security.transfer', personTarget(c.agreement, memberId), {
        memberId,
        amountFen: transfer.amountFen,
        lineFen: transfer.lineFen,
        transferDate: transfer.transferDate,
        voucherNumber: transfer.voucherNumber,
        ...(transfer.reason ? { reason: transfer.reason } : {}),
      }),
    ],
  );
  return viewOf(c, person, record);
}

function transferRecorded(deps: SocialSecurityDeps, agreement: PayableAgreement, record: PersonSocialSecurity, now: Date) {
  const { transfer } = record;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: agreement.projectId,
    addressee: 'hr-social-security',
    kind: 'social-security-transfer-recorded',
    at: now,
    title: `待参保登记：${agreement.caseLabel} ${record.name}`,
    text: `市财政局已划转${record.name}的被征地农民社会保障补贴资金${formatYuan(transfer.amountFen)}元（凭证${transfer.voucherNumber}，划转日期${transfer.transferDate}），请办理基本养老保险、基本医疗保险参保登记（方案§三(八)(十一)）。`,
    jurisdictions: [agreement.jurisdiction],
    data: {
      householdId: agreement.householdId,
      villageGroupId: agreement.villageGroupId,
      householdNumber: agreement.householdNumber,
      agreementId: agreement.agreementId,
      memberId: record.memberId,
      name: record.name,
      amountFen: transfer.amountFen,
      transferDate: transfer.transferDate,
      voucherNumber: transfer.voucherNumber,
    },
  });
}

export interface EnrolmentRequest extends EnrolmentInput {
  /** 社会保障号码: the person's ID number (SIL art. 58), sealed here, never stored in clear. */
  socialSecurityNumber: string;
}

/**
 * HR-social-security records the person's enrolment in basic pension and basic medical insurance
 * (seed §三(十一)), after finance's transfer. The social insurance number must be the person's own
 * ID number: its keyed hash gives the member's id.
 */
export async function recordPersonEnrolment(deps: SocialSecurityDeps, householdId: string, memberId: string, input: EnrolmentRequest, ctx: ActionContext): Promise<PersonView> {
  const c = await loadCase(deps, householdId, 'social-security.enrol', ctx);
  const person = personOf(c.agreement, memberId);
  const stored = c.records.find((r) => r.memberId === memberId);
  const existing = stored && withoutVersion(stored);
  // Refusals that need no key first: a refused request makes no call to the vault.
  checkEnrolment(existing, person, input, ctx.now);
  const number = normaliseIdNumber(input.socialSecurityNumber);
  const sealed = await deps.pii.protect(number, maskIdNumber(number), { purpose: 'social-security-number', projectId: c.agreement.projectId });
  if (memberIdOf(sealed.mac) !== memberId) {
    throw new RuleViolationError('social-security.number-not-member', `社会保障号码${sealed.masked}不是${person.name}的公民身份号码（《社会保险法》第五十八条）`);
  }
  const record = recordEnrolment(existing, person, { ...input, socialSecurityNumberMasked: sealed.masked }, ctx.actor, ctx.now);
  const { enrolment } = record;
  await deps.uow.commit(
    [deps.records.save(record, stored!.version), deps.records.keepSealedNumber(householdId, memberId, sealed), stepChange(deps, c, personStep(c.agreement, person, record, ctx.now))],
    [auditOf(ctx, 'social-security.enrol', personTarget(c.agreement, memberId), { memberId, pension: enrolment!.pension, medical: enrolment!.medical, enrolmentDate: enrolment!.enrolmentDate })],
  );
  return viewOf(c, person, record);
}

export interface SocialSecurityView {
  householdId: string;
  projectId: string;
  agreementId: string;
  agreementNumber: string;
  caseLabel: string;
  paidInFullAt?: string;
  persons: PersonView[];
}

/**
 * Each approved person's social security (reading it is audited). Once the household is paid in
 * full, the first read publishes the persons' open steps the timeline still lacks (payments is
 * meant to publish them when it settles the household; this covers a household settled before).
 */
export async function readSocialSecurity(deps: SocialSecurityDeps, householdId: string, ctx: ActionContext): Promise<SocialSecurityView> {
  const c = await loadCase(deps, householdId, 'social-security.read', ctx);
  const records = new Map(c.records.map((r) => [r.memberId, withoutVersion(r)]));
  const paid = c.payment?.paidInFullAt !== undefined && c.payment.agreementId === c.agreement.agreementId;
  const view: SocialSecurityView = {
    householdId,
    projectId: c.agreement.projectId,
    agreementId: c.agreement.agreementId,
    agreementNumber: c.agreement.number,
    caseLabel: c.agreement.caseLabel,
    ...(paid ? { paidInFullAt: c.payment!.paidInFullAt! } : {}),
    persons: c.agreement.persons.map((p) => viewOf(c, p, records.get(p.memberId))),
  };
  const audit: AuditRecord = auditOf(ctx, 'social-security.read', { type: 'household', id: householdId, projectId: c.agreement.projectId, householdId }, { persons: view.persons.length });
  const missing = paid ? missingSocialSecuritySteps(c.agreement, c.steps, ctx.now) : [];
  if (missing.length === 0) {
    await deps.uow.appendAudit([audit]);
    return view;
  }
  try {
    await deps.uow.commit(missing.map((step) => deps.householdSteps.save(step, 'absent')), [audit]);
  } catch (error) {
    // Another read or an act published a step in between: it is there; only the read is recorded.
    if (!(error instanceof ConflictError)) throw error;
    await deps.uow.appendAudit([audit]);
  }
  return view;
}
