import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { piiVaultFromEnv } from '../../../shared/adapters/kms-pii-vault.ts';
import { documentStoreFromEnv, evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { newId } from '../../../shared/ids.ts';
import type { ImportWorkerDeps } from '../app/use-cases.ts';
import { compensationRepositoriesOn } from './deps.ts';
import { excelSurveyWorkbooks } from './workbook/survey-workbooks.ts';

/** The import worker: the case tables (no paging), the bucket, the PII vault, the workbook parser. No workflow. */
export function importWorkerDeps(): ImportWorkerDeps & { workbooks: typeof excelSurveyWorkbooks } {
  return {
    ...compensationRepositoriesOn(casesTableFromEnv()),
    evidence: evidenceStoreFromEnv(),
    files: documentStoreFromEnv(),
    pii: piiVaultFromEnv(),
    newId,
    workbooks: excelSurveyWorkbooks,
  };
}
