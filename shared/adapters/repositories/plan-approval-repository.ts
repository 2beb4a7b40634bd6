import type { Change, PlanApproval, PlanApprovalRepository, Versioned } from '../../cases/ports.ts';
import { ConflictError } from '../../errors.ts';
import { entityOf, itemOf, put, type Table } from '../table.ts';
import { casePk } from './keys.ts';

/** The project's plan approval lives in its case partition, beside the plan it gates. */
const SK = 'PLAN-APPROVAL';

export class TablePlanApprovalRepository implements PlanApprovalRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(projectId: string): Promise<Versioned<PlanApproval> | undefined> {
    const item = await this.#table.get(casePk(projectId), SK);
    return item ? entityOf<PlanApproval>(item) : undefined;
  }

  save(approval: PlanApproval): Change {
    const onConflict = new ConflictError('resolution.plan-already-approved', '联席会议已审定该项目的实施方案');
    return put('plan-approval', itemOf({ pk: casePk(approval.projectId), sk: SK }, 'plan-approval', approval), 'absent', onConflict);
  }
}
