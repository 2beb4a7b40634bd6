/**
 * Errors of the legal calendar. Each carries a stable machine-readable `code` and a message in
 * Chinese and English (`中文 / English`), so an API can show it to an agency clerk as is.
 */

import { DomainError, type ErrorCategory } from '../errors.ts';

/**
 * Base class: every calendar error is a caller's input or data problem, never a bug — so the API
 * answers it with a 4xx (bad input: 400; a year without holiday data: 422), never a 500.
 */
export class CalendarError extends DomainError {
  constructor(code: string, message: string, category: ErrorCategory = 'validation', details?: Record<string, unknown>) {
    super(`calendar.${code}`, message, details, category);
  }
}

/** A period text that is not `N d | N wd | N mo | N h` with N a positive integer. */
export class InvalidPeriodError extends CalendarError {
  readonly input: unknown;

  constructor(input: unknown, detail?: string) {
    const shown = typeof input === 'string' ? `"${input}"` : JSON.stringify(input) ?? String(input);
    super(
      'invalid-period',
      `期间格式无效：${shown}（应为 Nd 日、Nwd 工作日、Nmo 月或 Nh 小时，N 为正整数）/ invalid period ${shown}` +
        ` (expected Nd, Nwd, Nmo or Nh with N a positive integer)${detail ? `: ${detail}` : ''}`,
    );
    this.input = input;
  }
}

/** An instant that cannot be parsed, or a local time without an explicit offset (ambiguous). */
export class InvalidInstantError extends CalendarError {
  readonly input: unknown;

  constructor(input: unknown) {
    const shown = input instanceof Date ? 'Invalid Date' : JSON.stringify(input) ?? String(input);
    super(
      'invalid-instant',
      `时间无效：${shown}（须为带时区的 ISO 8601 时间，如 2026-09-28T10:00:00+08:00）/ invalid instant ${shown}` +
        ' (expected ISO 8601 with an explicit offset or Z, e.g. 2026-09-28T10:00:00+08:00)',
    );
    this.input = input;
  }
}

/** A calendar date that is not a valid `YYYY-MM-DD`. */
export class InvalidDateError extends CalendarError {
  readonly input: unknown;

  constructor(input: unknown) {
    const shown = JSON.stringify(input) ?? String(input);
    super('invalid-date', `日期无效：${shown}（须为 YYYY-MM-DD）/ invalid date ${shown} (expected YYYY-MM-DD)`);
    this.input = input;
  }
}

/** A computation had to classify a date of a year for which no State Council schedule is loaded. */
export class MissingHolidayDataError extends CalendarError {
  readonly year: number;

  constructor(year: number) {
    super(
      'missing-holiday-data',
      `缺少 ${year} 年节假日数据（国务院办公厅安排），无法计算法定期限；请领导小组办公室录入该年安排 / no holiday data for ${year}`,
      'rule',
      { year },
    );
    this.year = year;
  }
}

/** Holiday data (a `HolidayYear` or a file of them) that fails validation. */
export class InvalidHolidayDataError extends CalendarError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[], origin?: string) {
    const where = origin ? `（${origin}）` : '';
    const whereEn = origin ? ` in ${origin}` : '';
    super('invalid-holiday-data', `节假日数据无效${where} / invalid holiday data${whereEn}: ${issues.join('; ')}`);
    this.issues = issues;
  }
}
