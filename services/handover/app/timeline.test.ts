import { describe, expect, it } from 'vitest';
import { draftHouseholdAgreement, signHouseholdAgreement } from '../../compensation/app/agreements.ts';
import { householdTimeline } from '../../compensation/app/household-timeline.ts';
import { ctxOf, declare, sequentialIds } from '../../../test/support/fakes.ts';
import { compensationWorld, on, readyForAgreement, uploaded, WHO } from '../../../test/support/compensation.ts';
import { handoverDepsOn } from '../adapters/deps.ts';
import { confirmHouseholdHandover, readHouseholdHandover, recordHouseholdHandover, requestHandoverUpload } from './handover.ts';

describe('the household timeline (compensation service) shows what handover publishes in the kernel', () => {
  it('a household signed through compensation and paid in full: the handover step opens, then is done, with clearing and certificates open', async () => {
    const world = await compensationWorld();
    const { householdId } = (await readyForAgreement(world)).household;
    const { agreement } = await draftHouseholdAgreement(world.deps, householdId, { mode: { kind: 'cash', optionId: 'money' } }, ctxOf(WHO.landBranch, on(25, 11)));
    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(26));
    await signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '梅湾村村委会', documentSha256: agreement.documentSha256! }, ctxOf(WHO.landBranch, on(26)));
    const deps = handoverDepsOn(world.store, { evidence: world.bucket, newId: sequentialIds });

    // Signed but not paid: the view says so, and nothing is published yet.
    await expect(readHouseholdHandover(deps, householdId, ctxOf(WHO.meiwan, on(27)))).resolves.toMatchObject({ state: 'awaiting-payment', payment: { paidInFull: false, paidFen: 0 }, caseLabel: expect.stringContaining('001 号户') });
    const payable = (await deps.payableAgreements.ofHousehold(householdId))[0]!;
    await deps.uow.commit([
      deps.paymentStatus.save({ householdId, projectId: payable.projectId, agreementId: payable.agreementId, agreementNumber: payable.number, dueFen: payable.totalFen, paidFen: payable.totalFen, inFlightFen: 0, outstandingFen: 0, paidInFullAt: '2026-10-10T02:00:00.000Z', rejectedGroups: [], updatedAt: '2026-10-10T02:00:00.000Z' }, 'absent'),
    ], []);

    const body = Buffer.from('handover photo');
    const slot = await requestHandoverUpload(deps, householdId, { purpose: 'handover-photo', fileName: 'h.jpg', ...declare(body) }, ctxOf(WHO.meiwan, '2026-10-12T09:00:00+08:00'));
    world.bucket.upload(slot.url.replace('memory://', ''), body, 'image/jpeg');
    await recordHouseholdHandover(deps, householdId, { handedOverAt: '2026-10-12T08:30:00+08:00', place: '梅湾村一组', parcels: ['DK-1'], uploadIds: [slot.uploadId] }, ctxOf(WHO.meiwan, '2026-10-12T09:00:00+08:00'));
    const stepsOf = async () => (await householdTimeline(world.deps, householdId, ctxOf(WHO.landBranch, '2026-10-13T09:00:00+08:00'))).steps.filter((s) => ['腾地、交地', '清表交地', '注销权属证书'].includes(s.step));
    expect(await stepsOf()).toEqual([expect.objectContaining({ step: '腾地、交地', status: 'open', detail: expect.stringContaining('待另一方确认') })]);

    await confirmHouseholdHandover(deps, householdId, {}, ctxOf(WHO.landBranch, '2026-10-12T15:00:00+08:00'));
    expect((await stepsOf()).map((s) => [s.step, s.status, s.responsibleAgency])).toEqual([
      ['注销权属证书', 'open', 'land-bureau'],
      ['清表交地', 'open', 'urban-management'],
      ['腾地、交地', 'done', 'land-bureau'],
    ]);
    expect((await stepsOf()).at(-1)).toMatchObject({ doneAtBeijing: '2026-10-12T08:30:00+08:00', by: { agency: 'township' } });
  });
});
