import type { Change, Expected, Page, PageRequest, Versioned } from '../../../shared/cases/ports.ts';
import type { EnforcementChain } from '../domain/chain.ts';
import type { InstrumentText } from '../domain/instrument-text.ts';
import type { EnforcementUpload } from '../domain/uploads.ts';

/** Which chain a household may have open at a time: one forced-vacating chain, one per illegal building. */
export interface OpenChainSlot {
  householdId: string;
  /** `vacating`, or `illegal-building#<itemId>`. */
  slot: string;
  /** The chain that last held the slot, and how many chains have (the watches of the n-th are keyed by n). */
  chainId: string;
  seq: number;
}

export interface EnforcementRepository {
  find(chainId: string): Promise<Versioned<EnforcementChain> | undefined>;
  /** The chain, or a 404 `enforcement.not-found`. */
  get(chainId: string): Promise<Versioned<EnforcementChain>>;
  save(chain: EnforcementChain, expected: Expected): Change;
  /** The project's chains, by household. */
  ofProject(projectId: string, page: PageRequest): Promise<Page<EnforcementChain>>;
  slot(householdId: string, slot: string): Promise<Versioned<OpenChainSlot> | undefined>;
  /** Taking the slot for a new chain: a concurrent opening of the same slot is refused (409). */
  takeSlot(slot: OpenChainSlot, expected: Expected): Change;
}

export interface EnforcementUploadRepository {
  find(chainId: string, uploadId: string): Promise<Versioned<EnforcementUpload> | undefined>;
  save(upload: EnforcementUpload, expected: Expected): Change;
}

/** Renders an instrument's composed text as the PDF that is stored and served. */
export interface InstrumentRenderer {
  /** The same text and `generatedAt` give the same bytes (the stored hash can be checked). */
  instrumentPdf(text: InstrumentText, generatedAt: string): Promise<Uint8Array>;
}
