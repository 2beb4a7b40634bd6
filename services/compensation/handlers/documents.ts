import { apiHandler } from '../../../shared/http/api-handler.ts';
import { documentsDeps } from '../adapters/documents-deps.ts';
import { draftHouseholdAgreement } from '../app/agreements.ts';
import { exportDisclosure } from '../app/disclosures.ts';
import { surveyTemplateOf } from '../app/survey-import.ts';
import { documentRoutes } from '../schemas.ts';

/** The routes that render documents: the PDF and workbook libraries and the font live only here. */
const deps = documentsDeps();

export const handler = apiHandler(documentRoutes, {
  surveyTemplate: ({ params, ctx }) => surveyTemplateOf(deps, params.projectId, ctx),
  exportDisclosure: ({ params, body, ctx }) => exportDisclosure(deps, params.projectId, params.villageGroupId, body, ctx),
  draftAgreement: ({ params, body, ctx }) => draftHouseholdAgreement(deps, params.householdId, body, ctx),
}, { audit: deps.uow });
