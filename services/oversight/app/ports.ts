/**
 * The oversight service's ports: what its use cases read and write, through repositories that own
 * the keys (services/oversight/adapters). One block per feature.
 */
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import type { ScorecardSettings, ScorecardView } from '../domain/scorecard.ts';

// ─── Scorecard (seed §四(三)) ─────────────────────────────────────────────────────────────────

/** The leading group office's scorecard settings: one record, guarded by its version. */
export interface ScorecardSettingsRepository {
  /** The settings, or undefined before the office first sets them. */
  find(): Promise<Versioned<ScorecardSettings> | undefined>;
  /** A concurrent change is refused (409 `scorecard.settings-changed`). */
  save(settings: ScorecardSettings, expected: Expected): Change;
}

/** Renders the scorecard as a workbook (exceljs in services/oversight/adapters/scorecard-xlsx.ts). */
export interface ScorecardRenderer {
  scorecardXlsx(view: ScorecardView): Promise<Uint8Array>;
}

// ─── End of scorecard ──────────────────────────────────────────────────────────────────────────
