import type { Table } from '../../shared/adapters/table.ts';
import { noticesDepsOn } from '../../services/notices/adapters/deps.ts';
import { createProjectCase, draftProjectNotice, publishProjectNotice, reviewProjectNotice } from '../../services/notices/app/use-cases.ts';
import { AGENTS, ctxOf, MemoryEvidenceStore, RecordingScheduler, sequentialIds } from './fakes.ts';

/** A project whose notice was published at `publishedAt` (in-memory ports), for use-case tests. */
export async function projectWithPublishedNotice(store: Table, publishedAt = '2026-09-01T10:00:00+08:00', registrationPeriod = '30d') {
  const deps = noticesDepsOn(store, { evidence: new MemoryEvidenceStore(), scheduler: new RecordingScheduler(), newId: sequentialIds });
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
  return { project, deadlines };
}
