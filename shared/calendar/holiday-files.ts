/**
 * The only I/O of the calendar: reading operator holiday files (one `HolidayYear` or an array per
 * JSON file) for the CLI and local tools. Deployed services get overrides from their store instead.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidHolidayDataError } from './errors.ts';
import { parseHolidayYears } from './holiday-year.ts';
import type { HolidayYear } from './holiday-year.ts';

/** Reads and validates one file; throws `InvalidHolidayDataError` naming the file. */
export function loadHolidayFile(path: string): HolidayYear[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidHolidayDataError([`无法读取 / cannot read: ${(error as Error).message}`], path);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidHolidayDataError([`不是有效的 JSON / not valid JSON: ${(error as Error).message}`], path);
  }
  return parseHolidayYears(json, path);
}

/**
 * Every `*.json` directly in `dir`, in name order (a missing directory gives none). Throws when two
 * files define the same year, since which should win is not clear.
 */
export function loadHolidayDir(dir: string): HolidayYear[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new InvalidHolidayDataError([`无法读取目录 / cannot read directory: ${(error as Error).message}`], dir);
  }
  const years: HolidayYear[] = [];
  const fileOfYear = new Map<number, string>();
  for (const name of names) {
    const path = join(dir, name);
    for (const year of loadHolidayFile(path)) {
      const earlier = fileOfYear.get(year.year);
      if (earlier) {
        throw new InvalidHolidayDataError([`${year.year} 年在 ${earlier} 和 ${path} 中重复 / year ${year.year} is in both ${earlier} and ${path}`], dir);
      }
      fileOfYear.set(year.year, path);
      years.push(year);
    }
  }
  return years;
}
