import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { EnforcementRepository, EnforcementUploadRepository, OpenChainSlot } from '../app/ports.ts';
import type { EnforcementChain } from '../domain/chain.ts';
import type { EnforcementUpload } from '../domain/uploads.ts';

/**
 * A chain is one item in its own partition, with its upload slots beside it; the project's chains
 * are listed through the index (by household). A household's open-chain slots live in a household
 * partition of this service, so opening twice at once is refused by the store.
 */
const chainPk = (chainId: string) => `ENFORCEMENT#${chainId}`;
const CHAIN = 'CHAIN';
const projectIndex = (projectId: string) => `ENFORCEMENT-PROJECT#${projectId}`;
const slotPk = (householdId: string) => `ENFORCEMENT-HOUSEHOLD#${householdId}`;
const slotSk = (slot: string) => `SLOT#${slot}`;
const uploadSk = (uploadId: string) => `UPLOAD#${uploadId}`;

export class TableEnforcementRepository implements EnforcementRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(chainId: string): Promise<Versioned<EnforcementChain> | undefined> {
    const item = await this.#table.get(chainPk(chainId), CHAIN);
    return item ? entityOf<EnforcementChain>(item) : undefined;
  }

  async get(chainId: string): Promise<Versioned<EnforcementChain>> {
    const found = await this.find(chainId);
    if (!found) throw new NotFoundError('enforcement.not-found', `强制执行案件不存在：${chainId}`, { chainId });
    return found;
  }

  save(chain: EnforcementChain, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', `${chain.caseLabel}的强制执行案件已被他人更新，请刷新后重试`);
    const index = { gsi1pk: projectIndex(chain.projectId), gsi1sk: `${chain.householdId}#${chain.openedAt}#${chain.chainId}` };
    return put('enforcement-chain', itemOf({ pk: chainPk(chain.chainId), sk: CHAIN }, 'enforcement-chain', chain, index), expected, onConflict);
  }

  async ofProject(projectId: string, page: PageRequest): Promise<Page<EnforcementChain>> {
    const found = await this.#table.pageIndex(projectIndex(projectId), { ...page, forward: true });
    const items = found.items.map((item) => {
      const { version: _version, ...chain } = entityOf<EnforcementChain>(item);
      return chain as EnforcementChain;
    });
    return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
  }

  async slot(householdId: string, slot: string): Promise<Versioned<OpenChainSlot> | undefined> {
    const item = await this.#table.get(slotPk(householdId), slotSk(slot));
    return item ? entityOf<OpenChainSlot>(item) : undefined;
  }

  takeSlot(slot: OpenChainSlot, expected: Expected): Change {
    const onConflict = new ConflictError('enforcement.opened-meanwhile', '该户的强制执行程序已由他人同时启动，请刷新后查看');
    return put('enforcement-slot', itemOf({ pk: slotPk(slot.householdId), sk: slotSk(slot.slot) }, 'enforcement-slot', slot), expected, onConflict);
  }
}

export class TableEnforcementUploadRepository implements EnforcementUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(chainId: string, uploadId: string): Promise<Versioned<EnforcementUpload> | undefined> {
    const item = await this.#table.get(chainPk(chainId), uploadSk(uploadId));
    return item ? entityOf<EnforcementUpload>(item) : undefined;
  }

  save(upload: EnforcementUpload, expected: Expected): Change {
    return put('enforcement-upload', itemOf({ pk: chainPk(upload.chainId), sk: uploadSk(upload.uploadId) }, 'enforcement-upload', upload), expected);
  }
}
