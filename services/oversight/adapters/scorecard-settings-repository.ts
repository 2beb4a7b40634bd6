import { entityOf, itemOf, put, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected, Versioned } from '../../../shared/cases/ports.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { ScorecardSettingsRepository } from '../app/ports.ts';
import type { ScorecardSettings } from '../domain/scorecard.ts';

/** The scorecard settings are one item in the oversight settings partition. */
const PK = 'OVERSIGHT#SETTINGS';
const SK = 'SCORECARD';

export class TableScorecardSettingsRepository implements ScorecardSettingsRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(): Promise<Versioned<ScorecardSettings> | undefined> {
    const item = await this.#table.get(PK, SK);
    return item ? entityOf<ScorecardSettings>(item) : undefined;
  }

  save(settings: ScorecardSettings, expected: Expected): Change {
    const onConflict = new ConflictError('scorecard.settings-changed', '考核设置已被他人同时修改，请刷新后重试');
    return put('scorecard-settings', itemOf({ pk: PK, sk: SK }, 'scorecard-settings', settings), expected, onConflict);
  }
}
