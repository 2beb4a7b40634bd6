import { beforeEach, describe, expect, it } from 'vitest';
import { surveyConfirmedV1 } from '../../../events/survey-confirmed.v1.ts';
import type { AgencyId } from '../../../shared/agencies.ts';
import { ctxOf } from '../../../test/support/fakes.ts';
import {
  checksRecorded,
  disclosedAndPosted,
  compensationWorld,
  expectRefused,
  housesDetermined,
  listApproved,
  on,
  readyForAgreement,
  SURVEY,
  surveyConfirmed,
  surveyedHousehold,
  uploaded,
  WHO,
  type World,
} from '../../../test/support/compensation.ts';
import { draftHouseholdAgreement } from './agreements.ts';
import { computeHouseholdCompensation } from './compensation.ts';
import { getHousehold } from './household-reads.ts';
import { addSurveyEvidence, confirmHouseholdSurvey, determineHouseLegality, raiseHouseholdDispute, recordSurvey, resolveHouseholdDispute } from './survey.ts';

let world: World;
beforeEach(async () => {
  world = await compensationWorld();
});

const inboxOf = async (agency: AgencyId) => (await world.deps.inbox.page(agency, { limit: 50 })).items;
const compute = (householdId: string, when = on(25, 10)) => computeHouseholdCompensation(world.deps, householdId, ctxOf(WHO.landBranch, when));
const draftCash = (householdId: string, when = on(25, 11)) => draftHouseholdAgreement(world.deps, householdId, { mode: { kind: 'cash', optionId: 'money' } }, ctxOf(WHO.landBranch, when));

describe('the survey', () => {
  it('records exact decimal quantities as given, every house pending its legality', async () => {
    const household = await surveyedHousehold(world);
    expect(household.survey).toMatchObject({ status: 'draft', revision: 1 });
    expect(household.survey!.parcels.map((p) => p.areaMu)).toEqual(['1.2345', '0.3333']);
    expect(household.survey!.houses.map((h) => [h.floorAreaSquareMetres, h.legality])).toEqual([
      ['123.45', 'pending'],
      ['20.5', 'pending'],
    ]);
    expect((await getHousehold(world.deps, household.householdId, ctxOf(WHO.meiwan, on(23)))).survey).toEqual(household.survey);
  });

  it('refuses a land class the locked standard lacks (400) and writes nothing', async () => {
    const household = await surveyedHousehold(world);
    const marsh = { ...SURVEY, parcels: [...SURVEY.parcels, { itemId: 'p3', parcelNumber: '12-5', landClass: '沼泽', areaMu: '2' }] };
    await expectRefused(world, () => recordSurvey(world.deps, household.householdId, marsh, ctxOf(WHO.landBranch, on(23))), { status: 400, code: 'compensation.unknown-land-class' });
  });

  it("takes urban management's house films through verified uploads and refuses a file whose SHA-256 is not the declared one", async () => {
    const household = await surveyedHousehold(world);
    const film = await uploaded(world, { householdId: household.householdId }, 'house-film', WHO.urbanManagement, on(23), { body: Buffer.from('house film h1') });
    const withFilm = await addSurveyEvidence(world.deps, household.householdId, { purpose: 'house-film', uploadIds: [film.uploadId] }, ctxOf(WHO.urbanManagement, on(23)));
    expect(withFilm.survey!.evidence).toEqual([expect.objectContaining({ key: film.key, contentType: 'video/mp4', uploadedBy: WHO.urbanManagement })]);

    const forged = await uploaded(world, { householdId: household.householdId }, 'house-film', WHO.urbanManagement, on(23), { body: Buffer.from('house film B'), declaredBody: Buffer.from('house film A') });
    await expectRefused(world, () => addSurveyEvidence(world.deps, household.householdId, { purpose: 'house-film', uploadIds: [forged.uploadId] }, ctxOf(WHO.urbanManagement, on(23))), {
      status: 422,
      code: 'evidence.hash-mismatch',
    });
    // An upload is used once.
    await expectRefused(world, () => addSurveyEvidence(world.deps, household.householdId, { purpose: 'house-film', uploadIds: [film.uploadId] }, ctxOf(WHO.urbanManagement, on(23))), {
      status: 409,
      code: 'upload.used',
    });
  });

  it('is confirmed only with the signed scan, which opens hukou checks (public security) and military checks (civil affairs)', async () => {
    const household = await surveyedHousehold(world);
    // A slot requested, but the scan never arrived in the bucket.
    const slot = await uploaded(world, { householdId: household.householdId }, 'survey-confirmation', WHO.meiwan, on(23));
    world.bucket.objects.delete(slot.key);
    await expectRefused(world, () => confirmHouseholdSurvey(world.deps, household.householdId, { uploadId: slot.uploadId }, ctxOf(WHO.meiwan, on(23))), { status: 422, code: 'evidence.missing' });

    const confirmed = await surveyConfirmed(world, household);
    expect(confirmed.survey).toMatchObject({ status: 'confirmed', confirmation: { confirmedBy: WHO.meiwan } });
    expect(confirmed.checks.map((c) => [c.kind, c.agency, c.status])).toEqual([
      ['hukou', 'public-security', 'pending'],
      ['hukou', 'public-security', 'pending'],
      ['hukou', 'public-security', 'pending'],
      ['military', 'civil-affairs', 'pending'],
    ]);

    const [hukou] = await inboxOf('public-security').then((events) => events.filter((e) => e.kind === 'survey-confirmed'));
    const [military] = await inboxOf('civil-affairs');
    expect(surveyConfirmedV1.schema.parse(hukou)).toMatchObject({ addressee: 'public-security', data: { householdId: household.householdId, householdNumber: '001', surveyRevision: 1 } });
    expect(surveyConfirmedV1.schema.parse(military)).toMatchObject({ addressee: 'civil-affairs', data: { checks: [{ kind: 'military', name: '张小兵' }] } });
    expect(hukou!.data.checks).toHaveLength(3);
    // The inbox shows masked ID numbers only.
    expect(JSON.stringify([hukou, military])).not.toMatch(/\d{17}[\dX]/);
  });
});

