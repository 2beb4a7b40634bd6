import { entityOf, itemOf, put, type Item, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { IncidentCriteriaRepository, IncidentRepository, IncidentUploadRepository, PetitionRepository } from '../app/ports.ts';
import type { IncidentCriteria } from '../domain/criteria.ts';
import type { Incident } from '../domain/incident.ts';
import type { Petition } from '../domain/petition.ts';
import type { IncidentUpload } from '../domain/uploads.ts';

/**
 * An incident is one item in its own partition with its upload slots beside it; a petition one
 * item in its own. The project's incidents and petitions are listed through the index, in the
 * order they were reported. The classification criteria are one partition: the current version
 * and every earlier one.
 */
const incidentPk = (incidentId: string) => `INCIDENT#${incidentId}`;
const INCIDENT = 'INCIDENT';
const uploadSk = (uploadId: string) => `UPLOAD#${uploadId}`;
const petitionPk = (petitionId: string) => `PETITION#${petitionId}`;
const PETITION = 'PETITION';
const CRITERIA_PK = 'INCIDENT-CRITERIA';
const CURRENT = 'CURRENT';
const revisionSk = (revision: number) => `REVISION#${String(revision).padStart(6, '0')}`;

function pageOf<T extends object>(found: { items: Item[]; cursor?: string }): Page<T> {
  const items = found.items.map((item) => {
    const { version: _version, ...entity } = entityOf<T>(item);
    return entity as T;
  });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

export class TableIncidentRepository implements IncidentRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(incidentId: string): Promise<Versioned<Incident>> {
    const item = await this.#table.get(incidentPk(incidentId), INCIDENT);
    if (!item) throw new NotFoundError('incident.not-found', `突发事件不存在：${incidentId}`, { incidentId });
    return entityOf<Incident>(item);
  }

  save(incident: Incident, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', `突发事件 ${incident.incidentId} 已被他人更新，请刷新后重试`);
    const index = { gsi1pk: `INCIDENT-PROJECT#${incident.projectId}`, gsi1sk: `${incident.reportedAt}#${incident.incidentId}` };
    return put('incident', itemOf({ pk: incidentPk(incident.incidentId), sk: INCIDENT }, 'incident', incident, index), expected, onConflict);
  }

  async ofProject(projectId: string, page: PageRequest): Promise<Page<Incident>> {
    return pageOf<Incident>(await this.#table.pageIndex(`INCIDENT-PROJECT#${projectId}`, { ...page, forward: true }));
  }
}

export class TableIncidentUploadRepository implements IncidentUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(incidentId: string, uploadId: string): Promise<Versioned<IncidentUpload> | undefined> {
    const item = await this.#table.get(incidentPk(incidentId), uploadSk(uploadId));
    return item ? entityOf<IncidentUpload>(item) : undefined;
  }

  save(upload: IncidentUpload, expected: Expected): Change {
    return put('incident-upload', itemOf({ pk: incidentPk(upload.incidentId), sk: uploadSk(upload.uploadId) }, 'incident-upload', upload), expected);
  }
}

export class TableIncidentCriteriaRepository implements IncidentCriteriaRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async current(): Promise<Versioned<IncidentCriteria> | undefined> {
    const item = await this.#table.get(CRITERIA_PK, CURRENT);
    return item ? entityOf<IncidentCriteria>(item) : undefined;
  }

  save(criteria: IncidentCriteria, expected: Expected): Change[] {
    const onConflict = new ConflictError('incident.criteria-changed', '分级标准已被他人同时修改，请刷新后重试');
    return [
      put('incident-criteria', itemOf({ pk: CRITERIA_PK, sk: CURRENT }, 'incident-criteria', criteria), expected, onConflict),
      put('incident-criteria-revision', itemOf({ pk: CRITERIA_PK, sk: revisionSk(criteria.revision) }, 'incident-criteria', criteria), 'absent', onConflict),
    ];
  }
}

export class TablePetitionRepository implements PetitionRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(petitionId: string): Promise<Versioned<Petition>> {
    const item = await this.#table.get(petitionPk(petitionId), PETITION);
    if (!item) throw new NotFoundError('petition.not-found', `信访事项或争议不存在：${petitionId}`, { petitionId });
    return entityOf<Petition>(item);
  }

  save(petition: Petition, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', `信访事项 ${petition.petitionId} 已被他人更新，请刷新后重试`);
    const index = { gsi1pk: `PETITION-PROJECT#${petition.projectId}`, gsi1sk: `${petition.recordedAt}#${petition.petitionId}` };
    return put('petition', itemOf({ pk: petitionPk(petition.petitionId), sk: PETITION }, 'petition', petition, index), expected, onConflict);
  }

  async ofProject(projectId: string, page: PageRequest): Promise<Page<Petition>> {
    return pageOf<Petition>(await this.#table.pageIndex(`PETITION-PROJECT#${projectId}`, { ...page, forward: true }));
  }
}
