/**
 * One year of the State Council's holiday schedule (国务院办公厅关于 YYYY 年部分节假日安排的通知)
 * as data. Operators add or correct whole years with this shape; it is validated before use.
 */
import * as z from 'zod';
import { isWeekend, parseDay } from './days.ts';
import { InvalidHolidayDataError } from './errors.ts';

const isoDate = z.string().refine((s) => parseDay(s) !== undefined, { message: '日期无效 / not a valid YYYY-MM-DD date' });

/** A date, optionally named (`{ "date": "2027-10-01", "name": "国庆节" }`); a bare date is shorthand. */
const dayEntrySchema = z
  .union([isoDate, z.strictObject({ date: isoDate, name: z.string().trim().min(1).max(100).optional() })])
  .transform((entry) => (typeof entry === 'string' ? { date: entry } : entry));

/** Zod schema of {@link HolidayYear}; input accepts bare date strings, output is normalized. */
export const holidayYearSchema = z
  .strictObject({
    year: z.number().int().min(1900).max(2999),
    /** Rest days that are statutory holidays, including the weekend days inside a holiday block. */
    holidays: z.array(dayEntrySchema).min(1, { message: '至少须有一个节假日 / at least one holiday is required' }),
    /** Adjusted working days (调休上班): Saturdays/Sundays designated as working days. */
    workdays: z.array(dayEntrySchema),
    /** The notice the data comes from, e.g. its title and number (国办发明电〔2025〕7号). */
    source: z.string().trim().min(1),
    /** When this record was last changed (ISO date, or date-time with offset). */
    updatedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  })
  .superRefine((value, ctx) => {
    const seen = new Map<string, 'holidays' | 'workdays'>();
    for (const list of ['holidays', 'workdays'] as const) {
      value[list].forEach((entry: unknown, index) => {
        // zod still runs this check when an entry failed its own validation: skip such entries.
        const date = typeof entry === 'string' ? entry : (entry as { date?: unknown } | null)?.date;
        if (typeof date !== 'string' || parseDay(date) === undefined) return;
        const path = [list, index];
        if (!date.startsWith(`${value.year}-`)) {
          ctx.addIssue({ code: 'custom', path, message: `${date} 不在 ${value.year} 年内 / ${date} is outside year ${value.year}` });
        }
        const other = seen.get(date);
        if (other === list) {
          ctx.addIssue({ code: 'custom', path, message: `${date} 重复 / ${date} is listed twice` });
        } else if (other) {
          ctx.addIssue({ code: 'custom', path, message: `${date} 同时为节假日和调休上班日 / ${date} is both a holiday and a workday` });
        }
        seen.set(date, list);
        if (list === 'workdays' && !isWeekend(parseDay(date) as number)) {
          ctx.addIssue({ code: 'custom', path, message: `${date} 不是周六或周日，不能为调休上班日 / adjusted workday ${date} is not a Saturday or Sunday` });
        }
      });
    }
  });

/** Validated, normalized holiday year. */
export type HolidayYear = z.output<typeof holidayYearSchema>;
/** What an operator may write (dates may be bare strings). */
export type HolidayYearInput = z.input<typeof holidayYearSchema>;
/** A dated entry of a {@link HolidayYear}. */
export type HolidayEntry = HolidayYear['holidays'][number];

/** Validates one year; throws {@link InvalidHolidayDataError} listing every problem. */
export function parseHolidayYear(input: unknown, origin?: string): HolidayYear {
  const result = holidayYearSchema.safeParse(input);
  if (result.success) return result.data;
  const year = typeof input === 'object' && input !== null && 'year' in input ? `${String(input.year)}: ` : '';
  const issues = result.error.issues.map((i) => `${year}${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
  throw new InvalidHolidayDataError(issues, origin);
}

/** Validates one year or an array of years (the shape of an override file). */
export function parseHolidayYears(input: unknown, origin?: string): HolidayYear[] {
  const list = Array.isArray(input) ? input : [input];
  const years = list.map((item) => parseHolidayYear(item, origin));
  const counts = new Map<number, number>();
  for (const y of years) counts.set(y.year, (counts.get(y.year) ?? 0) + 1);
  const dup = [...counts].filter(([, n]) => n > 1).map(([y]) => y);
  if (dup.length) {
    throw new InvalidHolidayDataError(dup.map((y) => `${y} 年重复 / year ${y} given more than once`), origin);
  }
  return years;
}
