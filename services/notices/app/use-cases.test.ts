import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { AGENTS, ctxOf, declare, MemoryEvidenceStore, RecordingScheduler, sequentialIds, sha256 } from '../../../test/support/fakes.ts';
import { noticesDepsOn } from '../adapters/deps.ts';
import { routes } from '../schemas.ts';
import { projectTimeline } from './timeline.ts';
import {
  acknowledgeHukouSuspension,
  resumeHukouChanges,
  createProjectCase,
  draftProjectNotice,
  projectPostings,
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

  it('on publication opens the 45-day plan deadline and each township’s deadline to post the notice in each group, not the registration window', async () => {
    const { project, published } = await publishedProject();
    const [plan, ...postings] = published.deadlines;
    // 45 days from 1 Sep 2026 is Friday 16 Oct, a working day.
    expect(plan).toMatchObject({ ruleId: 'implementation-plan', clock: 'agency-deadline', responsibleAgency: 'land-bureau', lastDay: '2026-10-16', dueAt: '2026-10-16T16:00:00.000Z' });
    expect(plan!.source).toContain('§五(一)3');
    // 10 working days from Tuesday 1 Sep: 2–4, 7–11, 14, 15 Sep. One clock per group, in its township.
    expect(postings).toEqual([
      expect.objectContaining({ ruleId: 'notice-posting/g1', step: '张贴征收土地通告并拍照留存：梅湾村一组', jurisdiction: 'yongzhou/lengshuitan/meiwan', responsibleAgency: 'township', clock: 'agency-deadline', lastDay: '2026-09-15', escalateTo: ['leading-group-office'] }),
      expect.objectContaining({ ruleId: 'notice-posting/g2', step: '张贴征收土地通告并拍照留存：伊塘村三组', jurisdiction: 'yongzhou/lengshuitan/yitang', lastDay: '2026-09-15' }),
    ]);
    expect(postings[0]!.source).toContain('《征收土地公告办法》');
    expect((await deps.watches.ofCase(project.id)).map((w) => w.ruleId).sort()).toEqual(['implementation-plan', 'notice-posting/g1', 'notice-posting/g2']);
    expect(scheduler.started).toEqual([{ caseId: project.id, phase: 'project', watches: published.deadlines, now: new Date(PUBLISHED_AT) }]);
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

describe('public security acknowledging the hukou suspension', () => {
  const AT = '2026-09-02T09:30:00+08:00';

  it('is public security’s own act, in a jurisdiction covering the project, once, after publication; the land bureau is told', async () => {
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, '2026-08-20T09:00:00+08:00'));
    await expect(acknowledgeHukouSuspension(deps, project.id, ctxOf(AGENTS.police, AT))).rejects.toMatchObject({ code: 'hukou-suspension.notice-not-published' });
    await publishedProjectFor(project.id);
    await expect(acknowledgeHukouSuspension(deps, project.id, ctxOf(AGENTS.landBranch, AT))).rejects.toMatchObject({ code: 'forbidden.agency' });
    const etdzPolice = { user: 'p2', agency: 'public-security', jurisdiction: 'yongzhou/etdz' } as const;
    await expect(acknowledgeHukouSuspension(deps, project.id, ctxOf(etdzPolice, AT))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
    // A township police station does not cover the whole project.
    const stationPolice = { user: 'p3', agency: 'public-security', jurisdiction: 'yongzhou/lengshuitan/meiwan' } as const;
    await expect(acknowledgeHukouSuspension(deps, project.id, ctxOf(stationPolice, AT))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });

    const acknowledged = await acknowledgeHukouSuspension(deps, project.id, ctxOf(AGENTS.police, AT));
    expect(acknowledged).toEqual({ projectId: project.id, acknowledgedAt: '2026-09-02T01:30:00.000Z', acknowledgedBy: AGENTS.police });
    await expect(acknowledgeHukouSuspension(deps, project.id, ctxOf(AGENTS.police, AT))).rejects.toMatchObject({ code: 'hukou-suspension.already-acknowledged', category: 'conflict' });
    expect(store.audit.filter((a) => a.action === 'hukou-suspension.acknowledge')).toHaveLength(1);
    const told = await readInbox(deps, { limit: 50 }, ctxOf(AGENTS.landBranch, AT));
    expect(told.items).toEqual([expect.objectContaining({ addressee: 'land-bureau', kind: 'hukou-suspension-acknowledged', projectId: project.id })]);
    expect(told.items[0]!.text).toContain('2026-09-02T09:30:00+08:00');
  });
});

async function publishedProjectFor(projectId: string) {
  await draftProjectNotice(deps, projectId, DRAFT, ctxOf(AGENTS.landBranch, '2026-08-25T09:00:00+08:00'));
  await reviewProjectNotice(deps, projectId, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-08-28T09:00:00+08:00'));
  return publishProjectNotice(deps, projectId, ctxOf(AGENTS.landBranch, PUBLISHED_AT));
}

/** Township `who` posts the notice in `group` at `postedAt` (recorded at `now`) with a verified photo. */
async function post(projectId: string, who: typeof AGENTS.meiwan | typeof AGENTS.yitang, group: string, postedAt: string, now: string) {
  const photo = Buffer.from(`photo ${group} ${postedAt} ${now}`);
  const ctx = ctxOf(who, now);
  const upload = await requestEvidenceUpload(deps, projectId, { document: 'notice', villageGroupId: group, fileName: 'p.jpg', ...declare(photo) }, ctx);
  evidence.upload(`projects/${projectId}/postings/notice/${group}/${upload.uploadId}`, photo, 'image/jpeg');
  return recordPosting(deps, projectId, { document: 'notice', villageGroupId: group, uploadIds: [upload.uploadId], postedAt, place: { description: '村务公开栏' } }, ctx);
}

describe('the registration window, per village group', () => {
  it('starts in a group at its verified posting, with the notice’s period, timed by a workflow of its own; the other group has none yet', async () => {
    const { project } = await publishedProject();
    const posting = await post(project.id, AGENTS.meiwan, 'g1', '2026-09-03T15:00:00+08:00', '2026-09-03T16:00:00+08:00');
    // 30 days from 3 Sep ends on Saturday 3 Oct, in the National Day holiday: rolls to Thursday 8 Oct.
    expect(posting.registrationWindow).toMatchObject({
      ruleId: 'registration-window/g1',
      phase: 'registration-g1',
      step: '办理征地补偿登记：梅湾村一组',
      jurisdiction: 'yongzhou/lengshuitan/meiwan',
      clock: 'public-window',
      triggeredAt: '2026-09-03T07:00:00.000Z',
      lastDay: '2026-10-08',
    });
    expect(scheduler.started.at(-1)).toEqual({ caseId: project.id, phase: 'registration-g1', watches: [posting.registrationWindow], now: new Date('2026-09-03T16:00:00+08:00') });
    const watches = await deps.watches.ofCase(project.id);
    expect(watches.find((w) => w.ruleId === 'notice-posting/g1')).toMatchObject({ status: 'met', metAt: '2026-09-03T07:00:00.000Z', metBy: AGENTS.meiwan.user });
    expect(watches.find((w) => w.ruleId === 'notice-posting/g2')).toMatchObject({ status: 'open' });
    expect(watches.some((w) => w.ruleId === 'registration-window/g2')).toBe(false);
    expect(store.audit.findLast((a) => a.action === 'posting.record')?.summary).toMatchObject({ registrationClosesAt: posting.registrationWindow!.dueAt, postingDeadline: 'met' });
  });

  it('a second posting in the group (the notice posted again) moves neither clock', async () => {
    const { project } = await publishedProject();
    const first = await post(project.id, AGENTS.meiwan, 'g1', '2026-09-03T15:00:00+08:00', '2026-09-03T16:00:00+08:00');
    const started = scheduler.started.length;
    const again = await post(project.id, AGENTS.meiwan, 'g1', '2026-09-20T10:00:00+08:00', '2026-09-20T10:30:00+08:00');
    expect(again.registrationWindow).toEqual(first.registrationWindow);
    expect(scheduler.started).toHaveLength(started);
    expect((await deps.watches.get(project.id, 'notice-posting/g1')).watch.metAt).toBe('2026-09-03T07:00:00.000Z');
  });

  it('a posting after the township’s deadline meets it late and releases the workflow waiting on it', async () => {
    const { project, published } = await publishedProject();
    const deadline = published.deadlines.find((d) => d.ruleId === 'notice-posting/g2')!;
    // The workflow found it overdue and waits for the step with its task token.
    const stored = await deps.watches.get(project.id, 'notice-posting/g2');
    await deps.uow.commit([deps.watches.save({ ...stored.watch, status: 'overdue', alertedAt: deadline.dueAt }, stored.version, { waiting: 'task-token-g2' })], []);
    await post(project.id, AGENTS.yitang, 'g2', '2026-09-18T09:00:00+08:00', '2026-09-18T10:00:00+08:00');
    expect((await deps.watches.get(project.id, 'notice-posting/g2')).watch).toMatchObject({ status: 'met-late' });
    expect(scheduler.released).toEqual([{ token: 'task-token-g2', watch: expect.objectContaining({ ruleId: 'notice-posting/g2', status: 'met-late' }) }]);
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

  it('is listed group by group, each evidence file with a short-lived download URL, for any agency that reads the project', async () => {
    const { project } = await publishedProject();
    const post = async (who: typeof AGENTS.meiwan | typeof AGENTS.yitang, group: 'g1' | 'g2', at: string, photos: Buffer[]) => {
      const ctx = ctxOf(who, at);
      const uploadIds = [];
      for (const [i, photo] of photos.entries()) {
        const upload = await requestEvidenceUpload(deps, project.id, { document: 'notice', villageGroupId: group, fileName: `p${i}.jpg`, ...declare(photo) }, ctx);
        evidence.upload(`projects/${project.id}/postings/notice/${group}/${upload.uploadId}`, photo, 'image/jpeg');
        uploadIds.push(upload.uploadId);
      }
      return recordPosting(deps, project.id, { document: 'notice', villageGroupId: group, uploadIds, postedAt: at, place: { description: '村务公开栏' } }, ctx);
    };
    const second = Buffer.from('second photo');
    const yitang = await post(AGENTS.yitang, 'g2', '2026-09-01T14:00:00+08:00', [jpeg]);
    const meiwan = await post(AGENTS.meiwan, 'g1', '2026-09-01T15:00:00+08:00', [jpeg, second]);
    const now = '2026-09-03T09:00:00+08:00';
    const listed = await projectPostings(deps, project.id, ctxOf(AGENTS.landBranch, now));
    expect(listed.items.map((p) => [p.postingId, p.villageGroup])).toEqual([[meiwan.postingId, '梅湾村一组'], [yitang.postingId, '伊塘村三组']]);
    expect(listed.items[0]!.evidence).toEqual([
      { contentType: 'image/jpeg', sha256: sha256(jpeg), size: jpeg.length, verifiedAt: meiwan.evidence[0]!.verifiedAt, url: `memory://${meiwan.evidence[0]!.key}` },
      { contentType: 'image/jpeg', sha256: sha256(second), size: second.length, verifiedAt: meiwan.evidence[1]!.verifiedAt, url: `memory://${meiwan.evidence[1]!.key}` },
    ]);
    expect(listed.items[0]!.postedAtBeijing).toBe('2026-09-01T15:00:00+08:00');
    expect(listed.urlsExpireAt).toBe('2026-09-03T01:15:00.000Z');
    expect(routes.postings.response.safeParse(listed).error?.issues ?? []).toEqual([]);
    expect(store.audit.filter((a) => a.action === 'posting.read')).toHaveLength(1);
    // Another district's branch does not read this project.
    await expect(projectPostings(deps, project.id, ctxOf(AGENTS.etdzBranch, now))).rejects.toMatchObject({ code: 'forbidden.jurisdiction' });
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
    // Never posted: the townships' deadlines are overdue, and registration is still open in both groups.
    expect(after.steps.filter((s) => s.step.startsWith('张贴征收土地通告')).map((s) => [s.status, s.lastDay, s.responsibleAgency])).toEqual([
      ['overdue', '2026-09-15', 'township'],
      ['overdue', '2026-09-15', 'township'],
    ]);
    expect(after.steps.filter((s) => s.step.startsWith('办理征地补偿登记')).map((s) => [s.step, s.status, s.due, s.lastDay])).toEqual([
      ['办理征地补偿登记：梅湾村一组', 'open', '张贴后起算', undefined],
      ['办理征地补偿登记：伊塘村三组', 'open', '张贴后起算', undefined],
    ]);
  });

  it('prints each group’s last day of registration from its own posting', async () => {
    const { project } = await publishedProject();
    await post(project.id, AGENTS.meiwan, 'g1', '2026-09-03T15:00:00+08:00', '2026-09-03T16:00:00+08:00');
    await post(project.id, AGENTS.yitang, 'g2', '2026-09-21T09:00:00+08:00', '2026-09-21T10:00:00+08:00');
    await registerOne(project.id);
    const { steps } = await projectTimeline(deps, project.id, ctxOf(AGENTS.landBranch, '2026-10-09T09:00:00+08:00'));
    const byName = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(byName['张贴征收土地通告并拍照留存：梅湾村一组']).toMatchObject({ status: 'done', doneAtBeijing: '2026-09-03T15:00:00+08:00', by: { agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' }, detail: '证据 1 份' });
    // Posted on 21 Sep, after the 15 Sep deadline.
    expect(byName['张贴征收土地通告并拍照留存：伊塘村三组']).toMatchObject({ status: 'done-late', lastDay: '2026-09-15' });
    expect(byName['办理征地补偿登记：梅湾村一组']).toMatchObject({ status: 'closed', lastDay: '2026-10-08', due: expect.stringContaining('2026年10月8日24时'), detail: expect.stringContaining('全项目已登记 1 项') });
    // 30 days from 21 Sep: Wednesday 21 Oct.
    expect(byName['办理征地补偿登记：伊塘村三组']).toMatchObject({ status: 'open', lastDay: '2026-10-21', dueAtBeijing: '2026-10-22T00:00:00+08:00', detail: expect.stringContaining('2026-09-21T09:00:00+08:00') });
  });

  it('shows the hukou suspension pending until public security acknowledges it, and its end once every household is settled', async () => {
    const project = await createProjectCase(deps, NEW_PROJECT, ctxOf(AGENTS.district, '2026-08-20T09:00:00+08:00'));
    const stepOf = async (name: string, at: string) => (await projectTimeline(deps, project.id, ctxOf(AGENTS.landBranch, at))).steps.find((s) => s.step === name)!;
    expect(await stepOf('暂停办理户籍异动', '2026-08-30T09:00:00+08:00')).toMatchObject({ status: 'not-started', responsibleAgency: 'public-security' });
    await publishedProjectFor(project.id);
    const told = await stepOf('暂停办理户籍异动', '2026-09-01T11:00:00+08:00');
    expect(told).toMatchObject({ status: 'open', responsibleAgency: 'public-security', detail: expect.stringContaining('待公安确认') });
    expect(told).not.toHaveProperty('by');
    await acknowledgeHukouSuspension(deps, project.id, ctxOf(AGENTS.police, '2026-09-02T09:30:00+08:00'));
    expect(await stepOf('暂停办理户籍异动', '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'done', doneAtBeijing: '2026-09-02T09:30:00+08:00', by: { agency: 'public-security', user: AGENTS.police.user } });

    const resumeAt = '2026-12-20T10:00:00+08:00';
    expect(await stepOf('恢复办理户籍异动', '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'not-started', detail: '已签订协议 0/0 户，补偿款已足额支付 0/0 户' });
    await deps.uow.commit([deps.counters.increment(project.id, 'households', 3), deps.counters.increment(project.id, 'households-signed', 2)], []);
    expect(await stepOf('恢复办理户籍异动', '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'not-started', detail: '已签订协议 2/3 户，补偿款已足额支付 0/3 户' });
    await deps.uow.commit([deps.counters.increment(project.id, 'households-signed'), deps.counters.increment(project.id, 'households-paid', 2)], []);
    // Signed is not settled: resuming waits for the last household's full payment, checked from the record.
    expect(await stepOf('恢复办理户籍异动', resumeAt)).toMatchObject({ status: 'not-started', detail: '已签订协议 3/3 户，补偿款已足额支付 2/3 户' });
    await expect(resumeHukouChanges(deps, project.id, ctxOf(AGENTS.police, resumeAt))).rejects.toMatchObject({ code: 'hukou-resumption.not-settled', category: 'rule', message: expect.stringContaining('补偿款已足额支付 2 户') });
    await deps.uow.commit([deps.counters.increment(project.id, 'households-paid')], []);
    expect(await stepOf('恢复办理户籍异动', resumeAt)).toMatchObject({ status: 'open', responsibleAgency: 'public-security', detail: expect.stringContaining('待公安机关恢复办理') });
    await expect(resumeHukouChanges(deps, project.id, ctxOf(AGENTS.landBranch, resumeAt))).rejects.toMatchObject({ code: 'forbidden.agency' });
    const resumed = await resumeHukouChanges(deps, project.id, ctxOf(AGENTS.police, resumeAt));
    expect(resumed).toEqual({ projectId: project.id, resumedAt: '2026-12-20T02:00:00.000Z', resumedBy: AGENTS.police, households: 3 });
    await expect(resumeHukouChanges(deps, project.id, ctxOf(AGENTS.police, resumeAt))).rejects.toMatchObject({ code: 'hukou-resumption.already-resumed', category: 'conflict' });
    expect(await stepOf('恢复办理户籍异动', resumeAt)).toMatchObject({ status: 'done', doneAtBeijing: '2026-12-20T10:00:00+08:00', by: { agency: 'public-security' }, detail: '共 3 户全部结清' });
    expect(store.audit.filter((a) => a.action === 'hukou-changes.resume')).toHaveLength(1);

    // Full funds first: the dedicated account's confirmed deposits against what the signed agreements pay out.
    const funds = '征地拆迁专户资金足额到位';
    expect(await stepOf(funds, '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'not-started', responsibleAgency: 'investment-group' });
    await deps.uow.commit([deps.counters.increment(project.id, 'agreements-payout-fen', 30_000_000), deps.counters.increment(project.id, 'deposits-confirmed-fen', 20_000_000)], []);
    expect(await stepOf(funds, '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'overdue', detail: expect.stringContaining('缺口 100,000.00 元') });
    await deps.uow.commit([deps.counters.increment(project.id, 'deposits-confirmed-fen', 10_000_000)], []);
    expect(await stepOf(funds, '2026-09-02T10:00:00+08:00')).toMatchObject({ status: 'open', detail: '专户已确认到账 300,000.00 元，已签订协议应付 300,000.00 元' });
  });
});

/** One registration counted on the project (what the registration service's transaction does). */
async function registerOne(projectId: string) {
  await deps.uow.commit([deps.counters.increment(projectId, 'registrations')], []);
}
