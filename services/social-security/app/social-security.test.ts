import { beforeEach, describe, expect, it } from 'vitest';
import { socialSecurityTransferRecordedV1 } from '../../../events/social-security-transfer-recorded.v1.ts';
import { MemoryPiiVault } from '../../../shared/adapters/memory-pii-vault.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { HouseholdPaymentStatus, PayableAgreement } from '../../../shared/cases/household-money.ts';
import type { Identity } from '../../../shared/identity.ts';
import { memberIdOf } from '../../../shared/pii/member-id.ts';
import { AGENTS, ctxOf, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { socialSecurityDepsOn } from '../adapters/deps.ts';
import { readSocialSecurity, recordPersonEnrolment, recordSubsidyTransfer, type SocialSecurityDeps } from './social-security.ts';

const HR: Identity = { user: 'lin.hr', agency: 'hr-social-security', jurisdiction: 'yongzhou' };
const ZHANG_ID = '11010519491231002X';
const LI_ID = '440524188001010014';

let store: MemoryTable;
let vault: MemoryPiiVault;
let deps: SocialSecurityDeps;
let kernel: ReturnType<typeof caseKernel>;
let agreement: PayableAgreement;
let zhang: string;
let li: string;

beforeEach(async () => {
  store = new MemoryTable();
  vault = new MemoryPiiVault();
  deps = socialSecurityDepsOn(store, { pii: vault, newId: sequentialIds });
  kernel = caseKernel(store);
  const { project } = await projectWithPublishedNotice(store);
  // Member ids are derived from the keyed hash of the ID number, as the compensation service does.
  zhang = memberIdOf(await vault.mac(ZHANG_ID));
  li = memberIdOf(await vault.mac(LI_ID));
  agreement = {
    agreementId: 'A1', householdId: 'H1', projectId: project.id, number: '冷征协〔2026〕001号', kind: 'original', status: 'signed',
    lines: [
      { kind: 'land', itemId: 'parcel-1', amountFen: 9_000_000, payee: 'collective' },
      { kind: 'social-security', itemId: zhang, amountFen: 2_500_000, payee: 'social-security-fund' },
      { kind: 'social-security', itemId: li, amountFen: 2_500_000, payee: 'social-security-fund' },
    ],
    totalFen: 14_000_000, signedAt: '2026-10-10T02:00:00.000Z', villageGroupId: 'g1', householdNumber: '001',
    caseLabel: '梅湾村一组 001 号户（户主张三）', jurisdiction: project.district,
    persons: [{ memberId: zhang, name: '张三' }, { memberId: li, name: '李四' }],
  };
  // What the compensation service publishes at signing.
  await kernel.uow.commit([kernel.payableAgreements.save(agreement, 'absent')], []);
});

/** What the payments service publishes when the bank settles the last payee group. */
async function paidInFull(at = '2026-11-02T02:00:00.000Z'): Promise<void> {
  const status: HouseholdPaymentStatus = {
    householdId: 'H1', projectId: agreement.projectId, agreementId: 'A1', agreementNumber: agreement.number,
    dueFen: 14_000_000, paidFen: 14_000_000, inFlightFen: 0, outstandingFen: 0, paidInFullAt: at, rejectedGroups: [], updatedAt: at,
  };
  const existing = await kernel.paymentStatus.find('H1');
  await kernel.uow.commit([kernel.paymentStatus.save(status, existing?.version ?? 'absent')], []);
}

const asFinance = (at = '2026-11-05T10:00:00+08:00') => ctxOf(AGENTS.finance, at);
const asHr = (at = '2026-11-06T10:00:00+08:00') => ctxOf(HR, at);
const transfer = { amountFen: 2_500_000, transferDate: '2026-11-04', voucherNumber: 'SB-2026-001' };
const enrolment = { pension: 'urban-rural-resident' as const, medical: 'urban-rural-resident' as const, enrolmentDate: '2026-11-05', socialSecurityNumber: ZHANG_ID };

/** Everything stored but the audit trail: a refusal must leave it as it was. */
const snapshot = () => JSON.stringify([...store.items.entries()]);
const stepOf = async (memberId: string) => (await kernel.householdSteps.ofHousehold('H1')).find((s) => s.key === `social-security:${memberId}`);

describe('finance records the subsidy transfer', () => {
  it('after full payment: the person\'s record in the service\'s partition, the timeline step moved to HR, HR told, audited in fen', async () => {
    await paidInFull();
    const view = await recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance());
    expect(view).toMatchObject({ memberId: zhang, name: '张三', lineFen: 2_500_000, status: 'awaiting-enrolment', transfer: { amountFen: 2_500_000, transferDate: '2026-11-04', voucherNumber: 'SB-2026-001', by: AGENTS.finance } });
    expect(store.items.get(`SOCIAL-SECURITY#H1\u0000PERSON#${zhang}`)).toMatchObject({ memberId: zhang, transfer: { amountFen: 2_500_000 } });
    expect(await stepOf(zhang)).toMatchObject({ step: '社会保障：张三', status: 'open', responsibleAgency: 'hr-social-security', detail: expect.stringContaining('补贴已划转') });
    expect(store.audit.at(-1)).toMatchObject({ action: 'social-security.transfer', actor: AGENTS.finance, target: { type: 'social-security', id: `H1#${zhang}`, householdId: 'H1' }, summary: { amountFen: 2_500_000, lineFen: 2_500_000 } });
    const told = await kernel.inbox.page('hr-social-security', { limit: 10 });
    expect(told.items).toHaveLength(1);
    expect(socialSecurityTransferRecordedV1.schema.parse(told.items[0])).toMatchObject({ addressee: 'hr-social-security', jurisdictions: ['yongzhou/lengshuitan'], data: { householdId: 'H1', memberId: zhang, name: '张三', amountFen: 2_500_000 } });
    expect(told.items[0]!.text).toContain('25,000.00元');
  });

  it('is refused before the household is paid in full (422), writing nothing', async () => {
    const before = snapshot();
    await expect(recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance())).rejects.toMatchObject({ code: 'social-security.not-paid', category: 'rule' });
    expect(snapshot()).toBe(before);
  });

  it('is refused a second time (409), for an unknown person (404), an unknown household (404), a wrong amount or date, and by another agency — writing nothing', async () => {
    await paidInFull();
    await recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance());
    const before = snapshot();
    await expect(recordSubsidyTransfer(deps, 'H1', zhang, { ...transfer, voucherNumber: 'SB-2' }, asFinance())).rejects.toMatchObject({ code: 'social-security.transfer-recorded', category: 'conflict' });
    await expect(recordSubsidyTransfer(deps, 'H1', 'MNOSUCH', transfer, asFinance())).rejects.toMatchObject({ code: 'social-security.person-not-found', category: 'not-found' });
    await expect(recordSubsidyTransfer(deps, 'NOSUCH', li, transfer, asFinance())).rejects.toMatchObject({ code: 'social-security.no-agreement', category: 'not-found' });
    await expect(recordSubsidyTransfer(deps, 'H1', li, { ...transfer, amountFen: 2_000_000 }, asFinance())).rejects.toMatchObject({ code: 'social-security.amount-short' });
    await expect(recordSubsidyTransfer(deps, 'H1', li, { ...transfer, amountFen: 3_000_000 }, asFinance())).rejects.toMatchObject({ code: 'social-security.amount-differs' });
    await expect(recordSubsidyTransfer(deps, 'H1', li, { ...transfer, transferDate: '2026-11-06' }, asFinance())).rejects.toMatchObject({ code: 'social-security.date-in-future', category: 'validation' });
    await expect(recordSubsidyTransfer(deps, 'H1', li, transfer, asHr())).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(recordSubsidyTransfer(deps, 'H1', li, transfer, ctxOf(AGENTS.landBranch, '2026-11-05T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    expect(snapshot()).toBe(before);
  });

  it('of two transfers of one person prepared at once, one commits and the other is a conflict', async () => {
    await paidInFull();
    const results = await Promise.allSettled([recordSubsidyTransfer(deps, 'H1', li, transfer, asFinance()), recordSubsidyTransfer(deps, 'H1', li, { ...transfer, voucherNumber: 'SB-9' }, asFinance())]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ category: 'conflict' });
    expect((await deps.records.ofHousehold('H1')).filter((r) => r.memberId === li)).toHaveLength(1);
  });
});

