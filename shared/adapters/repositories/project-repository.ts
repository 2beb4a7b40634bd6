import type { Change, ProjectRepository, Versioned } from '../../cases/ports.ts';
import { projectNotFound, type Project } from '../../cases/project.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

const SK = 'META';

export class TableProjectRepository implements ProjectRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(projectId: string): Promise<Versioned<Project>> {
    const item = await this.#table.get(casePk(projectId), SK);
    if (!item) throw projectNotFound(projectId);
    return entityOf<Project>(item);
  }

  create(project: Project): Change {
    // Indexed by district: the projects a district branch sees.
    const index = { gsi1pk: `PROJECTS#${project.district}`, gsi1sk: project.createdAt };
    return put('project', itemOf({ pk: casePk(project.id), sk: SK }, 'project', project, index), 'absent');
  }
}
