import { beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/identity.ts';
import { noticesDepsOn } from '../../notices/adapters/deps.ts';
import { projectTimeline } from '../../notices/app/timeline.ts';
import { ctxOf, MemoryEvidenceStore, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { compensationWorld, expectRefused, on, person, stringsOf, surveyConfirmed, surveyedHousehold, WHO, ZHANG_FAMILY, type World } from '../../../test/support/compensation.ts';
import { householdListQuery } from '../household-schemas.ts';
import { getHousehold, listHouseholds } from './household-reads.ts';
import { createHousehold, type NewHousehold } from './households.ts';

let world: World;
beforeEach(async () => {
  world = await compensationWorld();
});

const household = (overrides: Partial<NewHousehold> = {}): NewHousehold => ({ villageGroupId: 'g1', householdNumber: '001', headName: '张三', members: ZHANG_FAMILY, registrationIds: [], ...overrides });
const create = (input: NewHousehold, actor: Identity = WHO.landBranch) => createHousehold(world.deps, world.project.id, input, ctxOf(actor, on(22, 10)));

/** The same ID number with its check character changed. */
const withBadCheckDigit = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

describe('households and their members', () => {
  it('stores members with masked ID numbers only: the clear number is sealed and appears in no record', async () => {
    const created = await create(household());

    expect(created.members.map((m) => [m.name, m.idNumberMasked])).toEqual(ZHANG_FAMILY.map((m) => [m.name, `${m.idNumber.slice(0, 4)}**********${m.idNumber.slice(-4)}`]));
    const stored = stringsOf([...world.store.items.values(), ...world.store.audit]).join('\n');
    for (const member of ZHANG_FAMILY) expect(stored).not.toContain(member.idNumber);
    // Sealed beside the household: only the vault opens it again.
    const sealed = [...world.store.items.values()].filter((i) => i.type === 'household-member-id');
    expect(sealed).toHaveLength(3);
    const opened = await Promise.all(sealed.map((i) => world.pii.reveal((i.idNumber as { cipher: string }).cipher, { purpose: 'household-member', projectId: world.project.id })));
    expect(opened.sort()).toEqual(ZHANG_FAMILY.map((m) => m.idNumber).sort());
  });

  it('refuses an ID number with a wrong check character (400) and writes nothing', async () => {
    const [head, ...rest] = ZHANG_FAMILY;
    await expectRefused(world, () => create(household({ members: [{ ...head!, idNumber: withBadCheckDigit(head!.idNumber) }, ...rest] })), { status: 400, code: 'id-number.invalid' });
  });

  it('refuses the same household number twice in a group (409)', async () => {
    await create(household());
    await expectRefused(world, () => create(household({ headName: '王五', members: [person('王五', '户主', '1975-01-09', 44)] })), { status: 409, code: 'household.duplicate' });
  });

  it('refuses a person who is already a member of another household of the project (409)', async () => {
    await create(household());
    const again = household({ villageGroupId: 'g2', householdNumber: '009', headName: '王五', members: [person('王五', '户主', '1975-01-09', 44), ZHANG_FAMILY[1]!] });
    await expectRefused(world, () => create(again), { status: 409, code: 'household.member-elsewhere' });
  });

  it("keeps a township to its own groups' households, and the court out of all of them (403)", async () => {
    await expectRefused(world, () => create(household(), WHO.yitang), { status: 403, code: 'forbidden.jurisdiction' });
    const mine = await create(household(), WHO.meiwan);

    await expectRefused(world, () => getHousehold(world.deps, mine.householdId, ctxOf(WHO.yitang, on(23))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world, () => listHouseholds(world.deps, world.project.id, { villageGroupId: 'g1', limit: 10 }, ctxOf(WHO.yitang, on(23))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world, () => listHouseholds(world.deps, world.project.id, { limit: 10 }, ctxOf(WHO.yitang, on(23))), { status: 403, code: 'forbidden.jurisdiction' });
    await expectRefused(world, () => getHousehold(world.deps, mine.householdId, ctxOf(WHO.court, on(23))), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world, () => listHouseholds(world.deps, world.project.id, { limit: 10 }, ctxOf(WHO.court, on(23))), { status: 403, code: 'forbidden.agency' });
    await expectRefused(world, () => create(household({ householdNumber: '002' }), WHO.court), { status: 403, code: 'forbidden.agency' });

    expect((await getHousehold(world.deps, mine.householdId, ctxOf(WHO.meiwan, on(23)))).householdId).toBe(mine.householdId);
    expect((await listHouseholds(world.deps, world.project.id, { villageGroupId: 'g1', limit: 10 }, ctxOf(WHO.meiwan, on(23)))).items.map((h) => h.householdNumber)).toEqual(['001']);
  });

  it('the discipline commission and the procuratorate read the households they supervise — read only, each read audited (§三(四)(五))', async () => {
    const mine = await create(household(), WHO.meiwan);
    for (const who of [{ user: 'gu.dc', agency: 'discipline-commission', jurisdiction: 'yongzhou' }, { user: 'fang.pr', agency: 'procuratorate', jurisdiction: 'yongzhou' }] as const) {
      const before = world.store.audit.length;
      expect((await getHousehold(world.deps, mine.householdId, ctxOf(who, on(23)))).householdId).toBe(mine.householdId);
      expect(world.store.audit.slice(before).map((e) => [e.action, e.actor.agency])).toEqual([['household.read', who.agency]]);
      await expectRefused(world, () => create(household({ householdNumber: '002' }), who), { status: 403, code: 'forbidden.agency' });
    }
  });

  it('lists households by village group and state, a page at a time with a cursor', async () => {
    const first = await surveyedHousehold(world, { number: '001' });
    await surveyedHousehold(world, { number: '002', members: [person('赵六', '户主', '1960-02-02', 55)] });
    await surveyedHousehold(world, { number: '003', members: [person('钱七', '户主', '1961-03-03', 66)] });
    await surveyedHousehold(world, { group: 'g2', number: '001', members: [person('孙八', '户主', '1962-04-04', 77)] });
    await surveyConfirmed(world, first);
    const list = (query: { villageGroupId?: string; state?: 'surveying' | 'confirmed'; limit: number; cursor?: string }) => listHouseholds(world.deps, world.project.id, query, ctxOf(WHO.landBranch, on(24)));

    const page1 = await list({ villageGroupId: 'g1', limit: 2 });
    expect(page1.items.map((h) => h.householdNumber)).toEqual(['001', '002']);
    expect(page1.cursor).toBeDefined();
    const page2 = await list({ villageGroupId: 'g1', limit: 2, cursor: page1.cursor! });
    expect(page2.items.map((h) => h.householdNumber)).toEqual(['003']);
    expect(page2.cursor).toBeUndefined();

    expect((await list({ villageGroupId: 'g1', state: 'confirmed', limit: 10 })).items.map((h) => h.householdNumber)).toEqual(['001']);
    expect((await list({ villageGroupId: 'g1', state: 'surveying', limit: 10 })).items.map((h) => h.householdNumber)).toEqual(['002', '003']);
    expect((await list({ villageGroupId: 'g2', limit: 10 })).items.map((h) => h.headName)).toEqual(['孙八']);
    expect((await list({ limit: 10 })).items).toHaveLength(4);
  });

  it('finds households by the head\'s or a member\'s name, or by what a masked ID number shows — never by the clear number', async () => {
    await surveyedHousehold(world, { number: '001' });
    const zhao = person('赵六', '户主', '1960-02-02', 55);
    await surveyedHousehold(world, { number: '002', members: [zhao, person('钱小七', '子女', '1990-03-03', 66)] });
    await surveyedHousehold(world, { group: 'g2', number: '001', members: [person('孙八', '户主', '1962-04-04', 77)] });
    const search = (q: string, more: { villageGroupId?: string; limit?: number; cursor?: string } = {}) =>
      listHouseholds(world.deps, world.project.id, { limit: 10, ...more, q }, ctxOf(WHO.landBranch, on(24)));
    const heads = async (q: string, more?: { villageGroupId?: string; limit?: number }) => (await search(q, more)).items.map((h) => h.headName);

    expect(await heads('张')).toEqual(['张三']);
    // A member who is not the head finds the household; so does the head's name.
    expect(await heads('小七')).toEqual(['赵六']);
    expect(await heads('李四')).toEqual(['张三']);
    expect(await heads('孙八', { villageGroupId: 'g1' })).toEqual([]);
    const masked = `${zhao.idNumber.slice(0, 4)}**********${zhao.idNumber.slice(-4)}`;
    expect(await heads(zhao.idNumber.slice(-4))).toEqual(['赵六']);
    expect(await heads(masked)).toEqual(['赵六']);
    // The clear number's middle digits are not what the masked number shows: no match.
    expect(await heads(zhao.idNumber.slice(6, 10))).toEqual([]);
    expect(world.store.audit.at(-1)).toMatchObject({ action: 'household.list', summary: { count: 0, q: zhao.idNumber.slice(6, 10) } });

    // Filtered after the index read: short pages, the cursor going on to the end.
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await search('赵六', { limit: 1, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((h) => h.headName));
      cursor = page.cursor;
    } while (cursor);
    expect(pages.flat()).toEqual(['赵六']);
    expect(pages.length).toBeGreaterThan(1);
  });

  it('refuses a search for a clear ID number (400): only what the masked number shows is searched', () => {
    const [head] = ZHANG_FAMILY;
    for (const q of [head!.idNumber, head!.idNumber.slice(-5), '１２３４５']) {
      const parsed = householdListQuery.safeParse({ q });
      expect(parsed.success, q).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('身份证号只能按脱敏号码或后4位查找，请勿输入完整的身份证号');
    }
    expect(householdListQuery.parse({ q: ' 1101**********002X ' })).toMatchObject({ q: '1101**********002X' });
    expect(householdListQuery.safeParse({ q: '张'.repeat(51) }).success).toBe(false);
  });

  it("keeps each household in its own partition, which the project's timeline never reads", async () => {
    const created = await create(household());
    const records = [...world.store.items.values()];
    const own = records.filter((i) => i.pk === `HOUSEHOLD#${created.householdId}`).map((i) => i.type);
    expect(own.sort()).toEqual(['household', 'household-member-id', 'household-member-id', 'household-member-id']);
    const projectPartition = records.filter((i) => i.pk === `PROJECT#${world.project.id}`);
    expect(projectPartition.some((i) => i.type === 'household' || i.type === 'household-member-id' || stringsOf(i).includes(created.householdId))).toBe(false);

    // The timeline counts households from the project's counter, not by reading them.
    const notices = noticesDepsOn(world.store, { evidence: new MemoryEvidenceStore(), scheduler: new RecordingScheduler(), newId: sequentialIds });
    const timeline = await projectTimeline(notices, world.project.id, ctxOf(WHO.landBranch, on(23)));
    expect(timeline.steps.map((s) => s.detail)).toContain('已签订协议 0/1 户，补偿款已足额支付 0/1 户');
  });
});
