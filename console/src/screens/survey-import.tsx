/**
 * The survey in Excel: download the template (its lists come from the locked standard), upload a
 * filled workbook and watch its import job (progress, counts, the rows it refused and why), and
 * generate each village group's disclosure list (PDF and .xlsx).
 */
import { useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { ErrorNotice, Loaded, Page, Section, Table } from '../components/ui.tsx';
import { EvidenceUpload, sha256Hex } from '../components/upload.tsx';
import { useConsole, useInterval, useLoad } from '../context.ts';
import { formatCount, formatInstant, formatYuan, readable } from '../format.ts';
import { href } from '../router.ts';
import { IMPORT_STATUS_ZH, workbookContentType, zh } from './household-labels.ts';
import { registerScreens } from './registry.ts';

/** How often a running import is polled: its rows are worked in chunks by a workflow. */
const POLL_MS = 1000;

type Client = ReturnType<typeof useConsole>['api'];
type ImportJob = Awaited<ReturnType<typeof loadJob>>;
type Disclosure = Awaited<ReturnType<typeof exportDisclosure>>;
const loadJob = (client: Client, projectId: string, jobId: string) => client.call(api.getImport, { params: { projectId, jobId } });
const exportDisclosure = (client: Client, projectId: string, villageGroupId: string, postingNote: string) =>
  client.call(api.exportDisclosure, { params: { projectId, villageGroupId }, body: { postingNote } });

/** Saves a blob under a name: the browser's own download, no new window. */
function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function Template(props: { projectId: string }) {
  const { api: client } = useConsole();
  const [phase, setPhase] = useState<{ kind: 'idle' | 'busy' } | { kind: 'done'; fileName: string } | { kind: 'failed'; error: unknown }>({ kind: 'idle' });
  async function download() {
    try {
      setPhase({ kind: 'busy' });
      const template = await client.call(api.surveyTemplate, { params: { projectId: props.projectId } });
      const response = await fetch(template.url);
      if (!response.ok) throw new Error(`模板下载失败（HTTP ${response.status}）`);
      const blob = await response.blob();
      // The answer names the file's SHA-256: a damaged download is said, not saved.
      if ((await sha256Hex(blob)) !== template.sha256) throw new Error('模板下载不完整（SHA-256 不符），请重试');
      save(blob, template.fileName);
      setPhase({ kind: 'done', fileName: template.fileName });
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }
  return (
    <Section title="调查表模板">
      <p>模板按本项目锁定的补偿标准列出地类、作物、附着物和房屋结构，填写后在下方上传导入。</p>
      <button type="button" onClick={() => void download()} disabled={phase.kind === 'busy'}>
        下载调查表模板
      </button>
      {phase.kind === 'busy' ? <p role="status">正在下载…</p> : null}
      {phase.kind === 'done' ? (
        <p role="status" class="ok">
          已下载 {phase.fileName}
        </p>
      ) : null}
      {phase.kind === 'failed' ? <ErrorNotice error={phase.error} /> : null}
    </Section>
  );
}

function JobView(props: { job: ImportJob }) {
  const job = props.job;
  const total = job.rowsTotal;
  return (
    <div class="import-job">
      <p role="status">
        {job.fileName}：{zh(IMPORT_STATUS_ZH, job.status)}
        {job.finishedAt ? `（${formatInstant(job.finishedAt)}）` : ''}
      </p>
      <p>
        <progress max={total ?? 1} value={total === undefined ? undefined : job.rowsDone} aria-label="导入进度" />{' '}
        {total === undefined ? '正在读取工作簿…' : `已处理 ${formatCount(job.rowsDone)} / ${formatCount(total)} 行`}
      </p>
      <dl class="facts">
        <dt>涉及户数</dt>
        <dd>{formatCount(job.counts.households)}</dd>
        <dt>新登记</dt>
        <dd>{formatCount(job.counts.created)}</dd>
        <dt>已更新</dt>
        <dd>{formatCount(job.counts.updated)}</dd>
        <dt>无变化</dt>
        <dd>{formatCount(job.counts.unchanged)}</dd>
        <dt>已确认未改动</dt>
        <dd>{formatCount(job.counts.confirmedKept)}</dd>
        <dt>未导入</dt>
        <dd>{formatCount(job.counts.rejected)}</dd>
      </dl>
      {job.failure ? <p class="error" role="alert">{job.failure}</p> : null}
      {job.status !== 'running' ? (
        <>
          <h3>错误行（共 {formatCount(job.errorCount)} 处）</h3>
          {job.errorCount > job.errors.length ? <p class="muted">仅列出前 {job.errors.length} 处。</p> : null}
          <Table caption="导入错误行" head={['工作表', '行号', '列', '户编号', '问题']} rows={job.errors.length} empty="没有错误行">
            {job.errors.map((e, i) => (
              <tr key={`${e.sheet}-${e.row ?? ''}-${e.column ?? ''}-${i}`}>
                <td>{e.sheet}</td>
                <td class="num">{e.row ?? '—'}</td>
                <td>{e.column ?? '—'}</td>
                <td>{e.householdNumber ?? '—'}</td>
                <td>{readable(e.message)}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </div>
  );
}

function Import(props: { projectId: string }) {
  const { api: client } = useConsole();
  const [job, setJob] = useState<ImportJob | undefined>();
  const [pollError, setPollError] = useState<unknown>();
  useInterval(
    () => {
      if (!job) return;
      loadJob(client, props.projectId, job.jobId).then(
        (next) => {
          setJob(next);
          setPollError(undefined);
        },
        (error) => setPollError(error),
      );
    },
    job?.status === 'running' ? POLL_MS : null,
  );
  return (
    <Section title="导入调查表">
      <EvidenceUpload
        label="选择填好的调查表（.xlsx）"
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        capture={false}
        requestSlot={(declared) =>
          client.call(api.projectUpload, { params: { projectId: props.projectId }, body: { purpose: 'survey-workbook', ...declared, contentType: workbookContentType(declared.fileName, declared.contentType) } })
        }
        record={async (uploadId) => {
          setPollError(undefined);
          setJob(await client.call(api.startImport, { params: { projectId: props.projectId }, body: { uploadId } }));
        }}
      />
      {pollError ? <ErrorNotice error={pollError} /> : null}
      {job ? <JobView job={job} /> : null}
    </Section>
  );
}

function DisclosureRow(props: { projectId: string; group: { id: string; name: string; village: string } }) {
  const { api: client } = useConsole();
  const [note, setNote] = useState('公示期间如有异议，请向所在乡镇（街道）反映');
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'done'; disclosure: Disclosure } | { kind: 'failed'; error: unknown }>({ kind: 'idle' });
  const label = `${props.group.village}${props.group.name}`;
  const id = `disclosure-note-${props.group.id}`;
  return (
    <li class="disclosure">
      <form
        class="row"
        onSubmit={async (event) => {
          event.preventDefault();
          setState({ kind: 'busy' });
          try {
            setState({ kind: 'done', disclosure: await exportDisclosure(client, props.projectId, props.group.id, note) });
          } catch (error) {
            setState({ kind: 'failed', error });
          }
        }}
      >
        <div class="grow">
          <label for={id}>{label} 公示说明</label>
          <input id={id} value={note} maxLength={500} required onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={state.kind === 'busy'}>
          生成{label}补偿公示
        </button>
      </form>
      {state.kind === 'busy' ? <p role="status">正在生成…</p> : null}
      {state.kind === 'failed' ? <ErrorNotice error={state.error} /> : null}
      {state.kind === 'done' ? (
        <p role="status" class="ok">
          已生成（{state.disclosure.households.length} 户，合计 {formatYuan(state.disclosure.totalFen)}，{formatInstant(state.disclosure.generatedAt)}）：
          {state.disclosure.urls ? (
            <>
              <a href={state.disclosure.urls.pdf} target="_blank" rel="noopener noreferrer">
                下载{label}公示 PDF
              </a>{' '}
              <a href={state.disclosure.urls.xlsx} target="_blank" rel="noopener noreferrer">
                下载{label}公示 Excel
              </a>
            </>
          ) : (
            '下载链接未返回'
          )}
        </p>
      ) : null}
    </li>
  );
}

function Disclosures(props: { projectId: string }) {
  const { api: client } = useConsole();
  const project = useLoad(() => client.call(api.project, { params: { projectId: props.projectId } }), [props.projectId]);
  return (
    <Section title="补偿公示清单">
      <p>按村民小组生成补偿公示（PDF 与 Excel，身份证号脱敏）；张贴后由乡镇（街道）登记张贴影像。</p>
      <Loaded state={project}>
        {(p) => (
          <ul class="plain">
            {p.villageGroups.map((group) => (
              <DisclosureRow key={group.id} projectId={props.projectId} group={group} />
            ))}
          </ul>
        )}
      </Loaded>
    </Section>
  );
}

function SurveyImport(props: { projectId: string }) {
  const { may } = useConsole();
  return (
    <Page
      title="调查表导入与补偿公示"
      actions={
        <a class="button secondary" href={href('projects', props.projectId, 'households')}>
          查看被征收户
        </a>
      }
    >
      {may('household.import') ? (
        <>
          <Template projectId={props.projectId} />
          <Import projectId={props.projectId} />
        </>
      ) : null}
      {may('disclosure.export') ? <Disclosures projectId={props.projectId} /> : null}
    </Page>
  );
}

registerScreens({
  path: '/projects/:projectId/survey-import',
  title: '调查表导入',
  requires: ['household.import', 'disclosure.export'],
  view: (params) => <SurveyImport projectId={params.projectId!} />,
});