describe('the legality of houses', () => {
  it('is determined by housing-construction only; an illegal house is a zero line citing the determination', async () => {
    const household = await surveyedHousehold(world);
    await expectRefused(world, () => determineHouseLegality(world.deps, household.householdId, 'h2', { legality: 'illegal', reference: '冷住建违认〔2026〕12号' }, ctxOf(WHO.landBranch, on(23))), {
      status: 403,
      code: 'forbidden.agency',
    });
    const determined = await housesDetermined(world, household, ['h2']);
    expect(determined.survey!.houses.map((h) => h.legality)).toEqual(['legal', 'illegal']);
    await expectRefused(world, () => determineHouseLegality(world.deps, household.householdId, 'h2', { legality: 'legal', reference: 'x' }, ctxOf(WHO.housing, on(23, 11))), {
      status: 409,
      code: 'survey.legality-determined',
    });

    const compensation = await compute(household.householdId);
    const h2 = compensation.lines.find((l) => l.kind === 'house' && l.itemId === 'h2')!;
    expect(h2).toMatchObject({ amountFen: 0, quantity: '20.5' });
    expect(h2.zeroReason).toContain('冷住建违认〔2026〕12号');
    expect(compensation.lines.find((l) => l.kind === 'house' && l.itemId === 'h1')!.amountFen).toBe(12_098_100);
  });

  it('pending, blocks the agreement until it is determined', async () => {
    const household = await surveyedHousehold(world);
    await checksRecorded(world, await surveyConfirmed(world, household));
    await listApproved(world);
    const pending = await compute(household.householdId);
    expect(pending).toMatchObject({ final: false, blockers: [expect.stringContaining('h1'), expect.stringContaining('h2')] });
    await expectRefused(world, () => draftCash(household.householdId), { status: 422, code: 'agreement.legality-pending' });

    await housesDetermined(world, household, [], on(25, 12));
    expect(await compute(household.householdId, on(25, 13))).toMatchObject({ final: true, blockers: [] });
    // The final computation is disclosed before anything is signed: until then, no draft.
    await expectRefused(world, () => draftCash(household.householdId, on(25, 13, 10)), { status: 422, code: 'agreement.not-disclosed' });
    await disclosedAndPosted(world, 'g1', on(25, 13, 30));
    expect((await draftCash(household.householdId, on(25, 14))).agreement.status).toBe('drafted');
  });

  it('gives items that came into being after the notice nothing, with the reason', async () => {
    const { compensation } = await readyForAgreement(world);
    const late = compensation.lines.find((l) => l.itemId === 'c2')!;
    expect(late).toMatchObject({ kind: 'crop', amountFen: 0, quantity: '0.5' });
    expect(late.zeroReason).toMatch(/2026-09-02形成，晚于征收土地通告发布之日（2026-09-01）/);
    expect(compensation.lines.filter((l) => l.amountFen === 0 && l.kind !== 'house').map((l) => l.itemId)).toEqual(['c2']);
  });
});

