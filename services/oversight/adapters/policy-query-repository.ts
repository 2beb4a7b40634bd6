import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { PolicyQueryRepository } from '../app/ports.ts';
import type { PolicyQuery } from '../domain/policy-query.ts';

/**
 * A policy query is one item in its own partition (a query need not belong to a project); the
 * district's queries are listed through the index, in the order they were submitted.
 */
const queryPk = (queryId: string) => `POLICY-QUERY#${queryId}`;
const QUERY = 'POLICY-QUERY';
const districtIndex = (district: string) => `POLICY-QUERY-DISTRICT#${district}`;

export class TablePolicyQueryRepository implements PolicyQueryRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async get(queryId: string): Promise<Versioned<PolicyQuery>> {
    const item = await this.#table.get(queryPk(queryId), QUERY);
    if (!item) throw new NotFoundError('policy-query.not-found', `政策请示不存在：${queryId}`, { queryId });
    return entityOf<PolicyQuery>(item);
  }

  save(query: PolicyQuery, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', `政策请示 ${query.queryId} 已被他人更新，请刷新后重试`);
    const index = { gsi1pk: districtIndex(query.district), gsi1sk: `${query.submittedAt}#${query.queryId}` };
    return put('policy-query', itemOf({ pk: queryPk(query.queryId), sk: QUERY }, 'policy-query', query, index), expected, onConflict);
  }

  async ofDistrict(district: string, page: PageRequest): Promise<Page<PolicyQuery>> {
    const found = await this.#table.pageIndex(districtIndex(district), { ...page, forward: true });
    const items = found.items.map((item) => {
      const { version: _version, ...query } = entityOf<PolicyQuery>(item);
      return query as PolicyQuery;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }
}
