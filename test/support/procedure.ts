import { createHash } from 'node:crypto';
import type { Table } from '../../shared/adapters/table.ts';
import type { DeadlineWatch } from '../../shared/deadlines/watch.ts';
import { noticesDepsOn } from '../../services/notices/adapters/deps.ts';
import { evidenceKey } from '../../services/notices/domain/posting.ts';
import {
  createProjectCase,
  draftProjectNotice,
  publishProjectNotice,
  recordPosting,
  requestEvidenceUpload,
  reviewProjectNotice,
  type NoticesDeps,
} from '../../services/notices/app/use-cases.ts';
import { AGENTS, ctxOf, MemoryEvidenceStore, RecordingScheduler, sequentialIds } from './fakes.ts';

/** The township acting in each of the project's groups. */
const TOWNSHIP_OF = { g1: AGENTS.meiwan, g2: AGENTS.yitang } as const;

/**
 * A project whose notice was published at `publishedAt` (in-memory ports), for use-case tests.
 * Unless `posted` is false, each township posts the notice in its group at the same instant (with
 * verified evidence), which starts that group's registration window. `deadlines` are what
 * publication opened (the plan deadline first, then each group's posting deadline); `plan` and
 * `window` (g1's registration window) are picked out.
 */
export async function projectWithPublishedNotice(store: Table, publishedAt = '2026-09-01T10:00:00+08:00', registrationPeriod = '30d', { posted = true } = {}) {
  const evidence = new MemoryEvidenceStore();
  const deps = noticesDepsOn(store, { evidence, scheduler: new RecordingScheduler(), newId: sequentialIds });
  const project = await createProjectCase(
    deps,
    {
      name: '滨江大道建设项目',
      district: 'yongzhou/lengshuitan',
      villageGroups: [
        { name: '一组', village: '梅湾村', township: 'yongzhou/lengshuitan/meiwan' },
        { name: '三组', village: '伊塘村', township: 'yongzhou/lengshuitan/yitang' },
      ],
    },
    ctxOf(AGENTS.district, '2026-08-20T09:00:00+08:00'),
  );
  await draftProjectNotice(deps, project.id, { title: '征收土地通告', body: '通告正文', registrationPeriod, registrationPlace: '街道办事处' }, ctxOf(AGENTS.landBranch, '2026-08-25T09:00:00+08:00'));
  await reviewProjectNotice(deps, project.id, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-08-28T09:00:00+08:00'));
  const { deadlines } = await publishProjectNotice(deps, project.id, ctxOf(AGENTS.landBranch, publishedAt));
  const windows: Record<string, DeadlineWatch> = {};
  if (posted) {
    for (const group of project.villageGroups) {
      windows[group.id] = await postNotice(deps, evidence, project.id, group.id as keyof typeof TOWNSHIP_OF, publishedAt);
    }
  }
  const plan = deadlines.find((d) => d.ruleId === 'implementation-plan')!;
  return { project, deadlines, plan, window: windows.g1, windows, evidence, deps };
}

/** The township posts the notice in the group at `postedAt`, with one verified photo; returns the group's window. */
export async function postNotice(deps: NoticesDeps, evidence: MemoryEvidenceStore, projectId: string, groupId: keyof typeof TOWNSHIP_OF, postedAt: string): Promise<DeadlineWatch> {
  const township = TOWNSHIP_OF[groupId];
  const photo = Buffer.from(`photo of the notice in ${groupId}`);
  const upload = await requestEvidenceUpload(
    deps,
    projectId,
    { document: 'notice', villageGroupId: groupId, contentType: 'image/jpeg', fileName: 'notice.jpg', size: photo.length, sha256: createHash('sha256').update(photo).digest('hex') },
    ctxOf(township, postedAt),
  );
  evidence.upload(evidenceKey(projectId, 'notice', groupId, upload.uploadId), photo, 'image/jpeg');
  const posting = await recordPosting(deps, projectId, { document: 'notice', villageGroupId: groupId, uploadIds: [upload.uploadId], postedAt, place: { description: '村务公开栏' } }, ctxOf(township, postedAt));
  return posting.registrationWindow!;
}
