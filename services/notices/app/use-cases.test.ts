import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { AGENTS, ctxOf, declare, MemoryEvidenceStore, RecordingScheduler, sequentialIds, sha256 } from '../../../test/support/fakes.ts';
import { noticesDepsOn } from '../adapters/deps.ts';
import { projectTimeline } from './timeline.ts';
import {
  createProjectCase,
  draftProjectNotice,
  publishProjectNotice,
  readInbox,
  recordPosting,
  requestEvidenceUpload,
  reviewProjectNotice,
  type NoticesDeps,
} from './use-cases.ts';

const PUBLISHED_AT = '2026-09-01T10:00:00+08:00';
const NEW_PROJECT = {
  name: '滨江大道建设项目',
  district: 'yongzhou/lengshuitan',
  villageGroups: [
    { name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
    { name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
  ],
};
const DRAFT = { title: '征收土地通告', body: '根据……现将征收土地有关事项通告如下……', registrationPeriod: '30d', registrationPlace: '梅湾街道办事处' };

let store: MemoryTable;
let evidence: MemoryEvidenceStore;
let scheduler: RecordingScheduler;
let deps: NoticesDeps;

beforeEach(() => {
  store = new MemoryTable();
  evidence = new MemoryEvidenceStore();
  scheduler = new RecordingScheduler();
  deps = noticesDepsOn(store, { evidence, scheduler, newId: sequentialIds });
});

async function publishedProject() {
  const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, '2026-08-20T09:00:00+08:00'));
  await draftProjectNotice(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, '2026-08-25T09:00:00+08:00'));
  await reviewProjectNotice(deps, project.id, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-08-28T09:00:00+08:00'));
  const published = await publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, PUBLISHED_AT));
  return { project, published };
}

describe('creating a project', () => {
  it('is for the district government or land bureau, inside its jurisdiction', async () => {
    await expect(createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.meiwan, PUBLISHED_AT))).rejects.toMatchObject({ code: 'forbidden.agency' });
    await expect(createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.etdzBranch, PUBLISHED_AT))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, PUBLISHED_AT));
    expect(project.villageGroups.map((g) => g.id)).toEqual(['g1', 'g2']);
    expect(store.audit.map((a) => a.action)).toEqual(['project.create']);
  });

  it('refuses a township outside the district, and writes nothing', async () => {
    const wrong = { ...NEW_PROJECT, villageGroups: [{ name: '一组', village: '某村', township: 'yongzhou/etdz/township-a' }] };
    await expect(createProjectCase(deps, wrong, ctxOf(AGENTS.district, PUBLISHED_AT))).rejects.toMatchObject({ code: 'project.township-outside-district' });
    expect(store.items.size).toBe(0);
    expect(store.audit).toHaveLength(0);
  });
});

