/**
 * Holiday years: which years the calendar has and from what source; the leading group office
 * enters a year's State Council schedule (rest-day ranges and working-day swaps) and follows the
 * recount of open deadlines it starts until it is done.
 */
import { useState } from 'preact/hooks';
import type { Answer } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { beijingDay, type HolidayRange, holidayYearBody, missingHolidayYears, type WorkdaySwap } from '../city.ts';
import { holidayYearsChanged } from '../components/holiday-banner.tsx';
import { ErrorNotice, Loaded, Page, Section, Table } from '../components/ui.tsx';
import { useConsole, useInterval, useLoad } from '../context.ts';
import { formatCount, formatInstant } from '../format.ts';
import { registerScreens } from './registry.ts';
import type { routes as platform } from '../../../services/platform/schemas.ts';

type Job = Answer<typeof platform.maintenanceJob>;

const JOB_POLL_MS = 2_000;

function HolidayYears() {
  const { api: client, may, serverNow } = useConsole();
  const years = useLoad(() => client.call(api.holidayYears, {}), []);
  const missing = years.data ? missingHolidayYears(serverNow(), years.data) : [];
  return (
    <Page title="节假日安排">
      <Section title="已有节假日数据的年份">
        <Loaded state={years}>
          {(list) => (
            <Table caption="已有节假日数据的年份" head={['年份', '来源', '录入方式', '更新时间']} rows={list.length}>
              {[...list]
                .sort((a, b) => b.year - a.year)
                .map((y) => (
                  <tr key={y.year}>
                    <td>{y.year}年</td>
                    <td>{y.source}</td>
                    <td>{y.origin === 'operator' ? '领导小组办公室录入' : '系统内置'}</td>
                    <td>{y.origin === 'operator' ? (/^\d{4}-\d{2}-\d{2}$/.test(y.updatedAt) ? y.updatedAt : formatInstant(y.updatedAt)) : '—'}</td>
                  </tr>
                ))}
            </Table>
          )}
        </Loaded>
      </Section>
      {may('calendar.admin') ? (
        // Mounted once the years are known, so that it proposes the first missing year (then keeps what is typed).
        years.data ? <HolidayYearForm suggestedYear={missing[0] ?? Number(beijingDay(serverNow()).slice(0, 4)) + 1} onSaved={years.reload} /> : null
      ) : (
        <p>节假日安排由领导小组办公室录入。</p>
      )}
    </Page>
  );
}

const emptyRange = (): HolidayRange => ({ name: '', from: '', to: '' });
const emptySwap = (): WorkdaySwap => ({ name: '', date: '' });

