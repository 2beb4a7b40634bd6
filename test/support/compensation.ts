import { expect } from 'vitest';
import { MemoryPiiVault } from '../../shared/adapters/memory-pii-vault.ts';
import { MemoryTable } from '../../shared/adapters/memory-table.ts';
import { DomainError, httpStatusOf } from '../../shared/errors.ts';
import type { Identity } from '../../shared/identity.ts';
import { compensationDepsOn } from '../../services/compensation/adapters/deps.ts';
import { libraryDocumentRenderer } from '../../services/compensation/adapters/documents/renderer.ts';
import { excelSurveyWorkbooks } from '../../services/compensation/adapters/workbook/survey-workbooks.ts';
import { idNumber } from '../../services/compensation/adapters/workbook/test-helpers.ts';
import { computeHouseholdCompensation } from '../../services/compensation/app/compensation.ts';
import { exportDisclosure, postDisclosure } from '../../services/compensation/app/disclosures.ts';
import { createHousehold } from '../../services/compensation/app/households.ts';
import type { MemberInput } from '../../services/compensation/app/members.ts';
import type { ImportStarter } from '../../services/compensation/app/ports.ts';
import { approveResettlementList, coReviewResettlementList } from '../../services/compensation/app/resettlement.ts';
import { confirmHouseholdSurvey, determineHouseLegality, recordMemberCheck, recordSurvey } from '../../services/compensation/app/survey.ts';
import { requestUpload } from '../../services/compensation/app/uploads.ts';
import { draftProjectPlan, publishProjectPlan, reviewProjectPlan } from '../../services/compensation/app/use-cases.ts';
import type { Household } from '../../services/compensation/domain/household.ts';
import type { CompensationStandard } from '../../services/compensation/domain/plan.ts';
import type { SurveyInput } from '../../services/compensation/domain/survey.ts';
import { XLSX_CONTENT_TYPE, type UploadPurpose } from '../../services/compensation/domain/uploads.ts';
import { AGENTS, ctxOf, declare, MemoryBucket, RecordingScheduler, sequentialIds } from './fakes.ts';
import { ACTORS, STANDARD } from './households.ts';
import { projectWithPublishedNotice } from './procedure.ts';
import { planApprovedAtJointMeeting } from './oversight.ts';

/**
 * The compensation service's use cases on the in-memory table, for their tests: a project whose
 * notice was published on 1 September 2026 (g1 梅湾村一组 of Meiwan, g2 伊塘村三组 of Yitang),
 * its plan published with the standard locked on 22 September, and the steps a household goes
 * through, each at a Beijing instant of late September 2026 unless told otherwise.
 */

export const WHO = {
  ...AGENTS,
  housing: ACTORS.housing,
  civilAffairs: ACTORS.civilAffairs,
  urbanManagement: ACTORS.urbanManagement,
  court: { user: 'gao.ic', agency: 'intermediate-court', jurisdiction: 'yongzhou' },
} as const satisfies Record<string, Identity>;

/** The township that acts in each group of the project. */
export const TOWNSHIP = { g1: WHO.meiwan, g2: WHO.yitang } as const;