describe('the notice: draft → legal review → publish', () => {
  it('cannot be published before the legal affairs office approves it', async () => {
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, PUBLISHED_AT));
    await draftProjectNotice(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, PUBLISHED_AT));
    await expect(publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, PUBLISHED_AT))).rejects.toMatchObject({ code: 'notice.not-approved' });
    await expect(reviewProjectNotice(deps, project.id, { decision: 'return' }, ctxOf(AGENTS.legal, PUBLISHED_AT))).rejects.toMatchObject({ code: 'review.reasons-required' });
    const returned = await reviewProjectNotice(deps, project.id, { decision: 'return', reasons: '登记地点不明确' }, ctxOf(AGENTS.legal, PUBLISHED_AT));
    expect(returned.status).toBe('returned');
    await expect(publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, PUBLISHED_AT))).rejects.toMatchObject({ code: 'notice.not-approved' });
    const revised = await draftProjectNotice(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, PUBLISHED_AT));
    expect(revised).toMatchObject({ status: 'pending-review', revision: 2 });
  });

  it('is reviewed only by the legal affairs office', async () => {
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, PUBLISHED_AT));
    await draftProjectNotice(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, PUBLISHED_AT));
    await expect(reviewProjectNotice(deps, project.id, { decision: 'approve' }, ctxOf(AGENTS.landBureau, PUBLISHED_AT))).rejects.toMatchObject({ code: 'forbidden.agency' });
  });

  it('on publication opens the registration window and the 45-day plan deadline from the legal calendar', async () => {
    const { project, published } = await publishedProject();
    const [window, plan] = published.deadlines;
    // 30 days from 1 Sep 2026 ends on 1 Oct, National Day: rolls to the first working day, 8 Oct.
    expect(window).toMatchObject({ ruleId: 'registration-window', clock: 'public-window', lastDay: '2026-10-08', dueAt: '2026-10-08T16:00:00.000Z' });
    // 45 days from 1 Sep 2026 is Friday 16 Oct, a working day.
    expect(plan).toMatchObject({ ruleId: 'implementation-plan', clock: 'agency-deadline', responsibleAgency: 'land-bureau', lastDay: '2026-10-16', dueAt: '2026-10-16T16:00:00.000Z' });
    expect(plan!.source).toContain('§五(一)3');
    expect(scheduler.started).toEqual([{ caseId: project.id, phase: 'project', watches: published.deadlines }]);
    await expect(publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, PUBLISHED_AT))).rejects.toMatchObject({ code: 'notice.already-published' });
  });

  it('two clerks publishing at once: one publication, one set of clocks, one workflow', async () => {
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, '2026-08-20T09:00:00+08:00'));
    await draftProjectNotice(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, '2026-08-25T09:00:00+08:00'));
    await reviewProjectNotice(deps, project.id, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-08-28T09:00:00+08:00'));
    const results = await Promise.allSettled([
      publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, PUBLISHED_AT)),
      publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBureau, PUBLISHED_AT)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { category: 'conflict' } });
    expect(scheduler.started).toHaveLength(1);
    expect(store.audit.filter((a) => a.action === 'notice.publish')).toHaveLength(1);
  });

  it('on publication tells public security to suspend hukou changes, visible in its inbox only', async () => {
    await publishedProject();
    const inbox = await readInbox(deps, { limit: 50 }, ctxOf(AGENTS.police, PUBLISHED_AT));
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0]).toMatchObject({ addressee: 'public-security', kind: 'hukou-changes-suspended' });
    expect((await readInbox(deps, { limit: 50 }, ctxOf(AGENTS.finance, PUBLISHED_AT))).items).toEqual([]);
    // A district-level public security bureau sees only its own district's.
    const etdzPolice = { user: 'p2', agency: 'public-security', jurisdiction: 'yongzhou/etdz' } as const;
    expect((await readInbox(deps, { limit: 50 }, ctxOf(etdzPolice, PUBLISHED_AT))).items).toEqual([]);
  });
});