describe('disputes', () => {
  it('block the agreement while open; the land bureau resolves them, re-surveyed (back to draft) or upheld', async () => {
    const { household } = await readyForAgreement(world);
    const disputed = await raiseHouseholdDispute(world.deps, household.householdId, { grounds: '房屋面积丈量有误' }, ctxOf(WHO.meiwan, on(25, 11)));
    expect(disputed.state).toBe('disputed');
    const dispute = disputed.disputes[0]!;
    expect((await inboxOf('land-bureau')).find((e) => e.kind === 'dispute-raised')?.data).toEqual({ householdId: household.householdId, disputeId: dispute.disputeId });
    await expectRefused(world, () => draftCash(household.householdId, on(25, 12)), { status: 422, code: 'agreement.dispute-open' });

    await expectRefused(world, () => resolveHouseholdDispute(world.deps, household.householdId, dispute.disputeId, { outcome: 'upheld', reasons: '丈量无误' }, ctxOf(WHO.meiwan, on(25, 13))), {
      status: 403,
      code: 'forbidden.agency',
    });
    const upheld = await resolveHouseholdDispute(world.deps, household.householdId, dispute.disputeId, { outcome: 'upheld', reasons: '复核丈量无误' }, ctxOf(WHO.landBranch, on(25, 13)));
    expect(upheld).toMatchObject({ state: 'confirmed', survey: { status: 'confirmed', revision: household.survey!.revision } });
    expect((await draftCash(household.householdId, on(25, 14))).agreement.status).toBe('drafted');

    const second = await raiseHouseholdDispute(world.deps, household.householdId, { grounds: '漏登一口水井' }, ctxOf(WHO.meiwan, on(25, 15)));
    const resurveyed = await resolveHouseholdDispute(world.deps, household.householdId, second.disputes[1]!.disputeId, { outcome: 'resurveyed', reasons: '重新调查' }, ctxOf(WHO.landBranch, on(25, 16)));
    expect(resurveyed.state).toBe('surveying');
    expect(resurveyed.survey).toMatchObject({ status: 'draft', revision: household.survey!.revision + 1 });
    expect(resurveyed.survey!.confirmation).toBeUndefined();
    // Back to draft: it can be surveyed again, and the agreement waits for a new confirmation.
    const corrected = await recordSurvey(world.deps, household.householdId, { ...SURVEY, attachments: [...SURVEY.attachments, { itemId: 'a2', item: '水井', unit: '口', quantity: '1' }] }, ctxOf(WHO.landBranch, on(26)));
    expect(corrected.survey).toMatchObject({ status: 'draft', revision: household.survey!.revision + 2 });
    await compute(household.householdId, on(26, 11));
    await expectRefused(world, () => draftCash(household.householdId, on(26, 12)), { status: 422, code: 'agreement.survey-not-confirmed' });
  });
});
