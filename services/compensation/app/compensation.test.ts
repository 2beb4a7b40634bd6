import { beforeEach, describe, expect, it } from 'vitest';
import { compensationComputedV1 } from '../../../events/compensation-computed.v1.ts';
import { ctxOf } from '../../../test/support/fakes.ts';
import { STANDARD } from '../../../test/support/households.ts';
import {
  checksRecorded,
  compensationWorld,
  expectRefused,
  housesDetermined,
  on,
  surveyConfirmed,
  surveyedHousehold,
  WHO,
  type World,
} from '../../../test/support/compensation.ts';
import { computeHouseholdCompensation, getHouseholdCompensation } from './compensation.ts';
import { approveResettlementList, coReviewResettlementList, getResettlementList } from './resettlement.ts';
import { publishProjectPlan } from './use-cases.ts';
import { planApprovedAtJointMeeting } from '../../../test/support/oversight.ts';

let world: World;
beforeEach(async () => {
  world = await compensationWorld();
});

const compute = (householdId: string, when = on(25, 10)) => computeHouseholdCompensation(world.deps, householdId, ctxOf(WHO.landBranch, when));
const approve = (when = on(25, 9)) => approveResettlementList(world.deps, world.project.id, 'g1', ctxOf(WHO.district, when));
const coReview = (when = on(24, 14)) => coReviewResettlementList(world.deps, world.project.id, 'g1', {}, ctxOf(WHO.meiwan, when));

describe('member checks and the resettlement list', () => {
  it('is co-reviewed by the township first, approved by the district only once every check is done, and resettles those who passed', async () => {
    const household = await housesDetermined(world, await surveyedHousehold(world));
    const confirmed = await surveyConfirmed(world, household);
    const [head, spouse, son] = confirmed.members;

    await expectRefused(world, () => approve(on(24, 10)), { status: 422, code: 'resettlement-list.not-co-reviewed' });
    await expectRefused(world, () => coReviewResettlementList(world.deps, world.project.id, 'g1', {}, ctxOf(WHO.yitang, on(24, 10))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world, () => coReviewResettlementList(world.deps, world.project.id, 'g1', {}, ctxOf(WHO.district, on(24, 10))), { status: 403, code: 'forbidden.agency' });
    await coReview();
    const refusal = await expectRefused(world, () => approve(), { status: 422, code: 'resettlement-list.checks-outstanding' });
    expect(refusal.details?.outstanding).toHaveLength(4);

    // The spouse's hukou was not in the group on the notice date.
    await checksRecorded(world, confirmed, [spouse!.memberId]);
    const list = await approve();
    expect(list.stage).toBe('approved');
    expect(list.approval!.persons.map((p) => p.name)).toEqual([head!.name, son!.name]);
    expect(await getResettlementList(world.deps, world.project.id, 'g1', ctxOf(WHO.meiwan, on(25, 9, 30)))).toEqual(list);

    const compensation = await compute(household.householdId);
    const social = compensation.lines.filter((l) => l.kind === 'social-security');
    expect(social.map((l) => [l.itemId, l.amountFen, l.payee])).toEqual([
      [head!.memberId, STANDARD.socialSecurity.fenPerPerson, 'social-security-fund'],
      [son!.memberId, STANDARD.socialSecurity.fenPerPerson, 'social-security-fund'],
    ]);
  });

  it('has no social-security lines before the list is approved', async () => {
    const household = await checksRecorded(world, await surveyConfirmed(world, await housesDetermined(world, await surveyedHousehold(world))));
    expect((await compute(household.householdId, on(24, 10))).lines.filter((l) => l.kind === 'social-security')).toEqual([]);
  });
});

describe('the computation', () => {
  it('is refused before the plan is published (no locked standard), and writes nothing', async () => {
    world = await compensationWorld({ planPublished: false });
    const household = await surveyedHousehold(world);
    await expectRefused(world, () => compute(household.householdId), { status: 422, code: 'compensation.standard-not-locked' });

    await planApprovedAtJointMeeting(world.store, world.project.id, on(23, 15));
    await publishProjectPlan(world.deps, world.project.id, ctxOf(WHO.landBranch, on(24)));
    expect((await compute(household.householdId)).totalFen).toBeGreaterThan(0);
  });

  it("uses the locked standard's rates only, tells the township (event schema) and recomputes to identical lines", async () => {
    const household = await housesDetermined(world, await surveyedHousehold(world));
    const locked = await world.deps.standards.find(world.project.id);
    const first = await compute(household.householdId);

    expect(first).toMatchObject({ householdId: household.householdId, surveyRevision: household.survey!.revision, standardLockedAt: locked!.lockedAt, final: true });
    const rate = (kind: string, itemId: string) => first.lines.find((l) => l.kind === kind && l.itemId === itemId)!;
    expect(rate('land-compensation', 'p1')).toMatchObject({ rateFen: 4_800_000, quantity: '1.2345', amountFen: 5_925_600, clause: '补偿标准·土地补偿费·地类“水田”' });
    expect(rate('resettlement-subsidy', 'p2')).toMatchObject({ rateFen: 2_400_000, quantity: '0.3333', amountFen: 799_920 });
    expect(rate('house', 'h2')).toMatchObject({ rateFen: 76_001, quantity: '20.5', amountFen: 1_558_021 });
    expect(first.totalFen).toBe(first.lines.reduce((sum, l) => sum + l.amountFen, 0));

    const told = (await world.deps.inbox.page('township', { limit: 10 })).items.filter((e) => e.kind === 'compensation-computed');
    expect(told).toHaveLength(1);
    expect(compensationComputedV1.schema.parse(told[0])).toMatchObject({ jurisdictions: ['yongzhou/lengshuitan/meiwan'], data: { householdId: household.householdId, totalFen: first.totalFen, final: true } });

    const again = await compute(household.householdId, on(26));
    expect(again.lines).toEqual(first.lines);
    expect(again.totalFen).toBe(first.totalFen);
    expect(await getHouseholdCompensation(world.deps, household.householdId, ctxOf(WHO.meiwan, on(26, 11)))).toEqual(again);
  });

  it('is refused to anyone but the land bureau, and writes nothing', async () => {
    const household = await surveyedHousehold(world);
    await expectRefused(world, () => computeHouseholdCompensation(world.deps, household.householdId, ctxOf(WHO.meiwan, on(25))), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world, () => computeHouseholdCompensation(world.deps, household.householdId, ctxOf(WHO.etdzBranch, on(25))), { status: 403, code: 'forbidden.jurisdiction' });
  });
});
