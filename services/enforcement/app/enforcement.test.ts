import { beforeEach, describe, expect, it } from 'vitest';
import { chainResumedV1 } from '../../../events/chain-resumed.v1.ts';
import { chainSuspendedV1 } from '../../../events/chain-suspended.v1.ts';
import { instrumentServedV1 } from '../../../events/instrument-served.v1.ts';
import type { Identity } from '../../../shared/identity.ts';
import { compensationWorld, expectRefused, on, readyForAgreement, uploaded, WHO, type World } from '../../../test/support/compensation.ts';
import { ctxOf, declare, sequentialIds } from '../../../test/support/fakes.ts';
import { draftHouseholdAgreement, signHouseholdAgreement } from '../../compensation/app/agreements.ts';
import { enforcementDepsOn } from '../adapters/deps.ts';
import { libraryInstrumentRenderer } from '../adapters/documents/renderer.ts';
import {
  decideEnforcementRemedy,
  endEnforcement,
  fileEnforcementRemedy,
  issueEnforcementInstrument,
  openEnforcement,
  readEnforcement,
  requestEnforcementUpload,
  serveEnforcementInstrument,
  type EnforcementDeps,
} from './enforcement.ts';

/**
 * The enforcement use cases on the memory table, beside the compensation service that registered
 * the household: who may act where, nothing written on a refusal, and the chain's clocks kept as
 * watches — opened on service, met by the step, cancelled by a suspension or by the household
 * signing after all.
 */
let world: World;
let deps: EnforcementDeps;
let householdId: string;
const LEGAL = WHO.legal;
const decisionTerms = { facts: '告知期满未签订协议', compensationFen: 12_000_000, compensationText: '按实施方案标准补偿' };

beforeEach(async () => {
  world = await compensationWorld();
  householdId = (await readyForAgreement(world)).household.householdId;
  deps = enforcementDepsOn(world.store, { scheduler: world.scheduler, evidence: world.bucket, files: world.bucket, renderer: libraryInstrumentRenderer, newId: sequentialIds }, 'seed');
});

async function proof(chainId: string, who: Identity, when: string, purpose: 'service-proof' | 'remedy-document' = 'service-proof'): Promise<string> {
  const body = Buffer.from(`${purpose} ${chainId} ${when} ${Math.random()}`);
  const slot = await requestEnforcementUpload(deps, chainId, { purpose, fileName: 'f', ...declare(body, purpose === 'service-proof' ? 'image/jpeg' : 'application/pdf') }, ctxOf(who, when));
  world.bucket.upload(slot.url.replace(/^memory:\/\//, ''), body, purpose === 'service-proof' ? 'image/jpeg' : 'application/pdf');
  return slot.uploadId;
}

async function issueAndServe(chainId: string, kind: string, number: string, terms: Record<string, unknown>, at: string) {
  const issued = await issueEnforcementInstrument(deps, chainId, { kind: kind as never, number, terms: terms as never }, ctxOf(WHO.landBranch, at));
  const instrumentId = issued.instruments.at(-1)!.instrumentId;
  return serveEnforcementInstrument(deps, chainId, instrumentId, { method: 'in-person', deliveredAt: at, servedBy: '刘一', witnesses: [], remediesStated: true, uploadIds: [await proof(chainId, WHO.meiwan, at)] }, ctxOf(WHO.meiwan, at));
}

const enforcementWatches = async () => (await deps.watches.ofCase(householdId)).filter((w) => w.phase.startsWith('enforcement'));

describe('opening', () => {
  it('only in the household’s own place, by the agency the law names, once', async () => {
    await expectRefused(world, () => openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf({ user: 'z', agency: 'land-bureau', jurisdiction: 'yongzhou/etdz' }, on(28))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world, () => openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf({ user: 'u', agency: 'urban-management', jurisdiction: 'yongzhou/lengshuitan' }, on(28))), { status: 403, code: 'forbidden.agency' });
    const chain = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(28)));
    expect(chain).toMatchObject({ seq: 1, basis: { kind: 'no-agreement' }, caseLabel: expect.stringContaining('张三') });
    await expectRefused(world, () => openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(28, 11))), { status: 409, code: 'enforcement.chain-open' });
  });
});

