import { apiHandler } from '../../../shared/http/api-handler.ts';
import { incidentsDeps } from '../adapters/deps.ts';
import * as incidents from '../app/incidents.ts';
import * as petitions from '../app/petitions.ts';
import { routes } from '../schemas.ts';

const deps = incidentsDeps();

export const handler = apiHandler(routes, {
  readCriteria: ({ ctx }) => incidents.readIncidentCriteria(deps, ctx),
  reviseCriteria: ({ body, ctx }) => incidents.reviseIncidentCriteria(deps, body, ctx),
  report: ({ params, body, ctx }) => incidents.reportProjectIncident(deps, params.projectId, body, ctx),
  list: ({ params, query, ctx }) => incidents.listProjectIncidents(deps, params.projectId, query, ctx),
  read: ({ params, ctx }) => incidents.readIncident(deps, params.incidentId, ctx),
  upload: ({ params, body, ctx }) => incidents.requestIncidentUpload(deps, params.incidentId, body, ctx),
  evidence: ({ params, body, ctx }) => incidents.addIncidentEvidence(deps, params.incidentId, body, ctx),
  firstResponse: ({ params, body, ctx }) => incidents.recordIncidentFirstResponse(deps, params.incidentId, body, ctx),
  classify: ({ params, body, ctx }) => incidents.classifyIncident(deps, params.incidentId, body, ctx),
  onSite: ({ params, body, ctx }) => incidents.recordIncidentLeaderOnSite(deps, params.incidentId, body, ctx),
  refer: ({ params, body, ctx }) => incidents.referIncidentViolence(deps, params.incidentId, body, ctx),
  close: ({ params, body, ctx }) => incidents.closeProjectIncident(deps, params.incidentId, body, ctx),
  recordPetition: ({ params, body, ctx }) => petitions.recordProjectPetition(deps, params.projectId, body, ctx),
  listPetitions: ({ params, query, ctx }) => petitions.listProjectPetitions(deps, params.projectId, query, ctx),
  readPetition: ({ params, ctx }) => petitions.readPetition(deps, params.petitionId, ctx),
  petitionProgress: ({ params, body, ctx }) => petitions.recordPetitionProgress(deps, params.petitionId, body, ctx),
  closePetition: ({ params, body, ctx }) => petitions.closeProjectPetition(deps, params.petitionId, body, ctx),
}, { audit: deps.uow });
