import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { schedulerFromEnv } from '../../../shared/adapters/sfn-watch-scheduler.ts';
import { holidaySource } from '../../../shared/calendar/index.ts';
import type { EvidenceStore } from '../../../shared/evidence/evidence.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { newId } from '../../../shared/ids.ts';
import type { NoticesDeps } from '../app/use-cases.ts';
import { TableEvidenceUploadRepository } from './evidence-upload-repository.ts';
import { TableHukouSuspensionRepository } from './hukou-suspension-repository.ts';
import { TablePostingRepository } from './posting-repository.ts';

/** The notices service's repositories on a table, with the other ports given. */
export function noticesDepsOn(
  table: Table,
  ports: { evidence: EvidenceStore; scheduler: WatchScheduler; newId: (nowMs: number) => string },
): NoticesDeps {
  const kernel = caseKernel(table);
  return {
    ...kernel,
    uploads: new TableEvidenceUploadRepository(table),
    postings: new TablePostingRepository(table),
    hukou: new TableHukouSuspensionRepository(table),
    calendar: holidaySource(kernel.holidayYears),
    ...ports,
  };
}

/** The notices service wired to AWS (or the local cloud: same clients, other endpoints). */
export function noticesDeps(): NoticesDeps {
  return noticesDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { evidence: evidenceStoreFromEnv(), scheduler: schedulerFromEnv(), newId });
}
