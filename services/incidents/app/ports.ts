import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { IncidentCriteria } from '../domain/criteria.ts';
import type { Incident } from '../domain/incident.ts';
import type { Petition } from '../domain/petition.ts';
import type { IncidentUpload } from '../domain/uploads.ts';

export interface IncidentRepository {
  /** The incident, or a 404 `incident.not-found`. */
  get(incidentId: string): Promise<Versioned<Incident>>;
  save(incident: Incident, expected: Expected): Change;
  /** The project's incidents, oldest report first. */
  ofProject(projectId: string, page: PageRequest): Promise<Page<Incident>>;
}

export interface IncidentUploadRepository {
  find(incidentId: string, uploadId: string): Promise<Versioned<IncidentUpload> | undefined>;
  save(upload: IncidentUpload, expected: Expected): Change;
}

export interface IncidentCriteriaRepository {
  current(): Promise<Versioned<IncidentCriteria> | undefined>;
  /** The new current revision, kept beside every earlier one; a concurrent revision is refused (409). */
  save(criteria: IncidentCriteria, expected: Expected): Change[];
}

export interface PetitionRepository {
  /** The petition, or a 404 `petition.not-found`. */
  get(petitionId: string): Promise<Versioned<Petition>>;
  save(petition: Petition, expected: Expected): Change;
  /** The project's petitions and disputes, oldest first. */
  ofProject(projectId: string, page: PageRequest): Promise<Page<Petition>>;
}
