import { beforeEach, describe, expect, it } from 'vitest';
import { handoverRecordedV1 } from '../../../events/handover-recorded.v1.ts';
import { handoverRefusedV1 } from '../../../events/handover-refused.v1.ts';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import type { HouseholdPaymentStatus, PayableAgreement } from '../../../shared/cases/household-money.ts';
import type { Identity } from '../../../shared/identity.ts';
import { AGENTS, ctxOf, declare, MemoryBucket, sequentialIds } from '../../../test/support/fakes.ts';
import { expectRefused } from '../../../test/support/compensation.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { handoverDepsOn } from '../adapters/deps.ts';
import type { UploadPurpose } from '../domain/uploads.ts';
import { readCollectiveDistributions, recordCollectiveDistribution, requestDistributionUpload } from './distribution.ts';
import {
  cancelCertificates,
  confirmHouseholdHandover,
  readHouseholdHandover,
  recordHandoverRefusal,
  recordHouseholdClearing,
  recordHouseholdHandover,
  requestHandoverUpload,
  type HandoverDeps,
} from './handover.ts';

const URBAN: Identity = { user: 'lin.um', agency: 'urban-management', jurisdiction: 'yongzhou' };
const HOUSEHOLD = 'HH-MEIWAN-001';
const DUE = 12_345_600;

let store: MemoryTable;
let bucket: MemoryBucket;
let deps: HandoverDeps;
let projectId: string;
let files = 0;
beforeEach(async () => {
  store = new MemoryTable();
  bucket = new MemoryBucket();
  deps = handoverDepsOn(store, { evidence: bucket, newId: sequentialIds });
  projectId = (await projectWithPublishedNotice(store)).project.id;
  // What compensation publishes in the kernel at signing (the household lies in g1, Meiwan).
  await deps.uow.commit([deps.payableAgreements.save(agreement(), 'absent')], []);
});

const on = (day: number, hour = 10) => `2026-12-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const as = (who: Identity, day: number, hour = 10) => ctxOf(who, on(day, hour));

function agreement(): PayableAgreement {
  return {
    agreementId: 'AGR-1', householdId: HOUSEHOLD, projectId, number: 'LST-2026-001', kind: 'original', status: 'signed',
    lines: [{ kind: 'land', itemId: 'parcel-1', amountFen: DUE, payee: 'owner' }], totalFen: DUE, signedAt: '2026-09-26T02:00:00.000Z',
    villageGroupId: 'g1', householdNumber: '001', caseLabel: '梅湾村一组 001 号户（户主张三）', jurisdiction: 'yongzhou/lengshuitan', persons: [],
  };
}

/** What payments publishes in the kernel: `paidFen` settled; paid in full when nothing is outstanding. */
async function paymentStatus(paidFen: number, settledAt = '2026-11-30T10:00:00+08:00', agreementId = 'AGR-1') {
  const existing = await deps.paymentStatus.find(HOUSEHOLD);
  const status: HouseholdPaymentStatus = {
    householdId: HOUSEHOLD, projectId, agreementId, agreementNumber: 'LST-2026-001', dueFen: DUE, paidFen, inFlightFen: 0, outstandingFen: DUE - paidFen,
    ...(paidFen === DUE ? { paidInFullAt: new Date(settledAt).toISOString() } : {}), rejectedGroups: [], updatedAt: new Date(settledAt).toISOString(),
  };
  await deps.uow.commit([deps.paymentStatus.save(status, existing?.version ?? 'absent')], []);
}

/** A file for the household, requested by `who`, PUT like a phone does. */
async function upload(purpose: UploadPurpose, who: Identity, day = 1): Promise<string> {
  const body = Buffer.from(`${purpose} #${++files}`);
  const slot = await requestHandoverUpload(deps, HOUSEHOLD, { purpose, fileName: `${purpose}.jpg`, ...declare(body) }, as(who, day, 9));
  bucket.upload(slot.url.replace('memory://', ''), body, 'image/jpeg');
  return slot.uploadId;
}

const world = () => ({ store, bucket });
const handover = async (who: Identity = AGENTS.meiwan, day = 1) =>
  recordHouseholdHandover(deps, HOUSEHOLD, { handedOverAt: on(day, 9), place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [await upload('handover-photo', who, day)] }, as(who, day));

