/**
 * A project's page: its facts, its procedure as a Gantt chart of legal clocks with the same steps
 * as a table, and its village groups, where a township clerk records the posting of the notice
 * with a photo taken on the spot.
 */
import { useMemo, useState } from 'preact/hooks';
import type { routes as notices } from '../../../services/notices/schemas.ts';
import type { Body } from '../api/client.ts';
import { api, type Project, type ProjectPostings, type Timeline } from '../api/endpoints.ts';
import { agencyName, covers, jurisdictionName } from '../agencies.ts';
import { fromBeijingInput, toBeijingInput } from '../beijing-input.ts';
import { Chart } from '../components/chart.tsx';
import { DeadlineCell, ErrorNotice, Loaded, Page, Section, StatusBadge, Table } from '../components/ui.tsx';
import { EvidenceUpload } from '../components/upload.tsx';
import { type Loaded as LoadState, useConsole, useInterval, useLoad } from '../context.ts';
import { formatDue, formatInstant, readable } from '../format.ts';
import { href } from '../router.ts';
import { ganttHeight, ganttOption, type Step } from './gantt.ts';
import { registerScreens } from './registry.ts';

/** Steps whose clock still runs: their due instant counts down (DeadlineCell); the others just show it. */
const LIVE = new Set(['open', 'overdue']);

function ProjectPage(props: { projectId: string }) {
  const { api: client, serverNow } = useConsole();
  const { projectId } = props;
  const project = useLoad(() => client.call(api.project, { params: { projectId } }), [projectId]);
  const timeline = useLoad(() => client.call(api.timeline, { params: { projectId } }), [projectId]);
  const postings = useLoad(() => client.call(api.postings, { params: { projectId } }), [projectId]);
  // The evidence URLs are short-lived: read the list again a minute before they stop working.
  useInterval(() => {
    if (postings.data && serverNow() > Date.parse(postings.data.urlsExpireAt) - 60_000) postings.reload();
  }, 30_000);
  return (
    <Page
      title={project.data ? project.data.name : '征收项目'}
      actions={
        <>
          <a class="button secondary" href={href('projects', projectId, 'notice')}>
            征收土地通告
          </a>
          <a class="button secondary" href={href('projects', projectId, 'plan')}>
            实施方案
          </a>
          <a class="button secondary" href={href('projects', projectId, 'households')}>
            被征收户
          </a>
        </>
      }
    >
      <Loaded state={project}>{(p) => <Facts project={p} />}</Loaded>
      <Section title="程序时间线" id="timeline">
        <Loaded state={timeline}>{(t) => <TimelineView timeline={t} />}</Loaded>
      </Section>
      <Loaded state={project}>
        {(p) => (
          <VillageGroups
            project={p}
            postings={postings}
            onPosted={() => {
              timeline.reload();
              postings.reload();
            }}
          />
        )}
      </Loaded>
    </Page>
  );
}

function Facts(props: { project: Project }) {
  const { project } = props;
  return (
    <Section title="项目概况" id="facts">
      <dl class="facts">
        <dt>项目编号</dt>
        <dd>{project.id}</dd>
        <dt>所在区</dt>
        <dd>{jurisdictionName(project.district)}</dd>
        <dt>被征收村民小组</dt>
        <dd>{project.villageGroups.length} 个</dd>
        <dt>创建时间</dt>
        <dd>{formatInstant(project.createdAt)}</dd>
        <dt>创建单位</dt>
        <dd>
          {agencyName(project.createdBy.agency)}（{jurisdictionName(project.createdBy.jurisdiction)}）
        </dd>
      </dl>
    </Section>
  );
}

function TimelineView(props: { timeline: Timeline }) {
  const { serverNow } = useConsole();
  const { steps } = props.timeline;
  // The marker is the server's now as it built the timeline; overdue cells use its running clock.
  const label = `${props.timeline.name}程序时间线甘特图：共 ${steps.length} 个步骤，明细见下表`;
  const option = useMemo(() => ganttOption(steps, Date.parse(props.timeline.now), label), [props.timeline]);
  const now = serverNow();
  return (
    <>
      <p class="muted">时间均为北京时间；红色虚线为系统当前时间（{formatInstant(props.timeline.now)}）。</p>
      <Chart option={option} label={label} height={ganttHeight(steps.length)} />
      <div class="wide-table">
      <Table caption="程序步骤明细" head={['步骤', '责任单位', '期限', '状态', '办结时间', '法律依据']} rows={steps.length}>
        {steps.map((step, index) => (
          <tr key={`${index}-${step.step}`} class={step.status === 'overdue' ? 'overdue' : undefined}>
            <td>
              {step.step}
              {step.detail ? <span class="note">{readable(step.detail)}</span> : null}
            </td>
            <td>{agencyName(step.responsibleAgency)}</td>
            <td>
              <Due step={step} now={now} />
            </td>
            <td>
              <StatusBadge status={step.status} />
            </td>
            <td>{step.doneAt ? formatInstant(step.doneAt) : '—'}</td>
            <td>{step.legalSource}</td>
          </tr>
        ))}
      </Table>
      </div>
    </>
  );
}

function Due(props: { step: Step; now: number }) {
  const { step } = props;
  if (step.dueAt && LIVE.has(step.status)) return <DeadlineCell dueAt={step.dueAt} source={step.legalSource} now={props.now} />;
  if (step.dueAt) return <span title={step.legalSource}>{formatDue(step.dueAt)}</span>;
  return <span>{step.due ?? '—'}</span>;
}

