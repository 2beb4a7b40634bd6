import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { documentStoreFromEnv, evidenceStoreFromEnv } from '../../../shared/adapters/s3-evidence-store.ts';
import { newId } from '../../../shared/ids.ts';
import type { DocumentsDeps } from '../app/use-cases.ts';
import { compensationRepositoriesOn } from './deps.ts';
import { libraryDocumentRenderer } from './documents/renderer.ts';
import { excelSurveyWorkbooks } from './workbook/survey-workbooks.ts';

/** The documents function: the case tables (paged), the bucket, the renderers. No workflow, no personal data. */
export function documentsDeps(): DocumentsDeps & { renderer: typeof libraryDocumentRenderer; workbooks: typeof excelSurveyWorkbooks } {
  return {
    ...compensationRepositoriesOn(casesTableFromEnv(cursorSealerFromEnv())),
    evidence: evidenceStoreFromEnv(),
    files: documentStoreFromEnv(),
    newId,
    renderer: libraryDocumentRenderer,
    workbooks: excelSurveyWorkbooks,
  };
}
