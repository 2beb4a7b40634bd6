/** Dates, times and periods as Chinese documents print them: always in Beijing time. */
import { beijingDate, formatBeijing, type Instant } from './instant.ts';
import { parsePeriod } from './period.ts';

/** `2026-09-30` → `2026年9月30日` */
export function chineseDateText(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new Error(`Not a calendar date: ${date}`);
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** The Beijing calendar date of an instant: `2026-10-13T16:30:00Z` → `2026年10月14日`. */
export function beijingDateText(instant: Instant): string {
  return chineseDateText(beijingDate(instant));
}

/** `2026-06-30 14:05:00（北京时间）` */
export function beijingTimeText(instant: Instant): string {
  return `${formatBeijing(instant).slice(0, 19).replace('T', ' ')}（北京时间）`;
}

/**
 * A period as the law writes it: `15d` → 15日, `10wd` → 10个工作日, `6mo` → 6个月, `12mo` → 1年,
 * `2h` → 2小时. Throws InvalidPeriodError on a malformed period.
 */
export function periodTextZh(text: string): string {
  const { amount, unit } = parsePeriod(text);
  switch (unit) {
    case 'd':
      return `${amount}日`;
    case 'wd':
      return `${amount}个工作日`;
    case 'mo':
      return amount % 12 === 0 ? `${amount / 12}年` : `${amount}个月`;
    case 'h':
      return `${amount}小时`;
  }
}
