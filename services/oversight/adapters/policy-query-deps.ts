import { casesTableFromEnv } from '../../../shared/adapters/dynamodb-table.ts';
import { cursorSealerFromEnv } from '../../../shared/adapters/paging-from-env.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import type { Table } from '../../../shared/adapters/table.ts';
import { newId } from '../../../shared/ids.ts';
import type { PolicyQueryDeps } from '../app/policy-queries.ts';
import { TablePolicyQueryRepository } from './policy-query-repository.ts';

export function policyQueryDepsOn(table: Table, ports: Pick<PolicyQueryDeps, 'newId'>): PolicyQueryDeps {
  const kernel = caseKernel(table);
  return { uow: kernel.uow, projects: kernel.projects, inbox: kernel.inbox, policyQueries: new TablePolicyQueryRepository(table), ...ports };
}

/** A district's queries are listed a page at a time (signed cursors). */
export function policyQueryDeps(): PolicyQueryDeps {
  return policyQueryDepsOn(casesTableFromEnv(cursorSealerFromEnv()), { newId });
}
