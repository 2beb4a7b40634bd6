import { beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../shared/adapters/table.ts';
import { ctxOf } from '../../../test/support/fakes.ts';
import { compensationWorld, expectRefused, on, surveyConfirmed, uploaded, WHO, type World } from '../../../test/support/compensation.ts';
import { generatedSpec, STANDARD, writeWorkbook, type Cell, type WorkbookSpec } from '../adapters/workbook/test-helpers.ts';
import { householdIdOf } from '../domain/household-id.ts';
import type { SurveyImportJob } from '../domain/survey-import.ts';
import { createHousehold } from './households.ts';
import { getSurveyImport, importPage, startSurveyImport } from './survey-import.ts';

let world: World;
beforeEach(async () => {
  world = await compensationWorld({ standard: STANDARD });
});

let requests = 0;

/** Uploads the workbook, starts its import and runs its pages until done; the job after each page. */
async function imported(spec: WorkbookSpec, when = on(23)): Promise<{ job: SurveyImportJob; progress: SurveyImportJob[] }> {
  const bytes = await writeWorkbook(spec);
  const file = await uploaded(world, { projectId: world.project.id }, 'survey-workbook', WHO.landBranch, when, { body: bytes });
  const started = await startSurveyImport(world.deps, world.project.id, { uploadId: file.uploadId }, ctxOf(WHO.landBranch, when));
  expect(world.importer.started.at(-1)).toEqual({ projectId: world.project.id, jobId: started.jobId });
  const progress: SurveyImportJob[] = [];
  for (let done = false; !done; ) {
    ({ done } = await importPage(world.deps, { projectId: world.project.id, jobId: started.jobId, requestId: `page-${++requests}` }, new Date(when)));
    progress.push(await getSurveyImport(world.deps, world.project.id, started.jobId, ctxOf(WHO.landBranch, when)));
  }
  return { job: progress.at(-1)!, progress };
}

/** A data row of a sheet (0-based, as generatedSpec wrote it: Excel row = index + 2). */
const rowOf = (spec: WorkbookSpec, sheet: string, index: number) => spec[sheet]![index] as Record<string, Cell>;

const idOf = (index: number) => householdIdOf(world.project.id, `g${(index % 2) + 1}`, String(index + 1));
const householdOf = (index: number) => world.deps.households.find(idOf(index));

/** The households' records and the members' claims, with their versions. */
const householdRecords = () => [...world.store.items.entries()].filter(([, item]: [string, Item]) => item.pk.startsWith('HOUSEHOLD#') || item.pk.startsWith('MEMBER#'));

describe('survey workbook import', () => {
  it('imports the households of a good workbook, progress reaching every row', async () => {
    const { job } = await imported(generatedSpec(6));
    expect(job).toMatchObject({ status: 'completed', rowsTotal: 90, rowsDone: 90, errorCount: 0, counts: { households: 6, created: 6, updated: 0, unchanged: 0, rejected: 0, confirmedKept: 0 } });
    const second = (await householdOf(1))!;
    expect(second).toMatchObject({ villageGroupId: 'g2', householdNumber: '2', headName: '户主2', state: 'surveying', survey: { status: 'draft', revision: 1 } });
    expect(second.members).toHaveLength(3);
    expect(second.survey!.parcels).toHaveLength(4);
    expect(second.survey!.houses.every((h) => h.legality === 'pending')).toBe(true);
    expect(await world.deps.counters.read(world.project.id, 'households')).toBe(6);
  });

  it('reports bad rows by sheet, row and column and leaves their whole household out', async () => {
    const spec = generatedSpec(4);
    rowOf(spec, '土地', 5).landClass = '沼泽'; // household 2's second parcel: Excel row 7
    const idNumber = String(rowOf(spec, '户及成员', 7).idNumber);
    rowOf(spec, '户及成员', 7).idNumber = idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0'); // household 3's second member: row 9
    const { job } = await imported(spec);

    expect(job).toMatchObject({ status: 'completed', rowsTotal: 60, rowsDone: 60, counts: { households: 4, created: 2, rejected: 2 } });
    expect(job.errors).toEqual([
      expect.objectContaining({ sheet: '户及成员', row: 9, column: '身份证号码（F列）', code: 'household.id-number-invalid' }),
      expect.objectContaining({ sheet: '土地', row: 7, column: '地类（E列）', code: 'household.land-class-unknown' }),
    ]);
    expect(await householdOf(1)).toBeUndefined();
    expect(await householdOf(2)).toBeUndefined();
    expect(await householdOf(0)).toBeDefined();
    // Nothing of a refused household is kept: not even its members' claims.
    const headOfSecond = String(rowOf(spec, '户及成员', 3).idNumber);
    expect(await world.deps.households.memberClaim(world.project.id, await world.pii.mac(headOfSecond))).toBeUndefined();
  });

  it('re-importing the same file changes nothing; a corrected file updates only the changed unconfirmed households', async () => {
    const spec = generatedSpec(4);
    await imported(spec);
    const confirmed = await surveyConfirmed(world, (await householdOf(0))!, on(23, 12));
    const before = householdRecords();
    const audit = world.store.audit.length;

    const { job: again } = await imported(spec, on(24));
    expect(again.counts).toEqual({ households: 4, created: 0, updated: 0, unchanged: 4, rejected: 0, confirmedKept: 0 });
    expect(householdRecords()).toEqual(before);
    expect(world.store.audit.slice(audit).map((a) => a.action)).not.toContain('household.import');

    const corrected = structuredClone(spec);
    rowOf(corrected, '土地', 0).areaMu = 9.99; // household 1, confirmed
    rowOf(corrected, '土地', 8).areaMu = 8.88; // household 3, a draft
    const { job } = await imported(corrected, on(25));
    expect(job.counts).toEqual({ households: 4, created: 0, updated: 1, unchanged: 2, rejected: 0, confirmedKept: 1 });
    expect((await householdOf(0))!.survey).toEqual(confirmed.survey);
    const third = (await householdOf(2))!;
    expect(third.survey).toMatchObject({ revision: 2, status: 'draft' });
    expect(third.survey!.parcels[0]!.areaMu).toBe('8.88');
    const after = new Map(householdRecords());
    for (const [key, item] of before) {
      if (item.pk !== `HOUSEHOLD#${idOf(2)}`) expect(after.get(key)).toEqual(item);
    }
  });

  it('takes back a member that a corrected file had dropped', async () => {
    const spec = generatedSpec(1);
    await imported(spec);
    const withoutChild = structuredClone(spec);
    withoutChild['户及成员'] = withoutChild['户及成员']!.slice(0, 2);
    expect((await imported(withoutChild, on(24))).job.counts.updated).toBe(1);
    expect((await householdOf(0))!.members).toHaveLength(2);

    const { job } = await imported(spec, on(25));
    expect(job).toMatchObject({ errorCount: 0, counts: { updated: 1, rejected: 0 } });
    expect((await householdOf(0))!.members.map((m) => m.name)).toEqual(['户主1', '配偶1', '子女1']);
  });

  it("leaves out a household of another township's group when a township imports, and one whose member is already elsewhere", async () => {
    const spec = generatedSpec(3);
    // Household 3's head was entered by hand in another household already.
    const head = rowOf(spec, '户及成员', 6);
    await createHousehold(world.deps, world.project.id, { villageGroupId: 'g1', householdNumber: '900', headName: '周九', members: [{ name: '周九', relation: '户主', idNumber: String(head.idNumber), dateOfBirth: String(head.dateOfBirth) }], registrationIds: [] }, ctxOf(WHO.meiwan, on(22, 12)));
    const bytes = await writeWorkbook(spec);
    const file = await uploaded(world, { projectId: world.project.id }, 'survey-workbook', WHO.meiwan, on(23), { body: bytes });
    const started = await startSurveyImport(world.deps, world.project.id, { uploadId: file.uploadId }, ctxOf(WHO.meiwan, on(23)));
    await importPage(world.deps, { projectId: world.project.id, jobId: started.jobId, requestId: 'meiwan-1' }, new Date(on(23)));
    const job = await getSurveyImport(world.deps, world.project.id, started.jobId, ctxOf(WHO.meiwan, on(23)));

    expect(job.counts).toMatchObject({ households: 3, created: 1, rejected: 2 });
    expect(job.errors).toEqual([
      expect.objectContaining({ sheet: '户及成员', householdNumber: '2', code: 'forbidden.jurisdiction' }),
      expect.objectContaining({ sheet: '户及成员', householdNumber: '3', code: 'household.member-elsewhere' }),
    ]);
    expect(await householdOf(1)).toBeUndefined();
    expect(await householdOf(2)).toBeUndefined();
  });

  it('refuses to start on a file that is not the declared one, and writes nothing', async () => {
    const bytes = await writeWorkbook(generatedSpec(1));
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 30] = tampered.at(-30)! ^ 0xff;
    const file = await uploaded(world, { projectId: world.project.id }, 'survey-workbook', WHO.landBranch, on(23), { body: tampered, declaredBody: bytes });
    await expectRefused(world, () => startSurveyImport(world.deps, world.project.id, { uploadId: file.uploadId }, ctxOf(WHO.landBranch, on(23))), { status: 422, code: 'evidence.hash-mismatch' });
    expect(world.importer.started).toEqual([]);
  });

  it('imports 2,000 households of 15 rows each, page by page', { timeout: 600_000 }, async () => {
    const { job, progress } = await imported(generatedSpec(2000));
    expect(job).toMatchObject({ status: 'completed', rowsTotal: 30_000, rowsDone: 30_000, errorCount: 0, counts: { households: 2000, created: 2000 } });
    expect(progress.length).toBeGreaterThan(1);
    const done = progress.map((p) => p.rowsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(await world.deps.counters.read(world.project.id, 'households')).toBe(2000);
  });
});