/** A Beijing instant in September 2026: `on(23, 14)` is 23 September, 14:00. */
export const on = (day: number, hour = 10, minute = 0) => `2026-09-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;

/** A member as an agency enters it, with a valid ID number for the birth date. */
export function person(name: string, relation: string, dateOfBirth: string, sequence: number, military?: 'serving' | 'retired'): MemberInput {
  return { name, relation, dateOfBirth, idNumber: idNumber(dateOfBirth, sequence), ...(military ? { military } : {}) };
}

export const ZHANG_FAMILY = [person('张三', '户主', '1968-03-02', 11), person('李四', '配偶', '1970-07-15', 22), person('张小兵', '子女', '1998-11-20', 33, 'serving')];

/** A survey of every kind of item (against households.ts's STANDARD); c2 was planted after the notice. */
export const SURVEY: SurveyInput = {
  parcels: [
    { itemId: 'p1', parcelNumber: '12-3', landClass: '水田', areaMu: '1.2345' },
    { itemId: 'p2', parcelNumber: '12-4', landClass: '旱地', areaMu: '0.3333' },
  ],
  crops: [
    { itemId: 'c1', crop: '水稻', areaMu: '1.2345' },
    { itemId: 'c2', crop: '蔬菜', areaMu: '0.5', cameIntoBeingOn: '2026-09-02' },
  ],
  attachments: [{ itemId: 'a1', item: '水井', unit: '口', quantity: '1' }],
  houses: [
    { itemId: 'h1', structure: '砖混', floorAreaSquareMetres: '123.45', storeys: 2 },
    { itemId: 'h2', structure: '砖木', floorAreaSquareMetres: '20.5', storeys: 1 },
  ],
};

/** Records which survey-import jobs were started (the survey-imports workflow's stand-in). */
export class RecordingImporter implements ImportStarter {
  readonly started: Array<{ projectId: string; jobId: string }> = [];
  async start(projectId: string, jobId: string): Promise<void> {
    this.started.push({ projectId, jobId });
  }
}

export type World = Awaited<ReturnType<typeof compensationWorld>>;

/** The project and every port in memory; unless `planPublished` is false, the plan is published (standard locked). */
export async function compensationWorld({ standard = STANDARD, planPublished = true }: { standard?: CompensationStandard; planPublished?: boolean } = {}) {
  const store = new MemoryTable();
  const bucket = new MemoryBucket();
  const scheduler = new RecordingScheduler();
  const pii = new MemoryPiiVault();
  const importer = new RecordingImporter();
  const deps = {
    ...compensationDepsOn(store, { scheduler, evidence: bucket, files: bucket, pii, newId: sequentialIds }),
    renderer: libraryDocumentRenderer,
    workbooks: excelSurveyWorkbooks,
    importer,
  };
  const { project } = await projectWithPublishedNotice(store);
  await draftProjectPlan(deps, project.id, { title: '征地补偿安置实施方案', body: '方案正文', standard }, ctxOf(WHO.landBranch, on(20)));
  await reviewProjectPlan(deps, project.id, { decision: 'approve' }, ctxOf(WHO.legal, on(21)));
  if (planPublished) {
    await planApprovedAtJointMeeting(store, project.id, on(21, 15));
    await publishProjectPlan(deps, project.id, ctxOf(WHO.landBranch, on(22, 9)));
  }
  return { store, bucket, scheduler, pii, importer, deps, project };
}

const DEFAULT_TYPES: Record<UploadPurpose, string> = {
  'house-film': 'video/mp4',
  'survey-photo': 'image/jpeg',
  'survey-confirmation': 'application/pdf',
  'agreement-scan': 'application/pdf',
  'disclosure-posting': 'image/jpeg',
  'survey-workbook': XLSX_CONTENT_TYPE,
};

let files = 0;

/**
 * A file uploaded the way a phone does it: a presigned slot requested with the file's declared
 * SHA-256, then the bytes PUT to the slot's key. `declaredBody` declares other bytes than are sent.
 */
export async function uploaded(
  world: World,
  at: { householdId: string } | { projectId: string },
  purpose: UploadPurpose,
  actor: Identity,
  when: string,
  { body = Buffer.from(`${purpose} #${++files}`), declaredBody = body, contentType = DEFAULT_TYPES[purpose] }: { body?: Buffer; declaredBody?: Buffer; contentType?: string } = {},
): Promise<{ uploadId: string; key: string }> {
  const slot = await requestUpload(world.deps, at, { purpose, fileName: `${purpose}-${files}`, ...declare(declaredBody, contentType) }, ctxOf(actor, when));
  const key = slot.url.replace(/^memory:\/\//, '');
  world.bucket.upload(key, body, contentType);
  return { uploadId: slot.uploadId, key };
}

/** A household entered in a group (by the land bureau's branch) and surveyed. */
export async function surveyedHousehold(
  world: World,
  { group = 'g1', number = '001', members = ZHANG_FAMILY, survey = SURVEY, headName = members[0]!.name }: { group?: 'g1' | 'g2'; number?: string; members?: MemberInput[]; survey?: SurveyInput; headName?: string } = {},
): Promise<Household> {
  const created = await createHousehold(world.deps, world.project.id, { villageGroupId: group, householdNumber: number, headName, members, registrationIds: [] }, ctxOf(WHO.landBranch, on(22, 10)));
  return recordSurvey(world.deps, created.householdId, survey, ctxOf(WHO.landBranch, on(22, 11)));
}

/** Housing-construction determines each house (all legal unless named illegal). */
export async function housesDetermined(world: World, household: Household, illegal: string[] = [], when = on(23, 9)): Promise<Household> {
  let current = household;
  for (const house of household.survey?.houses ?? []) {
    if (house.legality !== 'pending') continue;
    const legality = illegal.includes(house.itemId) ? 'illegal' : 'legal';
    current = await determineHouseLegality(world.deps, household.householdId, house.itemId, { legality, reference: legality === 'illegal' ? '冷住建违认〔2026〕12号' : '冷住建认〔2026〕11号' }, ctxOf(WHO.housing, when));
  }
  return current;
}

/** The household signs its survey: the township uploads the signed scan and records the confirmation. */
export async function surveyConfirmed(world: World, household: Household, when = on(23, 10)): Promise<Household> {
  const township = TOWNSHIP[household.villageGroupId as 'g1' | 'g2'];
  const scan = await uploaded(world, { householdId: household.householdId }, 'survey-confirmation', township, when);
  return confirmHouseholdSurvey(world.deps, household.householdId, { uploadId: scan.uploadId }, ctxOf(township, when));
}

/** Public security and civil affairs record every open check: passed, unless the member is named failing. */
export async function checksRecorded(world: World, household: Household, failing: string[] = [], when = on(24, 9)): Promise<Household> {
  let current = household;
  for (const check of household.checks.filter((c) => c.status === 'pending')) {
    const passed = !failing.includes(check.memberId);
    const actor = check.kind === 'hukou' ? WHO.police : WHO.civilAffairs;
    current = await recordMemberCheck(world.deps, household.householdId, { memberId: check.memberId, kind: check.kind }, { passed, note: passed ? '核实无误' : '通告发布之日户籍不在本组' }, ctxOf(actor, when));
  }
  return current;
}

/** The township co-reviews its group's list and the district government approves it. */
export async function listApproved(world: World, group: 'g1' | 'g2' = 'g1', when = on(24, 14)) {
  await coReviewResettlementList(world.deps, world.project.id, group, {}, ctxOf(TOWNSHIP[group], when));
  return approveResettlementList(world.deps, world.project.id, group, ctxOf(WHO.district, on(25, 9)));
}

/** The township exports its group's disclosure (公示) and records its posting with a photo. */
export async function disclosedAndPosted(world: World, group: 'g1' | 'g2' = 'g1', when = on(25, 10, 30)) {
  const township = TOWNSHIP[group];
  const disclosure = await exportDisclosure(world.deps, world.project.id, group, { postingNote: '公示期七日，张贴于村务公开栏' }, ctxOf(township, when));
  const photo = await uploaded(world, { projectId: world.project.id }, 'disclosure-posting', township, when);
  return postDisclosure(world.deps, world.project.id, group, disclosure.disclosureId, { uploadIds: [photo.uploadId], postedAt: when, place: '村务公开栏' }, ctxOf(township, when));
}

/** A household through survey, legality, confirmation, checks, the group's approved list, its computation and the disclosure. */
export async function readyForAgreement(world: World, options: Parameters<typeof surveyedHousehold>[1] & { illegal?: string[] } = {}) {
  const surveyed = await surveyedHousehold(world, options);
  const determined = await housesDetermined(world, surveyed, options.illegal);
  const confirmed = await surveyConfirmed(world, determined);
  const household = await checksRecorded(world, confirmed);
  await listApproved(world, household.villageGroupId as 'g1' | 'g2');
  const compensation = await computeHouseholdCompensation(world.deps, household.householdId, ctxOf(WHO.landBranch, on(25, 10)));
  await disclosedAndPosted(world, household.villageGroupId as 'g1' | 'g2');
  return { household, compensation };
}

/** What a refusal must leave as it was: every record, the audit trail, the bucket's objects. */
export function snapshotOf(world: Pick<World, 'store' | 'bucket'>) {
  return {
    items: structuredClone([...world.store.items.entries()]),
    audit: world.store.audit.length,
    objects: [...world.bucket.objects.keys()],
  };
}

/** The call is refused with this HTTP status and code, and writes nothing at all. */
export async function expectRefused(world: Pick<World, 'store' | 'bucket'>, call: () => Promise<unknown>, expected: { status: number; code: string }): Promise<DomainError> {
  const before = snapshotOf(world);
  const error = await call().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  const refusal = error as DomainError;
  expect({ status: httpStatusOf(refusal), code: refusal.code }).toEqual(expected);
  expect(snapshotOf(world)).toEqual(before);
  return refusal;
}

/** Every string anywhere in a record (keys and values), for scanning stored data. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}
