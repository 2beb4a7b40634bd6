import type { AuditRecord } from '../../audit.ts';
import type { Change, UnitOfWork } from '../../cases/ports.ts';
import { asTableWrite, type Table } from '../table.ts';

/** Commits repositories' changes with the action's audit records in one table transaction. */
export class TableUnitOfWork implements UnitOfWork {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  commit(changes: readonly Change[], audit: readonly AuditRecord[]): Promise<void> {
    return this.#table.commit(changes.map(asTableWrite), audit);
  }

  appendAudit(audit: readonly AuditRecord[]): Promise<void> {
    return this.#table.appendAudit(audit);
  }
}
