import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { PolicyQuery } from '../domain/policy-query.ts';

export interface PolicyQueryRepository {
  /** The query, or a 404 `policy-query.not-found`. */
  get(queryId: string): Promise<Versioned<PolicyQuery>>;
  save(query: PolicyQuery, expected: Expected): Change;
  /** The district's queries, oldest submission first. */
  ofDistrict(district: string, page: PageRequest): Promise<Page<PolicyQuery>>;
}
