import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { SupervisionRepository } from '../app/ports.ts';
import type { Assignment, Summons, SupervisionReportRecord } from '../domain/supervision.ts';

/** Each report, assignment and summons is one item in its own partition. */
const reportPk = (id: string) => `SUPERVISION-REPORT#${id}`;
const assignmentPk = (id: string) => `ASSIGNMENT#${id}`;
const summonsPk = (id: string) => `SUMMONS#${id}`;
const ITEM = 'RECORD';

export class TableSupervisionRepository implements SupervisionRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async report(reportId: string): Promise<SupervisionReportRecord> {
    const item = await this.#table.get(reportPk(reportId), ITEM);
    if (!item) throw new NotFoundError('supervision.report-not-found', `督查报告不存在：${reportId}`, { reportId });
    const { version: _v, ...record } = entityOf<SupervisionReportRecord>(item);
    return record as SupervisionReportRecord;
  }

  addReport(report: SupervisionReportRecord): Change {
    return put('supervision-report', itemOf({ pk: reportPk(report.reportId), sk: ITEM }, 'supervision-report', report), 'absent');
  }

  async assignment(assignmentId: string): Promise<Versioned<Assignment>> {
    const item = await this.#table.get(assignmentPk(assignmentId), ITEM);
    if (!item) throw new NotFoundError('assignment.not-found', `交办事项不存在：${assignmentId}`, { assignmentId });
    return entityOf<Assignment>(item);
  }

  saveAssignment(assignment: Assignment, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', '该交办事项已被他人更新，请刷新后重试');
    return put('assignment', itemOf({ pk: assignmentPk(assignment.assignmentId), sk: ITEM }, 'assignment', assignment), expected, onConflict);
  }

  async summons(summonsId: string): Promise<Summons> {
    const item = await this.#table.get(summonsPk(summonsId), ITEM);
    if (!item) throw new NotFoundError('summons.not-found', `约谈记录不存在：${summonsId}`, { summonsId });
    const { version: _v, ...record } = entityOf<Summons>(item);
    return record as Summons;
  }

  addSummons(summons: Summons): Change {
    return put('summons', itemOf({ pk: summonsPk(summons.summonsId), sk: ITEM }, 'summons', summons), 'absent');
  }
}
