/** Legal periods: calendar days, working days, months, hours. */
import { InvalidPeriodError } from './errors.ts';

/** `d` calendar days · `wd` working days · `mo` months · `h` hours. */
export type PeriodUnit = 'd' | 'wd' | 'mo' | 'h';

export interface Period {
  readonly amount: number;
  readonly unit: PeriodUnit;
}

/**
 * Upper bound on N. Far beyond any legal period; it keeps a typo such as `7000000wd` from
 * turning into a long loop.
 */
export const MAX_PERIOD_AMOUNT = 100_000;

const PERIOD_RE = /^([1-9]\d{0,5})(d|wd|mo|h)$/;

/** Parses `45d`, `7wd`, `3mo`, `2h`; throws {@link InvalidPeriodError}. */
export function parsePeriod(text: string): Period {
  const m = typeof text === 'string' ? PERIOD_RE.exec(text.trim()) : null;
  if (!m) throw new InvalidPeriodError(text);
  return checkPeriod({ amount: Number(m[1]), unit: m[2] as PeriodUnit }, text);
}

/** Validates a period given as an object (e.g. from stored data). */
export function checkPeriod(period: Period, input: unknown = period): Period {
  if (typeof period !== 'object' || period === null) throw new InvalidPeriodError(input);
  const { amount, unit } = period;
  if (unit !== 'd' && unit !== 'wd' && unit !== 'mo' && unit !== 'h') throw new InvalidPeriodError(input);
  if (!Number.isSafeInteger(amount) || amount < 1) throw new InvalidPeriodError(input);
  if (amount > MAX_PERIOD_AMOUNT) throw new InvalidPeriodError(input, `N > ${MAX_PERIOD_AMOUNT}`);
  return period;
}

/** Canonical text of a period, e.g. `7wd`. */
export function formatPeriod(period: Period): string {
  return `${period.amount}${period.unit}`;
}
