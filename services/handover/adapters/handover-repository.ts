import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { DistributionRepository, HandoverRepository, HandoverUploadRepository } from '../app/ports.ts';
import type { DistributionDisclosure } from '../domain/distribution.ts';
import type { HouseholdHandover } from '../domain/handover.ts';
import type { HandoverUpload, UploadOwner } from '../domain/uploads.ts';

/**
 * The household's handover file and its upload slots live in the household's own partition of this
 * service; a village group's distribution disclosures and their slots in the project's collective
 * partition. Neither is the case partition: the kernel's published steps stay small to read.
 */
const handoverPk = (householdId: string) => `HANDOVER#${householdId}`;
const collectivePk = (projectId: string) => `COLLECTIVE#${projectId}`;
const FILE = 'HANDOVER';
const uploadSk = (uploadId: string) => `UPLOAD#${uploadId}`;
const distributionPrefix = (villageGroupId: string) => `DISTRIBUTION#${villageGroupId}#`;
const ownerPk = (owner: UploadOwner) => ('householdId' in owner ? handoverPk(owner.householdId) : collectivePk(owner.projectId));

export class TableHandoverRepository implements HandoverRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(householdId: string): Promise<Versioned<HouseholdHandover> | undefined> {
    const item = await this.#table.get(handoverPk(householdId), FILE);
    return item ? entityOf<HouseholdHandover>(item) : undefined;
  }

  save(file: HouseholdHandover, expected: Expected): Change {
    const onConflict = new ConflictError('conflict.concurrent-change', '该户腾地、交地记录已被他人更新，请刷新后重试');
    return put('household-handover', itemOf({ pk: handoverPk(file.householdId), sk: FILE }, 'household-handover', file), expected, onConflict);
  }
}

export class TableHandoverUploadRepository implements HandoverUploadRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(owner: UploadOwner, uploadId: string): Promise<Versioned<HandoverUpload> | undefined> {
    const item = await this.#table.get(ownerPk(owner), uploadSk(uploadId));
    return item ? entityOf<HandoverUpload>(item) : undefined;
  }

  save(upload: HandoverUpload, expected: Expected): Change {
    return put('handover-upload', itemOf({ pk: ownerPk(upload.owner), sk: uploadSk(upload.uploadId) }, 'handover-upload', upload), expected);
  }
}

export class TableDistributionRepository implements DistributionRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofGroup(projectId: string, villageGroupId: string): Promise<DistributionDisclosure[]> {
    const items = await this.#table.query(collectivePk(projectId), distributionPrefix(villageGroupId));
    return items.map((item) => {
      const { version: _version, ...disclosure } = entityOf<DistributionDisclosure>(item);
      return disclosure as DistributionDisclosure;
    });
  }

  append(disclosure: DistributionDisclosure): Change {
    const onConflict = new ConflictError('distribution.concurrent-append', `该村民小组第 ${disclosure.seq} 次分配公示已由他人同时登记，请刷新后重试`);
    const sk = `${distributionPrefix(disclosure.villageGroupId)}${String(disclosure.seq).padStart(6, '0')}`;
    return put('distribution-disclosure', itemOf({ pk: collectivePk(disclosure.projectId), sk }, 'distribution-disclosure', disclosure), 'absent', onConflict);
  }
}
