/**
 * The warning on every screen while a year that deadlines can reach has no holiday data: the
 * server refuses to count into such a year (calendar.missing-holiday-data), so notices and other
 * steps would fail. Only the leading group office may enter a year; it gets the link.
 */
import { useEffect } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { missingHolidayYears } from '../city.ts';
import { useConsole, useInterval, useLoad } from '../context.ts';

const CHANGED = 'holiday-years-changed';

/** Tells the banner a year was entered or corrected (the holiday screen calls it after a save). */
export function holidayYearsChanged(): void {
  dispatchEvent(new Event(CHANGED));
}

/** The server's clock moves on (virtually, on a local cloud): look again every few minutes. */
const RECHECK_MS = 5 * 60_000;

export function HolidayDataBanner() {
  const { api: client, serverNow, may } = useConsole();
  const years = useLoad(() => client.call(api.holidayYears, {}), []);
  const { reload } = years;
  useEffect(() => {
    addEventListener(CHANGED, reload);
    return () => removeEventListener(CHANGED, reload);
  }, [reload]);
  useInterval(reload, RECHECK_MS);
  if (!years.data) return null;
  const missing = missingHolidayYears(serverNow(), years.data);
  if (missing.length === 0) return null;
  return (
    <section class="banner" aria-label="节假日数据提醒">
      {missing.map((year) => (
        <p key={year}>
          {year}年节假日安排尚未录入：届满日落在{year}年的期限无法计算。请领导小组办公室录入。
          {may('calendar.admin') ? (
            <>
              {' '}
              <a href="#/holidays">录入{year}年节假日安排</a>
            </>
          ) : null}
        </p>
      ))}
    </section>
  );
}