describe('the clocks follow the record', () => {
  it('a refused step writes nothing: no document, no record, no watch', async () => {
    const { chainId } = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(28)));
    await issueAndServe(chainId, 'compensation-notification', 'N-1', decisionTerms, on(28, 10));
    // Seven working days from Sep 29: Oct 13 is the last; the 13th is refused.
    await expectRefused(world, () => issueEnforcementInstrument(deps, chainId, { kind: 'compensation-decision', number: 'D-1', terms: decisionTerms }, ctxOf(WHO.landBranch, '2026-10-13T23:59:00+08:00')), { status: 422, code: 'enforcement.waiting-period' });
    await expectRefused(world, () => issueEnforcementInstrument(deps, chainId, { kind: 'compensation-decision', number: 'D-1', terms: decisionTerms }, ctxOf(LEGAL, '2026-10-14T09:00:00+08:00')), { status: 403, code: 'forbidden.agency' });
  });

  it('service opens the decision deadline; the decision meets it; a lawsuit cancels the running one; the outcome restarts it under a new key', async () => {
    const { chainId } = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(28)));
    const served = await issueAndServe(chainId, 'compensation-notification', 'N-1', decisionTerms, on(28, 10));
    expect(await enforcementWatches()).toEqual([expect.objectContaining({ ruleId: `enforcement/${chainId}/compensation-decision/r1`, status: 'open', lastDay: '2026-10-23', phase: 'enforcement-decisions', responsibleAgency: 'land-bureau' })]);
    expect(world.scheduler.started.at(-1)).toMatchObject({ caseId: householdId, phase: 'enforcement-decisions' });
    expect(served.clocks).toEqual([expect.objectContaining({ ruleId: 'compensation-decision', status: 'open', dueAt: '2026-10-23T16:00:00.000Z' })]);

    const decided = await issueAndServe(chainId, 'compensation-decision', 'D-1', decisionTerms, '2026-10-20T10:00:00+08:00');
    expect((await enforcementWatches()).map((w) => [w.ruleId, w.status])).toEqual([[`enforcement/${chainId}/compensation-decision/r1`, 'met']]);
    const decisionId = decided.instruments.find((i) => i.kind === 'compensation-decision')!.instrumentId;
    await issueAndServe(chainId, 'vacating-notice', 'V-1', { facts: '拒不腾地' }, '2026-10-21T10:00:00+08:00');
    const open = (await enforcementWatches()).find((w) => w.ruleId === `enforcement/${chainId}/vacating-decision/r1`)!;
    expect(open.status).toBe('open');

    // The legal affairs office records the lawsuit: suspended, the running deadline cancelled, the agencies told.
    const sued = await fileEnforcementRemedy(deps, chainId, { kind: 'lawsuit', instrumentId: decisionId, filedAt: '2026-10-22T10:00:00+08:00', body: '冷水滩区人民法院' }, ctxOf(LEGAL, '2026-10-22T11:00:00+08:00'));
    expect(sued.status).toBe('suspended');
    expect((await enforcementWatches()).find((w) => w.ruleId === open.ruleId)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringContaining('中止') });
    const inbox = [...world.store.items.values()].filter((i) => i.type === 'inbox-event').map((i) => i as Record<string, unknown>);
    expect(inbox.filter((e) => e.kind === 'chain-suspended').map((e) => e.addressee).sort()).toEqual(['land-bureau', 'leading-group-office', 'legal-affairs-office']);
    for (const e of inbox.filter((x) => x.kind === 'chain-suspended')) expect(chainSuspendedV1.schema.safeParse(stripped(e)).error?.issues ?? []).toEqual([]);
    for (const e of inbox.filter((x) => x.kind === 'instrument-served')) expect(instrumentServedV1.schema.safeParse(stripped(e)).error?.issues ?? []).toEqual([]);
    await expectRefused(world, () => issueEnforcementInstrument(deps, chainId, { kind: 'vacating-decision', number: 'VD-1', terms: { facts: 'f', performWithin: '15d' } }, ctxOf(WHO.landBranch, '2026-11-20T10:00:00+08:00')), { status: 422, code: 'enforcement.suspended' });

    // Upheld, the judgement served on 20 November: the deadline runs afresh from then under /s1.
    const remedyId = sued.remedies[0]!.remedyId;
    const judgement = await proof(chainId, LEGAL, '2026-11-21T09:00:00+08:00', 'remedy-document');
    const resumed = await decideEnforcementRemedy(deps, chainId, remedyId, { result: 'upheld', decidedAt: '2026-11-10T10:00:00+08:00', servedAt: '2026-11-20T10:00:00+08:00', summary: '驳回诉讼请求', uploadIds: [judgement] }, ctxOf(LEGAL, '2026-11-21T10:00:00+08:00'));
    expect(resumed.status).toBe('active');
    expect(await enforcementWatches()).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: `enforcement/${chainId}/vacating-decision/r1/s1`, status: 'open', triggeredAt: '2026-11-20T02:00:00.000Z' })]));
    const told = [...world.store.items.values()].filter((i) => i.type === 'inbox-event' && (i as { kind?: string }).kind === 'chain-resumed');
    expect(told).toHaveLength(2);
    for (const e of told) expect(chainResumedV1.schema.safeParse(stripped(e as Record<string, unknown>)).error?.issues ?? []).toEqual([]);
  });

  it('a household that signs after all: its enforcement clocks are cancelled in the signing, the chain refuses to go on and is ended from the record', async () => {
    const { chainId } = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(25, 12)));
    await issueAndServe(chainId, 'compensation-notification', 'N-1', decisionTerms, on(25, 13));
    expect((await enforcementWatches()).map((w) => w.status)).toEqual(['open']);
    const agreement = (await draftHouseholdAgreement(world.deps, householdId, { mode: { kind: 'cash', optionId: 'money' } }, ctxOf(WHO.landBranch, on(26, 9)))).agreement;
    const scan = await uploaded(world, { householdId }, 'agreement-scan', WHO.landBranch, on(26, 10));
    await signHouseholdAgreement(world.deps, householdId, agreement.agreementId, { uploadId: scan.uploadId, place: '梅湾村村委会', documentSha256: agreement.documentSha256! }, ctxOf(WHO.landBranch, on(26, 10)));
    expect((await enforcementWatches()).map((w) => [w.status, w.cancelReason])).toEqual([['cancelled', expect.stringContaining('已签订征收土地协议')]]);
    await expectRefused(world, () => issueEnforcementInstrument(deps, chainId, { kind: 'compensation-decision', number: 'D-1', terms: decisionTerms }, ctxOf(WHO.landBranch, '2026-10-14T09:00:00+08:00')), { status: 409, code: 'enforcement.settled' });
    const read = await readEnforcement(deps, chainId, ctxOf(WHO.district, on(27)));
    expect(read.settledOutside).toMatchObject({ reason: 'agreement-signed' });
    await expectRefused(world, () => endEnforcement(deps, chainId, { reason: 'vacated', note: '—' }, ctxOf(WHO.landBranch, on(27))), { status: 422, code: 'enforcement.not-settled' });
    const ended = await endEnforcement(deps, chainId, { reason: 'agreement-signed', note: '协商一致' }, ctxOf(WHO.landBranch, on(27)));
    expect(ended).toMatchObject({ status: 'ended', ended: { reason: 'agreement-signed' }, clocks: [] });
  });
});