describe('posting the notice with evidence', () => {
  const jpeg = Buffer.from('\xff\xd8\xff fake jpeg bytes of a photo of the posted notice');

  it('records the SHA-256 the store checked the uploaded bytes against', async () => {
    const { project } = await publishedProject();
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-02T09:00:00+08:00');
    const upload = await requestEvidenceUpload(deps, project.id, { document: 'notice', villageGroupId: 'g1', fileName: 'p1.jpg', ...declare(jpeg) }, ctx);
    const key = `projects/${project.id}/postings/notice/g1/${upload.uploadId}`;
    evidence.upload(key, jpeg, 'image/jpeg');
    const posting = await recordPosting(deps, project.id, { document: 'notice', villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt: '2026-09-01T15:00:00+08:00', place: { description: '梅湾村一组村务公开栏' } }, ctx);
    expect(posting.evidence[0]).toMatchObject({ key, size: jpeg.length, contentType: 'image/jpeg', sha256: sha256(jpeg) });
    // The same upload cannot back a second posting.
    await expect(
      recordPosting(deps, project.id, { document: 'notice', villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt: '2026-09-01T15:00:00+08:00', place: { description: '同上' } }, ctx),
    ).rejects.toMatchObject({ code: 'posting.upload-used' });
  });

  it('is refused without verified evidence: missing, other type or size, other bytes, no stored checksum', async () => {
    const { project } = await publishedProject();
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-02T09:00:00+08:00');
    const upload = await requestEvidenceUpload(deps, project.id, { document: 'notice', villageGroupId: 'g1', fileName: 'p1.jpg', ...declare(jpeg) }, ctx);
    const key = `projects/${project.id}/postings/notice/g1/${upload.uploadId}`;
    const posting = { document: 'notice' as const, villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt: '2026-09-01T15:00:00+08:00', place: { description: '公告栏' } };
    await expect(recordPosting(deps, project.id, posting, ctx)).rejects.toMatchObject({ code: 'evidence.missing' });
    evidence.upload(key, Buffer.from('%PDF-1.7'), 'application/pdf');
    await expect(recordPosting(deps, project.id, posting, ctx)).rejects.toMatchObject({ code: 'evidence.mismatch' });
    const tampered = Buffer.from(jpeg);
    tampered[10] = 0;
    evidence.upload(key, tampered, 'image/jpeg');
    await expect(recordPosting(deps, project.id, posting, ctx)).rejects.toMatchObject({ code: 'evidence.hash-mismatch' });
    // The right bytes, but stored without a checksum (not through the presigned URL): unverifiable.
    evidence.upload(key, jpeg, 'image/jpeg', { checksum: false });
    await expect(recordPosting(deps, project.id, posting, ctx)).rejects.toMatchObject({ code: 'evidence.unverified' });
    expect(store.audit.filter((a) => a.action === 'posting.record')).toHaveLength(0);
  });

  it('is only for the township that serves the village group', async () => {
    const { project } = await publishedProject();
    const ctx = ctxOf(AGENTS.yitang, '2026-09-02T09:00:00+08:00');
    await expect(
      requestEvidenceUpload(deps, project.id, { document: 'notice', villageGroupId: 'g1', fileName: 'p.jpg', ...declare(jpeg) }, ctx),
    ).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
  });

  it('cannot be claimed before publication or in the future', async () => {
    const { project } = await publishedProject();
    const ctx = ctxOf(AGENTS.meiwan, '2026-09-02T09:00:00+08:00');
    const upload = await requestEvidenceUpload(deps, project.id, { document: 'notice', villageGroupId: 'g1', fileName: 'p.jpg', ...declare(jpeg) }, ctx);
    evidence.upload(`projects/${project.id}/postings/notice/g1/${upload.uploadId}`, jpeg, 'image/jpeg');
    const at = (postedAt: string) => ({ document: 'notice' as const, villageGroupId: 'g1', uploadIds: [upload.uploadId], postedAt, place: { description: '公告栏' } });
    await expect(recordPosting(deps, project.id, at('2026-08-31T09:00:00+08:00'), ctx)).rejects.toMatchObject({ code: 'posting.before-publication' });
    await expect(recordPosting(deps, project.id, at('2026-09-03T09:00:00+08:00'), ctx)).rejects.toMatchObject({ code: 'posting.in-future' });
  });
});

describe('the timeline', () => {
  it('shows each step with its due instant in Beijing time, status and legal source', async () => {
    const { project } = await publishedProject();
    const before = await projectTimeline(deps, project.id, ctxOf(AGENTS.landBranch, '2026-10-16T23:59:00+08:00'));
    const plan = before.steps.find((s) => s.step === '发布征地补偿安置实施方案')!;
    expect(plan).toMatchObject({ status: 'open', dueAtBeijing: '2026-10-17T00:00:00+08:00', responsibleAgency: 'land-bureau' });
    expect(plan.legalSource).toContain('§五(一)3');
    const after = await projectTimeline(deps, project.id, ctxOf(AGENTS.landBranch, '2026-10-17T00:01:00+08:00'));
    expect(after.steps.find((s) => s.step === '发布征地补偿安置实施方案')!.status).toBe('overdue');
    expect(after.steps.find((s) => s.step === '办理征地补偿登记')!.status).toBe('closed');
    expect(after.steps.filter((s) => s.step.startsWith('张贴征收土地通告')).map((s) => s.status)).toEqual(['not-started', 'not-started']);
  });
});
