import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import raw from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import pkg from 'chinese-days/package.json' with { type: 'json' };
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILT_IN_SNAPSHOT,
  HolidayCalendar,
  InvalidDateError,
  InvalidHolidayDataError,
  MissingHolidayDataError,
  holidayYearSchema,
  loadHolidayDir,
  loadHolidayFile,
  parseHolidayYear,
  type HolidayYearInput,
} from './index.ts';

const cal = HolidayCalendar.builtIn();
const base: HolidayYearInput = {
  year: 2027,
  holidays: ['2027-01-01'],
  workdays: [],
  source: 'test fixture',
  updatedAt: '2026-11-05',
};

function issuesOf(input: unknown): string {
  try {
    parseHolidayYear(input);
  } catch (error) {
    if (error instanceof InvalidHolidayDataError) return error.issues.join('\n');
    throw error;
  }
  return '';
}

describe('built-in data from chinese-days', () => {
  it('covers exactly 2004–2026', () => {
    expect(cal.years()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
  });

  it('pins the package version its snapshot date belongs to', () => {
    // When chinese-days is upgraded, update BUILT_IN_SNAPSHOT.releasedAt and this test.
    expect(pkg.version).toBe('1.5.7');
    expect(BUILT_IN_SNAPSHOT.version).toBe(pkg.version);
    expect(cal.year(2026)?.updatedAt).toBe(BUILT_IN_SNAPSHOT.releasedAt);
    expect(cal.year(2026)?.source).toContain('2026年部分节假日安排');
  });

  it('keeps every date of the raw data, in the right year', () => {
    const ours = new Set(cal.years().flatMap((y) => cal.year(y)?.holidays.map((h) => h.date) ?? []));
    expect([...ours].sort()).toEqual(Object.keys(raw.holidays).sort());
    for (const date of Object.keys(raw.workdays)) expect(cal.isWorkingDay(date)).toBe(true);
  });

  it('classifies days as the State Council set them (2026 National Day)', () => {
    expect(cal.restReason('2026-10-01')).toBe('holiday');
    expect(cal.holidayName('2026-10-04')).toBe('国庆节'); // a Sunday inside the block
    expect(cal.restReason('2026-10-04')).toBe('holiday');
    expect(cal.isWorkingDay('2026-10-10')).toBe(true); // adjusted Saturday
    expect(cal.restReason('2026-10-10')).toBeUndefined();
    expect(cal.restReason('2026-10-11')).toBe('weekend');
    expect(cal.isWorkingDay('2026-09-20')).toBe(true); // adjusted Sunday
    expect(cal.isWorkingDay('2026-09-29')).toBe(true);
    expect(cal.holidayName('2026-09-29')).toBeUndefined();
  });

  it('refuses to answer for a year it lacks, and rejects bad dates', () => {
    expect(() => cal.isWorkingDay('2027-03-01')).toThrow(MissingHolidayDataError);
    expect(() => cal.restReason('2003-12-31')).toThrow('2003');
    expect(() => cal.isWorkingDay('2026-02-30')).toThrow(InvalidDateError);
    expect(() => cal.isWorkingDay('2026-9-1')).toThrow(InvalidDateError);
  });
});

describe('HolidayYear validation', () => {
  it('accepts bare dates and named dates, and normalizes them', () => {
    const year = parseHolidayYear({ ...base, holidays: ['2027-01-01', { date: '2027-01-02', name: '元旦' }], workdays: ['2027-01-09'] });
    expect(year.holidays).toEqual([{ date: '2027-01-01' }, { date: '2027-01-02', name: '元旦' }]);
    expect(year.workdays).toEqual([{ date: '2027-01-09' }]);
    expect(holidayYearSchema.safeParse({ ...base, updatedAt: '2026-11-05T10:00:00+08:00' }).success).toBe(true);
  });

  it.each([
    ['a date outside the year', { holidays: ['2026-12-31'] }, 'outside year 2027'],
    ['an impossible date', { holidays: ['2027-02-29'] }, 'not a valid YYYY-MM-DD'],
    ['a date in both lists', { holidays: ['2027-01-02'], workdays: ['2027-01-02'] }, 'both a holiday and a workday'],
    ['a date listed twice', { holidays: ['2027-01-01', '2027-01-01'] }, 'listed twice'],
    ['an adjusted workday on a weekday', { workdays: ['2027-01-04'] }, 'not a Saturday or Sunday'],
    ['no holidays at all', { holidays: [] }, 'at least one holiday'],
    ['an empty source', { source: ' ' }, 'source'],
    ['a bad updatedAt', { updatedAt: 'yesterday' }, 'updatedAt'],
    ['a non-integer year', { year: 2027.5 }, 'year'],
    ['an unknown field', { comment: 'x' }, 'comment'],
  ])('rejects %s', (_, change, message) => {
    expect(issuesOf({ ...base, ...change })).toContain(message);
  });

  it('rejects non-objects', () => {
    expect(issuesOf(null)).not.toBe('');
    expect(issuesOf([base])).not.toBe('');
  });

  it('withYears validates, and refuses the same year twice in one call', () => {
    expect(() => cal.withYears([{ ...base, workdays: ['2027-01-04'] }])).toThrow(InvalidHolidayDataError);
    expect(() => cal.withYears([base, base])).toThrow('2027');
  });

  it('withYears and withoutYears return new calendars', () => {
    const more = cal.withYears([base]);
    expect(more.years()).toContain(2027);
    expect(cal.years()).not.toContain(2027);
    expect(more.withoutYears([2027]).years()).toEqual(cal.years());
    expect(HolidayCalendar.empty().years()).toEqual([]);
  });

  it('a year far from the others leaves the gap without data', () => {
    const far = cal.withYears([{ ...base, year: 2030, holidays: ['2030-01-01'] }]);
    expect(far.isWorkingDay('2030-01-02')).toBe(true);
    expect(() => far.isWorkingDay('2028-06-01')).toThrow('2028');
  });
});

describe('holiday files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'holidays-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reads one year or an array of years', () => {
    expect(loadHolidayFile(write('one.json', base)).map((y) => y.year)).toEqual([2027]);
    expect(loadHolidayFile(write('two.json', [base, { ...base, year: 2028, holidays: ['2028-01-01'] }])).map((y) => y.year)).toEqual([2027, 2028]);
  });

  it('names the file when it is unreadable, not JSON, or invalid', () => {
    expect(() => loadHolidayFile(join(dir, 'missing.json'))).toThrow('missing.json');
    expect(() => loadHolidayFile(write('broken.json', '{'))).toThrow(/broken\.json.*not valid JSON/);
    expect(() => loadHolidayFile(write('bad.json', { ...base, holidays: ['2026-01-01'] }))).toThrow(/bad\.json.*outside year/);
  });

  it('reads every *.json of a directory and refuses a year defined twice', () => {
    const sub = mkdtempSync(join(dir, 'dir-'));
    writeFileSync(join(sub, 'a.json'), JSON.stringify(base));
    writeFileSync(join(sub, 'notes.txt'), 'ignored');
    writeFileSync(join(sub, 'b.json.sample'), 'ignored, not JSON');
    expect(loadHolidayDir(sub).map((y) => y.year)).toEqual([2027]);
    writeFileSync(join(sub, 'c.json'), JSON.stringify(base));
    expect(() => loadHolidayDir(sub)).toThrow(/2027.*a\.json.*c\.json/);
    expect(loadHolidayDir(join(dir, 'no-such-dir'))).toEqual([]);
  });

  it('the repository example file is a valid HolidayYear', () => {
    const example = new URL('../../data/holidays/example-override.json.sample', import.meta.url).pathname;
    expect(loadHolidayFile(example)[0]?.year).toBe(2027);
  });
});
