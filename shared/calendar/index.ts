/**
 * The legal calendar: every deadline of the system is computed here, the way a Chinese court
 * counts (Beijing time, State Council holiday schedules as data, Civil Code arts. 200–204).
 * All of it is pure except `holiday-files.ts` (reads operator files; for CLIs and tools).
 */
export * from './errors.ts';
export * from './period.ts';
export * from './instant.ts';
export * from './chinese.ts';
export * from './holiday-year.ts';
export * from './holiday-calendar.ts';
export * from './deadline.ts';
export * from './rules.ts';
export { BUILT_IN_SNAPSHOT, builtInYears } from './built-in.ts';
export { loadHolidayDir, loadHolidayFile } from './holiday-files.ts';
export { MS_PER_DAY, MS_PER_HOUR, BEIJING_OFFSET_MS, daysFromCivil, civilFromDays, formatDay, parseDay } from './days.ts';
export { holidaySource, type HolidayYearRepository, type StoredHolidayYear } from './holiday-source.ts';