describe('handover (腾地、交地)', () => {
  it('is refused before the bank settled every payee group (422 with paid and outstanding in yuan), and writes nothing', async () => {
    const photo = await upload('handover-photo', AGENTS.meiwan);
    const input = { handedOverAt: on(1, 9), place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [photo] };
    const unpaid = await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.meiwan, 1)), { status: 422, code: 'handover.not-paid' });
    expect(unpaid.message).toContain('尚无支付记录');
    await paymentStatus(DUE - 100_00);
    const partly = await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.meiwan, 1)), { status: 422, code: 'handover.not-paid' });
    expect(partly.message).toContain('已付 123,356.00 元，未付 100.00 元');
    // Paid in full, but under an agreement a supplement has since superseded: the supplement is unpaid.
    await paymentStatus(DUE, '2026-11-30T10:00:00+08:00', 'AGR-0');
    expect((await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.meiwan, 1)), { status: 422, code: 'handover.not-paid' })).message).toContain('尚无支付记录');
    await paymentStatus(DUE);
    await expect(recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.meiwan, 1))).resolves.toMatchObject({ state: 'awaiting-confirmation', payment: { paidInFull: true } });
  });

  it('is refused for an agency without the duty, a township of another place, and a household with no signed agreement', async () => {
    await paymentStatus(DUE);
    const photo = await upload('handover-photo', AGENTS.meiwan);
    const input = { handedOverAt: on(1, 9), place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [photo] };
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.finance, 1)), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.yitang, 1)), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.etdzBranch, 1)), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => recordHouseholdHandover(deps, 'NOSUCH', input, as(AGENTS.meiwan, 1)), { status: 404, code: 'handover.no-agreement' });
    await expectRefused(world(), () => requestHandoverUpload(deps, HOUSEHOLD, { purpose: 'handover-photo', fileName: 'a.jpg', ...declare(Buffer.from('x')) }, as(AGENTS.yitang, 1)), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => requestHandoverUpload(deps, HOUSEHOLD, { purpose: 'clearing-photo', fileName: 'a.jpg', ...declare(Buffer.from('x')) }, as(AGENTS.meiwan, 1)), { status: 403, code: 'forbidden.agency' });
    // The township's photo is the township's: the branch cannot use it.
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.landBranch, 1)), { status: 403, code: 'forbidden.upload' });
  });

  it('refuses a photo never uploaded or one of another purpose, writing nothing', async () => {
    await paymentStatus(DUE);
    const slot = await requestHandoverUpload(deps, HOUSEHOLD, { purpose: 'handover-photo', fileName: 'a.jpg', ...declare(Buffer.from('never sent')) }, as(AGENTS.meiwan, 1, 9));
    const input = { handedOverAt: on(1, 9), place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [slot.uploadId] };
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, input, as(AGENTS.meiwan, 1)), { status: 422, code: 'evidence.missing' });
    const refusalPhoto = await upload('refusal-evidence', AGENTS.meiwan);
    await expectRefused(world(), () => recordHouseholdHandover(deps, HOUSEHOLD, { ...input, uploadIds: [refusalPhoto] }, as(AGENTS.meiwan, 1)), { status: 400, code: 'upload.mismatch' });
  });

  it('is completed by the other party, publishing the timeline steps and telling the land bureau and urban management', async () => {
    await paymentStatus(DUE);
    const recorded = await handover(AGENTS.meiwan);
    expect(recorded.handover).toMatchObject({ place: '梅湾村一组', parcels: ['DK-1'], recordedBy: AGENTS.meiwan, photos: [expect.objectContaining({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })] });
    expect(store.items.get(`HANDOVER#${HOUSEHOLD}\u0000HANDOVER`)).toMatchObject({ type: 'household-handover' });
    expect((await deps.householdSteps.ofHousehold(HOUSEHOLD)).map((s) => [s.key, s.status])).toEqual([['handover', 'open']]);
    const branchInbox = await deps.inbox.page('land-bureau', { limit: 10 });
    expect(handoverRecordedV1.schema.parse(branchInbox.items[0])).toMatchObject({ addressee: 'land-bureau', data: { stage: 'awaiting-confirmation', recordedBy: 'township' } });
    await expectRefused(world(), () => confirmHouseholdHandover(deps, HOUSEHOLD, {}, as(AGENTS.meiwan, 2)), { status: 403, code: 'forbidden.same-party' });

    const done = await confirmHouseholdHandover(deps, HOUSEHOLD, { note: '现场核实' }, as(AGENTS.landBranch, 2));
    expect(done).toMatchObject({ state: 'handed-over', enforcementEligible: false, handover: { confirmation: { by: AGENTS.landBranch, note: '现场核实' } } });
    expect(store.audit.at(-1)).toMatchObject({ action: 'handover.confirm', target: { type: 'handover', householdId: HOUSEHOLD, projectId } });
    const steps = await deps.householdSteps.ofHousehold(HOUSEHOLD);
    expect(steps.map((s) => [s.key, s.status])).toEqual([['certificates', 'open'], ['clearing', 'open'], ['handover', 'done']]);
    expect(steps.find((s) => s.key === 'handover')).toMatchObject({ doneAt: '2026-12-01T01:00:00.000Z', by: { agency: 'township' } });
    const urban = await deps.inbox.page('urban-management', { limit: 10 });
    expect(handoverRecordedV1.schema.parse(urban.items[0])).toMatchObject({ data: { stage: 'complete', confirmedBy: 'land-bureau' } });
    expect(urban.items[0]!.text).toContain('北京时间2026-12-01T09:00:00+08:00');
  });
});

