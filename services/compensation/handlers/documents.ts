import { apiHandler } from '../../../shared/http/api-handler.ts';
import { compensationDeps } from '../adapters/deps.ts';
import { libraryDocumentRenderer } from '../adapters/documents/renderer.ts';
import { excelSurveyWorkbooks } from '../adapters/workbook/survey-workbooks.ts';
import { draftHouseholdAgreement } from '../app/agreements.ts';
import { exportDisclosure } from '../app/disclosures.ts';
import { surveyTemplateOf } from '../app/survey-import.ts';
import { documentRoutes } from '../schemas.ts';

/** The routes that render documents: the PDF and workbook libraries and the font live only here. */
const deps = { ...compensationDeps(), renderer: libraryDocumentRenderer, workbooks: excelSurveyWorkbooks };

export const handler = apiHandler(documentRoutes, {
  surveyTemplate: ({ params, ctx }) => surveyTemplateOf(deps, params.projectId, ctx),
  exportDisclosure: ({ params, body, ctx }) => exportDisclosure(deps, params.projectId, params.villageGroupId, body, ctx),
  draftAgreement: ({ params, body, ctx }) => draftHouseholdAgreement(deps, params.householdId, body, ctx),
}, { audit: deps.uow });