function VillageGroups(props: { project: Project; postings: LoadState<ProjectPostings>; onPosted: () => void }) {
  const { me, may } = useConsole();
  const { project } = props;
  // A township posts in its own groups only (the API checks again).
  const mine = may('posting.record') ? project.villageGroups.filter((g) => covers(me.jurisdiction, g.township)) : [];
  return (
    <Section title="被征收村民小组" id="groups">
      {props.postings.error ? <ErrorNotice error={props.postings.error} /> : null}
      <Table caption="被征收村民小组及公告张贴记录" head={['村民小组', '所属乡镇（街道）', '张贴记录与现场证据']} rows={project.villageGroups.length}>
        {project.villageGroups.map((group) => (
          <tr key={group.id}>
            <td>
              {group.village}
              {group.name}
            </td>
            <td>{jurisdictionName(group.township)}</td>
            <td>
              {props.postings.data ? (
                <GroupPostings group={group} postings={props.postings.data.items.filter((p) => p.villageGroupId === group.id)} />
              ) : (
                <span class="muted">正在加载…</span>
              )}
            </td>
          </tr>
        ))}
      </Table>
      {mine.map((group) => (
        <PostingForm key={group.id} projectId={project.id} group={group} onPosted={props.onPosted} />
      ))}
    </Section>
  );
}

const DOCUMENT_ZH = { notice: '征收土地通告', plan: '征地补偿安置实施方案' } as const;

/** A group's postings: what, when (Beijing), where, who, and each photo as a thumbnail linking to the file (a video as a link). */
function GroupPostings(props: { group: Group; postings: ProjectPostings['items'] }) {
  const { group } = props;
  if (props.postings.length === 0) return <span class="muted">尚未张贴</span>;
  return (
    <ul class="plain postings">
      {props.postings.map((posting) => (
        <li key={posting.postingId}>
          <span>
            {DOCUMENT_ZH[posting.document]} · {formatInstant(posting.postedAt)} · {posting.place.description} · {agencyName(posting.recordedBy.agency)}
          </span>
          <span class="thumbs">
            {posting.evidence.map((file, index) => {
              const what = `${group.village}${group.name}${DOCUMENT_ZH[posting.document]}张贴${file.contentType.startsWith('video/') ? '视频' : '照片'}（${index + 1}）`;
              return (
                <a key={file.sha256} href={file.url} target="_blank" rel="noopener noreferrer" title={`SHA-256 ${file.sha256}`}>
                  {file.contentType.startsWith('image/') && !/hei[cf]/.test(file.contentType) ? <img src={file.url} alt={what} loading="lazy" /> : <span>{what}</span>}
                </a>
              );
            })}
          </span>
        </li>
      ))}
    </ul>
  );
}

type Group = Project['villageGroups'][number];
/** The photo and video types the API accepts (it checks the declared type again). */
type EvidenceContentType = Body<typeof notices.requestEvidenceUpload>['contentType'];

/**
 * The township clerk's record of a posting: what was posted, when (Beijing time; the server's now
 * unless she says otherwise), where, and the photo or video, uploaded and hashed from the browser.
 */
function PostingForm(props: { projectId: string; group: Group; onPosted: () => void }) {
  const { api: client, serverNow } = useConsole();
  const { projectId, group } = props;
  const [document, setDocument] = useState<'notice' | 'plan'>('notice');
  const [postedAt, setPostedAt] = useState(() => toBeijingInput(serverNow()));
  const [place, setPlace] = useState('');
  const [recorded, setRecorded] = useState<string | undefined>();
  const id = `posting-${group.id}`;
  const postedInstant = fromBeijingInput(postedAt);
  const ready = postedInstant !== undefined && place.trim() !== '';
  return (
    <fieldset class="posting-form">
      <legend>
        登记张贴：{group.village}
        {group.name}
      </legend>
      <div class="row">
        <div>
          <label for={`${id}-document`}>张贴的文件</label>
          <select id={`${id}-document`} value={document} onChange={(e) => setDocument((e.currentTarget as HTMLSelectElement).value as 'notice' | 'plan')}>
            <option value="notice">征收土地通告</option>
            <option value="plan">征地补偿安置实施方案</option>
          </select>
        </div>
        <div>
          <label for={`${id}-at`}>张贴时间（北京时间）</label>
          <input id={`${id}-at`} type="datetime-local" required value={postedAt} onInput={(e) => setPostedAt((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="grow">
          <label for={`${id}-place`}>张贴地点</label>
          <input id={`${id}-place`} type="text" required maxLength={500} value={place} placeholder="如：村务公开栏" onInput={(e) => setPlace((e.currentTarget as HTMLInputElement).value)} />
        </div>
      </div>
      {ready ? (
        <EvidenceUpload
          label={`张贴现场照片或视频（${group.village}${group.name}）`}
          requestSlot={(declared) => client.call(api.evidenceUpload, { params: { projectId }, body: { document, villageGroupId: group.id, ...declared, contentType: declared.contentType as EvidenceContentType } })}
          record={async (uploadId) => {
            const posting = await client.call(api.recordPosting, {
              params: { projectId },
              body: { document, villageGroupId: group.id, uploadIds: [uploadId], postedAt: postedInstant, place: { description: place.trim() } },
            });
            setRecorded(posting.registrationWindow ? `本组补偿登记期限至 ${formatDue(posting.registrationWindow.dueAt)} 届满` : '已登记张贴');
            return posting;
          }}
          onDone={props.onPosted}
        />
      ) : (
        <p class="muted">请先填写张贴时间和地点，再选择现场照片或视频。</p>
      )}
      {recorded ? (
        <p class="ok" role="status">
          {recorded}
        </p>
      ) : null}
    </fieldset>
  );
}

registerScreens({ path: '/projects/:projectId', title: '征收项目', requires: ['project.read'], view: (params) => <ProjectPage projectId={params.projectId!} /> });
