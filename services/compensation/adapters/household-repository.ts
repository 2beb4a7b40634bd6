import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import type { HouseholdRepository } from '../app/ports.ts';
import type { Household, HouseholdState } from '../domain/household.ts';

/**
 * A household is its own partition (not its project's): a 2,000-household project has no hot
 * partition and the project's timeline never reads a household. The project lists its households
 * through the index, by village group, then state, then household number.
 */
export const householdPk = (householdId: string) => `HOUSEHOLD#${householdId}`;
const SK = 'META';
const listPk = (projectId: string) => `HOUSEHOLDS#${projectId}`;
const listSk = (h: Pick<Household, 'villageGroupId' | 'state' | 'householdNumber'>) => `${h.villageGroupId}#${h.state}#${h.householdNumber}`;
/** One person, one household per project: a claim record per keyed hash of the ID number. */
const memberPk = (projectId: string, mac: string) => `MEMBER#${projectId}#${mac}`;
const sealedIdSk = (memberId: string) => `PII#${memberId}`;

export class TableHouseholdRepository implements HouseholdRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(householdId: string): Promise<Versioned<Household> | undefined> {
    const item = await this.#table.get(householdPk(householdId), SK);
    return item ? entityOf<Household>(item) : undefined;
  }

  async get(householdId: string): Promise<Versioned<Household>> {
    const found = await this.find(householdId);
    if (!found) throw new NotFoundError('household.not-found', `被征收户不存在：${householdId}`);
    return found;
  }

  save(household: Household, expected: Expected, onConflict?: Error): Change {
    const index = { gsi1pk: listPk(household.projectId), gsi1sk: listSk(household) };
    return put('household', itemOf({ pk: householdPk(household.householdId), sk: SK }, 'household', household, index), expected, onConflict);
  }

  async page(projectId: string, filter: { villageGroupId?: string | undefined; state?: HouseholdState | undefined }, page: PageRequest): Promise<Page<Household>> {
    const prefix = filter.villageGroupId ? `${filter.villageGroupId}#${filter.state ? `${filter.state}#` : ''}` : undefined;
    const found = await this.#table.pageIndex(listPk(projectId), { ...page, forward: true, skPrefix: prefix });
    // Across groups the state is not a key prefix: the page is filtered, so it may hold fewer than
    // `limit` households; the cursor still continues where the index stopped.
    const items = found.items
      .map((item) => {
        const { version: _version, ...household } = entityOf<Household>(item);
        return household;
      })
      .filter((h) => !filter.state || h.state === filter.state);
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }

  keepSealedId(householdId: string, memberId: string, sealed: ProtectedValue): Change {
    const key = { pk: householdPk(householdId), sk: sealedIdSk(memberId) };
    return put('household-member-id', itemOf(key, 'household-member-id', { householdId, memberId, idNumber: sealed }), 'absent');
  }

  async sealedIdKept(householdId: string, memberId: string): Promise<boolean> {
    return (await this.#table.get(householdPk(householdId), sealedIdSk(memberId))) !== undefined;
  }

  claimMember(projectId: string, memberMac: string, householdId: string, expected: Expected, onConflict: Error): Change {
    return put('household-member', itemOf({ pk: memberPk(projectId, memberMac), sk: 'CLAIM' }, 'household-member', { projectId, householdId }), expected, onConflict);
  }

  async memberClaim(projectId: string, memberMac: string): Promise<{ householdId: string; version: number } | undefined> {
    const item = await this.#table.get(memberPk(projectId, memberMac), 'CLAIM');
    return item ? { householdId: String(item.householdId), version: Number(item.version ?? 0) } : undefined;
  }
}
