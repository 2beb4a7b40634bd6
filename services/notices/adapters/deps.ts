import { caseStoreFromEnv } from '../../../shared/aws/case-store.ts';
import { s3Client } from '../../../shared/adapters/aws/s3.ts';
import { schedulerFromEnv } from '../../../shared/aws/scheduler.ts';
import { loadConfig } from '../../../shared/config.ts';
import { S3EvidenceStore } from '../../../shared/evidence/s3-evidence-store.ts';
import { holidaySource } from '../../../shared/holidays/holiday-source.ts';
import { newId } from '../../../shared/ids.ts';
import type { NoticesDeps } from '../app/use-cases.ts';

/** The notices service wired to AWS (or the local cloud: same clients, other endpoints). */
export function noticesDeps(): NoticesDeps {
  const store = caseStoreFromEnv();
  return {
    store,
    evidence: new S3EvidenceStore(s3Client(), loadConfig('EVIDENCE_BUCKET').EVIDENCE_BUCKET),
    scheduler: schedulerFromEnv(),
    calendar: holidaySource(store),
    newId,
  };
}