/** An inbox item as the store keeps it, without its keys (what the inbox route returns). */
function stripped(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, version: _v, ...event } = item;
  return event;
}

describe('a year without holiday data', () => {
  it('a vacating decision served in October 2026 is recorded; its 2027 instants are shown as not yet countable, never guessed', async () => {
    const { chainId } = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, on(28)));
    await issueAndServe(chainId, 'compensation-notification', 'N-1', decisionTerms, on(28, 10));
    await issueAndServe(chainId, 'compensation-decision', 'D-1', decisionTerms, '2026-10-14T10:00:00+08:00');
    await issueAndServe(chainId, 'vacating-notice', 'V-1', { facts: '拒不腾地' }, '2026-10-14T11:00:00+08:00');
    const served = await issueAndServe(chainId, 'vacating-decision', 'VD-1', { facts: '拒不腾地', performWithin: '15d' }, '2026-10-26T10:00:00+08:00');
    // Six months from 26 October 2026 end in April 2027: no 2027 schedule, so neither the reminder's
    // first day nor the application's deadline is computed — the reminder is refused, not guessed.
    expect(served.next).toMatchObject({ instrument: 'performance-reminder', title: '履行行政决定催告书', blockedBy: 'calendar.missing-holiday-data' });
    expect(served.next.allowedFrom).toBeUndefined();
    expect(served.clocks.map((c) => c.ruleId)).not.toContain('court-application-deadline');
    await expectRefused(world, () => issueEnforcementInstrument(deps, chainId, { kind: 'performance-reminder', number: 'R-1', terms: { facts: 'f', performWithin: '10d', manner: '搬离' } }, ctxOf(WHO.landBranch, '2026-11-20T10:00:00+08:00')), { status: 422, code: 'calendar.missing-holiday-data' });
  });
});

