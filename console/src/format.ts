/**
 * How the console writes dates, times, money and counts: Beijing time whatever the browser's
 * zone (2026年9月28日 14:05), 元 with two decimals computed from integer fen, thousands separators.
 */
const BEIJING = 'Asia/Shanghai';
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

const dayFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: BEIJING, year: 'numeric', month: 'long', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: BEIJING, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const countFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });

const toDate = (value: string | number | Date): Date => (value instanceof Date ? value : new Date(value));

/** `2026年9月28日` (Beijing). A plain day (`2026-09-28`) is a calendar day already: no zone shift. */
export function formatDay(value: string | number | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }
  return dayFormat.format(toDate(value));
}

/** `2026年9月28日 14:05` (Beijing). */
export function formatInstant(value: string | number | Date): string {
  const date = toDate(value);
  return `${dayFormat.format(date)} ${timeFormat.format(date)}`;
}

/**
 * A deadline's due instant as the law counts it: a period that ends with a day ends at its
 * 24:00 (民法典 art. 203), so Beijing midnight is written `2026年9月17日 24:00`, not as the
 * next day's 00:00; an hour period keeps its exact instant.
 */
export function formatDue(value: string | number | Date): string {
  const date = toDate(value);
  // Exactly Beijing midnight (UTC+8, no daylight saving); 00:00:30 is an instant of the new day.
  const atMidnight = (date.getTime() + BEIJING_OFFSET_MS) % DAY_MS === 0;
  if (!atMidnight) return formatInstant(date);
  return `${dayFormat.format(new Date(date.getTime() - 1))} 24:00`;
}

/** `1,234,567.89 元` from integer fen, exactly (no binary fractions). */
export function formatYuan(fen: number | bigint): string {
  const value = BigInt(fen);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const yuan = countFormat.format(abs / 100n);
  const cents = String(abs % 100n).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents} 元`;
}

/** `12,345`. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** `2 天 3 小时` / `45 分钟`: how long something has been overdue, or remains. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days} 天 ${hours} 小时` : `${days} 天`;
  if (hours > 0) return `${hours} 小时 ${minutes % 60} 分钟`;
  return `${minutes} 分钟`;
}

const PERIOD_UNITS: Record<string, string> = { d: '日', wd: '个工作日', h: '小时', mo: '个月' };

/** A rule's period as the law words it: `45d` → 45日, `10wd` → 10个工作日, `3mo` → 3个月, `2h` → 2小时. */
export function formatPeriod(period: string): string {
  if (period === 'each-calendar-month') return '每个自然月';
  const match = /^(\d+)(d|wd|h|mo)$/.exec(period);
  return match ? `${match[1]}${PERIOD_UNITS[match[2]!]}` : period;
}

const INSTANT_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})/g;
const DAY_IN_TEXT = /\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b(?!T)/g;

/**
 * The API's prose (timeline notes, inbox and alert texts, error messages) names instants exactly,
 * in ISO 8601 (`2026-08-03T10:15:00+08:00`); a clerk reads them as `2026年8月3日 10:15`, Beijing.
 */
export function readable(text: string): string {
  return text.replace(INSTANT_IN_TEXT, (iso) => formatInstant(iso)).replace(DAY_IN_TEXT, (day) => formatDay(day));
}