describe('refused handover (拒不腾地)', () => {
  const refusal = async (who: Identity, day: number, persuasionCount: number) =>
    recordHandoverRefusal(deps, HOUSEHOLD, { refusedAt: on(day, 9), persuasionCount, measures: '上门宣讲补偿政策', uploadIds: [await upload('refusal-evidence', who, day)] }, as(who, day));

  it('after full payment makes the household eligible for enforcement, publishes a refused step and tells the land bureau and the leading group office; a later handover closes it', async () => {
    await paymentStatus(DUE);
    const view = await refusal(AGENTS.landBranch, 1, 3);
    expect(view).toMatchObject({ state: 'refused', enforcementEligible: true, enforcementReason: expect.stringContaining('已动员 3 次') });
    expect(await deps.householdSteps.ofHousehold(HOUSEHOLD)).toEqual([expect.objectContaining({ key: 'handover', status: 'refused', responsibleAgency: 'land-bureau' })]);
    for (const addressee of ['land-bureau', 'leading-group-office'] as const) {
      const told = (await deps.inbox.page(addressee, { limit: 10 })).items.filter((e) => e.kind === 'handover-refused');
      expect(told.map((e) => handoverRefusedV1.schema.parse(e).data)).toEqual([expect.objectContaining({ householdId: HOUSEHOLD, persuasionCount: 3, enforcementEligible: true })]);
    }
    const read = await readHouseholdHandover(deps, HOUSEHOLD, as(AGENTS.district, 2));
    expect(read).toMatchObject({ enforcementEligible: true, refusals: [expect.objectContaining({ persuasionCount: 3 })] });
    expect(store.audit.at(-1)).toMatchObject({ action: 'handover.read', actor: AGENTS.district });

    const moved = await handover(AGENTS.meiwan, 3);
    expect(moved).toMatchObject({ state: 'awaiting-confirmation', enforcementEligible: false });
    expect(moved.enforcementReason).toBeUndefined();
  });

  it('is refused before full payment: the household may stay until it is paid', async () => {
    await paymentStatus(DUE - 1);
    const evidence = await upload('refusal-evidence', AGENTS.meiwan);
    await expectRefused(world(), () => recordHandoverRefusal(deps, HOUSEHOLD, { refusedAt: on(1, 9), persuasionCount: 1, measures: '动员', uploadIds: [evidence] }, as(AGENTS.meiwan, 1)), { status: 422, code: 'handover.not-paid' });
  });
});