function HolidayYearForm(props: { suggestedYear: number; onSaved: () => void }) {
  const { api: client, serverNow } = useConsole();
  const [year, setYear] = useState(String(props.suggestedYear));
  const [source, setSource] = useState('');
  const [ranges, setRanges] = useState<HolidayRange[]>([emptyRange()]);
  const [swaps, setSwaps] = useState<WorkdaySwap[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [job, setJob] = useState<Job>();

  const editRange = (index: number, change: Partial<HolidayRange>) => setRanges((rows) => rows.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const editSwap = (index: number, change: Partial<WorkdaySwap>) => setSwaps((rows) => rows.map((r, i) => (i === index ? { ...r, ...change } : r)));

  // Follow the recount the save started until it ends.
  useInterval(
    () => {
      if (!job) return;
      client.call(api.maintenanceJob, { params: { jobId: job.jobId } }).then((next) => {
        setJob(next);
        if (next.status !== 'running') {
          props.onSaved();
          holidayYearsChanged();
        }
      }, setError);
    },
    job?.status === 'running' ? JOB_POLL_MS : null,
  );

  async function save(event: Event) {
    event.preventDefault();
    setError(undefined);
    const yearNumber = Number(year);
    const { body, problems: found } = holidayYearBody(yearNumber, ranges, swaps, source, beijingDay(serverNow()));
    setProblems(found);
    if (found.length > 0 || !/^\d{4}$/.test(year)) return;
    setSaving(true);
    try {
      const saved = await client.call(api.putHolidayYear, { params: { year }, body });
      setJob(saved.job);
      props.onSaved();
      holidayYearsChanged();
    } catch (refused) {
      setError(refused);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Section title="录入或更正一年的节假日安排">
      <p>
        按国务院办公厅当年部分节假日安排的通知填写：每段假期填写起止日期（含假期内的周六、周日）；调休上班日填写被调为工作日的周六或周日。保存后整年替换，系统重新计算未到期的期限。
      </p>
      <form class="holiday-form" onSubmit={save}>
        <div class="row">
          <div>
            <label for="holiday-year">年份</label>
            <input id="holiday-year" inputMode="numeric" pattern="\d{4}" required value={year} onInput={(e) => setYear(e.currentTarget.value)} size={6} />
          </div>
          <div class="grow">
            <label for="holiday-source">通知名称及文号</label>
            <input
              id="holiday-source"
              required
              value={source}
              placeholder="国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）"
              onInput={(e) => setSource(e.currentTarget.value)}
            />
          </div>
        </div>
        <fieldset>
          <legend>放假（节假日）</legend>
          {ranges.map((range, i) => (
            <div class="row" key={i}>
              <div>
                <label for={`range-name-${i}`}>第 {i + 1} 段假期名称</label>
                <input id={`range-name-${i}`} value={range.name} placeholder="春节" onInput={(e) => editRange(i, { name: e.currentTarget.value })} />
              </div>
              <div>
                <label for={`range-from-${i}`}>第 {i + 1} 段开始日期</label>
                <input id={`range-from-${i}`} type="date" required value={range.from} onInput={(e) => editRange(i, { from: e.currentTarget.value })} />
              </div>
              <div>
                <label for={`range-to-${i}`}>第 {i + 1} 段结束日期</label>
                <input id={`range-to-${i}`} type="date" value={range.to} onInput={(e) => editRange(i, { to: e.currentTarget.value })} />
              </div>
              <button type="button" class="secondary" onClick={() => setRanges((rows) => rows.filter((_, j) => j !== i))}>
                删除第 {i + 1} 段
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setRanges((rows) => [...rows, emptyRange()])}>
            添加一段假期
          </button>
        </fieldset>
        <fieldset>
          <legend>调休上班日（周六、周日上班）</legend>
          {swaps.length === 0 ? <p class="muted">无</p> : null}
          {swaps.map((swap, i) => (
            <div class="row" key={i}>
              <div>
                <label for={`swap-name-${i}`}>第 {i + 1} 个调休上班日所属假期</label>
                <input id={`swap-name-${i}`} value={swap.name} placeholder="春节" onInput={(e) => editSwap(i, { name: e.currentTarget.value })} />
              </div>
              <div>
                <label for={`swap-date-${i}`}>第 {i + 1} 个调休上班日日期</label>
                <input id={`swap-date-${i}`} type="date" required value={swap.date} onInput={(e) => editSwap(i, { date: e.currentTarget.value })} />
              </div>
              <button type="button" class="secondary" onClick={() => setSwaps((rows) => rows.filter((_, j) => j !== i))}>
                删除第 {i + 1} 个调休上班日
              </button>
            </div>
          ))}
          <button type="button" class="secondary" onClick={() => setSwaps((rows) => [...rows, emptySwap()])}>
            添加调休上班日
          </button>
        </fieldset>
        {problems.length > 0 ? (
          <ul class="error" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {error ? <ErrorNotice error={error} /> : null}
        <p>
          <button type="submit" disabled={saving || job?.status === 'running'}>
            保存{year}年节假日安排
          </button>
        </p>
      </form>
      {job ? <JobProgress job={job} /> : null}
    </Section>
  );
}

const JOB_STATUS_ZH: Record<Job['status'], string> = { running: '正在重新计算', completed: '已完成', failed: '失败' };

function JobProgress(props: { job: Job }) {
  const { job } = props;
  return (
    <section class="job" aria-labelledby="job-title">
      <h3 id="job-title">期限重新计算</h3>
      <p role="status" class={job.status === 'failed' ? 'error' : job.status === 'completed' ? 'ok' : undefined}>
        {JOB_STATUS_ZH[job.status]}：已读取未到期的期限 {formatCount(job.counts.processed)} 个，调整 {formatCount(job.counts.changed)} 个，重启监控 {formatCount(job.counts.restarted)}{' '}
        个，无法监控 {formatCount(job.counts.failed)} 个。
        {job.finishedAt ? `完成于 ${formatInstant(job.finishedAt)}。` : null}
        {job.error ? `原因：${job.error}` : null}
      </p>
    </section>
  );
}

registerScreens({ path: '/holidays', title: '节假日安排', nav: { label: '节假日安排', order: 90 }, requires: ['calendar.admin', 'calendar.read'], view: () => <HolidayYears /> });
