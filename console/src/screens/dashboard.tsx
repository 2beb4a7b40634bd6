/**
 * The city dashboard for the leading group office (and the discipline commission, which reads
 * performance too): projects by stage, overdue steps by agency and the scorecard (with its .xlsx
 * export), open incidents, and the joint meetings' resolutions. Every chart has a table with the
 * same figures beside it.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Answer } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { AGENCY_ZH } from '../agencies.ts';
import { countBy, formatBasisPoints, scorecardPeriods } from '../city.ts';
import { Chart, type ChartOption } from '../components/chart.tsx';
import { DeadlineCell, ErrorNotice, Loaded, Page, Section, StatusBadge, Table } from '../components/ui.tsx';
import { useConsole, useLoad } from '../context.ts';
import { formatCount, formatDay, formatInstant, readable } from '../format.ts';
import { href } from '../router.ts';
import { registerScreens } from './registry.ts';
import type { routes as notices } from '../../../services/notices/schemas.ts';
import type { routes as oversight } from '../../../services/oversight/schemas.ts';

type Scorecard = Answer<typeof oversight.scorecard>;
type ScorecardRow = Scorecard['rows'][number];
type ProjectSummary = Answer<typeof notices.listProjects>['items'][number];
type Meeting = Answer<typeof oversight.readMeeting>;

/** One page of projects: the incident counts cost one call per project, so the dashboard reads no more. */
const PROJECT_PAGE = 20;
/** The most recent meetings whose resolutions are shown (one call each). */
const MEETINGS_SHOWN = 5;

/** The procedure's order, for the stage chart (a Record: a new stage fails the type check here). */
const STAGE_RANK: Record<ProjectSummary['stage'], number> = { created: 0, 'notice-draft': 1, 'notice-published': 2, 'plan-draft': 3, 'plan-published': 4 };

function CityDashboard() {
  const { may } = useConsole();
  return (
    <Page title="全市总览">
      <ProjectsAndIncidents />
      {may('performance.read') ? <Performance /> : null}
      <MeetingsAndResolutions />
    </Page>
  );
}

function ProjectsAndIncidents() {
  const { api: client, may } = useConsole();
  const projects = useLoad(() => client.call(api.projects, { query: { limit: PROJECT_PAGE } }), []);
  return (
    <>
      <Section title="各阶段项目数">
        <Loaded state={projects}>{(page) => <ProjectsByStage projects={page.items} more={page.cursor !== undefined} />}</Loaded>
      </Section>
      {may('incident.read') ? (
        <Section title="未结突发事件">
          <Loaded state={projects}>{(page) => <OpenIncidents projects={page.items} more={page.cursor !== undefined} />}</Loaded>
        </Section>
      ) : null}
    </>
  );
}

function FirstPageNote(props: { count: number; more: boolean }) {
  return (
    <p class="note">
      按最近的 {formatCount(props.count)} 个项目统计{props.more ? `（每次最多读取 ${PROJECT_PAGE} 个项目，更早的项目未计入）` : ''}。
    </p>
  );
}