describe('clearing and certificate cancellation', () => {
  const clearing = async (day = 3) => recordHouseholdClearing(deps, HOUSEHOLD, { clearedAt: on(day, 9), uploadIds: [await upload('clearing-photo', URBAN, day)] }, as(URBAN, day));
  const cancellation = { certificates: [{ kind: 'house-ownership' as const, number: '冷房权证字第 0012 号' }], registrationIds: ['REG-1'], cancelledOn: '2026-12-03' };

  it('come only after both parties signed the handover off', async () => {
    await paymentStatus(DUE);
    await handover(AGENTS.landBranch);
    const photo = await upload('clearing-photo', URBAN, 2);
    await expectRefused(world(), () => recordHouseholdClearing(deps, HOUSEHOLD, { clearedAt: on(2, 9), uploadIds: [photo] }, as(URBAN, 2)), { status: 422, code: 'handover.not-handed-over' });
    await expectRefused(world(), () => cancelCertificates(deps, HOUSEHOLD, cancellation, as(AGENTS.landBranch, 3)), { status: 422, code: 'handover.not-handed-over' });
    await confirmHouseholdHandover(deps, HOUSEHOLD, {}, as(AGENTS.meiwan, 2));
    const cleared = await clearing();
    expect(cleared.clearing).toMatchObject({ recordedBy: URBAN, clearedAt: '2026-12-03T01:00:00.000Z' });
    await expectRefused(world(), () => cancelCertificates(deps, HOUSEHOLD, cancellation, as(AGENTS.meiwan, 3)), { status: 403, code: 'forbidden.agency' });
    const cancelled = await cancelCertificates(deps, HOUSEHOLD, cancellation, as(AGENTS.landBranch, 3));
    expect(cancelled.certificates).toEqual([expect.objectContaining({ certificates: [{ kind: 'house-ownership', number: '冷房权证字第 0012 号', name: '房屋所有权证' }], registrationIds: ['REG-1'], cancelledOn: '2026-12-03' })]);
    expect((await deps.householdSteps.ofHousehold(HOUSEHOLD)).map((s) => [s.key, s.status])).toEqual([['certificates', 'done'], ['clearing', 'done'], ['handover', 'done']]);
    await expectRefused(world(), () => cancelCertificates(deps, HOUSEHOLD, cancellation, as(AGENTS.landBranch, 4)), { status: 409, code: 'handover.certificate-already-cancelled' });
  });
});

describe('the collective\'s distribution disclosure (村集体土地补偿费分配公示)', () => {
  async function groupFile(purpose: 'distribution-posting' | 'distribution-plan', who: Identity = AGENTS.meiwan): Promise<string> {
    const body = Buffer.from(`${purpose} #${++files}`);
    const contentType = purpose === 'distribution-plan' ? 'application/pdf' : 'image/jpeg';
    const slot = await requestDistributionUpload(deps, projectId, 'g1', { purpose, fileName: 'f', ...declare(body, contentType) }, as(who, 1, 9));
    bucket.upload(slot.url.replace('memory://', ''), body, contentType);
    return slot.uploadId;
  }

  it('is recorded by the group\'s township with verified posting photos and plan, amount in fen, and read back', async () => {
    const input = { postedAt: on(1, 10), distributedFen: 800_000_00, postingUploadIds: [await groupFile('distribution-posting')], planUploadIds: [await groupFile('distribution-plan')] };
    await expectRefused(world(), () => recordCollectiveDistribution(deps, projectId, 'g1', input, as(AGENTS.yitang, 1, 11)), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world(), () => recordCollectiveDistribution(deps, projectId, 'g1', input, as(AGENTS.landBranch, 1, 11)), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world(), () => recordCollectiveDistribution(deps, projectId, 'g1', { ...input, planUploadIds: input.postingUploadIds }, as(AGENTS.meiwan, 1, 11)), { status: 400, code: 'upload.duplicate' });
    const disclosure = await recordCollectiveDistribution(deps, projectId, 'g1', input, as(AGENTS.meiwan, 1, 11));
    expect(disclosure).toMatchObject({ seq: 1, distributedFen: 800_000_00, postings: [expect.objectContaining({ contentType: 'image/jpeg' })], plans: [expect.objectContaining({ contentType: 'application/pdf' })] });
    expect(store.audit.at(-1)).toMatchObject({ action: 'collective-distribution.record', target: { type: 'collective-distribution', id: `${projectId}#g1` } });
    await expectRefused(world(), () => recordCollectiveDistribution(deps, projectId, 'g1', input, as(AGENTS.meiwan, 1, 12)), { status: 409, code: 'upload.used' });
    const read = await readCollectiveDistributions(deps, projectId, 'g1', as(AGENTS.district, 2));
    expect(read).toMatchObject({ distributedFen: 800_000_00, disclosures: [expect.objectContaining({ seq: 1 })] });
  });
});