describe('HR-social-security records the enrolment', () => {
  it('only after finance\'s transfer (422), then once: number sealed and masked, the step done', async () => {
    await paidInFull();
    const before = snapshot();
    await expect(recordPersonEnrolment(deps, 'H1', zhang, enrolment, asHr())).rejects.toMatchObject({ code: 'social-security.transfer-first', category: 'rule' });
    expect(snapshot()).toBe(before);
    await recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance());
    const view = await recordPersonEnrolment(deps, 'H1', zhang, { ...enrolment, socialSecurityNumber: ` ${ZHANG_ID.toLowerCase()} ` }, asHr());
    expect(view).toMatchObject({ status: 'enrolled', enrolment: { pension: 'urban-rural-resident', medical: 'urban-rural-resident', enrolmentDate: '2026-11-05', socialSecurityNumberMasked: '1101**********002X', by: HR } });
    // Stored only masked and sealed: the clear number is nowhere in the table or the trail.
    expect(snapshot()).not.toContain(ZHANG_ID);
    expect(JSON.stringify(store.audit)).not.toContain(ZHANG_ID);
    const sealed = store.items.get(`SOCIAL-SECURITY#H1\u0000SEALED-NUMBER#${zhang}`) as unknown as { socialSecurityNumber: { cipher: string; masked: string } };
    expect(await vault.reveal(sealed.socialSecurityNumber.cipher, { purpose: 'social-security-number', projectId: agreement.projectId })).toBe(ZHANG_ID);
    expect(await stepOf(zhang)).toMatchObject({ status: 'done', responsibleAgency: 'hr-social-security', by: { agency: 'hr-social-security' }, detail: expect.stringContaining('已参保养老、医疗') });
    expect(store.audit.at(-1)).toMatchObject({ action: 'social-security.enrol', actor: HR, summary: { memberId: zhang, pension: 'urban-rural-resident' } });
    const after = snapshot();
    await expect(recordPersonEnrolment(deps, 'H1', zhang, enrolment, asHr())).rejects.toMatchObject({ code: 'social-security.enrolled', category: 'conflict' });
    expect(snapshot()).toBe(after);
  });

  it('refuses a number that is not the person\'s ID number, an invalid one, and another agency — writing nothing', async () => {
    await paidInFull();
    await recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance());
    const before = snapshot();
    await expect(recordPersonEnrolment(deps, 'H1', zhang, { ...enrolment, socialSecurityNumber: LI_ID }, asHr())).rejects.toMatchObject({ code: 'social-security.number-not-member', category: 'rule', message: expect.stringContaining('4405**********0014') });
    await expect(recordPersonEnrolment(deps, 'H1', zhang, { ...enrolment, socialSecurityNumber: '110105194912310021' }, asHr())).rejects.toMatchObject({ code: 'id-number.invalid', category: 'validation' });
    await expect(recordPersonEnrolment(deps, 'H1', zhang, { ...enrolment, enrolmentDate: '2026-11-03' }, asHr())).rejects.toMatchObject({ code: 'social-security.enrolment-before-transfer' });
    await expect(recordPersonEnrolment(deps, 'H1', zhang, enrolment, asFinance())).rejects.toMatchObject({ code: 'forbidden.agency' });
    expect(snapshot()).toBe(before);
  });
});