describe('a household paid in full that refuses to vacate', () => {
  /** What compensation, payments and handover publish in the kernel for such a household. */
  async function publishRefusal({ paid, refused }: { paid: boolean; refused: boolean }) {
    const { project } = world;
    const agreement = {
      agreementId: 'A9', householdId, projectId: project.id, number: '冷征协〔2026〕009号', kind: 'original' as const, status: 'signed' as const,
      lines: [{ kind: 'land', itemId: 'parcel-1', amountFen: 1_000_000, payee: 'collective' as const }], totalFen: 1_000_000,
      signedAt: '2026-09-26T02:00:00.000Z', villageGroupId: 'g1', householdNumber: '001', caseLabel: '梅湾村一组 001 号户（户主张三）', jurisdiction: project.district, persons: [],
    };
    const status = {
      householdId, projectId: project.id, agreementId: 'A9', agreementNumber: agreement.number, dueFen: 1_000_000, paidFen: paid ? 1_000_000 : 0, inFlightFen: 0,
      outstandingFen: paid ? 0 : 1_000_000, ...(paid ? { paidInFullAt: '2026-10-10T02:00:00.000Z' } : {}), rejectedGroups: [], updatedAt: '2026-10-10T02:00:00.000Z',
    };
    const changes = [deps.payableAgreements.save(agreement, 'absent'), deps.paymentStatus.save(status, 'absent')];
    if (refused) {
      changes.push(deps.householdSteps.save({ householdId, projectId: project.id, key: 'handover', step: '腾地、交地', status: 'refused', responsibleAgency: 'land-bureau', legalSource: '§五(一)4', detail: '补偿款已足额支付，被征收户拒不腾地（2026-10-12 10:00 登记）', updatedAt: '2026-10-12T02:00:00.000Z' }, 'absent'));
    }
    await deps.uow.commit(changes, []);
  }

  it('starts at the vacating-deadline notice; not before full payment and a recorded refusal (compensate first)', async () => {
    await publishRefusal({ paid: false, refused: false });
    await expectRefused(world, () => openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, '2026-10-13T09:00:00+08:00')), { status: 422, code: 'enforcement.not-eligible' });
  });

  it('opens with the agreement and the refusal as its basis', async () => {
    await publishRefusal({ paid: true, refused: true });
    const chain = await openEnforcement(deps, householdId, { kind: 'vacating' }, ctxOf(WHO.landBranch, '2026-10-13T09:00:00+08:00'));
    expect(chain).toMatchObject({ basis: { kind: 'refused-after-payment', agreementNumber: '冷征协〔2026〕009号' }, next: { instrument: 'vacating-notice', title: '限期腾地通知书' } });
  });
});
