import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ctxOf } from '../../../test/support/fakes.ts';
import { compensationWorld, expectRefused, on, person, stringsOf, surveyedHousehold, uploaded, WHO, ZHANG_FAMILY, type World } from '../../../test/support/compensation.ts';
import { computeHouseholdCompensation } from './compensation.ts';
import { exportDisclosure, postDisclosure } from './disclosures.ts';
import { householdTimeline } from './household-timeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'disclosures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WANG_FAMILY = [person('王五', '户主', '1975-01-09', 44), person('刘芳', '配偶', '1976-05-30', 45)];
const EVERYONE = [...ZHANG_FAMILY, ...WANG_FAMILY];

let world: World;
beforeEach(async () => {
  world = await compensationWorld();
  for (const [number, members] of [['001', ZHANG_FAMILY], ['002', WANG_FAMILY]] as const) {
    const household = await surveyedHousehold(world, { number, members: [...members] });
    await computeHouseholdCompensation(world.deps, household.householdId, ctxOf(WHO.landBranch, on(23)));
  }
});

const exported = (when = on(24)) => exportDisclosure(world.deps, world.project.id, 'g1', { postingNote: '公示期：2026年9月24日至10月3日，张贴于梅湾村村务公开栏' }, ctxOf(WHO.meiwan, when));

/** Every cell's value of every sheet, as text. */
async function cellsOf(bytes: Buffer): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells;
}

describe('disclosure (公示)', () => {
  it('exports the group as a PDF and an .xlsx in the bucket, ID numbers masked only', async () => {
    const disclosure = await exported();
    expect(disclosure.households.map((h) => h.householdNumber)).toEqual(['001', '002']);
    expect(disclosure.totalFen).toBe(disclosure.households.reduce((sum, h) => sum + h.totalFen, 0));

    const pdf = world.bucket.bytes(disclosure.documents.pdf.key)!;
    const xlsx = world.bucket.bytes(disclosure.documents.xlsx.key)!;
    expect(world.bucket.objects.get(disclosure.documents.pdf.key)?.contentType).toBe('application/pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'disclosure.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('王五');

    const cells = (await cellsOf(xlsx)).join('\n');
    for (const member of EVERYONE) {
      expect(cells).toContain(`${member.idNumber.slice(0, 4)}**********${member.idNumber.slice(-4)}`);
      expect(cells).not.toContain(member.idNumber);
      expect(text).not.toContain(member.idNumber);
    }
    expect(cells).not.toMatch(/\d{17}[\dX]/);
    const stored = await world.deps.disclosures.find(world.project.id, 'g1', disclosure.disclosureId);
    expect(stringsOf(stored).join('\n')).not.toMatch(/\d{17}[\dX]/);
  });

  it('refuses to export while a household of the group has no computation of its current survey', async () => {
    await surveyedHousehold(world, { number: '003', members: [person('赵六', '户主', '1960-02-02', 55)] });
    await expectRefused(world, () => exported(), { status: 422, code: 'disclosure.not-computed' });
    await expectRefused(world, () => exportDisclosure(world.deps, world.project.id, 'g1', { postingNote: 'x' }, ctxOf(WHO.yitang, on(24))), { status: 403, code: 'forbidden.jurisdiction' });
  });

  it('is posted by the township with photo evidence only', async () => {
    const disclosure = await exported();
    const post = (uploadIds: string[]) => postDisclosure(world.deps, world.project.id, 'g1', disclosure.disclosureId, { uploadIds, postedAt: on(24, 15), place: '梅湾村村务公开栏' }, ctxOf(WHO.meiwan, on(24, 16)));

    await expectRefused(world, () => post([]), { status: 422, code: 'disclosure.evidence-required' });
    const photo = await uploaded(world, { projectId: world.project.id }, 'disclosure-posting', WHO.meiwan, on(24, 15));
    await expectRefused(world, () => postDisclosure(world.deps, world.project.id, 'g1', disclosure.disclosureId, { uploadIds: [photo.uploadId], postedAt: on(24, 15), place: '公开栏' }, ctxOf(WHO.yitang, on(24, 16))), {
      status: 403,
      code: 'forbidden.jurisdiction',
    });

    const step = async () => (await householdTimeline(world.deps, disclosure.households[0]!.householdId, ctxOf(WHO.landBranch, on(24, 17)))).steps.find((s) => s.step === '张贴补偿公示并留存影像');
    expect(await step()).toMatchObject({ status: 'not-started', detail: expect.stringContaining('尚未登记张贴') });

    const posted = await post([photo.uploadId]);
    expect(posted.postings).toEqual([expect.objectContaining({ place: '梅湾村村务公开栏', evidence: [expect.objectContaining({ key: photo.key, uploadedBy: WHO.meiwan })] })]);
    expect((await world.deps.disclosures.find(world.project.id, 'g1', disclosure.disclosureId))?.postings).toHaveLength(1);
    // Each household of the list shows the posting on its timeline.
    expect(await step()).toMatchObject({ status: 'done', responsibleAgency: 'township', detail: expect.stringContaining('证据 1 份') });
  });
});
