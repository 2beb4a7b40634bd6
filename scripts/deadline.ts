/**
 * Computes one legal deadline and prints it as one JSON line.
 *
 *   node scripts/deadline.ts --period 7wd --from 2026-09-28T10:00:00+08:00 [--holidays file.json]...
 *
 * Holiday data: the built-in schedules, then every `data/holidays/*.json` (or `--holidays-dir`),
 * then each `--holidays` file, later sources replacing whole years. On any error: a message on
 * stderr, nothing on stdout, exit code 1 (2 for bad usage).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CalendarError, HolidayCalendar, computeDeadline, loadHolidayDir, loadHolidayFile } from '../shared/calendar/index.ts';

const USAGE =
  'usage: node scripts/deadline.ts --period <Nd|Nwd|Nmo|Nh> --from <ISO instant with offset>' +
  ' [--holidays <file.json>]... [--holidays-dir <dir>]';

const DEFAULT_HOLIDAYS_DIR = resolve(import.meta.dirname, '../data/holidays');

class UsageError extends Error {}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        period: { type: 'string' },
        from: { type: 'string' },
        holidays: { type: 'string', multiple: true },
        'holidays-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function main(args: string[]): string {
  const values = parseOptions(args);
  if (values.period === undefined || values.from === undefined) throw new UsageError('--period and --from are required');

  const dir = values['holidays-dir'] ?? DEFAULT_HOLIDAYS_DIR;
  let calendar = HolidayCalendar.builtIn().withYears(loadHolidayDir(dir), dir);
  for (const file of values.holidays ?? []) calendar = calendar.withYears(loadHolidayFile(file), file);
  return JSON.stringify(computeDeadline(values.period, values.from, calendar));
}

try {
  process.stdout.write(`${main(process.argv.slice(2))}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`deadline: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof CalendarError) {
    process.stderr.write(`deadline: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`deadline: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