function ProjectsByStage(props: { projects: readonly ProjectSummary[]; more: boolean }) {
  const stages = useMemo(() => {
    const sorted = [...props.projects].sort((a, b) => STAGE_RANK[a.stage] - STAGE_RANK[b.stage]);
    return [...countBy(sorted, (p) => p.stageName)].map(([name, count]) => ({ name, count }));
  }, [props.projects]);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: stages.map((s) => s.name), axisLabel: { interval: 0, width: 90, overflow: 'break' } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: '项目数', data: stages.map((s) => s.count), barMaxWidth: 48 }],
    }),
    [stages],
  );
  return (
    <>
      <FirstPageNote count={props.projects.length} more={props.more} />
      <div class="grid">
        <Chart option={option} label={`各阶段项目数：${stages.map((s) => `${s.name} ${s.count} 个`).join('，') || '暂无项目'}`} height={260} />
        <Table caption="各阶段项目数" head={['阶段', '项目数']} rows={stages.length}>
          {stages.map((s) => (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td class="num">{formatCount(s.count)}</td>
            </tr>
          ))}
        </Table>
      </div>
      <Table caption="项目一览" head={['项目', '所在区', '阶段', '村民小组数', '立项时间']} rows={props.projects.length}>
        {props.projects.map((p) => (
          <tr key={p.id}>
            <td>
              <a href={href('projects', p.id)}>{p.name}</a>
            </td>
            <td>{p.districtName}</td>
            <td>{p.stageName}</td>
            <td class="num">{formatCount(p.villageGroupCount)}</td>
            <td>{formatInstant(p.createdAt)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

const CLASS_ZH: Record<string, string> = { general: '一般性事件', larger: '较大事件', major: '重大事件' };

function OpenIncidents(props: { projects: readonly ProjectSummary[]; more: boolean }) {
  const { api: client } = useConsole();
  const ids = props.projects.map((p) => p.id).join(',');
  const incidents = useLoad(
    () =>
      Promise.all(
        props.projects.map(async (project) => {
          const page = await client.call(api.projectIncidents, { params: { projectId: project.id }, query: { limit: 100 } });
          return { project, open: page.items.filter((i) => i.status === 'open') };
        }),
      ),
    [ids],
  );
  return (
    <>
      <FirstPageNote count={props.projects.length} more={props.more} />
      <Loaded state={incidents}>
        {(perProject) => {
          const open = perProject.flatMap((p) => p.open.map((incident) => ({ project: p.project, incident })));
          return (
            <>
              <p>
                未结突发事件共 <strong>{formatCount(open.length)}</strong> 起。
              </p>
              <Table caption="未结突发事件" head={['项目', '事件', '级别', '发生时间', '报告时间']} rows={open.length} empty="没有未结的突发事件">
                {open.map(({ project, incident }) => (
                  <tr key={incident.incidentId}>
                    <td>
                      <a href={href('projects', project.id)}>{project.name}</a>
                    </td>
                    <td>{incident.summary}</td>
                    <td>{CLASS_ZH[incident.class] ?? incident.class}</td>
                    <td>{formatInstant(incident.occurredAt)}</td>
                    <td>{formatInstant(incident.reportedAt)}</td>
                  </tr>
                ))}
              </Table>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

const rowLabel = (row: ScorecardRow) => `${row.agencyName}（${row.jurisdictionName}）`;

function Performance() {
  const { api: client, serverNow } = useConsole();
  const periods = scorecardPeriods(serverNow());
  const [period, setPeriod] = useState(periods.month);
  const scorecard = useLoad(() => client.call(api.scorecard, { query: { period } }), [period]);
  const periodText = (value: string) => (value.length === 4 ? `${value}年` : `${value.slice(0, 4)}年${Number(value.slice(5))}月`);
  return (
    <>
      <div class="row period-picker">
        <div>
          <label for="scorecard-period">考核期间</label>
          <select id="scorecard-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
            <option value={periods.month}>本月（{periodText(periods.month)}）</option>
            <option value={periods.year}>本年（{periodText(periods.year)}）</option>
          </select>
        </div>
      </div>
      <Section title="各单位逾期情况">
        <Loaded state={scorecard}>{(card) => <OverdueByAgency card={card} />}</Loaded>
      </Section>
      <Section title="绩效考核表">
        <Loaded state={scorecard}>{(card) => <ScorecardTable card={card} periodText={periodText(period)} />}</Loaded>
      </Section>
    </>
  );
}

function OverdueByAgency(props: { card: Scorecard }) {
  const late = props.card.rows.filter((r) => r.missed > 0 || r.openOverdue > 0);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: late.map(rowLabel), axisLabel: { width: 220, overflow: 'truncate' } },
      series: [
        { type: 'bar', name: '逾期（件）', data: late.map((r) => r.missed), barMaxWidth: 24 },
        { type: 'bar', name: '逾期尚未办结（件）', data: late.map((r) => r.openOverdue), barMaxWidth: 24 },
      ],
    }),
    [props.card],
  );
  if (late.length === 0) return <p>本期没有单位逾期。</p>;
  return (
    <div class="grid">
      <Chart option={option} label={`各单位逾期件数：${late.map((r) => `${rowLabel(r)}逾期 ${r.missed} 件，尚未办结 ${r.openOverdue} 件`).join('；')}`} height={Math.max(200, 60 + late.length * 48)} />
      <Table caption="各单位逾期件数" head={['单位', '辖区', '逾期（件）', '逾期尚未办结（件）', '逾期时长合计（小时）']} rows={late.length}>
        {late.map((r) => (
          <tr key={`${r.agency}@${r.jurisdiction}`}>
            <td>{r.agencyName}</td>
            <td>{r.jurisdictionName}</td>
            <td class="num">{formatCount(r.missed)}</td>
            <td class="num">{formatCount(r.openOverdue)}</td>
            <td class="num">{formatCount(r.latenessHoursTotal)}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

const SCORECARD_HEAD = ['单位', '辖区', '应办（件）', '按期', '逾期', '逾期后办结', '逾期未办结', '逾期时长合计（小时）', '最长逾期（小时）', '决议逾期', '未按时到场', '未开联席会议（月）', '交办逾期', '扣减工作经费比例'];

function countCells(row: Omit<ScorecardRow, 'agency' | 'agencyName' | 'jurisdiction' | 'jurisdictionName'>) {
  return [row.judged, row.met, row.missed, row.missedThenMet, row.openOverdue, row.latenessHoursTotal, row.latenessHoursMax, row.resolutionsLate, row.onSiteMissed, row.meetingMonthsMissed, row.assignmentsLate].map((n, i) => (
    <td class="num" key={i}>
      {formatCount(n)}
    </td>
  ));
}

function ScorecardTable(props: { card: Scorecard; periodText: string }) {
  const { api: client } = useConsole();
  const { card } = props;
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<Answer<typeof oversight.scorecardExport>>();
  const [error, setError] = useState<unknown>();
  async function exportXlsx() {
    setExporting(true);
    setError(undefined);
    try {
      setExported(await client.call(api.scorecardExport, { query: { period: card.period.value } }));
    } catch (refused) {
      setError(refused);
    } finally {
      setExporting(false);
    }
  }
  return (
    <>
      <p>
        {props.periodText}，工作经费扣减比例 {formatBasisPoints(card.deductionRateBp)}（全部逾期时）；计算于 {formatInstant(card.generatedAt)}。
      </p>
      <Table caption={`绩效考核表（${props.periodText}）`} head={SCORECARD_HEAD} rows={card.rows.length} empty="本期没有应考核的期限">
        {card.rows.map((r) => (
          <tr key={`${r.agency}@${r.jurisdiction}`} class={r.missed > 0 ? 'overdue' : undefined}>
            <td>{r.agencyName}</td>
            <td>{r.jurisdictionName}</td>
            {countCells(r)}
            <td class="num">{formatBasisPoints(r.deductionShareBp)}</td>
          </tr>
        ))}
        <tr class="totals">
          <th scope="row" colSpan={2}>
            合计
          </th>
          {countCells(card.totals)}
          <td class="num">{formatBasisPoints(card.totals.deductionShareBp)}</td>
        </tr>
      </Table>
      <div class="row export">
        <button type="button" onClick={exportXlsx} disabled={exporting}>
          {exporting ? '正在导出…' : '导出绩效考核表（Excel）'}
        </button>
        {exported ? (
          <p role="status">
            <a href={exported.url} download={`绩效考核-${props.periodText}.xlsx`}>
              下载绩效考核表（{props.periodText}，.xlsx）
            </a>
            <span class="hash">SHA-256：{exported.sha256}</span>
          </p>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} /> : null}
    </>
  );
}

function MeetingsAndResolutions() {
  const { api: client, serverNow } = useConsole();
  const meetings = useLoad(async () => {
    const page = await client.call(api.meetings, { query: { limit: MEETINGS_SHOWN } });
    return Promise.all(page.items.map((m) => client.call(api.meeting, { params: { meetingId: m.meetingId } })));
  }, []);
  const now = serverNow();
  return (
    <Section title="联席会议及决议落实">
      <Loaded state={meetings}>
        {(list) => {
          const resolutions = list.flatMap((meeting) => meeting.resolutions.map((resolution) => ({ meeting, resolution })));
          return (
            <>
              <Table caption="最近的联席会议" head={['会议', '类别', '召开时间', '决议（项）']} rows={list.length} empty="暂无联席会议">
                {list.map((m) => (
                  <tr key={m.meetingId}>
                    <td>{m.title}</td>
                    <td>{m.kind === 'regular' ? '例会' : '临时会议'}</td>
                    <td>{formatInstant(m.heldAt)}</td>
                    <td class="num">{formatCount(m.resolutions.length)}</td>
                  </tr>
                ))}
              </Table>
              <Table caption="决议落实情况" head={['会议', '序号', '决议', '承办单位', '时限', '状态']} rows={resolutions.length} empty="暂无决议">
                {resolutions.map(({ meeting, resolution: r }) => (
                  <tr key={r.resolutionId} class={resolutionStatus(r) === 'overdue' ? 'overdue' : undefined}>
                    <td>{meeting.title}</td>
                    <td class="num">{r.seq}</td>
                    <td>{readable(r.text)}</td>
                    <td>{r.owner ? AGENCY_ZH[r.owner.agency] : '联席会议'}</td>
                    <td>
                      {!r.dueAt ? '—' : r.status === 'open' ? <DeadlineCell dueAt={r.dueAt} source={resolutionSource(r)} now={now} /> : <span title={resolutionSource(r)}>{formatInstant(r.dueAt)}</span>}
                    </td>
                    <td>
                      <StatusBadge status={resolutionStatus(r)} />
                    </td>
                  </tr>
                ))}
              </Table>
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}

const resolutionSource = (r: Meeting['resolutions'][number]) => `联席会议决议交办（§四(一)）${r.lastDay ? `，届满日 ${formatDay(r.lastDay)}` : ''}`;

function resolutionStatus(r: Meeting['resolutions'][number]): string {
  if (r.status === 'approved') return 'approved';
  if (r.status === 'done') return r.done?.late ? 'done-late' : 'done';
  return r.deadline?.status === 'overdue' ? 'overdue' : 'open';
}

registerScreens({
  path: '/dashboard',
  title: '全市总览',
  nav: { label: '全市总览', order: 5 },
  requires: ['performance.read'],
  view: () => <CityDashboard />,
});