describe('the household\'s social-security view', () => {
  it('is read by the agencies concerned in the case\'s jurisdiction (audited), and refused elsewhere', async () => {
    const view = await readSocialSecurity(deps, 'H1', ctxOf(AGENTS.meiwan, '2026-11-01T10:00:00+08:00'));
    expect(view).toMatchObject({ householdId: 'H1', agreementNumber: '冷征协〔2026〕001号', persons: [{ name: '张三', status: 'awaiting-payment', lineFen: 2_500_000 }, { name: '李四', status: 'awaiting-payment' }] });
    expect(view.paidInFullAt).toBeUndefined();
    expect(store.audit.at(-1)).toMatchObject({ action: 'social-security.read', target: { type: 'household', id: 'H1', householdId: 'H1' } });
    // Before full payment nothing is open on the timeline yet.
    expect(await kernel.householdSteps.ofHousehold('H1')).toEqual([]);
    await expect(readSocialSecurity(deps, 'H1', ctxOf(AGENTS.yitang, '2026-11-01T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    await expect(readSocialSecurity(deps, 'H1', ctxOf(AGENTS.etdzBranch, '2026-11-01T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    await expect(readSocialSecurity(deps, 'H1', ctxOf(AGENTS.police, '2026-11-01T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
    // An agency without the duty learns nothing, not even whether the household exists.
    await expect(readSocialSecurity(deps, 'NOSUCH', ctxOf(AGENTS.police, '2026-11-01T10:00:00+08:00'))).rejects.toMatchObject({ code: 'forbidden.agency' });
  });

  it('once paid in full, its first read opens every person\'s step on the timeline (with finance); acts move them on', async () => {
    await paidInFull();
    await readSocialSecurity(deps, 'H1', ctxOf(AGENTS.landBranch, '2026-11-03T10:00:00+08:00'));
    const steps = await kernel.householdSteps.ofHousehold('H1');
    expect(steps.map((s) => [s.key, s.status, s.responsibleAgency]).sort()).toEqual([[`social-security:${li}`, 'open', 'finance'], [`social-security:${zhang}`, 'open', 'finance']].sort());
    expect(store.audit.at(-1)).toMatchObject({ action: 'social-security.read' });
    // A second read publishes nothing more.
    const before = snapshot();
    await readSocialSecurity(deps, 'H1', ctxOf(AGENTS.landBranch, '2026-11-03T11:00:00+08:00'));
    expect(snapshot()).toBe(before);
    await recordSubsidyTransfer(deps, 'H1', zhang, transfer, asFinance());
    await recordPersonEnrolment(deps, 'H1', zhang, enrolment, asHr());
    const view = await readSocialSecurity(deps, 'H1', ctxOf(HR, '2026-11-06T11:00:00+08:00'));
    expect(view.paidInFullAt).toBe('2026-11-02T02:00:00.000Z');
    expect(view.persons.map((p) => [p.name, p.status])).toEqual([['张三', 'enrolled'], ['李四', 'awaiting-transfer']]);
    expect((await stepOf(zhang))?.status).toBe('done');
  });
});
