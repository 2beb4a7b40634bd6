import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { DistributionDisclosure } from '../domain/distribution.ts';
import type { HouseholdHandover } from '../domain/handover.ts';
import type { HandoverUpload, UploadOwner } from '../domain/uploads.ts';

export interface HandoverRepository {
  find(householdId: string): Promise<Versioned<HouseholdHandover> | undefined>;
  save(file: HouseholdHandover, expected: Expected): Change;
}

export interface HandoverUploadRepository {
  find(owner: UploadOwner, uploadId: string): Promise<Versioned<HandoverUpload> | undefined>;
  save(upload: HandoverUpload, expected: Expected): Change;
}

export interface DistributionRepository {
  /** The village group's disclosures, in `seq` order. */
  ofGroup(projectId: string, villageGroupId: string): Promise<DistributionDisclosure[]>;
  /** On condition that its `seq` is still free (two writers from the same read: one is refused). */
  append(disclosure: DistributionDisclosure): Change;
}
