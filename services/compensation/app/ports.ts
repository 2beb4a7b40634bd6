import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { Compensation, Household, HouseholdState } from '../domain/household.ts';
import type { CompensationUpload } from '../domain/uploads.ts';
import type { ResettlementList } from '../domain/resettlement-list.ts';
import type { SurveyImportJob } from '../domain/survey-import.ts';
import type { SurveyParseResult, SurveyWorkbookOptions } from '../domain/survey-workbook.ts';
import type { VillageGroup } from '../../../shared/cases/project.ts';
import type { Agreement } from '../domain/agreement.ts';
import type { Disclosure } from '../domain/disclosure.ts';

export type { CompensationUpload };
import type { CompensationStandard } from '../domain/plan.ts';

/** The project's one compensation standard, locked when the plan is published (seed §五(二)). */
export interface LockedStandard {
  projectId: string;
  standard: CompensationStandard;
  lockedAt: string;
  lockedBy: Identity;
}

export interface StandardRepository {
  find(projectId: string): Promise<LockedStandard | undefined>;
  /** Once per project: a second lock is refused with `onConflict`. */
  lock(standard: LockedStandard, onConflict: Error): Change;
}

/** A household and the registry of who belongs to it (one person, one household per project). */
export interface HouseholdRepository {
  find(householdId: string): Promise<Versioned<Household> | undefined>;
  /** The household, or a 404 `household.not-found`. */
  get(householdId: string): Promise<Versioned<Household>>;
  /**
   * Writes the household; `expected` guards creation ('absent') or the version read. Its place in
   * the project's household list (village group, state) moves with it.
   */
  save(household: Household, expected: Expected, onConflict?: Error): Change;
  /** A page of the project's households, optionally of one village group and state. */
  page(projectId: string, filter: { villageGroupId?: string | undefined; state?: HouseholdState | undefined }, page: PageRequest): Promise<Page<Household>>;
  /** Keeps a member's sealed ID number beside the household (written once; never read by the API). */
  keepSealedId(householdId: string, memberId: string, sealed: ProtectedValue): Change;
  /** Whether the member's sealed ID number is kept beside the household already (they were a member before). */
  sealedIdKept(householdId: string, memberId: string): Promise<boolean>;
  /**
   * Claims a person (by the keyed hash of the ID number) for a household of the project: new
   * ('absent'), or moved from a household that no longer lists them (the claim's version). Fails
   * with `onConflict` when someone else claimed or moved them first.
   */
  claimMember(projectId: string, memberMac: string, householdId: string, expected: Expected, onConflict: Error): Change;
  /** Which household holds the person, if any. */
  memberClaim(projectId: string, memberMac: string): Promise<{ householdId: string; version: number } | undefined>;
}

/** The household's latest computation; each recomputation replaces it (it is derived data). */
export interface CompensationRepository {
  find(householdId: string): Promise<Versioned<Compensation> | undefined>;
  save(compensation: Compensation, expected: Expected): Change;
}

/** Evidence upload slots of the compensation service: survey films, confirmations, signed scans, workbooks. */
export interface UploadRepository {
  find(at: { caseId: string; projectId: string }, uploadId: string): Promise<Versioned<CompensationUpload> | undefined>;
  save(upload: CompensationUpload, expected: Expected): Change;
}

/** A village group's list of resettled persons (one record per group, in the project's partition). */
export interface ResettlementListRepository {
  find(projectId: string, villageGroupId: string): Promise<Versioned<ResettlementList> | undefined>;
  save(list: ResettlementList, expected: Expected): Change;
}

/** Survey import jobs: each record is its job's checkpoint (in the project's partition). */
export interface ImportJobRepository {
  find(projectId: string, jobId: string): Promise<Versioned<SurveyImportJob> | undefined>;
  save(job: SurveyImportJob, expected: Expected): Change;
}

/** Starts a survey import's run on the survey-imports workflow; starting the same job twice is one run. */
export interface ImportStarter {
  start(projectId: string, jobId: string): Promise<void>;
}

/** A household's agreements (drafts, signed, superseded), in its partition. */
export interface AgreementRepository {
  ofHousehold(householdId: string): Promise<Array<Versioned<Agreement>>>;
  save(agreement: Agreement, expected: Expected): Change;
}

/** A village group's disclosure lists (公示) and their postings, in the project's partition. */
export interface DisclosureRepository {
  find(projectId: string, villageGroupId: string, disclosureId: string): Promise<Versioned<Disclosure> | undefined>;
  /** The group's disclosures (a few: one per export). */
  ofGroup(projectId: string, villageGroupId: string): Promise<Disclosure[]>;
  save(disclosure: Disclosure, expected: Expected): Change;
}

/** The survey workbook format (decision 0016): the template agencies fill, and its streaming parser. */
export interface SurveyWorkbooks {
  template(standard: CompensationStandard, villageGroups: ReadonlyArray<Pick<VillageGroup, 'id' | 'name' | 'village'>>): Promise<Uint8Array>;
  parse(file: AsyncIterable<Uint8Array>, options: SurveyWorkbookOptions): Promise<SurveyParseResult>;
}
